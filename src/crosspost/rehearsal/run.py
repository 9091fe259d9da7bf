"""The rehearsal: render every post of every summary, plan the campaigns in a scratch
ledger, and run them on a virtual clock against the in-process sandbox; then say what
became of each post, and list every problem."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from crosspost.errors import CrosspostError
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import PlannedPost
from crosspost.publish.outcome import DONE
from crosspost.rehearsal.model import Answer, Problem, Rehearsal, RehearsedPost
from crosspost.rehearsal.render import SummaryPosts, check_templates, render_summary
from crosspost.schedule.planning import DEFAULT_VARIANTS, apply_plan, wanted_posts
from crosspost.schedule.planning import plan_summary as plan_campaign_of
from crosspost.schedule.runner import Fired
from crosspost.schedule.simulation import scratch, simulate_run
from crosspost.settings import Settings
from crosspost.summaries.model import Summary
from crosspost.teasers.card_cache import CardCache
from crosspost.teasers.environment import teaser_environment
from crosspost.teasers.model import PLATFORMS

RATE_LIMIT_FIX = (
    "the platform would refuse this many posts so close together: lower "
    "schedule.daily_cap or take out slots for this platform"
)
REFUSAL_FIX = (
    "the platform would refuse this post as it stands: change the summary or the "
    "template (`crosspost render` shows the post as sent)"
)


class Watcher(Protocol):
    """Told how far the rehearsal has got: a stage and its size, then each step."""

    def stage(self, label: str, total: int) -> None: ...

    def step(self, text: str) -> None: ...


class _Unwatched:
    def stage(self, label: str, total: int) -> None:
        return None

    def step(self, text: str) -> None:
        return None


def rehearse(
    summaries: Sequence[Summary],
    settings: Settings,
    *,
    start: datetime,
    until: datetime,
    platforms: Sequence[str],
    unread: Sequence[CrosspostError] = (),
    watcher: Watcher | None = None,
) -> Rehearsal:
    """Every post of `summaries` on `platforms`, planned from `start` and sent to the
    sandbox as it falls due up to `until`, with a fresh scratch ledger: the same
    input and `start` give the same rehearsal. `unread` are the sources that could
    not be read (each a problem). A campaign waiting for approval is rehearsed as if
    approved."""
    watcher = watcher or _Unwatched()
    rehearsal = Rehearsal(start, until, settings.timezone, list(platforms))
    rehearsal.summaries = list(summaries)
    if settings.schedule.approval:
        rehearsal.notes.append(
            "schedule.approval is on: the campaigns are rehearsed as if approved"
        )
        schedule = settings.schedule.model_copy(update={"approval": False})
        settings = settings.model_copy(update={"schedule": schedule})
    rehearsal.problems += [
        Problem("source", error.message, error.hint) for error in unread
    ]
    environment = teaser_environment(settings.templates_dir)
    templates = check_templates(environment, platforms)
    with scratch(settings) as place:
        # The cards `preview` and `post` use: drawn once, kept across runs.
        cards = CardCache(settings.branding, settings.state_dir / "cards")
        watcher.stage("rendering", len(summaries))
        made: list[SummaryPosts] = []
        for summary in summaries:
            made.append(
                render_summary(
                    summary, place.settings, environment, platforms, cards.card
                )
            )
            watcher.step(summary.title)
        for posts in made:
            templates = _merge_templates(templates, posts)
            rehearsal.problems += [p for p in posts.problems if p.kind != "template"]
        rehearsal.problems[len(unread) : len(unread)] = templates
        rehearsal.problems += _plan(made, place.settings, place.ledger, rehearsal)
        rows = place.ledger.rows()
        watcher.stage(
            "sending",
            sum(1 for r in rows if r.status == "planned" and r.due_at <= until),
        )
        simulation = asyncio.run(
            simulate_run(
                place.settings,
                place.ledger,
                start=start,
                until=until,
                platforms=platforms,
                on_fired=lambda fired: watcher.step(
                    f"{fired.row.platform} {fired.row.key}: {fired.outcome.status}"
                ),
                card_maker=cards.card,
            )
        )
        _settle(
            rehearsal,
            place.settings,
            made,
            rows=place.ledger.rows(),
            fired=simulation.fired,
            scratch_folder=place.folder,
        )
    return rehearsal


def _merge_templates(known: list[Problem], posts: SummaryPosts) -> list[Problem]:
    """One problem per template mistake (file and line), naming every summary it
    stopped; one found by reading the template keeps its clearer words."""
    merged = list(known)
    for problem in posts.problems:
        if problem.kind != "template":
            continue
        where = (problem.file, problem.line)
        for number, seen in enumerate(merged):
            if (seen.file, seen.line) == where:
                ids = (*seen.summary_ids, posts.summary.id)
                merged[number] = _with_summaries(seen, ids)
                break
        else:
            merged.append(_with_summaries(problem, (posts.summary.id,)))
    return merged


def _with_summaries(problem: Problem, ids: tuple[str, ...]) -> Problem:
    return replace(problem, summary_ids=tuple(dict.fromkeys(ids)))


def _campaign_variants(settings: Settings, platform: str) -> list[str]:
    return list(settings.schedule.variants.get(platform, list(DEFAULT_VARIANTS)))


def _plan(
    made: Sequence[SummaryPosts],
    settings: Settings,
    ledger: Ledger,
    rehearsal: Rehearsal,
) -> list[Problem]:
    """Each summary's campaign stored in the scratch ledger, on the platforms whose
    campaign templates all work for it; a campaign that cannot be planned is a
    problem of its own."""
    problems: list[Problem] = []
    booked: list[PlannedPost] = []
    left_out: dict[str, int] = {}
    for posts in made:
        summary = posts.summary
        if any(p.kind == "summary" and p.platform is None for p in posts.problems):
            continue  # nothing could be rendered for it
        platforms = []
        for platform in rehearsal.platforms:
            variants = _campaign_variants(settings, platform)
            if any((platform, variant) in posts.broken for variant in variants):
                left_out[platform] = left_out.get(platform, 0) + 1
            else:
                platforms.append(platform)
        failures = {
            (p.platform or "", p.key or ""): p.message + (f"; {p.fix}" if p.fix else "")
            for p in posts.problems
            if p.kind == "fit"
        }
        try:
            plan = plan_campaign_of(
                summary,
                settings,
                posts.teasers,
                failures,
                now=rehearsal.start,
                platforms=platforms,
                rows=booked,
                order=summary.finding_order,
            )
            plan = apply_plan(plan, ledger, now=rehearsal.start, zone=settings.timezone)
        except CrosspostError as exc:
            problems.append(Problem("plan", exc.message, exc.hint, summary=summary))
            continue
        booked += [
            PlannedPost(
                summary_id=entry.summary_id,
                platform=entry.platform,
                key=entry.key,
                status=entry.status,
                due_at=entry.due_at,
            )
            for entry in plan.entries
        ]
    for platform, count in left_out.items():
        rehearsal.notes.append(
            f"{platform}: {count} of the campaigns were not planned, because a "
            "template they post fails (see the problems)"
        )
    return problems


def _settle(
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
                rehearsal.problems.append(_refusal(post, sent))
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


def _refusal(post: RehearsedPost, sent: Fired) -> Problem:
    error = sent.outcome.error or sent.outcome.status
    fix = RATE_LIMIT_FIX if "rate limit" in error.lower() else REFUSAL_FIX
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
