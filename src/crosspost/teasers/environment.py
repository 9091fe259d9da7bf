"""The Jinja2 environment of the teaser templates: filters, declarations, errors."""

from __future__ import annotations

import re
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta

from crosspost.errors import ConfigError
from crosspost.teasers.hashtags import camel_case
from crosspost.teasers.links import tracked_url
from crosspost.teasers.sentences import first_sentences

# What a template may list in `{# shed: ... #}`, in the order it wants them given up.
SHED_STEPS = frozenset(
    {
        "thoughts", "backgrounds", "findings", "hashtags", "intro",
        "what", "who", "where", "when", "subtitle", "title", "headline",
        "later_sentences",
    }
)  # fmt: skip
# What a template's own mistake raises: Jinja's errors, Python's from its expressions.
_TEMPLATE_MISTAKES = (
    jinja2.TemplateError, TypeError, ValueError, AttributeError, LookupError
)  # fmt: skip
_DECLARATION = re.compile(r"\{#-?\s*(shed|hashtags)\s*:(.*?)-?#\}", re.DOTALL)


class TemplateError(ConfigError):
    """A teaser template is missing, has a typo, or uses a name that is not provided.

    `path` and `line` say where, when known."""

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        path: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.path = path
        self.line = line


def syntax_error(exc: jinja2.TemplateSyntaxError, path: str) -> TemplateError:
    """The TemplateError for a template Jinja cannot parse, at its line."""
    return TemplateError(
        f"{path}:{exc.lineno}: {exc.message}",
        hint="check the {{ }}, {% %} and {# #} pairs on that line",
        path=path,
        line=exc.lineno,
    )


@dataclass(frozen=True)
class TeaserTemplate:
    """One compiled template and what it declares: shedding order, hashtag count."""

    path: str
    template: jinja2.Template
    shed: tuple[str, ...]
    hashtag_count: int | None
    uses: frozenset[str]

    def render(self, context: Mapping[str, Any]) -> str:
        """Render; a mistake becomes a TemplateError naming this file and line."""
        template = self.template
        try:
            # Template.render, without copying the globals into a fresh context (nor
            # listing their ChainMap) on each of the many renders fitting makes.
            shared = _globals(template)
            fresh = template.environment.context_class(
                template.environment,
                {**shared, **context},
                template.name,
                template.blocks,
                globals=shared,
            )
            text = "".join(template.root_render_func(fresh))
        except Exception:  # rendered again below, the usual way, to report it
            try:
                text = template.render(context)
            except _TEMPLATE_MISTAKES as exc:
                raise self._error(exc) from None
        return tidy(text)

    def _error(self, exc: Exception) -> TemplateError:
        line = _template_line(exc, self.template.filename)
        where = f"{self.path}:{line}" if line else self.path
        return TemplateError(
            f"{where}: {type(exc).__name__}: {exc}",
            hint="see templates/README.md for the names and filters a template can use",
            path=self.path,
            line=line,
        )


@lru_cache(maxsize=64)
def _globals(template: jinja2.Template) -> dict[str, Any]:
    """The template's globals as a plain dict (they are a ChainMap: slow to copy)."""
    return dict(template.globals)


def tidy(text: str) -> str:
    """No trailing spaces, no blank lines in a row or at the ends; indents stay."""
    # Splitting into lines costs less than searching for what would need tidying.
    tidied: list[str] = []
    for line in text.strip().splitlines():
        kept = line.rstrip()
        if kept or (tidied and tidied[-1]):
            tidied.append(kept)
    return "\n".join(tidied)


