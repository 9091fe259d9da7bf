"""The headline finding: chosen explicitly, else the first that reports a result."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosspost.errors import UsageError
from crosspost.settings import Settings
from crosspost.summaries.model import Paragraph, Summary
from crosspost.summaries.parse import parse_summary
from crosspost.teasers.headline import headline_finding, reports_result
from crosspost.teasers.render import render_teasers

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "summaries"


def _summary(*texts: str, headline: int | None = None) -> Summary:
    return Summary(
        title="Research Summary: A trial",
        findings=tuple(
            Paragraph(number=n, text=text) for n, text in enumerate(texts, start=1)
        ),
        headline=headline,
    )


@pytest.mark.parametrize(
    "text",
    [
        "The primary finding was a drop in relapses.",
        "Relapses were reduced with the drug.",
        "Exercise showed a benefit on fatigue.",
        "Vitamin D levels were associated with fewer relapses.",
        "21% of the treated group relapsed.",
        "Walking was faster than on placebo.",
        "Signal delay shortened compared with placebo.",
        "Fatigue fell by 11 points.",
    ],
)
def test_result_cues(text: str) -> None:
    """Main finding, showed, reduced, associated with, a percentage, a comparison."""
    assert reports_result(text)


@pytest.mark.parametrize(
    "text",
    [
        "Sixty-four people took part: 32 received stem cells, 32 a placebo.",
        "288 adults diagnosed within two years took part.",
        "Each took the drug for 90 days and a placebo for 90 days, in random order.",
    ],
)
def test_who_took_part_is_not_a_result(text: str) -> None:
    """Describing the participants reports no result."""
    assert not reports_result(text)


def test_the_first_finding_that_reports_a_result_leads() -> None:
    """FINDING #1 describing who took part is passed over for the first result."""
    summary = _summary("Sixty people took part.", "Relapses fell by 30%.", "Safe.")
    assert headline_finding(summary) == summary.findings[1]
    assert (
        headline_finding(_summary("Sixty took part.", "Safe."))
        == (_summary("Sixty took part.", "Safe.").findings[0])
    )


def test_an_explicit_choice_wins_and_a_missing_number_is_a_usage_error() -> None:
    """The argument beats the summary's `headline`, which beats the rule."""
    summary = _summary("Took part.", "Fell by 30%.", "Rose by 5%.", headline=3)
    assert headline_finding(summary).number == 3  # type: ignore[union-attr]
    assert headline_finding(summary, 1).number == 1  # type: ignore[union-attr]
    with pytest.raises(UsageError, match=r"no FINDING #9 .*#1, #2, #3"):
        headline_finding(summary, 9)


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("vitamin-d.md", 2),
        ("stem-cells.txt", 3),
        ("fatigue-exercise.txt", 2),
        ("remyelination.html", 2),
    ],
)
def test_the_examples_lead_with_a_result(name: str, number: int) -> None:
    """None of the example summaries leads with who took part."""
    path = EXAMPLES / name
    summary = parse_summary(path.read_bytes(), str(path))
    assert headline_finding(summary).number == number  # type: ignore[union-attr]


def test_render_takes_the_headline_and_cards_use_it(settings: Settings) -> None:
    """`headline=N` puts FINDING #N in the announce, and the announce card shows it."""
    summary = _summary("Took part.", "Fell by 30%.", "Rose by 5% in women.")
    [announce] = render_teasers(
        summary, settings, platforms=["facebook"], variants=["announce"], headline=3
    )
    assert "The headline finding: Rose by 5% in women." in announce.text
    [default] = render_teasers(
        summary,
        settings,
        platforms=["facebook"],
        variants=["announce"],
        cards=True,
        card_maker=lambda s, p, f: _card(f),
    )
    assert "The headline finding: Fell by 30%." in default.text
    assert default.card is not None
    assert default.card.alt_text == "finding 2"


def _card(finding: Paragraph | None) -> object:
    from crosspost.teasers.model import Card

    number = finding.number if finding else None
    return Card(width=1, height=1, format="PNG", data=b"", alt_text=f"finding {number}")
