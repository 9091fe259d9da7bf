"""Tests for copying a ledger into another database: every row kept with its id, the
identity carried over and recognised, refusals, and all or nothing."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from crosspost.ledger import copy as ledger_copy
from crosspost.ledger.campaigns import save_campaign
from crosspost.ledger.copy import COPIED, LedgerBusy, copy_ledger
from crosspost.ledger.database import LedgerError
from crosspost.ledger.due import heartbeat, stop_runner
from crosspost.ledger.identity import marker_path, read_marker
from crosspost.ledger.store import Ledger
from crosspost.summaries.parse import parse_summary
from crosspost.teasers.model import Teaser, TeaserPart

from ..conftest import EXAMPLES
from .legacy import write_legacy_ledger

NOW = datetime(2027, 3, 24, 9, 0, tzinfo=UTC)


def teaser(platform: str, key: str) -> Teaser:
    words = f"Finding {key} on {platform}: vitamin D and relapses in MS."
    return Teaser(
        summary_id="rs-71471003d621",
        summary_title="Vitamin D and relapses",
        platform=platform,
        variant="finding" if key.startswith("finding") else "announce",
        key=key,
        parts=(TeaserPart(text=words, count=len(words)),),
        limit=280,
    )


def fill(url: str, marker_dir: Path | None = None) -> Ledger:
    """A ledger in use: a campaign, posts in several states with their history, and
    a runner that stopped."""
    ledger = Ledger(url, marker_dir=marker_dir)
    summary = parse_summary((EXAMPLES / "vitamin-d.md").read_bytes(), "vitamin-d.md")
    save_campaign(ledger, summary, found_at=NOW, zone="Europe/London", status="active")
    for number, platform in enumerate(("x", "facebook", "linkedin", "instagram")):
        for key in ("announce", "finding-1", "finding-2"):
            row = ledger.plan(
                teaser(platform, key),
                due_at=NOW + timedelta(days=number),
                zone="Europe/London",
            )
            if key == "announce":
                assert ledger.claim(row.id, text_hash="h", wire_text="w")
                ledger.finish(row.id, "published", post_id=f"{row.id}", url="u")
    heartbeat(ledger, now=NOW, next_due_at=NOW)
    stop_runner(ledger, now=NOW)
    return ledger


def dump(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of every copied table, in id order, as read through the tables."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: [
                    dict(row._mapping)
                    for row in connection.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for table in COPIED
            }
    finally:
        engine.dispose()


def test_sqlite_to_sqlite_keeps_every_row_id_and_identity(tmp_path: Path) -> None:
    """Every row of every table arrives as it was, the target carries the source's
    identity and a marker, opens as a ledger, and new rows get fresh ids."""
    source, target = f"sqlite:///{tmp_path}/a/ledger.db", f"sqlite:///{tmp_path}/b.db"
    with fill(source) as ledger:
        identity = ledger.identity
    done = copy_ledger(source, target, now=NOW)
    assert done.identity == identity
    assert done.counts == {
        "campaigns": 1,
        "ledger_identity": 1,
        "planned_posts": 12,
        "runners": 1,
        "attempts": 8,
    }
    assert done.warnings == []
    before, after = dump(source), dump(target)
    assert after == before
    assert after["planned_posts"][0]["due_at"].tzinfo is not None
    marker = read_marker(done.marker)
    assert marker is not None
    assert marker.identity == identity
    with Ledger(target) as copied:
        assert copied.identity == identity
        fresh = copied.plan(teaser("x", "recap"))
        assert fresh.id == max(row["id"] for row in before["planned_posts"]) + 1


def test_an_older_ledger_is_upgraded_then_copied(tmp_path: Path) -> None:
    """A schema 1 ledger is brought up to date by its migrations first, then copied
    whole."""
    source, target = f"sqlite:///{tmp_path}/old.db", f"sqlite:///{tmp_path}/new.db"
    write_legacy_ledger(source, 1)
    done = copy_ledger(source, target)
    assert done.counts["planned_posts"] == 1
    assert dump(target) == dump(source)


def test_a_target_holding_posts_is_refused(tmp_path: Path) -> None:
    """A target with posts (here the source itself) is left as it was."""
    source, target = f"sqlite:///{tmp_path}/a.db", f"sqlite:///{tmp_path}/b.db"
    fill(source).close()
    with Ledger(target) as other:
        other.plan(teaser("x", "announce"))
    before = dump(target)
    with pytest.raises(LedgerError, match=r"already holds a ledger \(1 rows in pl"):
        copy_ledger(source, target, now=NOW)
    with pytest.raises(LedgerError, match="already holds a ledger"):
        copy_ledger(source, source, now=NOW)
    assert dump(target) == before


def test_an_opened_empty_target_takes_the_source_identity(tmp_path: Path) -> None:
    """A target opened before (an identity and marker of its own, no posts) is
    filled, and its marker now names the copied identity, so it opens."""
    source, target = f"sqlite:///{tmp_path}/a.db", f"sqlite:///{tmp_path}/b.db"
    with fill(source) as ledger:
        identity = ledger.identity
    Ledger(target).close()
    copy_ledger(source, target, now=NOW)
    with Ledger(target) as copied:
        assert copied.identity == identity


def test_a_post_being_sent_stops_the_copy_unless_forced(tmp_path: Path) -> None:
    """A `sending` row is refused, naming it, with nothing copied; --force copies it
    as it is and says so."""
    source, target = f"sqlite:///{tmp_path}/a.db", f"sqlite:///{tmp_path}/b.db"
    with fill(source) as ledger:
        sending = ledger.plan(teaser("x", "recap"))
        assert ledger.claim(sending.id, text_hash="h")
    with pytest.raises(LedgerBusy, match=f"ids {sending.id}\\)") as refused:
        copy_ledger(source, target, now=NOW)
    assert "--force" in str(refused.value)
    assert not (tmp_path / "b.db").exists()
    done = copy_ledger(source, target, force=True, now=NOW)
    assert "being sent" in done.warnings[0]
    with Ledger(target) as copied:
        assert copied.get(sending.id).status == "sending"


def test_a_live_runner_stops_the_copy_unless_forced(tmp_path: Path) -> None:
    """A runner that ticked lately and did not stop is refused; one silent for
    longer than RUNNER_QUIET is taken as gone."""
    source, target = f"sqlite:///{tmp_path}/a.db", f"sqlite:///{tmp_path}/b.db"
    with fill(source) as ledger:
        heartbeat(ledger, now=NOW, next_due_at=None)
    with pytest.raises(LedgerBusy, match="did not stop"):
        copy_ledger(source, target, now=NOW + timedelta(minutes=1))
    done = copy_ledger(source, target, now=NOW + timedelta(minutes=6))
    assert done.warnings == []


def test_a_missing_or_foreign_source_is_refused(tmp_path: Path) -> None:
    """No file is created for a source that is not there, and a database without
    ledger tables is not copied."""
    target = f"sqlite:///{tmp_path}/b.db"
    with pytest.raises(LedgerError, match="no ledger at"):
        copy_ledger(f"sqlite:///{tmp_path}/gone/ledger.db", target)
    assert not (tmp_path / "gone").exists()
    engine = create_engine(f"sqlite:///{tmp_path}/other.db")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (body TEXT)"))
    engine.dispose()
    with pytest.raises(LedgerError, match="holds no crosspost ledger"):
        copy_ledger(f"sqlite:///{tmp_path}/other.db", target)


def test_a_failure_mid_copy_keeps_no_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database error after the rows went in rolls the target back: no row, no
    marker, a message naming both ledgers."""
    source, target = f"sqlite:///{tmp_path}/a.db", f"sqlite:///{tmp_path}/b.db"
    fill(source).close()

    def broken(connection: object) -> None:
        raise OperationalError("setval", {}, Exception("disk I/O error"))

    monkeypatch.setattr(ledger_copy, "_advance_sequences", broken)
    with pytest.raises(LedgerError, match=r"disk I/O error.*keeps no row"):
        copy_ledger(source, target, now=NOW)
    assert all(
        not rows for name, rows in dump(target).items() if name != "ledger_identity"
    )
    assert not (tmp_path / "b.db.identity").exists()


