"""`crosspost post`: a one-off, now or at a time; the runner's simplest caller.

Now: the posts are planned in the ledger as due at once and delivered by the same stage
the runner uses (after settling this summary's unknown posts). With `--at`: they are
planned for that moment and `crosspost run` sends them."""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from crosspost.cli.common import (
    open_ledger,
    platforms_from,
    print_json,
    settings_from,
)
from crosspost.cli.output import Progress, outcome_table
from crosspost.errors import ConfigError, CrosspostError, UsageError
from crosspost.ledger.store import Ledger, LedgerError
from crosspost.ledger.tables import utcnow
from crosspost.platforms import registry
from crosspost.publish.outcome import Outcome
from crosspost.settings import Settings
from crosspost.summaries.model import Summary
from crosspost.teasers.model import VARIANTS, Teaser


def post(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    platforms = chosen_platforms(args.platforms, settings)
    if args.variant not in VARIANTS:
        raise UsageError(
            f"unknown variant {args.variant!r}",
            hint=f"choose from {', '.join(VARIANTS)}",
        )
    if not args.dry_run:
        require_credentials(settings, platforms)
    zone = ZoneInfo(settings.timezone)
    at = None
    if args.at:
        from crosspost.schedule.when import parse_moment

        now = utcnow()
        at = parse_moment(args.at, zone, now=now, option="--at")
        if at < now - settings.schedule.grace:
            raise UsageError(
                f"--at {args.at!r} is in the past ({at:%Y-%m-%d %H:%M} UTC)",
                hint="give a time to come; to post now, leave --at out",
            )
    from crosspost.cli.sources import load_summaries

    summaries = load_summaries(args.sources, settings)
    teasers, unfit = _render(summaries, settings, platforms, args, cards=at is None)
    if not teasers and not unfit:
        raise CrosspostError(f"nothing to post for the {args.variant} variant")
    if not teasers:
        # Nothing fits: nothing is written anywhere, and each failure is said.
        _show(unfit, args)
        return 1
    with open_ledger(settings, dry_run=args.dry_run) as ledger:
        if at is not None:
            return _plan_at(
                ledger,
                summaries=summaries,
                teasers=teasers,
                unfit=unfit,
                at=at,
                settings=settings,
                args=args,
            )
        outcomes = asyncio.run(_send(settings, ledger, teasers, args)) + unfit
        _show(outcomes, args)
        ledger.verify()
        _require_recorded(ledger)
    return 0 if all(outcome.ok for outcome in outcomes) else 1


def _require_recorded(ledger: Ledger) -> None:
    """Fail (exit 1) when a send of this run could not be recorded (the ledger was
    locked past its timeout): its row stays `sending` until reconcile settles it."""
    from crosspost.ledger.claims import claimer

    mine = claimer()
    left = [row for row in ledger.unsettled() if row.claimed_by == mine]
    left = [row for row in left if row.status == "sending"]
    if left:
        ids = ", ".join(f"#{row.id}" for row in left)
        raise LedgerError(
            f"{len(left)} post(s) were sent but their outcome could not be "
            f"recorded in the ledger ({ids} stay 'sending')",
            hint="once the ledger is free, `crosspost reconcile` finds them on the "
            "platforms (the next `crosspost post` of the summary does too); nothing "
            "is sent twice meanwhile",
        )


def chosen_platforms(value: str | None, settings: Settings) -> list[str]:
    """The platforms asked for; left out, every enabled one. Naming a disabled one is
    a config error."""
    if value is None:
        return [
            name for name in platforms_from(None) if registry.enabled(settings, name)
        ]
    names = platforms_from(value)
    disabled = [name for name in names if not registry.enabled(settings, name)]
    if disabled:
        raise ConfigError(
            f"disabled in settings: {', '.join(disabled)}",
            hint=f"set {disabled[0]}.enabled = true, or leave it out of --platforms",
        )
    return names


def require_credentials(
    settings: Settings,
    platforms: list[str],
    *,
    doing: str = "posted",
    hint: str = "or leave those platforms out of --platforms",
) -> None:
    """Refuse, before anything is written or sent, when any chosen platform is not
    configured, naming everything that is missing at once."""
    lines = []
    for name in platforms:
        options = registry.missing_alternatives(settings, name)
        if options:
            ways = ", or ".join(" and ".join(option) for option in options)
            lines.append(f"{name}: set {ways}")
    if lines:
        raise ConfigError(
            f"not configured, so nothing was {doing}:\n  " + "\n  ".join(lines),
            hint="put the secrets in .env (see config/.env.example) and check with "
            f"`crosspost check`; {hint}",
        )


def _render(
    summaries: list[Summary],
    settings: Settings,
    platforms: list[str],
    args: argparse.Namespace,
    *,
    cards: bool,
) -> tuple[list[Teaser], list[Outcome]]:
    """Every teaser that fits; a teaser that cannot fit honestly is never sent and
    fails on its own, so the platforms whose posts fit still go out."""
    from crosspost.teasers.render import render_all

    teasers: list[Teaser] = []
    unfit: list[Outcome] = []
    for summary in summaries:
        rendered = render_all(
            summary,
            settings,
            platforms=platforms,
            variants=[args.variant],
            cards=cards,
            headline=args.headline,
        )
        teasers += rendered.teasers
        unfit += [
            Outcome(
                platform=error.platform or "",
                variant=error.variant or args.variant,
                key=error.key or args.variant,
                status="failed",
                error=f"does not fit: {error.message}"
                + (f"; {error.hint}" if error.hint else ""),
                summary_id=summary.id,
            )
            for error in rendered.failures
        ]
    return teasers, unfit


async def _send(
    settings: Settings, ledger: Ledger, teasers: list[Teaser], args: argparse.Namespace
) -> list[Outcome]:
    from crosspost.publish.connect import connect
    from crosspost.publish.deliver import Delivery, deliver
    from crosspost.publish.reconcile import reconcile

    platforms = sorted({teaser.platform for teaser in teasers})
    progress = Progress(len(teasers), "posting", enabled=not (args.json or args.quiet))
    async with connect(
        settings, platforms, dry_run=args.dry_run, on_progress=progress.note
    ) as connection:
        # A rerun after a crash first settles these summaries' unknown posts, so one
        # confirmed absent is sent now and one found live is not sent again.
        actions: dict[int, str] = {}
        for summary_id in sorted({teaser.summary_id for teaser in teasers}):
            for settlement in await reconcile(
                ledger,
                connection.adapters,
                summary_id=summary_id,
                platforms=platforms,
                teasers=teasers,
            ):
                actions[settlement.ledger_id] = settlement.action
        delivery = Delivery(
            ledger,
            connection.adapters,
            endpoints=connection.endpoints,
            on_outcome=progress.advance,
        )
        with progress.shown():
            outcomes = await deliver(teasers, delivery, again=args.again)
    return [replace(o, reconciled=actions.get(o.ledger_id or -1)) for o in outcomes]


def _plan_at(
    ledger: Ledger,
    *,
    summaries: list[Summary],
    teasers: list[Teaser],
    unfit: list[Outcome],
    at: datetime,
    settings: Settings,
    args: argparse.Namespace,
) -> int:
    """Plan the posts for `at`; `crosspost run` sends them then."""
    from crosspost.ledger.campaigns import campaign, save_campaign
    from crosspost.schedule.planning import entry_of

    zone = ZoneInfo(settings.timezone)
    for summary in summaries:
        if campaign(ledger, summary.id) is None:
            # Kept so the runner renders the post from it when it falls due.
            save_campaign(
                ledger,
                summary,
                found_at=utcnow(),
                zone=settings.timezone,
                status="oneoff",
                headline=args.headline,
            )
    entries = []
    for teaser in teasers:
        row = ledger.plan(
            teaser,
            due_at=at,
            zone=settings.timezone,
            local_time=at.astimezone(zone).isoformat(),
        )
        entries.append(entry_of(row, teaser))
    if args.json:
        print_json(
            [entry.as_dict() for entry in entries] + [o.as_dict() for o in unfit]
        )
    else:
        for entry in entries:
            when = entry.local_time.strftime("%a %d %b %Y %H:%M %Z")
            moved = "" if entry.due_at == at else " (already planned then)"
            print(
                f"#{entry.id:<5} {entry.platform:<10} {entry.key:<12} "
                f"{entry.status:<10}"
                f" {when}{moved}"
            )
        if unfit:
            print(outcome_table(unfit))
        if not args.quiet:
            print("`crosspost run` sends them when they fall due.")
    return 1 if unfit else 0


def _show(outcomes: list[Outcome], args: argparse.Namespace) -> None:
    """The outcomes, once, on stdout; with -q only those a person must act on."""
    if args.json:
        print_json([outcome.as_dict() for outcome in outcomes])
        return
    shown = [o for o in outcomes if not o.ok] if args.quiet else outcomes
    if shown:
        print(outcome_table(shown))