class TeaserEnvironment:
    """The templates of one templates folder, each compiled once and kept."""

    def __init__(self, templates_dir: Path) -> None:
        self.templates_dir = templates_dir
        self.jinja = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir)),
            undefined=jinja2.StrictUndefined,
            # Posts are plain text; LinkedIn's escaping is done by its rule's wire().
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            auto_reload=False,
            cache_size=-1,
        )
        self.jinja.filters.update(
            first_sentences=_first_sentences, hashtags=_hashtags, tracked=_tracked
        )
        self._templates: dict[str, TeaserTemplate | None] = {}

    def path_of(self, platform: str, variant: str) -> str:
        path = self.templates_dir / platform / f"{variant}.j2"
        return (
            str(path.relative_to(Path.cwd()))
            if path.is_relative_to(Path.cwd())
            else str(path)
        )

    def has(self, platform: str, variant: str) -> bool:
        return self._load(platform, variant) is not None

    def template(self, platform: str, variant: str) -> TeaserTemplate:
        """The compiled template of `platform` and `variant`, or TemplateError."""
        found = self._load(platform, variant)
        if found is None:
            raise TemplateError(
                f"no template {self.path_of(platform, variant)}",
                hint=f"create it, or check the templates_dir setting "
                f"({self.templates_dir})",
                path=self.path_of(platform, variant),
            )
        return found

    def _load(self, platform: str, variant: str) -> TeaserTemplate | None:
        name = f"{platform}/{variant}.j2"
        if name in self._templates:
            return self._templates[name]
        path = self.path_of(platform, variant)
        try:
            source, _, _ = self.jinja.loader.get_source(self.jinja, name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            self._templates[name] = None
            return None
        try:
            template = self.jinja.get_template(name)
            uses = meta.find_undeclared_variables(self.jinja.parse(source))
        except jinja2.TemplateSyntaxError as exc:
            raise syntax_error(exc, path) from None
        shed, count = _declarations(source, path)
        loaded = TeaserTemplate(path, template, shed, count, frozenset(uses))
        self._templates[name] = loaded
        return loaded


@lru_cache(maxsize=8)
def _environment(resolved: Path) -> TeaserEnvironment:
    return TeaserEnvironment(resolved)


def teaser_environment(templates_dir: Path) -> TeaserEnvironment:
    """The environment for `templates_dir`, shared by every render in this process."""
    resolved = templates_dir.resolve()
    if not resolved.is_dir():
        raise ConfigError(
            f"templates folder {templates_dir} does not exist",
            hint="set templates_dir in config/crosspost.toml "
            "or CROSSPOST_TEMPLATES_DIR",
        )
    return _environment(resolved)


def _declarations(source: str, path: str) -> tuple[tuple[str, ...], int | None]:
    shed: tuple[str, ...] = ()
    count: int | None = None
    for match in _DECLARATION.finditer(source):
        line = source.count("\n", 0, match.start()) + 1
        kind, value = match.group(1), match.group(2).strip()
        if kind == "shed":
            shed = tuple(step.strip() for step in value.split(",") if step.strip())
            unknown = [step for step in shed if step not in SHED_STEPS]
            if unknown:
                raise TemplateError(
                    f"{path}:{line}: cannot shed {', '.join(unknown)}",
                    hint=f"shed steps are: {', '.join(sorted(SHED_STEPS))}",
                    path=path,
                    line=line,
                )
        elif value.isdigit():
            count = int(value)
        else:
            raise TemplateError(
                f"{path}:{line}: 'hashtags:' needs a whole number, got {value!r}",
                hint="e.g. {# hashtags: 3 #}",
                path=path,
                line=line,
            )
    return shed, count


def _template_line(exc: BaseException, filename: str | None) -> int | None:
    line = getattr(exc, "lineno", None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if filename and frame.filename == filename:
            line = frame.lineno
    return line if isinstance(line, int) else None


def _first_sentences(value: Any, count: int = 1) -> str:
    groups = getattr(value, "groups", None)
    if isinstance(groups, tuple):
        return " ".join(groups[: max(count, 1)])
    return first_sentences(str(value), count)


def _hashtags(value: Any) -> str:
    phrases = [value] if isinstance(value, str) else list(value)
    tags = (camel_case(str(phrase)) for phrase in phrases)
    return " ".join(tag for tag in tags if tag)


@jinja2.pass_context
def _tracked(context: jinja2.runtime.Context, url: str) -> str:
    tags: Mapping[str, str] = context.get("utm", {})
    return tracked_url(str(url), tags)
