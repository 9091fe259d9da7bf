"""`crosspost ledger copy` throughput: a SQLite ledger of 2,000 campaigns' posts (10,000
planned posts, 30,000 attempts) copied to SQLite, and to PostgreSQL when
CROSSPOST_TEST_POSTGRES_URL is set (into a schema of its own, dropped after)."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from crosspost.ledger.copy import copy_ledger
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import Attempt, Campaign, PlannedPost

CAMPAIGNS = 2_000
PLATFORMS = ("x", "facebook", "instagram", "linkedin", "youtube")
START = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


def build(url: str) -> int:
    """A ledger with every campaign's five announces published (three attempts
    each: sending, published, reconciled); the number of rows written."""
    Ledger(url).close()
    engine = create_engine(url)
    posts, attempts, campaigns = [], [], []
    for number in range(CAMPAIGNS):
        summary = f"rs-{number:012x}"
        due = START + timedelta(hours=number)
        campaigns.append(
            {
                "summary_id": summary,
                "title": f"Summary {number}",
                "source": f"summaries/{number}.md",
                "content_hash": "c" * 64,
                "summary_json": '{"findings": []}' + " " * 2_000,
                "status": "active",
                "zone": "Europe/London",
                "found_at": due,
                "created_at": due,
                "updated_at": due,
            }
        )
        for platform in PLATFORMS:
            row_id = len(posts) + 1
            posts.append(
                {
                    "id": row_id,
                    "summary_id": summary,
                    "summary_title": f"Summary {number}",
                    "platform": platform,
                    "variant": "announce",
                    "key": "announce",
                    "text_hash": "h" * 64,
                    "wire_text": "A finding in plain words. " * 10,
                    "due_at": due,
                    "zone": "Europe/London",
                    "local_time": due.isoformat(),
                    "status": "published",
                    "post_id": str(row_id),
                    "url": f"https://example.org/{row_id}",
                    "attempts": 1,
                    "created_at": due,
                    "updated_at": due,
                }
            )
            attempts += [
                {
                    "planned_post_id": row_id,
                    "at": due,
                    "actor": "host:1",
                    "outcome": outcome,
                    "text_hash": "h" * 64,
                }
                for outcome in ("sending", "published", "reconciled: published")
            ]
    with engine.begin() as connection:
        connection.execute(insert(Campaign), campaigns)
        connection.execute(insert(PlannedPost), posts)
        connection.execute(insert(Attempt), attempts)
    engine.dispose()
    return len(campaigns) + len(posts) + len(attempts)


def timed(source: str, target: str, rows: int, label: str) -> None:
    started = time.perf_counter()
    done = copy_ledger(source, target)
    seconds = time.perf_counter() - started
    assert sum(done.counts.values()) == rows + 1  # and the identity row
    print(
        f"{label:<22} {rows:>7,} rows in {seconds:6.2f} s  "
        f"({rows / seconds:>8,.0f} rows/s, counts checked)"
    )


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="crosspost-copy-"))
    try:
        copies(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def copies(folder: Path) -> None:
    source = f"sqlite:///{folder}/ledger.db"
    rows = build(source)
    size = (folder / "ledger.db").stat().st_size / 1e6
    print(f"source: SQLite, {rows:,} rows ({size:.1f} MB)")
    timed(source, f"sqlite:///{folder}/copy.db", rows, "SQLite -> SQLite")
    given = os.environ.get("CROSSPOST_TEST_POSTGRES_URL")
    if not given:
        print("SQLite -> PostgreSQL   skipped: CROSSPOST_TEST_POSTGRES_URL is not set")
        return
    schema = f"crosspost_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(given, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    target = make_url(given).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        timed(
            source,
            target.render_as_string(hide_password=False),
            rows,
            "SQLite -> PostgreSQL",
        )
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


if __name__ == "__main__":
    main()
