"""Composer: each teaser's draft, fitting, warnings; one failure costs only itself."""

from __future__ import annotations

import pytest

from crosspost.settings import Settings
from crosspost.summaries.model import Paragraph, Summary
from crosspost.teasers import rules
from crosspost.teasers.compose import Composer
from crosspost.teasers.environment import teaser_environment
from crosspost.teasers.fit import FitError
from crosspost.teasers.model import Card, Teaser

TOO_LONG = "Relapses " + "were reduced and " * 20 + "remained low."
LONG = "Relapses fell by a third. " + " ".join(
    f"Secondary measure {n} also favoured the drug overall." for n in range(6)
)


def _composer(settings: Settings, *findings: str) -> Composer:
    summary = Summary(
        title="Research Summary: Fampridine and walking in MS",
        findings=tuple(
            Paragraph(number=n, text=text) for n, text in enumerate(findings, start=1)
        ),
    )
    return Composer(
        summary, settings, teaser_environment(settings.templates_dir), False
    )


def test_each_key_is_made_or_fails_on_its_own(settings: Settings) -> None:
    """A finding that cannot fit fails alone; the next finding's teaser is made."""
    made = _composer(settings, TOO_LONG, "Walking was faster.").variant(
        "x", "finding", rules.rule_for("x")
    )
    assert [key for key, _ in made] == ["finding-1", "finding-2"]
    assert isinstance(made[0][1], FitError)
    assert isinstance(made[1][1], Teaser)


def test_shed_sentences_are_counted_in_one_warning(settings: Settings) -> None:
    """Several sentences given up read as 'N sentences of FINDING #1'."""
    [(_, teaser)] = _composer(settings, LONG).variant("x", "recap", rules.rule_for("x"))
    assert isinstance(teaser, Teaser)
    [shortened] = [w for w in teaser.warnings if w.startswith("shortened")]
    assert "sentences of FINDING #1" in shortened
    assert "a sentence of FINDING #1, a sentence" not in shortened


def test_a_summary_without_url_warns_on_every_teaser(settings: Settings) -> None:
    """No URL means no link, which each teaser says."""
    made = _composer(settings, "Walking was faster.").variant(
        "facebook", "announce", rules.rule_for("facebook")
    )
    [(_, teaser)] = made
    assert isinstance(teaser, Teaser)
    assert teaser.link is None
    assert "the summary has no url, so this teaser has no link" in teaser.warnings


def _gapped(settings: Settings, third: str = "Relapses fell.") -> Composer:
    """A summary numbering its findings 1 and 3 (the parser only warns of the gap)."""
    summary = Summary(
        title="Research Summary: Fampridine and walking in MS",
        findings=(
            Paragraph(number=1, text="Walking was faster."),
            Paragraph(number=3, text=third),
        ),
    )
    return Composer(
        summary, settings, teaser_environment(settings.templates_dir), False
    )


@pytest.mark.parametrize(
    "platform", ["x", "facebook", "instagram", "linkedin", "youtube"]
)
def test_finding_n_of_m_counts_position_but_keys_keep_the_summary_number(
    settings: Settings, platform: str
) -> None:
    """FINDING #3 of a summary skipping #2 is 'Finding 2 of 2', keyed finding-3."""
    made = _gapped(settings).variant(platform, "finding", rules.rule_for(platform))
    assert [key for key, _ in made] == ["finding-1", "finding-3"]
    first, second = (teaser for _, teaser in made)
    assert isinstance(first, Teaser)
    assert isinstance(second, Teaser)
    assert "Finding 1 of 2" in first.text
    assert "Finding 2 of 2" in second.text
    assert "Finding 3" not in second.text
    assert second.key == "finding-3"


@pytest.mark.parametrize(
    ("platform", "label"),
    [("x", "2. Relapses"), ("facebook", "Finding 2: Relapses")]
    + [(p, "Finding 2: Relapses") for p in ("instagram", "linkedin", "youtube")],
)
def test_recap_numbers_findings_by_position(
    settings: Settings, platform: str, label: str
) -> None:
    """A recap lists a summary's findings 1 and 3 as its first and second."""
    [(_, recap)] = _gapped(settings).variant(
        platform, "recap", rules.rule_for(platform)
    )
    assert isinstance(recap, Teaser)
    assert label in recap.text
    assert "Finding 3" not in recap.text
    assert "3. " not in recap.text


def test_template_sees_position_and_the_summarys_own_number(
    settings: Settings,
) -> None:
    """`number` is the position, `summary_number` the summary's; likewise on items."""
    composer = _gapped(settings)
    [finding] = [f for f in composer.summary.findings if f.number == 3]
    link, tags = composer.link("x", "finding-3")
    draft = composer.draft(
        "x", "finding", key="finding-3", link=link, tags=tags, finding=finding
    )
    assert (draft.names["number"], draft.names["summary_number"]) == (2, 3)
    assert draft.content.finding is not None
    assert (draft.content.finding.number, draft.content.finding.summary_number) == (
        2,
        3,
    )
    assert [(i.number, i.summary_number) for i in draft.content.findings] == [
        (1, 1),
        (2, 3),
    ]


def test_messages_name_a_finding_as_the_summary_numbers_it(
    settings: Settings,
) -> None:
    """Warnings and errors say FINDING #3, the heading the editor will look for."""
    [(_, shortened)] = _gapped(settings, LONG + " " + LONG).variant(
        "facebook", "recap", rules.rule_for("x")
    )
    assert isinstance(shortened, Teaser)
    assert any("of FINDING #3" in w for w in shortened.warnings)
    [_, (_, failed)] = _gapped(settings, TOO_LONG).variant(
        "x", "finding", rules.rule_for("x")
    )
    assert isinstance(failed, FitError)
    assert "FINDING #3" in str(failed)


def test_cards_are_drawn_for_the_summarys_own_finding(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The card of finding-3 shows FINDING #3, whatever its position."""
    drawn: list[int | None] = []

    def fake_card(
        summary: Summary, platform: str, *, finding: Paragraph | None, branding: object
    ) -> Card:
        drawn.append(finding.number if finding else None)
        return Card(width=1, height=1, format="JPEG", data=b"x", alt_text="A card.")

    monkeypatch.setattr("crosspost.teasers.cards.make_card", fake_card)
    composer = _gapped(settings)
    composer.cards = True
    composer.variant("x", "finding", rules.rule_for("x"))
    assert drawn == [1, 3]
