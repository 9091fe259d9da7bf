"""Tests for rendering every post of a summary: each variant on its own, a template's
mistake costing only its variant, and each template read for unknown names."""

from __future__ import annotations

from pathlib import Path

from crosspost.rehearsal.render import check_templates, render_summary, variants_of
from crosspost.teasers.card_cache import CardCache
from crosspost.teasers.environment import TeaserEnvironment

from .conftest import PLATFORMS, break_template, settings_for, summaries


def test_every_platform_gets_every_variant_it_has(isolated: Path) -> None:
    """Announce, each finding and recap everywhere; the thread on X only; each with
    its card."""
    settings = settings_for(isolated)
    environment = TeaserEnvironment(settings.templates_dir)
    cards = CardCache(settings.branding, None)
    summary = summaries()[1]
    made = render_summary(summary, settings, environment, PLATFORMS, cards.card)
    assert made.problems == []
    keys = {(t.platform, t.key) for t in made.teasers}
    for platform in PLATFORMS:
        expected = {"announce", "finding-1", "finding-2", "finding-3", "recap"}
        if platform == "x":
            expected.add("thread")
        assert {key for p, key in keys if p == platform} == expected
    assert all(teaser.card is not None for teaser in made.teasers)
    assert variants_of("x") == ["announce", "finding", "recap", "thread"]
    assert variants_of("linkedin") == ["announce", "finding", "recap"]


def test_a_broken_variant_costs_only_itself(
    isolated: Path, templates_copy: Path
) -> None:
    """A template that fails to render is a problem of its variant, marked broken;
    the platform's other variants are still rendered."""
    line = break_template(templates_copy, "facebook", "recap", "{{ titel }}")
    settings = settings_for(isolated, templates_copy)
    environment = TeaserEnvironment(templates_copy)
    made = render_summary(
        summaries()[0],
        settings,
        environment,
        ["facebook"],
        CardCache(settings.branding, None).card,
    )
    [problem] = made.problems
    assert (problem.kind, problem.platform, problem.variant) == (
        "template",
        "facebook",
        "recap",
    )
    assert problem.line == line
    assert made.broken == {("facebook", "recap")}
    assert {t.key for t in made.teasers} == {"announce", "finding-1", "finding-2"}


def test_a_missing_template_and_unknown_names_are_each_a_problem(
    templates_copy: Path,
) -> None:
    """Reading the templates finds a missing one, and every unknown name at its
    line, across platforms."""
    (templates_copy / "instagram" / "recap.j2").unlink()
    first = break_template(templates_copy, "x", "announce", "{{ lnk }}")
    second = break_template(templates_copy, "x", "announce", "{{ hashtgs }}")
    problems = check_templates(TeaserEnvironment(templates_copy), PLATFORMS)
    found = [(p.platform, p.variant, p.line) for p in problems]
    assert found == [
        ("x", "announce", first),
        ("x", "announce", second),
        ("instagram", "recap", None),
    ]
    missing = next(p for p in problems if p.platform == "instagram")
    assert missing.message.startswith("no template")
    assert missing.file is not None
    assert missing.file.endswith("instagram/recap.j2")
