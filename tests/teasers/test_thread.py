"""X threads: a long finding goes on over the next replies, split between sentences
(and a too-long sentence at a clause boundary)."""

from __future__ import annotations

import re

from crosspost.settings import Settings
from crosspost.summaries.model import Paragraph, Summary
from crosspost.teasers import rules
from crosspost.teasers.fit import FitError
from crosspost.teasers.render import render_all, render_teasers

# Plain detail sentences (no caveat cue), so the finding can be split between them.
LONG = (
    "Over two years, people taking the remyelinating drug lost 0.21% of brain volume "
    "a year, against 0.38% on placebo. However, this difference was not significant "
    "after adjusting for age (p = 0.07). Walking speed over 25 feet was 8% better "
    "with the drug at the end of the trial. Hand function, measured with the "
    "nine-hole peg test, improved by 2.1 seconds. Visual evoked potentials were "
    "1.9 ms faster in treated eyes, which points to repair of the optic nerve. "
    "Fatigue scores were steady over the two years. The most common side effect was "
    "mild tiredness, reported by 14 of 60 treated people."
)


def _summary(*findings: str) -> Summary:
    return Summary(
        title="Research Summary: A remyelinating drug in relapsing MS: a phase 2 trial",
        findings=tuple(
            Paragraph(number=n, text=text) for n, text in enumerate(findings, start=1)
        ),
        url="https://example.org/summaries/remyelination-phase-2",
        tags=("multiple sclerosis",),
    )


def _thread(settings: Settings, summary: Summary) -> list[str]:
    teaser = render_teasers(summary, settings, platforms=["x"], variants=["thread"])[0]
    rule = rules.rule_for("x")
    assert all(part.count == rule.count(part.text) <= 280 for part in teaser.parts)
    return [part.text for part in teaser.parts]


def test_long_finding_is_carried_whole_over_several_replies(
    settings: Settings,
) -> None:
    """No sentence is dropped: the replies together hold every sentence, in order."""
    parts = _thread(settings, _summary(LONG, "Relapses were rare in both groups."))
    replies = parts[1:]
    assert len(replies) > 2
    carried = " ".join(re.sub(r"^.*?: ", "", reply, count=1) for reply in replies)
    assert carried == LONG + " Relapses were rare in both groups."


def test_replies_are_numbered_consistently(settings: Settings) -> None:
    """Each reply starts 'k/n' with n the thread's length, and says which finding."""
    parts = _thread(settings, _summary(LONG, "Relapses were rare in both groups."))
    total = len(parts)
    for number, reply in enumerate(parts[1:], start=2):
        assert reply.startswith(f"{number}/{total} Finding ")
    pieces = [reply for reply in parts[1:] if "Finding 1 of 2" in reply]
    for piece, reply in enumerate(pieces, start=1):
        assert f"Finding 1 of 2 ({piece} of {len(pieces)}): " in reply
    assert "Finding 2 of 2: Relapses" in parts[-1]


def test_a_caveat_may_start_a_reply_as_nothing_is_dropped(settings: Settings) -> None:
    """Splitting drops nothing, so a 'However' may open a reply: binding a caveat to
    its claim matters when shedding, not when splitting."""
    parts = _thread(settings, _summary(LONG))
    carried = " ".join(re.sub(r"^.*?: ", "", reply, count=1) for reply in parts[1:])
    assert carried == LONG


def test_short_findings_take_one_reply_each(settings: Settings) -> None:
    """Findings that fit are not split, and carry no piece numbers."""
    parts = _thread(settings, _summary("Lesions fell.", "Relapses fell."))
    assert parts[1:] == [
        "2/3 Finding 1 of 2: Lesions fell.",
        "3/3 Finding 2 of 2: Relapses fell.",
    ]


def test_head_post_leaves_the_headline_to_the_replies(settings: Settings) -> None:
    """The first post announces the thread; the findings follow in the replies."""
    parts = _thread(settings, _summary(LONG))
    assert "Headline finding" not in parts[0]
    assert "The finding is below." in parts[0]
    two = _thread(settings, _summary(LONG, "Lesions fell."))
    assert "The 2 findings, one by one, below." in two[0]
    assert "https://example.org/summaries/remyelination-phase-2?" in parts[0]


def test_sentence_without_clause_boundary_is_a_fit_error(settings: Settings) -> None:
    """One sentence too long for a reply, with no ; : , or dash to go on from, names
    the finding and the sentence."""
    sentence = "Relapses " + "were reduced and " * 20 + "remained low."
    rendered = render_all(
        _summary("Lesions fell.", sentence),
        settings,
        platforms=["x"],
        variants=["thread"],
    )
    assert rendered.teasers == []
    [error] = rendered.failures
    assert isinstance(error, FitError)
    assert (error.platform, error.variant, error.key) == ("x", "thread", "thread")
    assert error.message == (
        "x thread: a sentence of FINDING #2 does not fit one post and has no clause "
        "boundary (; : , or a dash) to go on from"
    )
    assert "“Relapses were reduced and were reduced and" in str(error.hint)
    assert "x/thread.j2" in str(error.hint)


def test_sentence_longer_than_a_post_goes_on_at_a_clause_boundary(
    settings: Settings,
) -> None:
    """A 400-character sentence is cut after a comma, marked '…' on both sides."""
    sentence = (
        ", and ".join(
            f"walking speed in group {n} rose by {n + 3}% over the two years"
            for n in range(8)
        ).capitalize()
        + "."
    )
    parts = _thread(settings, _summary(sentence))
    replies = [re.sub(r"^.*?: ", "", reply, count=1) for reply in parts[1:]]
    assert len(replies) >= 2
    assert replies[0].endswith(" …")
    assert replies[1].startswith("… ")
    joined = " ".join(r.removeprefix("… ").removesuffix(" …") for r in replies)
    assert joined == sentence


def test_thread_numbers_widen_without_pushing_a_reply_over(settings: Settings) -> None:
    """With ten or more posts, the wider 'k/nn' numbers still fit every reply."""
    sentence = "Relapse rates were lower with the drug in the subgroup of people " * 3
    findings = [sentence.strip() + f" in region {n}." for n in range(12)]
    parts = _thread(settings, _summary(*findings))
    assert len(parts) == 13
    assert parts[-1].startswith("13/13 Finding 12 of 12: ")


def test_a_finding_that_fits_one_reply_is_not_measured_as_split(
    settings: Settings,
) -> None:
    """A finding filling its reply to 278 of 280 is not split for want of a label."""
    sentence = "Relapses fell" + " and stayed low" * 15 + " in the treated arm."
    reply = f"2/2 Finding 1 of 1: {sentence}"
    assert rules.rule_for("x").count(reply) == 278
    assert _thread(settings, _summary(sentence))[1:] == [reply]


def test_replies_number_findings_by_position_when_the_summary_skips_one(
    settings: Settings,
) -> None:
    """Findings numbered 1 and 3 read 'Finding 1 of 2' and 'Finding 2 of 2'."""
    summary = _summary("Lesions fell.", "Relapses fell.").model_copy(
        update={
            "findings": (
                Paragraph(number=1, text="Lesions fell."),
                Paragraph(number=3, text="Relapses fell."),
            )
        }
    )
    assert _thread(settings, summary)[1:] == [
        "2/3 Finding 1 of 2: Lesions fell.",
        "3/3 Finding 2 of 2: Relapses fell.",
    ]
