"""Tests for settling a rehearsal's posts: what each refusal asks to fix."""

from __future__ import annotations

from crosspost.ledger.tables import PlannedPost
from crosspost.publish.outcome import Outcome
from crosspost.rehearsal.model import RehearsedPost
from crosspost.rehearsal.settle import (
    DUPLICATE_FIX,
    RATE_LIMIT_FIX,
    REFUSAL_FIX,
    refusal,
)
from crosspost.schedule.runner import Fired
from crosspost.teasers.model import Teaser, TeaserPart

from .conftest import START, summaries


def _refused(error: str) -> tuple[str, str | None]:
    summary = summaries()[0]
    teaser = Teaser(
        summary_id=summary.id,
        summary_title=summary.title,
        platform="x",
        variant="thread",
        key="thread",
        parts=(TeaserPart(text="1/2 A post", count=10),),
        limit=280,
    )
    post = RehearsedPost(summary, summary.id, teaser, True, due_at=START)
    row = PlannedPost(
        summary_id=summary.id,
        platform="x",
        variant="thread",
        key="thread",
        due_at=START,
    )
    outcome = Outcome("x", "thread", "thread", "failed", error=error)
    problem = refusal(post, Fired(row, START, outcome, teaser))
    assert problem.kind == "send"
    assert (problem.platform, problem.key, problem.due_at) == ("x", "thread", START)
    return problem.message, problem.fix


def test_each_refusal_says_what_to_change() -> None:
    """A duplicate, a rate limit and any other refusal each get their own fix, and the
    message names the post and the platform's words."""
    message, fix = _refused("refused: You are not allowed to create a duplicate Tweet")
    assert message == (
        "x thread: failed: refused: You are not allowed to create a duplicate Tweet"
    )
    assert fix == DUPLICATE_FIX
    assert _refused("rate limited until 2027-05-03 12:00 UTC: too many")[1] == (
        RATE_LIMIT_FIX
    )
    assert _refused("refused: the text is not allowed")[1] == REFUSAL_FIX
