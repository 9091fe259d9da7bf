"""The ledger as the schedule: which posts are due, claiming them (several runners may
share one database), posts slept through, and each runner's heartbeat."""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, or_, select, update

from crosspost import __version__
from crosspost.ledger.claims import EARLIER, LEASE, claimer, stale_reason
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import Attempt, PlannedPost, Runner, utcnow


def claim_due(
    ledger: Ledger,
    *,
    now: datetime,
    grace: timedelta,
    limit: int = 200,
    lease: timedelta = LEASE,
    lanes: Mapping[str, int] | None = None,
    endpoints: Mapping[str, str] | None = None,
) -> list[PlannedPost]:
    """Claim (`sending`, this process, a lease) up to `limit` planned posts due by
    `now` and not older than `grace`, earliest first; with `lanes`, up to that many
    of each platform named and none of the others. `endpoints` records where each
    platform's posts are about to go.

    The rows picked are claimed by one conditional UPDATE. On PostgreSQL they are
    picked with FOR UPDATE SKIP LOCKED, so runners sharing the database take disjoint
    sets without waiting on each other; elsewhere only the one writer whose UPDATE
    still finds a row `planned` wins it."""
    who = claimer()
    claimed_at = utcnow()
    batches = (
        [(None, limit)]
        if lanes is None
        else [(platform, count) for platform, count in sorted(lanes.items()) if count]
    )
    claimed: list[PlannedPost] = []
    with ledger.writing() as session:
        locking = session.get_bind().dialect.name == "postgresql"
        for platform, count in batches:
            pick = (
                select(PlannedPost.id)
                .where(
                    PlannedPost.status == "planned",
                    PlannedPost.due_at <= now,
                    PlannedPost.due_at >= now - grace,
                    or_(PlannedPost.retry_at.is_(None), PlannedPost.retry_at <= now),
                )
                .order_by(PlannedPost.due_at, PlannedPost.id)
                .limit(count)
            )
            values: dict[str, Any] = {
                "status": "sending",
                "attempts": PlannedPost.attempts + 1,
                "claimed_by": who,
                "claimed_at": claimed_at,
                "lease_until": claimed_at + lease,
                "retry_at": None,
                "updated_at": claimed_at,
            }
            if platform is not None:
                pick = pick.where(PlannedPost.platform == platform)
                if endpoints and platform in endpoints:
                    values["endpoint"] = endpoints[platform]
            if locking:
                pick = pick.with_for_update(skip_locked=True)
            # Picked first, then updated: as `id IN (subquery)`, PostgreSQL may run
            # the locking subquery again for each row and ignore its LIMIT.
            picked = list(session.scalars(pick))
            if not picked:
                continue
            claimed += session.scalars(
                update(PlannedPost)
                .where(PlannedPost.id.in_(picked), PlannedPost.status == "planned")
                .values(**values)
                .returning(PlannedPost),
                execution_options={"synchronize_session": False},
            ).all()
        if claimed:
            session.execute(
                insert(Attempt),
                [
                    {
                        "planned_post_id": row.id,
                        "at": claimed_at,
                        "actor": ledger.actor,
                        "outcome": "sending",
                        "text_hash": row.text_hash,
                    }
                    for row in claimed
                ],
            )
    return sorted(claimed, key=lambda row: (row.due_at, row.id))


def renew_leases(ledger: Ledger, *, lease: timedelta = LEASE) -> int:
    """Move on the lease of every post this process is sending; how many."""
    with ledger.writing() as session:
        result = session.connection().execute(
            update(PlannedPost)
            .where(PlannedPost.claimed_by == claimer(), PlannedPost.status == "sending")
            .values(lease_until=utcnow() + lease)
        )
    return int(result.rowcount)


def release(ledger: Ledger, row: PlannedPost, *, why: str) -> bool:
    """Give back, unsent, a post this process claimed (it is `planned` again); False
    when the claim is no longer this process's."""
    return ledger.transition(
        row.id,
        (
            PlannedPost.id == row.id,
            PlannedPost.status == "sending",
            PlannedPost.claimed_by == claimer(),
        ),
        {"status": "planned", "lease_until": None},
        "released",
        error=why,
    )


