"""The names a template is given, and finding a name it is not given, line and all."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from crosspost.settings import Settings
from crosspost.summaries.model import Paragraph, Summary
from crosspost.teasers.compose import Composer
from crosspost.teasers.environment import TeaserEnvironment, TemplateError
from crosspost.teasers.model import PLATFORMS, VARIANTS
from crosspost.teasers.render import offers
from crosspost.teasers.template_names import (
    PROVIDED,
    unknown_name_error,
    unknown_names,
)

ROOT = Path(__file__).resolve().parents[2]
SUMMARY = Summary(
    title="Research Summary: Balance training on a tablet in multiple sclerosis",
    intro="A look at a home balance course.",
    what="A trial of a tablet-guided balance course.",
    findings=(Paragraph(number=1, text="Falls were fewer in the trained group."),),
    url="https://example.org/balance",
)


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", folder)
    return folder


def test_provided_names_are_the_names_a_draft_is_given(settings: Settings) -> None:
    """PROVIDED is exactly what a draft's names and content give, with the thread's."""
    environment = TeaserEnvironment(ROOT / "templates")
    composer = Composer(SUMMARY, settings, environment, False)
    link, tags = composer.link("x", "finding-1")
    draft = composer.draft(
        "x", "finding", key="finding-1", link=link, tags=tags, finding=None
    )
    given = {*draft.names, *draft.content.names()}
    given |= {"thread", "part", "parts", "piece", "pieces"}
    assert given == PROVIDED


def test_the_project_templates_use_only_given_names() -> None:
    """No template in templates/ reads a name it is never given."""
    environment = TeaserEnvironment(ROOT / "templates")
    for platform in PLATFORMS:
        for variant in VARIANTS:
            if offers(platform, variant):
                assert unknown_names(environment, platform, variant) == []


def test_a_typo_is_found_with_its_line_and_the_likely_name(tmp_path: Path) -> None:
    """`{{ lnk }}` inside `{% if link %}`, which no summary without a URL renders, is
    still found, at its line, with `link` suggested."""
    folder = _copy(tmp_path)
    path = folder / "x" / "recap.j2"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append("{% if link %}{{ lnk }}{% endif %}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    environment = TeaserEnvironment(folder)
    found = unknown_names(environment, "x", "recap")
    assert [(u.name, u.line, u.suggestion) for u in found] == [
        ("lnk", len(lines), "link")
    ]
    error = unknown_name_error(environment.path_of("x", "recap"), found[0])
    assert isinstance(error, TemplateError)
    assert error.path is not None
    assert error.path.endswith("x/recap.j2")
    assert error.line == len(lines)
    assert f"recap.j2:{len(lines)}: 'lnk'" in error.message
    assert error.hint is not None
    assert "did you mean 'link'" in error.hint


def test_set_and_loop_names_are_not_unknown(tmp_path: Path) -> None:
    """Names a template sets itself, loop variables and Jinja's globals are fine."""
    folder = tmp_path / "templates"
    (folder / "facebook").mkdir(parents=True)
    (folder / "facebook" / "recap.j2").write_text(
        "{% set heading = title %}{{ heading }}\n"
        "{% for item in findings %}{{ loop.index }} {{ item }}{% endfor %}\n"
        "{{ range(3) | list | length }} {{ nonsense }}\n",
        encoding="utf-8",
    )
    found = unknown_names(TeaserEnvironment(folder), "facebook", "recap")
    assert [(u.name, u.line) for u in found] == [("nonsense", 3)]
    assert found[0].suggestion is None


def test_a_template_that_does_not_compile_is_a_template_error(tmp_path: Path) -> None:
    """A syntax error is reported with its file and line, not as unknown names."""
    folder = tmp_path / "templates"
    (folder / "x").mkdir(parents=True)
    (folder / "x" / "announce.j2").write_text("{{ title }}\n{% if %}\n")
    with pytest.raises(TemplateError) as caught:
        unknown_names(TeaserEnvironment(folder), "x", "announce")
    assert caught.value.line == 2
    assert caught.value.path is not None
    assert caught.value.path.endswith("x/announce.j2")


def test_a_missing_template_has_no_unknown_names(tmp_path: Path) -> None:
    """A template that does not exist is for rendering to report, not this check."""
    (tmp_path / "templates").mkdir()
    environment = TeaserEnvironment(tmp_path / "templates")
    assert unknown_names(environment, "x", "thread") == []
