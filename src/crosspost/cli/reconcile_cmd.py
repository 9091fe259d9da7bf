"""`crosspost reconcile`: settle posts whose fate is unknown by asking each platform."""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter
from datetime import timedelta

from crosspost.cli.common import print_json, settings_from
from crosspost.cli.publish_cmd import open_ledger, platform_client
from crosspost.errors import UsageError
from crosspost.ledger.store import Ledger
from crosspost.platforms import registry
from crosspost.schedule.reconcile import Settlement, reconcile
from crosspost.settings import Settings


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if args.min_age < 0:
        raise UsageError(
            f"--min-age {args.min_age:g} is negative",
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
    return 1 if any(s.after == "unknown" for s in settled) else 0


async def _settle(
    settings: Settings, ledger: Ledger, dry_run: bool, min_age: timedelta
) -> list[Settlement]:
    wanted = sorted({row.platform for row in ledger.unsettled()})
    async with platform_client(settings, dry_run=dry_run) as (run_settings, client):
        usable = [
            name
            for name in wanted
            if name in registry.REGISTRY
            and registry.enabled(run_settings, name)
            and not registry.missing_settings(run_settings, name)
        ]
        adapters = registry.build_adapters(run_settings, client, usable)
        return await reconcile(ledger, adapters, min_age=min_age)


def _tally(settled: list[Settlement]) -> str:
    counts = Counter(settlement.action for settlement in settled)
    unknown = sum(1 for settlement in settled if settlement.after == "unknown")
    parts = [
        f"{counts['found']} found live (published)",
        f"{counts['absent']} confirmed absent (failed: the next `crosspost post` "
        "sends them)",
        f"{unknown} left unknown",
    ]
    if counts["in_flight"]:
        parts.append(f"{counts['in_flight']} still being sent")
    return "reconcile: " + ", ".join(parts)
