"""The ledger at a glance, for a monitor: posts per status, overdue posts and the next
one due."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, select

from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import PlannedPost


def _falls_due() -> ColumnElement[datetime]:
    """When a planned post falls due: its retry time, if it has one."""
    return func.coalesce(PlannedPost.retry_at, PlannedPost.due_at)


def status_counts(ledger: Ledger) -> dict[str, int]:
    """How many posts have each status (statuses with none left out)."""
    with ledger.reading() as session:
        rows = session.execute(
            select(PlannedPost.status, func.count()).group_by(PlannedPost.status)
        ).all()
    return {status: int(count) for status, count in rows}


def overdue_count(ledger: Ledger, *, before: datetime) -> int:
    """Planned posts that fell due (their retry time, if any) before `before`."""
    with ledger.reading() as session:
        found = session.scalar(
            select(func.count()).where(
                PlannedPost.status == "planned", _falls_due() < before
            )
        )
    return int(found or 0)


def next_planned(ledger: Ledger) -> PlannedPost | None:
    """The planned post that falls due first (by its retry time, if it has one)."""
    with ledger.reading() as session:
        return session.scalars(
            select(PlannedPost)
            .where(PlannedPost.status == "planned")
            .order_by(_falls_due(), PlannedPost.id)
            .limit(1)
        ).first()
