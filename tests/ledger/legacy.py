"""Ledgers as crosspost wrote them before Alembic (schema 1 and 2), to test that an
existing ledger upgrades in place."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    insert,
)


def legacy_metadata(version: int) -> MetaData:
    """The tables of schema `version` (1 or 2), as that release's create_all made
    them."""
    metadata = MetaData()
    Table(
        "schema_version",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("version", Integer, nullable=False),
    )
    extra = (
        [
            Column("wire_text", Text),
            Column("claimed_by", String(255)),
            Column("claimed_at", DateTime),
        ]
        if version >= 2
        else []
    )
    Table(
        "planned_posts",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("summary_id", String(64), nullable=False, index=True),
        Column("summary_title", Text, nullable=False),
        Column("platform", String(32), nullable=False),
        Column("variant", String(32), nullable=False),
        Column("key", String(64), nullable=False),
        Column("text_hash", String(64), nullable=False),
        *extra,
        Column("due_at", DateTime, nullable=False, index=True),
        Column("zone", String(64), nullable=False),
        Column("status", String(32), nullable=False, index=True),
        Column("post_id", String(255)),
        Column("url", Text),
        Column("handoff_path", Text),
        Column("attempts", Integer, nullable=False),
        Column("last_error", Text),
        Column("created_at", DateTime, nullable=False),
        Column("updated_at", DateTime, nullable=False),
        UniqueConstraint("summary_id", "platform", "key"),
    )
    Table(
        "attempts",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column(
            "planned_post_id",
            Integer,
            ForeignKey("planned_posts.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        Column("at", DateTime, nullable=False),
        Column("actor", String(255), nullable=False),
        Column("outcome", String(32), nullable=False),
        Column("text_hash", String(64)),
        Column("post_id", String(255)),
        Column("url", Text),
        Column("error", Text),
    )
    return metadata


def write_legacy_ledger(url: str, version: int) -> None:
    """A ledger of schema `version` holding one published post and its history."""
    metadata = legacy_metadata(version)
    engine = create_engine(url)
    metadata.create_all(engine)
    posts = metadata.tables["planned_posts"]
    row = {
        "summary_id": "rs-legacy",
        "summary_title": "Gait in MS",
        "platform": "x",
        "variant": "announce",
        "key": "announce",
        "text_hash": "h",
        "due_at": "2026-01-01 09:00:00",
        "zone": "UTC",
        "status": "published",
        "post_id": "1790000000000000999",
        "url": "https://x.com/i/web/status/1790000000000000999",
        "attempts": 1,
        "created_at": "2026-01-01 09:00:00",
        "updated_at": "2026-01-01 09:00:01",
    }
    if version >= 2:
        row["wire_text"] = "Gait in MS: what we found"
    from datetime import datetime

    for name in ("due_at", "created_at", "updated_at"):
        row[name] = datetime.fromisoformat(str(row[name]))
    with engine.begin() as connection:
        connection.execute(
            insert(metadata.tables["schema_version"]), [{"id": 1, "version": version}]
        )
        connection.execute(insert(posts), [row])
        connection.execute(
            insert(metadata.tables["attempts"]),
            [
                {
                    "planned_post_id": 1,
                    "at": row["updated_at"],
                    "actor": "someone@host pid 1",
                    "outcome": "published",
                    "url": row["url"],
                }
            ],
        )
    engine.dispose()
