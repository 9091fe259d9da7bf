"""`crosspost run`: the long-running runner, one pass (`--once`), or a simulated run on
a virtual clock (`--dry-run --now ... --simulate-until ...`)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from crosspost.cli.common import open_ledger, print_json, settings_from
from crosspost.errors import UsageError
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import utcnow
from crosspost.schedule.when import parse_moment
from crosspost.settings import Settings

if TYPE_CHECKING:
    from crosspost.publish.connect import Connection
    from crosspost.schedule.runner import Alerts

log = logging.getLogger("crosspost.run")
DONE = ("published", "awaiting_manual", "already_published")


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    zone = ZoneInfo(settings.timezone)
    from crosspost.schedule.clock import cron_trigger

    cron_trigger(settings.schedule.poll, zone)  # a bad crontab line stops us here
    real_now = utcnow()
    start = (
        parse_moment(args.now, zone, now=real_now, option="--now") if args.now else None
    )
    until = (
        parse_moment(args.simulate_until, zone, now=real_now, option="--simulate-until")
        if args.simulate_until
        else None
    )
    if until is not None and not args.dry_run:
        raise UsageError(
            "--simulate-until runs against the sandbox only",
            hint="add --dry-run: "
            "crosspost run --dry-run --now ISO --simulate-until ISO",
        )
    if start is not None and until is None:
        raise UsageError(
            "--now sets where a simulated run starts",
            hint="give --simulate-until too (and --dry-run)",
        )
    if until is not None and until <= (start or real_now):
        raise UsageError("--simulate-until must be after --now")
    sources = list(args.sources or settings.schedule.sources)
    if not args.dry_run:
        from crosspost.cli.post_cmd import require_credentials

        require_credentials(settings, _platforms(settings))
    if until is not None:
        return _simulate(settings, sources, start or real_now, until, args)
    with open_ledger(settings, dry_run=args.dry_run) as ledger:
        return asyncio.run(_run(settings, ledger, sources, args))


async def _run(
    settings: Settings, ledger: Ledger, sources: list[str], args: argparse.Namespace
) -> int:
    from crosspost.publish.connect import connect
    from crosspost.schedule.loops import run_forever, run_once
    from crosspost.schedule.runner import Runner

    platforms = _platforms(settings)
    fired: list[dict[str, Any]] = []
    async with connect(settings, platforms, dry_run=args.dry_run) as connection:
        runner = Runner(
            settings,
            ledger,
            connection.adapters,
            sources=sources,
            endpoints=connection.endpoints,
            alerts=_alerts(connection, ledger, utcnow),
            now=utcnow,
            on_fired=lambda f: _fired(f.as_dict(), fired, args),
        )
        if not sources:
            log.info("no sources: only posts already planned in the ledger are sent")
        if args.once:
            await run_once(runner)
        else:
            log.info(
                "crosspost run: ledger %s, %d sources, zone %s",
                ledger.url,
                len(sources),
                settings.timezone,
            )
            await run_forever(
                runner,
                zone=ZoneInfo(settings.timezone),
                tick=settings.schedule.tick,
                poll=settings.schedule.poll,
            )
            return 0
    if args.json:
        print_json(fired)
    return 0 if all(entry["status"] in DONE for entry in fired) else 1


def _simulate(
    settings: Settings,
    sources: list[str],
    start: datetime,
    until: datetime,
    args: argparse.Namespace,
) -> int:
    """The same runner, on a virtual clock, against the in-process sandbox, with a
    scratch ledger and state: what the next weeks would do, and nothing kept."""
    from crosspost.schedule.simulation import scratch, simulate_run

    fired: list[dict[str, Any]] = []
    with scratch(settings) as simulated:
        asyncio.run(
            simulate_run(
                simulated.settings,
                simulated.ledger,
                start=start,
                until=until,
                platforms=_platforms(settings),
                sources=sources,
                on_fired=lambda f: _fired(
                    _unkept(f.as_dict()), fired, args, quiet=True
                ),
                # The hourly lines would repeat for each virtual hour: only with -v.
                on_note=log.debug,
            )
        )
    if args.json:
        print_json(fired)
    else:
        done = sum(1 for entry in fired if entry["status"] in DONE)
        print(
            f"simulated {start:%Y-%m-%d %H:%M} to {until:%Y-%m-%d %H:%M} UTC: "
            f"{len(fired)} posts fired, {done} published or handed off"
        )
    return 0 if all(entry["status"] in DONE for entry in fired) else 1


def _unkept(entry: dict[str, Any]) -> dict[str, Any]:
    """A simulated hand-off's bundle is written in the scratch folder, removed when the
    simulation ends: no path to it is shown."""
    if entry["status"] == "awaiting_manual":
        entry["url"] = None
    return entry


def _fired(
    entry: dict[str, Any],
    fired: list[dict[str, Any]],
    args: argparse.Namespace,
    *,
    quiet: bool = False,
) -> None:
    fired.append(entry)
    if args.json and not args.once and not quiet:
        print(json.dumps(entry, ensure_ascii=False), flush=True)
    elif not args.json and not args.quiet:
        where = entry["url"] or entry["error"] or ""
        if entry["status"] == "awaiting_manual" and not where:
            where = "(a simulated hand-off: no bundle kept)"
        print(
            f"{entry['local_time']}  fired {entry['fired_at']}  {entry['platform']:<9} "
            f"{entry['key']:<12} {entry['status']:<16} {where}".rstrip(),
            file=sys.stdout,
            flush=True,
        )


def _platforms(settings: Settings) -> list[str]:
    from crosspost.platforms import registry
    from crosspost.teasers.model import PLATFORMS

    return [name for name in PLATFORMS if registry.enabled(settings, name)]


def _alerts(
    connection: Connection, ledger: Ledger, now: Callable[[], datetime]
) -> Alerts:
    """Alerts to the team's notification URLs (in a dry run, to none of them: the
    sandbox's receiver when it is served)."""
    from crosspost.notify import NoNotifier, notifier_from
    from crosspost.schedule.alerts import TeamAlerts
    from crosspost.schedule.runner import Alerts

    notifier = notifier_from(connection.settings)
    if isinstance(notifier, NoNotifier):
        return Alerts()  # no notification URLs: nobody to tell
    return TeamAlerts(notifier, ledger, connection.adapters, now=now)