def disown_earlier(ledger: Ledger, *, now: datetime) -> int:
    """Posts left `sending` under this process's own `host:pid` before it claimed
    anything are an earlier process's (a restarted container's pid 1): their claim
    is marked so and its lease ended, so reconcile settles them; how many."""
    who = claimer()
    with ledger.writing() as session:
        ids = list(
            session.scalars(
                select(PlannedPost.id).where(
                    PlannedPost.claimed_by == who, PlannedPost.status == "sending"
                )
            )
        )
        if not ids:
            return 0
        session.connection().execute(
            update(PlannedPost)
            .where(PlannedPost.id.in_(ids), PlannedPost.status == "sending")
            .values(claimed_by=who + EARLIER, lease_until=now)
        )
        for row_id in ids:
            session.add(
                Attempt(
                    planned_post_id=row_id,
                    at=now,
                    actor=ledger.actor,
                    outcome="disowned",
                    error=f"left sending by an earlier process named {who}",
                )
            )
    return len(ids)


def stale_claims(
    ledger: Ledger, *, now: datetime, lease: timedelta = LEASE
) -> list[PlannedPost]:
    """Posts left `sending` by another process whose claim has gone stale (its lease
    ran out, or its process on this host is gone): for reconcile, never a resend."""
    with ledger.reading() as session:
        rows = list(
            session.scalars(
                select(PlannedPost)
                .where(
                    PlannedPost.status == "sending",
                    or_(
                        PlannedPost.claimed_by.is_(None),
                        PlannedPost.claimed_by != claimer(),
                    ),
                )
                .order_by(PlannedPost.id)
            )
        )
    return [row for row in rows if stale_reason(row, now=now, lease=lease)]


def runner_ids(ledger: Ledger) -> set[str]:
    """Every `host:pid` that ever ran as a runner (a claim by one is a scheduled
    post's)."""
    with ledger.reading() as session:
        return set(session.scalars(select(Runner.id)))


def mark_missed(
    ledger: Ledger, *, now: datetime, grace: timedelta
) -> list[PlannedPost]:
    """Planned posts more than `grace` past their slot become `missed` (never sent
    silently late); the rows moved, for telling the team."""
    with ledger.reading() as session:
        late = list(
            session.scalars(
                select(PlannedPost)
                .where(
                    PlannedPost.status == "planned",
                    PlannedPost.due_at < now - grace,
                )
                .order_by(PlannedPost.due_at, PlannedPost.id)
            )
        )
    moved: list[PlannedPost] = []
    for row in late:
        late_by = _duration(now - row.due_at)
        error = (
            f"missed: due {row.local_time or row.due_at.isoformat()}, {late_by} "
            f"late, more than the {_duration(grace)} grace (was crosspost run "
            f"down?); not sent. `crosspost retry {row.id}` plans it again"
        )
        if ledger.settle(row, "missed", outcome="missed", note=error, error=error):
            moved.append(ledger.get(row.id))
    return moved


def next_due(ledger: Ledger, *, after: datetime | None = None) -> datetime | None:
    """When the earliest planned post falls due (its retry time, if it has one);
    with `after`, the earliest falling due after that moment."""
    falls_due = func.coalesce(PlannedPost.retry_at, PlannedPost.due_at)
    query = select(func.min(falls_due)).where(PlannedPost.status == "planned")
    if after is not None:
        query = query.where(falls_due > after)
    with ledger.reading() as session:
        value = session.scalar(query)
    return _aware(value)


def heartbeat(
    ledger: Ledger,
    *,
    now: datetime,
    next_due_at: datetime | None,
    started_at: datetime | None = None,
    lease: timedelta = LEASE,
) -> None:
    """Record that this runner is alive, and renew the leases of its claims."""
    who = claimer()
    with ledger.writing() as session:
        runner = session.get(Runner, who)
        if runner is None:
            runner = Runner(
                id=who,
                host=socket.gethostname(),
                pid=os.getpid(),
                version=__version__,
                started_at=started_at or now,
            )
            session.add(runner)
        runner.last_tick = now
        runner.next_due = next_due_at
        runner.stopped_at = None
    renew_leases(ledger, lease=lease)


def stop_runner(ledger: Ledger, *, now: datetime) -> None:
    """Record that this runner stopped on purpose."""
    with ledger.writing() as session:
        runner = session.get(Runner, claimer())
        if runner is not None:
            runner.stopped_at = now


def runners(ledger: Ledger) -> list[Runner]:
    """Every runner that ever ticked, most recent first."""
    with ledger.reading() as session:
        return list(session.scalars(select(Runner).order_by(Runner.last_tick.desc())))


def _aware(value: object) -> datetime | None:
    # func.min over the UTC column comes back naive on SQLite: it is UTC.
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} min"
    hours = minutes // 60
    return f"{hours} h" if hours < 48 else f"{hours // 24} days"
