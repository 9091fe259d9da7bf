"""The names crosspost gives every teaser template, and a check that a template uses no
other. Rendering finds a misspelt name only where a summary takes that branch
(`{% if link %}{{ lnk }}{% endif %}` passes for a summary with no URL); reading the
template finds it always, with its line."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import jinja2
from jinja2 import meta, nodes

from crosspost.teasers.environment import (
    TeaserEnvironment,
    TemplateError,
    syntax_error,
)

# What Composer.draft and Content.names give, and what threads and chains add; the
# table "Names a template can use" in templates/README.md describes each.
PROVIDED: frozenset[str] = frozenset(
    {
        "title", "intro", "what", "who", "where", "when",
        "backgrounds", "findings", "thoughts", "finding", "headline", "hashtags",
        "platform", "variant", "key", "link", "link_wording", "utm",
        "organisation", "summary_id", "published", "number", "summary_number",
        "total", "thread", "part", "parts", "piece", "pieces",
    }
)  # fmt: skip


@dataclass(frozen=True)
class UnknownName:
    """A name a template uses that it is never given, where, and the likely one."""

    name: str
    line: int
    suggestion: str | None


def unknown_names(
    environment: TeaserEnvironment, platform: str, variant: str
) -> list[UnknownName]:
    """Each name `platform`/`variant`'s template reads but is never given, at each line
    it is read on (none when the template does not exist)."""
    jinja = environment.jinja
    name = f"{platform}/{variant}.j2"
    try:
        source, _, _ = jinja.loader.get_source(jinja, name)  # type: ignore[union-attr]
    except jinja2.TemplateNotFound:
        return []
    path = environment.path_of(platform, variant)
    try:
        tree = jinja.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        raise syntax_error(exc, path) from None
    known = PROVIDED | set(jinja.globals)
    unknown = meta.find_undeclared_variables(tree) - known
    found: dict[tuple[str, int], UnknownName] = {}
    for node in tree.find_all(nodes.Name):
        if node.ctx == "load" and node.name in unknown:
            close = difflib.get_close_matches(node.name, sorted(PROVIDED), n=1)
            found.setdefault(
                (node.name, node.lineno),
                UnknownName(node.name, node.lineno, close[0] if close else None),
            )
    return sorted(found.values(), key=lambda u: (u.line, u.name))


def unknown_name_error(path: str, unknown: UnknownName) -> TemplateError:
    """The TemplateError that names `unknown` at its line of `path`."""
    guess = f"did you mean {unknown.suggestion!r}? " if unknown.suggestion else ""
    return TemplateError(
        f"{path}:{unknown.line}: {unknown.name!r} is not a name templates are given",
        hint=f"{guess}templates/README.md lists the names a template can use",
        path=path,
        line=unknown.line,
    )