def test_counts_that_differ_roll_the_copy_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the target's counts differ from the source's, the copy is undone."""
    source, target = f"sqlite:///{tmp_path}/a.db", f"sqlite:///{tmp_path}/b.db"
    fill(source).close()
    real = ledger_copy._counts
    seen: list[dict[str, int]] = []

    def counting(connection: Any) -> dict[str, int]:
        found = real(connection)
        seen.append(found)
        if len(seen) == 3:  # the target's, after the rows went in
            found = {**found, "attempts": found["attempts"] - 1}
        return found

    monkeypatch.setattr(ledger_copy, "_counts", counting)
    with pytest.raises(LedgerError, match="attempts 8 → 7"):
        copy_ledger(source, target, now=NOW)
    assert not dump(target)["planned_posts"]


@pytest.fixture
def postgres_target() -> Iterator[str]:
    """A database of its own under CROSSPOST_TEST_POSTGRES_URL when its role may
    create one, else a schema of its own (chosen with search_path); dropped after.
    Other tests' tables are never touched."""
    given = os.environ.get("CROSSPOST_TEST_POSTGRES_URL")
    if not given:
        pytest.skip("CROSSPOST_TEST_POSTGRES_URL is not set")
    name = f"crosspost_copy_{uuid.uuid4().hex[:10]}"
    admin = create_engine(given, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        may_create = connection.scalar(
            text("SELECT rolcreatedb FROM pg_roles WHERE rolname = current_user")
        )
        if may_create:
            connection.execute(text(f"CREATE DATABASE {name}"))
            url = make_url(given).set(database=name)
        else:
            connection.execute(text(f"CREATE SCHEMA {name}"))
            url = make_url(given).update_query_dict(
                {"options": f"-csearch_path={name}"}
            )
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            if may_create:
                connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
            else:
                connection.execute(text(f"DROP SCHEMA {name} CASCADE"))
        admin.dispose()


def test_sqlite_to_postgresql(tmp_path: Path, postgres_target: str) -> None:
    """SQLite to PostgreSQL: the same rows, the identity recognised through a marker
    in the state folder, and the id sequences moved past the copied ids."""
    source = f"sqlite:///{tmp_path}/ledger.db"
    with fill(source) as ledger:
        identity = ledger.identity
    state = tmp_path / "state"
    done = copy_ledger(source, postgres_target, marker_dir=state, now=NOW)
    assert "crosspost:crosspost@" not in done.target
    assert done.marker == marker_path(make_url(postgres_target), state)
    assert dump(postgres_target) == dump(source)
    with Ledger(postgres_target, marker_dir=state) as copied:
        assert copied.identity == identity
        fresh = copied.plan(teaser("linkedin", "recap"))
        assert fresh.id == 13
        assert copied.claim(fresh.id, text_hash="h")
        copied.finish(fresh.id, "published", post_id="9", url="u")
    with pytest.raises(LedgerError, match="already holds a ledger"):
        copy_ledger(source, postgres_target, marker_dir=state, now=NOW)
