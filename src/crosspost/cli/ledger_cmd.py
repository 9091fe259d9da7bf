"""`crosspost status`, `approve`, `cancel`, `retry` and `resolve`: reading the ledger,
and a person's decisions about planned posts."""

from __future__ import annotations

import argparse
from typing import Any
from zoneinfo import ZoneInfo

from crosspost.cli.common import open_ledger, print_json, settings_from
from crosspost.errors import CrosspostError, UsageError
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import PlannedPost, utcnow
from crosspost.schedule.planning import iso_utc
from crosspost.settings import Settings

UPCOMING = ("draft", "planned", "sending")


def status(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if getattr(args, "health", False):
        return health(settings, args)
    with open_ledger(settings, dry_run=args.dry_run) as ledger:
        rows = ledger.rows(
            summary_id=args.summary,
            statuses=UPCOMING if args.upcoming else None,
        )
        url = ledger.url
    if args.json:
        print_json([row_json(row) for row in rows])
        return 0
    if not rows:
        what = "upcoming posts" if args.upcoming else "posts"
        print(f"no {what} in the ledger {url} yet")
        return 0
    print(f"{'id':>5}  {'due (local)':<22} {'platform':<9} {'post':<12} {'status':<15}")
    title = None
    for row in rows:
        if row.summary_title != title:
            title = row.summary_title
            print(f"{row.summary_id}  {title}")
        where = row.url or row.handoff_path or row.last_error or ""
        if row.url and row.last_error:
            where += f"  ({row.last_error})"
        print(
            f"{row.id:>5}  {_local(row):<22} {row.platform:<9} {row.key:<12} "
            f"{row.status:<15} {where}".rstrip()
        )
    return 0


def health(settings: Settings, args: argparse.Namespace) -> int:
    """`status --health`: the runners, the next due post, the posts needing a person;
    exit 1 when one does or no runner has ticked lately."""
    from crosspost.schedule.health import check_health

    if args.summary or args.upcoming:
        raise UsageError(
            "--health reads the whole ledger",
            hint="leave out --summary and --upcoming",
        )
    now = utcnow()
    with open_ledger(settings, dry_run=args.dry_run) as ledger:
        found = check_health(ledger, settings.schedule, now=now)
    if args.json:
        print_json(found.as_dict())
        return 0 if found.healthy else 1
    problems = len(found.problems)
    print(
        f"unhealthy: {problems} problem{'s' * (problems > 1)}"
        if problems
        else "healthy"
    )
    for problem in found.problems:
        print(f"  - {problem}")
    print(f"runners ticking (within {found.as_dict()['stale_after_seconds']:g} s):")
    for runner in found.runners:
        ago = int((now - runner.last_tick).total_seconds())
        upcoming = iso_utc(runner.next_due) if runner.next_due else "none"
        print(
            f"  {runner.id}  pid {runner.pid} on {runner.host}, started "
            f"{iso_utc(runner.started_at)}, last tick {ago} s ago, next due {upcoming}"
        )
    if not found.runners:
        print("  none")
    post = found.next_post
    print(
        "next due: "
        + (
            f"#{post.id} {post.platform} {post.key} of {post.summary_id} at "
            f"{iso_utc(post.retry_at or post.due_at)} ({_local(post)})"
            if post
            else "nothing planned"
        )
    )
    counts = found.as_dict()["counts"]
    print("posts: " + ", ".join(f"{count} {name}" for name, count in counts.items()))
    return 0 if found.healthy else 1


def _local(row: PlannedPost) -> str:
    zone = ZoneInfo(row.zone) if row.zone else None
    moment = row.due_at.astimezone(zone) if zone else row.due_at
    return moment.strftime("%a %d %b %H:%M %Z")


def row_json(row: PlannedPost) -> dict[str, Any]:
    """A ledger row for programs: the plan's fields, then its history so far."""
    zone = ZoneInfo(row.zone) if row.zone else None
    local = (
        row.local_time
        or (row.due_at.astimezone(zone) if zone else row.due_at).isoformat()
    )
    return {
        "id": row.id,
        "summary_id": row.summary_id,
        "summary_title": row.summary_title,
        "platform": row.platform,
        "variant": row.variant,
        "key": row.key,
        "status": row.status,
        "due_at": iso_utc(row.due_at),
        "local_time": local,
        "zone": row.zone,
        "post_id": row.post_id,
        "url": row.url,
        "handoff_path": row.handoff_path,
        "attempts": row.attempts,
        "last_error": row.last_error,
        "endpoint": row.endpoint,
        "retry_at": iso_utc(row.retry_at) if row.retry_at else None,
        "updated_at": iso_utc(row.updated_at),
        "claimed_by": row.claimed_by,
        "claimed_at": iso_utc(row.claimed_at) if row.claimed_at else None,
    }


def approve(args: argparse.Namespace) -> int:
    """Drafts of the named campaigns (or all) become planned; any whose slot has
    passed meanwhile moves to the next free slots, keeping the cadence."""
    settings = settings_from(args)
    from crosspost.ledger.campaigns import set_campaign_status
    from crosspost.schedule.replan import replan

    now = utcnow()
    with open_ledger(settings, dry_run=args.dry_run) as ledger:
        drafts = _drafts(ledger, args)
        moved = replan(ledger, drafts, settings, now=now, status="planned")
        for summary_id in sorted({row.summary_id for row in drafts}):
            set_campaign_status(ledger, summary_id, "active")
        rows = [ledger.get(row.id) for row in drafts]
    if args.json:
        print_json([row_json(row) for row in rows])
    else:
        for row in rows:
            note = "  (its slot had passed: moved)" if row.id in moved else ""
            print(
                f"#{row.id:<5} {row.platform:<9} {row.key:<12} planned "
                f"{_local(row)}{note}"
            )
        print(f"approved {len(rows)} posts")
    return 0


def _drafts(ledger: Ledger, args: argparse.Namespace) -> list[PlannedPost]:
    if not args.summary_ids and not args.all:
        raise UsageError(
            "name the campaigns to approve (summary ids from `crosspost status`), "
            "or --all"
        )
    drafts = ledger.rows(statuses=["draft"])
    if args.summary_ids:
        wanted = set(args.summary_ids)
        unknown = wanted - {row.summary_id for row in ledger.rows()}
        if unknown:
            raise CrosspostError(
                f"no campaign {', '.join(sorted(unknown))} in the ledger {ledger.url}",
                hint="see the summary ids with `crosspost status`",
            )
        drafts = [row for row in drafts if row.summary_id in wanted]
    return drafts


CANCELLABLE = ("draft", "planned", "failed", "missed")


def cancel(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if not args.ids and not args.summary:
        raise UsageError("name the posts to cancel (ids) or a campaign with --summary")
    from crosspost.ledger.campaigns import set_campaign_status

    with open_ledger(settings, dry_run=args.dry_run) as ledger:
        rows = [ledger.get(row_id) for row_id in args.ids]
        if args.summary:
            rows += ledger.rows(summary_id=args.summary, statuses=CANCELLABLE)
            set_campaign_status(ledger, args.summary, "cancelled")
        done, refused = [], []
        for row in rows:
            if row.status not in CANCELLABLE:
                refused.append(f"#{row.id} is {row.status}")
            elif ledger.settle(
                row, "cancelled", outcome="cancelled", note=f"by {ledger.actor}"
            ):
                done.append(ledger.get(row.id))
            else:
                refused.append(f"#{row.id} changed meanwhile")
    if args.json:
        print_json([row_json(row) for row in done])
    else:
        for row in done:
            print(f"#{row.id:<5} {row.platform:<9} {row.key:<12} cancelled")
    if refused:
        raise CrosspostError(
            "not cancelled: " + "; ".join(refused),
            hint=f"only {', '.join(CANCELLABLE)} posts can be cancelled; a post "
            "being sent or unknown is settled with `crosspost resolve`",
        )
    return 0


RETRYABLE = ("failed", "missed", "cancelled")


def retry(args: argparse.Namespace) -> int:
    """Failed, missed or cancelled posts are planned again: at the next free slot,
    or due at once with --now (the runner sends them on its next pass)."""
    settings = settings_from(args)
    from crosspost.schedule.replan import replan

    now = utcnow()
    with open_ledger(settings, dry_run=args.dry_run) as ledger:
        rows = [ledger.get(row_id) for row_id in args.ids]
        wrong = [
            f"#{row.id} is {row.status}" for row in rows if row.status not in RETRYABLE
        ]
        if wrong:
            raise CrosspostError(
                "cannot retry: " + "; ".join(wrong),
                hint="only failed, missed or cancelled posts are retried; an unknown "
                "one is settled with `crosspost reconcile` or `crosspost resolve`",
            )
        replan(ledger, rows, settings, now=now, status="planned", at_once=args.now)
        rows = [ledger.get(row.id) for row in rows]
    if args.json:
        print_json([row_json(row) for row in rows])
    else:
        for row in rows:
            print(f"#{row.id:<5} {row.platform:<9} {row.key:<12} planned {_local(row)}")
        print("`crosspost run` sends them when they fall due.")
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
        print_json(row_json(row))
    elif posted:
        print(f"post {row.id} ({row.platform}, {row.key}) is published at {posted}")
    else:
        print(
            f"post {row.id} ({row.platform}, {row.key}) recorded as not posted; "
            f"`crosspost retry {row.id}` plans it again"
        )
    return 0
