"""The ledger's tables: campaigns, planned posts, their append-only history, runner
heartbeats, the ledger's identity and the schema version.

Changes to these tables are Alembic migrations (`crosspost/ledger/migrations/`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal, get_args

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# 2: planned posts keep their wire text and who claimed them, and when.
# 3: campaigns, local slot times, endpoints, leases and retries, runners, identity.
SCHEMA_VERSION = 3

Status = Literal[
    "draft",
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
    # The slot as the team sees it: ISO 8601 local time with the zone's offset.
    local_time: Mapped[str | None] = mapped_column(String(40), default=None)
    # Where the post was sent (the API's base URL, or `sandbox:` + it in a dry run).
    endpoint: Mapped[str | None] = mapped_column(String(255), default=None)
    # A refused-for-sure send waits until then before it is tried again.
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    status: Mapped[str] = mapped_column(String(32), index=True, default="planned")
    post_id: Mapped[str | None] = mapped_column(String(255), default=None)
    url: Mapped[str | None] = mapped_column(Text, default=None)
    handoff_path: Mapped[str | None] = mapped_column(Text, default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    claimed_by: Mapped[str | None] = mapped_column(String(255), default=None)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # A runner's claim is good until then; its heartbeat moves it on.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
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


class Campaign(Base):
    """A summary's campaign: the summary as it was read, and how it is to be posted."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    summary_id: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    # The parsed Summary as JSON: posts are rendered from it when they fall due.
    summary_json: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="active")
    headline: Mapped[int | None] = mapped_column(Integer, default=None)
    finding_order: Mapped[str | None] = mapped_column(Text, default=None)
    zone: Mapped[str] = mapped_column(String(64), default="UTC")
    found_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Runner(Base):
    """A `crosspost run` process and its heartbeat."""

    __tablename__ = "runners"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    version: Mapped[str] = mapped_column(String(32), default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_tick: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    next_due: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class LedgerIdentity(Base):
    """One row: this ledger's identity, also kept in a marker beside the state, so a
    lost or replaced ledger is noticed instead of silently started afresh."""

    __tablename__ = "ledger_identity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    identity: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
