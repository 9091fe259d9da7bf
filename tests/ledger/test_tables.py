"""Tests for the ledger tables: the UTC column type and unique planned posts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crosspost.ledger.tables import STATUSES, Base, PlannedPost, UTCDateTime


def row(key: str = "announce") -> PlannedPost:
    return PlannedPost(
        summary_id="rs-000000000001",
        platform="linkedin",
        variant="announce",
        key=key,
        text_hash="h",
        due_at=datetime(2026, 10, 25, 1, 30, tzinfo=timezone(timedelta(hours=1))),
    )


def test_utc_datetime_converts_to_utc_and_back() -> None:
    """An aware time in another zone is stored as UTC and read back aware."""
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(row())
        session.commit()
        session.expire_all()
        stored = session.query(PlannedPost).one()
    assert stored.due_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert stored.due_at.tzinfo == UTC


def test_utc_datetime_refuses_naive_values() -> None:
    """A naive datetime is refused rather than guessed at."""
    column = UTCDateTime()
    with pytest.raises(ValueError, match="aware"):
        column.process_bind_param(
            datetime(2026, 1, 1), create_engine("sqlite://").dialect
        )


def test_summary_platform_key_is_unique() -> None:
    """Two rows for the same summary, platform and key cannot coexist."""
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all([row(), row()])
        with pytest.raises(IntegrityError):
            session.commit()


def test_statuses_cover_the_documented_lifecycle() -> None:
    """Every status of the design is known, the reserved ones included."""
    assert set(STATUSES) == {
        "draft",
        "planned",
        "sending",
        "published",
        "failed",
        "unknown",
        "awaiting_manual",
        "cancelled",
        "missed",
    }
