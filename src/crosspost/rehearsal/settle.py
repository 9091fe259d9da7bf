"""What became of each post of a rehearsal: its slot from the scratch ledger, the
sandbox's answer from what the runner fired, and a problem, with what to fix, for each
refusal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from crosspost.errors import CrosspostError
from crosspost.ledger.tables import PlannedPost
from crosspost.publish.outcome import DONE
from crosspost.rehearsal.model import Answer, Problem, Rehearsal, RehearsedPost
from crosspost.rehearsal.render import SummaryPosts
from crosspost.schedule.planning import wanted_posts
from crosspost.schedule.runner import Fired
from crosspost.settings import Settings
from crosspost.summaries.model import Summary
from crosspost.teasers.model import PLATFORMS

RATE_LIMIT_FIX = (
    "the platform would refuse this many posts so close together: lower "
    "schedule.daily_cap or take out slots for this platform"
)
DUPLICATE_FIX = (
    "the platform refuses a post identical to one already posted: make this post "
    "differ (on X each reply of a thread counts, so a sentence repeated across "
    "findings can collide), in the summary or the template"
)
REFUSAL_FIX = (
    "the platform would refuse this post as it stands: change the summary or the "
    "template (`crosspost render` shows the post as sent)"
)


def settle(
    rehearsal: Rehearsal,
    settings: Settings,
    made: Sequence[SummaryPosts],
    *,
    rows: Sequence[PlannedPost],
    fired: Sequence[Fired],
    scratch_folder: Path,
) -> None:
    """Each teaser as a rehearsed post, with its slot and the sandbox's answer; each
    refusal a problem, and each post that cannot fit given its slot."""
    by_key = {(row.summary_id, row.platform, row.key): row for row in rows}
    last: dict[tuple[str, str, str], Fired] = {}
    for one in fired:
        last[(one.row.summary_id, one.row.platform, one.row.key)] = one
    posts: list[tuple[tuple[int, int, bool, float, int], RehearsedPost]] = []
    for index, summary_posts in enumerate(made):
        summary = summary_posts.summary
        summary_id = summary.id
        campaign = _campaign_keys(summary, settings, rehearsal.platforms)
        for order, teaser in enumerate(summary_posts.teasers):
            key = (summary_id, teaser.platform, teaser.key)
            row = by_key.get(key)
            sent = last.get(key)
            local = _local(row)
            post = RehearsedPost(
                summary=summary,
                summary_id=summary_id,
                teaser=sent.teaser if sent and sent.teaser else teaser,
                in_campaign=(teaser.platform, teaser.key) in campaign,
                due_at=row.due_at if row else None,
                local_time=local,
                zone=row.zone if row else None,
                answer=_answer(sent, scratch_folder) if sent else None,
                planned=row is not None,
            )
            rank = (
                index,
                PLATFORMS.index(teaser.platform),
                row is None,
                row.due_at.timestamp() if row else 0.0,
                order,
            )
            posts.append((rank, post))
            if sent is not None and sent.outcome.status not in DONE:
                rehearsal.problems.append(refusal(post, sent))
    posts.sort(key=lambda ranked: ranked[0])
    rehearsal.posts = [post for _, post in posts]
    rehearsal.problems = [_with_slot(p, by_key) for p in rehearsal.problems]


def _campaign_keys(
    summary: Summary, settings: Settings, platforms: Sequence[str]
) -> set[tuple[str, str]]:
    """The (platform, key) of each post the summary's campaign makes."""
    try:
        wanted = wanted_posts(summary, settings, platforms, summary.finding_order)
    except CrosspostError:
        return set()  # a finding order the summary does not fit: a plan problem
    return {(post.platform, post.key) for posts in wanted.values() for post in posts}


def _local(row: PlannedPost | None) -> datetime | None:
    if row is None:
        return None
    return row.due_at.astimezone(ZoneInfo(row.zone))


def _answer(sent: Fired, scratch_folder: Path) -> Answer:
    outcome = sent.outcome
    handoff = outcome.handoff_path
    if handoff and Path(handoff).is_relative_to(scratch_folder):
        handoff = str(Path(handoff).relative_to(scratch_folder))
    return Answer(
        status=outcome.status,
        fired_at=sent.fired_at,
        post_id=outcome.post_id,
        url=outcome.url,
        handoff=handoff,
        error=outcome.error if outcome.status not in DONE else None,
    )


def refusal(post: RehearsedPost, sent: Fired) -> Problem:
    """The problem of a post the sandbox refused, or whose answer was lost, with what
    to change for the platform to take it."""
    error = sent.outcome.error or sent.outcome.status
    fix = REFUSAL_FIX
    if "rate limit" in error.lower():
        fix = RATE_LIMIT_FIX
    elif "duplicate" in error.lower():
        fix = DUPLICATE_FIX
    teaser = post.teaser
    return Problem(
        "send",
        f"{teaser.platform} {teaser.key}: {sent.outcome.status}: {error}",
        fix,
        summary=post.summary,
        platform=post.teaser.platform,
        variant=post.teaser.variant,
        key=post.teaser.key,
        due_at=post.due_at,
    )


def _with_slot(
    problem: Problem, by_key: dict[tuple[str, str, str], PlannedPost]
) -> Problem:
    """A post that cannot fit, with the slot it holds (it fails there if not fixed)."""
    if problem.kind != "fit" or problem.summary is None or problem.due_at is not None:
        return problem
    row = by_key.get((problem.summary.id, problem.platform or "", problem.key or ""))
    if row is None:
        return problem
    return replace(problem, due_at=row.due_at)
