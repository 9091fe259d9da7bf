"""`crosspost plan`: the campaign each summary would get on the team's calendar, every
post at its slot with its text; stored in the ledger with `--apply`."""

from __future__ import annotations

import argparse
from pathlib import Path
from zoneinfo import ZoneInfo

from crosspost.cli.common import open_ledger, print_json, settings_from
from crosspost.cli.post_cmd import chosen_platforms
from crosspost.cli.sources import load_summaries
from crosspost.errors import UsageError
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import PlannedPost, utcnow
from crosspost.schedule.intake import plan_for
from crosspost.schedule.planning import CampaignPlan, PlanEntry, apply_plan
from crosspost.schedule.when import parse_moment
from crosspost.settings import Settings


def plan(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    zone = ZoneInfo(settings.timezone)
    now = utcnow()
    if args.now:
        now = parse_moment(args.now, zone, now=now, option="--now")
    platforms = chosen_platforms(args.platforms, settings)
    order = _order(args.order)
    summaries = load_summaries(args.sources, settings)
    ledger = _ledger(settings, args)
    plans: list[CampaignPlan] = []
    try:
        booked: list[PlannedPost] = []
        for summary in summaries:
            made = plan_for(
                summary,
                settings,
                ledger,
                now=now,
                platforms=platforms,
                headline=args.headline,
                order=order,
                extra=booked,
            )
            if args.apply and ledger is not None:
                made = apply_plan(made, ledger, now=now, zone=settings.timezone)
            else:
                booked += [_booking(entry) for entry in made.entries]
            plans.append(made)
    finally:
        if ledger is not None:
            ledger.close()
    entries = [entry for made in plans for entry in made.entries]
    if args.json:
        print_json([entry.as_dict() for entry in entries])
    else:
        for made in plans:
            _show(made, applied=args.apply)
    return 1 if any(entry.error for entry in entries) else 0


def _ledger(settings: Settings, args: argparse.Namespace) -> Ledger | None:
    """The ledger to plan against: opened (created if need be) to store the plan, or
    only if it exists already to look at what it has booked."""
    if args.apply:
        return open_ledger(settings, dry_run=args.dry_run)
    url = settings.ledger(dry_run=args.dry_run)
    if (
        url.startswith("sqlite:///")
        and not Path(url.removeprefix("sqlite:///")).exists()
    ):
        return None
    return open_ledger(settings, dry_run=args.dry_run)


def _order(value: str | None) -> list[int] | None:
    if not value:
        return None
    try:
        numbers = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise UsageError(
            f"--order {value!r} is not a list of finding numbers",
            hint="e.g. --order 3,1,2 posts FINDING #3 first",
        ) from None
    return numbers or None


def _booking(entry: PlanEntry) -> PlannedPost:
    """A plan entry as the calendar sees a booked row, so the next summary's plan in
    the same command does not take its slot."""
    return PlannedPost(
        summary_id=entry.summary_id,
        platform=entry.platform,
        key=entry.key,
        status="planned",
        due_at=entry.due_at,
    )


def _show(made: CampaignPlan, *, applied: bool) -> None:
    summary = made.summary
    print(f"{summary.id}  {summary.title}")
    for entry in made.entries:
        when = entry.local_time.strftime("%a %d %b %Y %H:%M %Z")
        ref = f"#{entry.id}" if entry.id is not None else "new"
        count = (
            f"{entry.teaser.count}/{entry.teaser.limit}"
            if entry.teaser is not None
            else ""
        )
        line = (
            f"  {when:<26} {entry.platform:<9} {entry.key:<12} {ref:>6} "
            f"{entry.status:<10} {count}"
        )
        if entry.error:
            line += f"  does not fit: {entry.error}"
        print(line.rstrip())
    new = len(made.new)
    if not applied:
        print(
            f"  ({new} new posts; store them with --apply)" if new else "  (all stored)"
        )
    print()
