"""The ledger's tables: planned posts, their append-only history, the schema version."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal, get_args

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# 2: planned posts keep their wire text and who claimed them, and when.
SCHEMA_VERSION = 2

Status = Literal[
    "planned",
    "sending",
    "published",
    "failed",
    "unknown",
    "awaiting_manual",
    "cancelled",
    "missed",
]
STATUSES: tuple[Status, ...] = get_args(Status)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stored as UTC without a zone (SQLite keeps none); always read back aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("the ledger stores aware datetimes only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class SchemaVersion(Base):
    """One row: the tables' version, so an older crosspost refuses a newer ledger."""

    __tablename__ = "schema_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class PlannedPost(Base):
    """One post to one platform; the row is the truth about whether it went out."""

    __tablename__ = "planned_posts"
    __table_args__ = (UniqueConstraint("summary_id", "platform", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    summary_id: Mapped[str] = mapped_column(String(64), index=True)
    summary_title: Mapped[str] = mapped_column(Text, default="")
    platform: Mapped[str] = mapped_column(String(32))
    variant: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(64))
    text_hash: Mapped[str] = mapped_column(String(64))
    # Exactly what was (or will be) sent, parts joined by U+001E: public post text,
    # kept so a lost answer can be looked for on the platform.
    wire_text: Mapped[str | None] = mapped_column(Text, default=None)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    zone: Mapped[str] = mapped_column(String(64), default="UTC")
    status: Mapped[str] = mapped_column(String(32), index=True, default="planned")
    post_id: Mapped[str | None] = mapped_column(String(255), default=None)
    url: Mapped[str | None] = mapped_column(Text, default=None)
    handoff_path: Mapped[str | None] = mapped_column(Text, default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    claimed_by: Mapped[str | None] = mapped_column(String(255), default=None)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Attempt(Base):
    """An event in a post's history (sending, published, resolved...); never updated."""

    __tablename__ = "attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    planned_post_id: Mapped[int] = mapped_column(
        ForeignKey("planned_posts.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(255))
    outcome: Mapped[str] = mapped_column(String(32))
    text_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    post_id: Mapped[str | None] = mapped_column(String(255), default=None)
    url: Mapped[str | None] = mapped_column(Text, default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
