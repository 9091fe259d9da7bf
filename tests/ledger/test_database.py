"""Tests for the ledger's database: engine per URL, SQLite tuning, schema version."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect

from crosspost.errors import ConfigError
from crosspost.ledger.database import LedgerError, open_engine, prepare_schema
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import SCHEMA_VERSION


def url_for(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/state/ledger.db"


def test_prepare_schema_creates_every_table(tmp_path: Path) -> None:
    """First use creates the planned-post, attempt and schema-version tables."""
    engine = open_engine(url_for(tmp_path))
    prepare_schema(engine, "test ledger")
    prepare_schema(engine, "test ledger")
    assert set(inspect(engine).get_table_names()) == {
        "attempts",
        "planned_posts",
        "schema_version",
    }
    engine.dispose()


def test_sqlite_file_gets_its_folder_wal_and_busy_timeout(tmp_path: Path) -> None:
    """The SQLite file's folders are created; the journal is WAL; writers wait."""
    engine = open_engine(url_for(tmp_path))
    with engine.connect() as connection:
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        timeout = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    engine.dispose()
    assert (tmp_path / "state" / "ledger.db").is_file()
    assert (mode, timeout) == ("wal", 30000)


def test_unwritable_folder_is_a_ledger_error(tmp_path: Path) -> None:
    """A ledger folder that cannot be created is reported with a hint."""
    (tmp_path / "file").write_text("in the way")
    with pytest.raises(LedgerError, match="cannot create the ledger's folder"):
        open_engine(f"sqlite:///{tmp_path}/file/ledger.db")


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    """A ledger written by a newer crosspost is refused with an upgrade hint."""
    url = url_for(tmp_path)
    Ledger(url).close()
    database = sqlite3.connect(tmp_path / "state" / "ledger.db")
    database.execute("UPDATE schema_version SET version = 99")
    database.commit()
    database.close()
    with pytest.raises(LedgerError) as caught:
        Ledger(url)
    assert "schema version 99" in caught.value.message
    assert "upgrade crosspost" in (caught.value.hint or "")


def test_schema_version_is_written_once(tmp_path: Path) -> None:
    """Opening a ledger twice keeps one schema-version row."""
    url = url_for(tmp_path)
    Ledger(url).close()
    Ledger(url).close()
    database = sqlite3.connect(tmp_path / "state" / "ledger.db")
    versions = database.execute("SELECT version FROM schema_version").fetchall()
    assert versions == [(SCHEMA_VERSION,)]
    database.close()


def test_bad_url_and_missing_driver_are_config_errors() -> None:
    """A URL that is not a database URL, or lacks its driver, is a config error."""
    with pytest.raises(ConfigError, match="not a database URL"):
        Ledger("not a url")
    with pytest.raises(ConfigError, match="no database driver"):
        Ledger("postgresql+nosuchdriver://user:pw@localhost/ledger")


def test_password_is_hidden_in_messages() -> None:
    """The ledger URL shown in errors never carries the database password."""
    with pytest.raises(ConfigError) as caught:
        Ledger("postgresql+nosuchdriver://user:hunter22@localhost/ledger")
    assert "hunter22" not in str(caught.value)


def test_version_1_ledger_gains_the_claim_and_text_columns(tmp_path: Path) -> None:
    """A ledger written before version 2 gets its new columns and keeps its rows."""
    url = url_for(tmp_path)
    Ledger(url).close()
    database = sqlite3.connect(tmp_path / "state" / "ledger.db")
    database.execute(
        "INSERT INTO planned_posts (summary_id, summary_title, platform, variant, key,"
        " text_hash, due_at, zone, status, attempts, created_at, updated_at) VALUES"
        " ('rs-1', 'Gait in MS', 'x', 'announce', 'announce', 'h',"
        " '2026-01-01 00:00:00', 'UTC', 'unknown', 1,"
        " '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
    )
    for column in ("wire_text", "claimed_by", "claimed_at"):
        database.execute(f"ALTER TABLE planned_posts DROP COLUMN {column}")
    database.execute("UPDATE schema_version SET version = 1")
    database.commit()
    with Ledger(url) as ledger:
        [row] = ledger.posts()
        assert (row.status, row.wire_text, row.claimed_by) == ("unknown", None, None)
    columns = {c[1] for c in database.execute("PRAGMA table_info(planned_posts)")}
    assert {"wire_text", "claimed_by", "claimed_at"} <= columns
    versions = database.execute("SELECT version FROM schema_version").fetchall()
    assert versions == [(SCHEMA_VERSION,)] == [(2,)]
    database.close()
