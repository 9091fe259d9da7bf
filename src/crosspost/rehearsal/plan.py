"""The campaigns of a rehearsal: each summary's posts placed on the calendar of a
scratch ledger, on the platforms whose campaign templates work for it."""

from __future__ import annotations

from collections.abc import Sequence

from crosspost.errors import CrosspostError
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import PlannedPost
from crosspost.rehearsal.model import Problem, Rehearsal
from crosspost.rehearsal.render import SummaryPosts
from crosspost.schedule.planning import DEFAULT_VARIANTS, apply_plan, plan_summary
from crosspost.settings import Settings


def _campaign_variants(settings: Settings, platform: str) -> list[str]:
    return list(settings.schedule.variants.get(platform, list(DEFAULT_VARIANTS)))


def plan_campaigns(
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
            plan = plan_summary(
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
