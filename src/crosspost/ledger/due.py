"""The ledger as the schedule: which posts are due, claiming them (several runners may
share one database), posts slept through, and each runner's heartbeat."""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, or_, select, update

from crosspost import __version__
from crosspost.ledger.claims import LEASE, claimer
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import Attempt, PlannedPost, Runner, utcnow


def claim_due(
    ledger: Ledger,
    *,
    now: datetime,
    grace: timedelta,
    limit: int = 200,
    lease: timedelta = LEASE,
    endpoints: Mapping[str, str] | None = None,
) -> list[PlannedPost]:
    """Claim (`sending`, this process, a lease) up to `limit` planned posts due by
    `now` and not older than `grace`, earliest first.

    On PostgreSQL the candidates are locked with FOR UPDATE SKIP LOCKED, so runners
    sharing the database take disjoint sets without waiting on each other; elsewhere
    each claim is a conditional UPDATE that only one writer can win. `endpoints`
    (platform → where its requests go) is recorded on each claimed row."""
    who = claimer()
    claimed_at = utcnow()
    query = (
        select(PlannedPost.id, PlannedPost.text_hash, PlannedPost.platform)
        .where(
            PlannedPost.status == "planned",
            PlannedPost.due_at <= now,
            PlannedPost.due_at >= now - grace,
            or_(PlannedPost.retry_at.is_(None), PlannedPost.retry_at <= now),
        )
        .order_by(PlannedPost.due_at, PlannedPost.id)
        .limit(limit)
    )
    won: list[int] = []
    with ledger.writing() as session:
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        for row_id, text_hash, platform in session.execute(query).all():
            result = session.connection().execute(
                update(PlannedPost)
                .where(PlannedPost.id == row_id, PlannedPost.status == "planned")
                .values(
                    status="sending",
                    attempts=PlannedPost.attempts + 1,
                    claimed_by=who,
                    claimed_at=claimed_at,
                    lease_until=claimed_at + lease,
                    retry_at=None,
                    updated_at=claimed_at,
                    endpoint=(endpoints or {}).get(platform, PlannedPost.endpoint),
                )
            )
            if result.rowcount == 1:
                won.append(row_id)
                session.add(
                    Attempt(
                        planned_post_id=row_id,
                        at=claimed_at,
                        actor=ledger.actor,
                        outcome="sending",
                        text_hash=text_hash,
                    )
                )
    if not won:
        return []
    with ledger.reading() as session:
        rows = session.scalars(select(PlannedPost).where(PlannedPost.id.in_(won)))
        return sorted(rows, key=lambda row: (row.due_at, row.id))


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


def next_due(ledger: Ledger) -> datetime | None:
    """When the earliest planned post falls due (its retry time, if it has one)."""
    with ledger.reading() as session:
        value = session.scalar(
            select(
                func.min(func.coalesce(PlannedPost.retry_at, PlannedPost.due_at))
            ).where(PlannedPost.status == "planned")
        )
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
        session.connection().execute(
            update(PlannedPost)
            .where(PlannedPost.claimed_by == who, PlannedPost.status == "sending")
            .values(lease_until=utcnow() + lease)
        )


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
