"""`crosspost post`, `check`, `status` and `resolve`: publishing through the ledger."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import httpx
from pydantic import BaseModel, SecretStr

from crosspost.cli.common import platforms_from, print_json, settings_from
from crosspost.cli.help_text import PLATFORM_NAMES
from crosspost.errors import ConfigError, CrosspostError, UsageError
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import PlannedPost
from crosspost.platforms import registry
from crosspost.platforms.base import AccountCheck
from crosspost.platforms.errors import PublishError
from crosspost.schedule.outcomes import Outcome
from crosspost.schedule.reconcile import reconcile
from crosspost.schedule.runner import publish_now
from crosspost.settings import Settings
from crosspost.teasers.model import VARIANTS


def post(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    platforms = _platforms(args, settings)
    if args.variant not in VARIANTS:
        raise UsageError(
            f"unknown variant {args.variant!r}",
            hint=f"choose from {', '.join(VARIANTS)}",
        )
    from crosspost.summaries.sources import load_summary
    from crosspost.teasers.render import render_all

    summary = load_summary(args.source, settings)
    rendered = render_all(
        summary, settings, platforms=platforms, variants=[args.variant], cards=True
    )
    teasers = rendered.teasers
    # A teaser that cannot fit honestly is never sent; it fails on its own, so the
    # platforms whose posts fit still go out.
    unfit = [
        Outcome(
            platform=error.platform or "",
            variant=error.variant or args.variant,
            key=error.key or args.variant,
            status="failed",
            error=f"does not fit: {error.message}"
            + (f"; {error.hint}" if error.hint else ""),
        )
        for error in rendered.failures
    ]
    for outcome in unfit:
        print(f"crosspost: {outcome.platform} {outcome.key}: failed", file=sys.stderr)
    covered = {teaser.platform for teaser in teasers}
    for name in platforms:
        if name not in covered and not any(o.platform == name for o in unfit):
            print(f"crosspost: {name}: no {args.variant} post", file=sys.stderr)
    if not teasers and not unfit:
        raise CrosspostError(f"nothing to post for the {args.variant} variant")

    def progress(outcome: Outcome) -> None:
        print(
            f"crosspost: {outcome.platform} {outcome.key}: {outcome.status}",
            file=sys.stderr,
        )

    async def run(ledger: Ledger) -> list[Outcome]:
        async with platform_client(settings, dry_run=args.dry_run) as (
            run_settings,
            client,
        ):
            adapters = registry.build_adapters(run_settings, client, sorted(covered))
            # A rerun after a crash first settles this summary's unknown posts, so
            # one confirmed absent is sent now and one found live is not sent again.
            settled = await reconcile(
                ledger,
                adapters,
                summary_id=summary.id,
                platforms=sorted(covered),
                teasers=teasers,
            )
            for settlement in settled:
                print(f"crosspost: reconcile: {settlement.line()}", file=sys.stderr)
            outcomes = await publish_now(
                summary,
                teasers,
                adapters,
                ledger,
                again=args.again,
                on_outcome=progress,
            )
        actions = {s.ledger_id: s.action for s in settled}
        return [replace(o, reconciled=actions.get(o.ledger_id or -1)) for o in outcomes]

    outcomes: list[Outcome] = []
    if teasers:
        with open_ledger(settings, dry_run=args.dry_run) as ledger:
            outcomes = asyncio.run(run(ledger))
    outcomes += unfit
    if args.json:
        print_json([outcome.as_dict() for outcome in outcomes])
    else:
        for outcome in outcomes:
            print(_outcome_line(outcome))
    return 0 if all(outcome.ok for outcome in outcomes) else 1


def check(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    platforms = _platforms(args, settings)

    async def run() -> list[dict[str, Any]]:
        async with platform_client(settings, dry_run=args.dry_run) as (
            run_settings,
            client,
        ):
            return [await _check_one(run_settings, client, name) for name in platforms]

    results = asyncio.run(run())
    if args.json:
        print_json(results)
    else:
        for result in results:
            state = "ok" if result["ok"] else "FAILED"
            account = f" {result['account']}" if result["account"] else ""
            expires = (
                f" (expires {result['expires_at']})" if result["expires_at"] else ""
            )
            detail = f": {result['detail']}" if result["detail"] else ""
            print(f"{result['platform']:<10} {state}{account}{expires}{detail}")
    return 0 if all(result["ok"] for result in results) else 1


def status(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    with open_ledger(settings, dry_run=args.dry_run) as ledger:
        rows = ledger.posts()
    if args.json:
        print_json([_row(row) for row in rows])
        return 0
    if not rows:
        print(f"no posts in the ledger {ledger.url} yet")
        return 0
    heading = ("id", "summary", "platform", "key", "status")
    print("{:>4}  {:<15} {:<9} {:<12} {:<15} url / error".format(*heading))
    for row in rows:
        where = row.url or row.handoff_path or row.last_error or ""
        if row.url and row.last_error:
            where += f"  ({row.last_error})"
        print(
            f"{row.id:>4}  {row.summary_id:<15} {row.platform:<9} {row.key:<12} "
            f"{row.status:<15} {where}"
        )
        updated = f"{row.updated_at:%Y-%m-%d %H:%M} UTC"
        print(f"      attempts {row.attempts}, updated {updated}")
    return 0


def resolve(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    posted: str | None = args.posted
    if posted is not None and not posted.startswith(("https://", "http://")):
        raise UsageError(
            f"--posted {posted!r} is not a link",
            hint="give the post's public URL, e.g. https://www.youtube.com/post/...",
        )
    with open_ledger(settings, dry_run=args.dry_run) as ledger:
        row = ledger.resolve(args.id, posted_url=posted)
    if getattr(args, "json", False):
        print_json(_row(row))
    elif posted:
        print(f"post {row.id} ({row.platform}, {row.key}) is published at {posted}")
    else:
        print(
            f"post {row.id} ({row.platform}, {row.key}) recorded as not posted; "
            "`crosspost post` will send it again"
        )
    return 0


def _platforms(args: argparse.Namespace, settings: Settings) -> list[str]:
    """The requested platforms; left at the default, the disabled ones are skipped."""
    names = platforms_from(args.platforms)
    if args.platforms == PLATFORM_NAMES:
        return [name for name in names if registry.enabled(settings, name)]
    disabled = [name for name in names if not registry.enabled(settings, name)]
    if disabled:
        raise ConfigError(
            f"disabled in settings: {', '.join(disabled)}",
            hint=f"set {disabled[0]}.enabled = true, or leave it out of --platforms",
        )
    return names


@asynccontextmanager
async def platform_client(
    settings: Settings, *, dry_run: bool
) -> AsyncIterator[tuple[Settings, httpx.AsyncClient]]:
    """The settings adapters run with, and their client (the sandbox's in a dry run)."""
    if dry_run:
        from crosspost.sandbox.dryrun import dry_run_settings, make_dry_run_sandbox

        run_settings = dry_run_settings(settings)
        sandbox = make_dry_run_sandbox(run_settings)
        transport = sandbox.transport()
        async with httpx.AsyncClient(
            transport=transport, timeout=settings.http_timeout
        ) as client:
            yield run_settings, client
    else:
        async with httpx.AsyncClient(timeout=settings.http_timeout) as client:
            yield settings, client


def open_ledger(settings: Settings, *, dry_run: bool) -> Ledger:
    return Ledger(settings.ledger(dry_run=dry_run), secrets=_secrets(settings))


def _secrets(model: BaseModel) -> Iterator[str]:
    """Every secret value in the settings, so the ledger can scrub them from errors."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, SecretStr):
            yield value.get_secret_value()
        elif isinstance(value, BaseModel):
            yield from _secrets(value)


async def _check_one(
    settings: Settings, client: httpx.AsyncClient, name: str
) -> dict[str, Any]:
    missing = registry.missing_settings(settings, name)
    if missing:
        result = AccountCheck(
            platform=name,
            ok=False,
            detail="not configured: set "
            + ", or ".join(
                " and ".join(option)
                for option in registry.missing_alternatives(settings, name)
            ),
        )
    else:
        adapter = registry.build_adapters(settings, client, [name])[name]
        try:
            result = await adapter.check()
        except (PublishError, CrosspostError) as exc:
            result = AccountCheck(platform=name, ok=False, detail=exc.message)
    data = result.model_dump(mode="json")
    data["credentials_present"] = not missing
    data["missing"] = missing
    return data


def _outcome_line(outcome: Outcome) -> str:
    where = outcome.url or outcome.handoff_path or ""
    if outcome.status == "awaiting_manual" and outcome.ledger_id is not None:
        where += f"  (once posted: crosspost resolve {outcome.ledger_id} --posted URL)"
    if outcome.error and outcome.status != "awaiting_manual":
        where = f"{where}  {outcome.error}".strip()
    if outcome.reconciled == "found":
        where += "  (reconcile found it live on the platform)"
    elif outcome.reconciled == "absent":
        where += "  (reconcile found it absent on the platform: sent now)"
    ref = f"#{outcome.ledger_id}" if outcome.ledger_id is not None else "-"
    head = f"{outcome.platform:<10} {outcome.key:<12} {ref:>5}"
    return f"{head}  {outcome.status:<17} {where}".rstrip()


def _row(row: PlannedPost) -> dict[str, Any]:
    return {
        "id": row.id,
        "summary_id": row.summary_id,
        "summary_title": row.summary_title,
        "platform": row.platform,
        "variant": row.variant,
        "key": row.key,
        "status": row.status,
        "post_id": row.post_id,
        "url": row.url,
        "handoff_path": row.handoff_path,
        "attempts": row.attempts,
        "last_error": row.last_error,
        "due_at": row.due_at.isoformat(),
        "zone": row.zone,
        "updated_at": row.updated_at.isoformat(),
        "claimed_by": row.claimed_by,
        "claimed_at": row.claimed_at.isoformat() if row.claimed_at else None,
    }
