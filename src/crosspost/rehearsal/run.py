"""The rehearsal: render every post of every summary, plan the campaigns in a scratch
ledger, and run them on a virtual clock against the in-process sandbox; then say what
became of each post, and list every problem."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from crosspost.errors import CrosspostError
from crosspost.rehearsal.model import Problem, Rehearsal
from crosspost.rehearsal.plan import plan_campaigns
from crosspost.rehearsal.render import SummaryPosts, check_templates, render_summary
from crosspost.rehearsal.settle import settle
from crosspost.schedule.simulation import scratch, simulate_run
from crosspost.settings import Settings
from crosspost.summaries.model import Summary
from crosspost.teasers.card_cache import CardCache
from crosspost.teasers.environment import teaser_environment


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
        rehearsal.problems += plan_campaigns(
            made, place.settings, place.ledger, rehearsal
        )
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
        settle(
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
