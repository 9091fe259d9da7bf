"""render_teasers: every platform and variant, from templates, fitted, counted."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from crosspost.errors import UsageError
from crosspost.settings import Settings
from crosspost.summaries.model import Paragraph, Summary
from crosspost.teasers import rules
from crosspost.teasers.fit import FitError
from crosspost.teasers.model import Card, Teaser
from crosspost.teasers.render import render_teasers

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
URL = "https://example.org/summaries/vitamin-d-relapses"


def _summary(**changes: object) -> Summary:
    fields: dict[str, object] = {
        "title": "Research Summary: High-dose vitamin D and relapses in MS: a trial",
        "what": "A two-year trial of vitamin D against placebo in 180 adults with MS.",
        "who": "Neurologists at four hospitals in Norway.",
        "findings": (
            Paragraph(
                number=1, text="Relapses fell by a third with vitamin D (p = 0.03)."
            ),
            Paragraph(
                number=2,
                text="New lesions were fewer. However, disability did not change.",
            ),
            Paragraph(number=3, text="Side effects were mild and rare."),
        ),
        "thoughts": (
            Paragraph(number=1, text="The trial was small. It may not generalise."),
        ),
        "url": URL,
        "tags": ("multiple sclerosis", "vitamin D"),
    }
    fields.update(changes)
    return Summary.model_validate(fields)


@pytest.fixture
def settings(isolated: Path) -> Settings:
    return Settings(templates_dir=TEMPLATES)


def _by_key(teasers: list[Teaser], platform: str) -> dict[str, Teaser]:
    return {t.key: t for t in teasers if t.platform == platform}


def test_default_variants_per_platform(settings: Settings) -> None:
    """X gets announce, a teaser per finding, recap and thread; others no thread."""
    teasers = render_teasers(_summary(), settings)
    assert list(_by_key(teasers, "x")) == [
        "announce", "finding-1", "finding-2", "finding-3", "recap", "thread",
    ]  # fmt: skip
    for platform in ("facebook", "instagram", "linkedin", "youtube"):
        assert "thread" not in _by_key(teasers, platform)
        assert "finding-3" in _by_key(teasers, platform)


def test_every_part_is_counted_by_its_rule_and_fits(settings: Settings) -> None:
    """Each part's count is its rule's count of the wire text, within the limit."""
    for teaser in render_teasers(_summary(), settings):
        rule = rules.rule_for(teaser.platform)
        assert teaser.limit == rule.limit
        for part in teaser.parts:
            assert part.count == rule.count(part.text) <= rule.limit
            assert rule.problems(part.text) == []


def test_finding_teaser_says_which_finding(settings: Settings) -> None:
    """The finding variant says 'Finding 2 of 3' and carries that finding whole."""
    teaser = _by_key(
        render_teasers(_summary(), settings, platforms=["facebook"]), "facebook"
    )["finding-2"]
    assert teaser.variant == "finding"
    assert "Finding 2 of 3" in teaser.text
    assert "New lesions were fewer. However, disability did not change." in teaser.text


def test_thread_is_announce_plus_one_reply_per_finding(settings: Settings) -> None:
    """An X thread is one teaser: the announce post, then a reply per finding."""
    thread = render_teasers(_summary(), settings, platforms=["x"], variants=["thread"])[
        0
    ]
    assert thread.key == "thread"
    assert len(thread.parts) == 4
    assert "New research summary" in thread.parts[0].text
    assert "Finding 3 of 3" in thread.parts[3].text
    assert all(part.count <= thread.limit for part in thread.parts)


def test_links_carry_utm_tags_per_platform_and_key(settings: Settings) -> None:
    """The link is the summary URL tagged with platform and teaser key."""
    teasers = _by_key(
        render_teasers(_summary(), settings, platforms=["linkedin"]), "linkedin"
    )
    link = teasers["finding-2"].link
    assert link is not None
    assert link.startswith(URL + "?")
    assert "utm_source=linkedin" in link
    assert "utm_content=finding-2" in link
    assert f"utm_campaign={_summary().id}" in link


def test_instagram_caption_has_no_url_but_says_where(settings: Settings) -> None:
    """Instagram captions use the configured wording, not an unclickable link."""
    settings.teasers.instagram_link_wording = (
        "The full summary is on our website (see bio)."
    )
    for teaser in render_teasers(_summary(), settings, platforms=["instagram"]):
        assert not re.search(r"https?://|example\.org", teaser.text)
        assert "The full summary is on our website" in teaser.text
        assert teaser.link is not None


def test_linkedin_parts_hold_the_escaped_wire_text(settings: Settings) -> None:
    """LinkedIn text is written plainly; parts hold the escaped text as sent."""
    teaser = _by_key(
        render_teasers(_summary(), settings, platforms=["linkedin"]), "linkedin"
    )["finding-1"]
    assert "\\(p = 0.03\\)" in teaser.text
    assert teaser.count == rules.rule_for("linkedin").count(teaser.text)


def test_summary_without_url_gives_teasers_without_link(settings: Settings) -> None:
    """No URL is not an error: no link, and a warning saying so."""
    teasers = render_teasers(_summary(url=None), settings, platforms=["x", "facebook"])
    assert teasers
    for teaser in teasers:
        assert teaser.link is None
        assert "http" not in teaser.text
        assert any("no url" in warning for warning in teaser.warnings)


def test_hashtags_are_camel_case_and_capped(settings: Settings) -> None:
    """Tags come from settings, then the summary, in CamelCase, capped."""
    settings.teasers.hashtags = ["MSResearch", "ms research"]
    teasers = render_teasers(
        _summary(), settings, platforms=["facebook"], variants=["announce"]
    )
    assert teasers[0].hashtags == ("#MSResearch", "#MultipleSclerosis", "#VitaminD")
    assert teasers[0].text.endswith("#MSResearch #MultipleSclerosis #VitaminD")


def test_explicit_thread_for_a_platform_without_threads_is_an_error(
    settings: Settings,
) -> None:
    """A thread for Facebook alone is a usage error; with X it is skipped."""
    with pytest.raises(UsageError, match="thread"):
        render_teasers(
            _summary(), settings, platforms=["facebook"], variants=["thread"]
        )
    teasers = render_teasers(
        _summary(), settings, platforms=["x", "facebook"], variants=["thread"]
    )
    assert [(t.platform, t.key) for t in teasers] == [("x", "thread")]


@pytest.mark.parametrize(
    ("platforms", "variants"), [(["mastodon"], None), (["x"], ["teaser"])]
)
def test_unknown_names_are_usage_errors(
    settings: Settings, platforms: list[str], variants: list[str] | None
) -> None:
    """An unknown platform or variant is refused with the valid choices."""
    with pytest.raises(UsageError, match="choose from"):
        render_teasers(_summary(), settings, platforms=platforms, variants=variants)


def test_disabled_platforms_are_skipped_by_default(settings: Settings) -> None:
    """Without a platform list, only enabled platforms are rendered."""
    settings.youtube.enabled = False
    platforms = {t.platform for t in render_teasers(_summary(), settings)}
    assert platforms == {"x", "facebook", "instagram", "linkedin"}


def test_summary_without_findings_gets_an_announce_only(settings: Settings) -> None:
    """With no findings there is nothing to recap, thread or tease one by one."""
    teasers = render_teasers(_summary(findings=()), settings, platforms=["x"])
    assert [t.key for t in teasers] == ["announce"]


def test_long_finding_is_shortened_at_sentence_boundaries(settings: Settings) -> None:
    """A long finding on X loses whole later sentences, never a qualifier."""
    long_text = (
        "People taking vitamin D had a third fewer relapses over two years than "
        "those on placebo. However, this was not true for people over fifty. "
        + " ".join(
            f"Secondary measure {n} also favoured vitamin D overall." for n in range(6)
        )
    )
    summary = _summary(findings=(Paragraph(number=1, text=long_text),))
    teaser = render_teasers(summary, settings, platforms=["x"], variants=["finding"])[0]
    assert "However, this was not true for people over fifty." in teaser.text
    assert "Secondary measure 5" not in teaser.text
    assert any("shortened to fit" in warning for warning in teaser.warnings)


def test_finding_that_cannot_fit_is_a_fit_error(settings: Settings) -> None:
    """A single sentence longer than X allows cannot be cut, so it is an error."""
    sentence = "Relapses " + "were reduced and " * 30 + "remained low."
    summary = _summary(findings=(Paragraph(number=1, text=sentence),))
    with pytest.raises(FitError, match=r"x finding-1: \d+ over the x limit") as info:
        render_teasers(summary, settings, platforms=["x"], variants=["finding"])
    assert "FINDING #1" in str(info.value)
    assert "x/finding.j2" in str(info.value)


def test_all_fit_errors_are_reported_together(settings: Settings) -> None:
    """Several teasers that cannot fit are listed in one error."""
    sentence = "Relapses " + "were reduced and " * 30 + "remained low."
    summary = _summary(findings=(Paragraph(number=1, text=sentence),))
    with pytest.raises(FitError, match="teasers do not fit") as info:
        render_teasers(summary, settings, platforms=["x"])
    assert "x announce" in str(info.value)
    assert "x finding-1" in str(info.value)


def test_wording_comes_from_the_templates(settings: Settings, tmp_path: Path) -> None:
    """Changing a template changes the post: no wording is fixed in code."""
    templates = tmp_path / "my-templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "facebook" / "announce.j2").write_text(
        "Fresh from the lab: {{ title }} ({{ total }} findings)\n", encoding="utf-8"
    )
    custom = Settings(templates_dir=templates)
    teaser = render_teasers(
        _summary(), custom, platforms=["facebook"], variants=["announce"]
    )[0]
    assert teaser.text == (
        "Fresh from the lab: High-dose vitamin D and relapses in MS: a trial "
        "(3 findings)"
    )


def test_cards_are_made_only_when_asked(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With cards=True each teaser gets the card make_card returns, for its finding."""
    calls: list[tuple[str, int | None]] = []

    def fake_card(
        summary: Summary, platform: str, *, finding: Paragraph | None, branding: object
    ) -> Card:
        calls.append((platform, finding.number if finding else None))
        return Card(width=1, height=1, format="JPEG", data=b"x", alt_text="A card.")

    monkeypatch.setattr("crosspost.teasers.cards.make_card", fake_card)
    without = render_teasers(
        _summary(), settings, platforms=["x"], variants=["finding"]
    )
    assert all(t.card is None for t in without)
    assert calls == []
    with_cards = render_teasers(
        _summary(), settings, platforms=["x"], variants=["finding"], cards=True
    )
    assert all(t.card is not None and t.card.alt_text == "A card." for t in with_cards)
    assert calls == [("x", 1), ("x", 2), ("x", 3)]
