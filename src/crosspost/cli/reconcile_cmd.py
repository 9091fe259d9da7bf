"""`crosspost reconcile`: settle posts whose fate is unknown by asking each platform."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from datetime import timedelta

from crosspost.cli.common import open_ledger, print_json, settings_from
from crosspost.errors import UsageError
from crosspost.ledger.store import Ledger
from crosspost.platforms import registry
from crosspost.publish.reconcile import Settlement, reconcile
from crosspost.settings import Settings

# Bounds of the options (a year of seconds; 20 years of days), so a typo such as
# 1e308 is a clear error rather than an overflow.
MAX_SECONDS = 365 * 24 * 3600.0
MAX_DAYS = 20 * 366


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if args.rebuild:
        return _rebuild(settings, args)
    if args.sources:
        raise UsageError(
            "summaries are named only with --rebuild",
            hint="crosspost reconcile --rebuild SOURCE... recovers a lost ledger",
        )
    if not 0 <= args.min_age <= MAX_SECONDS:  # also refuses nan
        raise UsageError(
            f"--min-age {args.min_age:g} is not a number of seconds from 0 to "
            f"{MAX_SECONDS:.0f} (a year)",
            hint="give the seconds a post must be old before its absence is believed",
        )
    min_age = timedelta(seconds=args.min_age)
    with open_ledger(settings, dry_run=args.dry_run) as ledger:
        settled = asyncio.run(_settle(settings, ledger, args.dry_run, min_age))
        url = ledger.url
    if args.json:
        print_json([settlement.as_dict() for settlement in settled])
    elif not settled:
        print(f"nothing to reconcile: no unknown or sending posts in {url}")
    else:
        for settlement in settled:
            print(settlement.line())
        print(_tally(settled))
    open_ = any(s.after == "unknown" or s.action == "too_recent" for s in settled)
    return 1 if open_ else 0


async def _settle(
    settings: Settings, ledger: Ledger, dry_run: bool, min_age: timedelta
) -> list[Settlement]:
    from crosspost.publish.connect import connect

    wanted = sorted({row.platform for row in ledger.unsettled()})
    async with connect(settings, [], dry_run=dry_run) as connection:
        run_settings = connection.settings
        usable = [
            name
            for name in wanted
            if name in registry.REGISTRY
            and registry.enabled(run_settings, name)
            and not registry.missing_settings(run_settings, name)
        ]
        adapters = registry.build_adapters(run_settings, connection.client, usable)
        return await reconcile(
            ledger, adapters, min_age=min_age, grace=settings.schedule.grace
        )


def _tally(settled: list[Settlement]) -> str:
    counts = Counter(settlement.action for settlement in settled)
    absent = Counter(s.after for s in settled if s.action == "absent")
    unknown = sum(1 for settlement in settled if settlement.after == "unknown")
    parts = [
        f"{counts['found']} found live (published)",
        f"{absent['failed']} confirmed absent (failed: the next `crosspost post` "
        "sends them)",
    ]
    if absent["planned"] or absent["missed"]:
        parts.append(
            f"{absent['planned']} of a runner confirmed absent and planned again, "
            f"{absent['missed']} missed"
        )
    parts.append(f"{unknown} left unknown")
    waiting = sum(
        1 for s in settled if s.action == "too_recent" and s.after == "sending"
    )
    if waiting:
        parts.append(f"{waiting} stale sends too recent to conclude (still sending)")
    if counts["in_flight"]:
        parts.append(f"{counts['in_flight']} still being sent")
    return "reconcile: " + ", ".join(parts)


def _rebuild(settings: Settings, args: argparse.Namespace) -> int:
    """A new ledger (or the one there) gains a published row for each post of the
    summaries that the platforms show, so nothing live is posted again."""
    from crosspost.cli.sources import load_summaries
    from crosspost.ledger.tables import utcnow
    from crosspost.publish.connect import connect
    from crosspost.publish.rebuild import Rebuilt, rebuild
    from crosspost.teasers.render import render_all

    if not args.sources:
        raise UsageError(
            "--rebuild needs the summaries whose posts to look for",
            hint="e.g. crosspost reconcile --rebuild examples/summaries",
        )
    if not 0 < args.since_days <= MAX_DAYS:  # also refuses nan
        raise UsageError(
            f"--since-days {args.since_days:g} is not a number of days from 0 to "
            f"{MAX_DAYS}",
            hint="how far back to look for the summaries' posts, e.g. --since-days 90",
        )
    platforms = [name for name in registry.REGISTRY if registry.enabled(settings, name)]
    if not args.dry_run:
        from crosspost.cli.post_cmd import require_credentials

        # Looked up without credentials, every post would seem absent and be sent again.
        require_credentials(
            settings,
            platforms,
            doing="looked up or recorded",
            hint="or switch those platforms off (e.g. x.enabled = false)",
        )
    summaries = load_summaries(args.sources, settings)
    teasers = [
        teaser
        for summary in summaries
        for teaser in render_all(summary, settings, platforms=platforms).teasers
    ]
    since = utcnow() - timedelta(days=args.since_days)

    async def look() -> list[Rebuilt]:
        async with connect(settings, platforms, dry_run=args.dry_run) as connection:
            return await rebuild(ledger, connection.adapters, teasers, since=since)

    with open_ledger(settings, dry_run=args.dry_run, allow_new=True) as ledger:
        if ledger.set_aside is not None and not args.quiet:
            print(
                f"the empty ledger file was moved to {ledger.set_aside}; "
                "a new ledger is rebuilt in its place",
                file=sys.stderr,
            )
        found = asyncio.run(look())
        url = ledger.url
        complete = not any(entry.action == "listing_failed" for entry in found)
        if complete:
            # Until now other commands refuse this ledger (see Ledger's allow_new).
            ledger.remember()
    if args.json:
        print_json([entry.as_dict() for entry in found])
    else:
        for entry in found:
            print(entry.line())
        counts = Counter(entry.action for entry in found)
        print(
            f"rebuild of {url}: {counts['found']} found live and recorded as "
            f"published, {counts['known']} already recorded, {counts['absent']} not "
            f"found (they are sent as usual), {counts['cannot_find']} cannot be looked "
            f"up (hand-offs), {counts['listing_failed']} could not be listed"
        )
        if not complete:
            print(
                "the rebuild is not complete: run it again; until it completes, "
                "`post` and `run` refuse this ledger"
            )
    return 0 if complete else 1
