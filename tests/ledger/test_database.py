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

from .legacy import write_legacy_ledger


def url_for(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/state/ledger.db"


def test_prepare_schema_creates_every_table(tmp_path: Path) -> None:
    """First use creates the planned-post, attempt and schema-version tables."""
    engine = open_engine(url_for(tmp_path))
    prepare_schema(engine, "test ledger")
    prepare_schema(engine, "test ledger")
    assert set(inspect(engine).get_table_names()) == {
        "alembic_version",
        "attempts",
        "campaigns",
        "ledger_identity",
        "planned_posts",
        "runners",
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
    assert (mode, timeout) == ("wal", 10000)


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


@pytest.mark.parametrize("version", [1, 2])
def test_an_existing_ledger_upgrades_in_place(tmp_path: Path, version: int) -> None:
    """A ledger written before Alembic (schema 1 or 2) gains the new columns and
    tables through the migrations and keeps its rows and history."""
    url = url_for(tmp_path)
    (tmp_path / "state").mkdir()
    write_legacy_ledger(url, version)
    with Ledger(url) as ledger:
        [row] = ledger.posts()
        assert (row.status, row.url) == (
            "published",
            "https://x.com/i/web/status/1790000000000000999",
        )
        assert (row.local_time, row.endpoint, row.lease_until) == (None, None, None)
        assert [a.outcome for a in ledger.history(row.id)] == ["published"]
        assert ledger.identity
    database = sqlite3.connect(tmp_path / "state" / "ledger.db")
    columns = {c[1] for c in database.execute("PRAGMA table_info(planned_posts)")}
    assert {"wire_text", "claimed_by", "local_time", "endpoint", "retry_at"} <= columns
    assert database.execute("SELECT version FROM schema_version").fetchall() == [
        (SCHEMA_VERSION,)
    ]
    assert database.execute("SELECT version_num FROM alembic_version").fetchall() == [
        ("0003",)
    ]
    database.close()


def test_unknown_alembic_revision_is_refused(tmp_path: Path) -> None:
    """A ledger migrated by a newer crosspost (a revision this one lacks) is refused."""
    url = url_for(tmp_path)
    Ledger(url).close()
    database = sqlite3.connect(tmp_path / "state" / "ledger.db")
    database.execute("UPDATE alembic_version SET version_num = '0099'")
    database.commit()
    database.close()
    with pytest.raises(LedgerError, match="revision 0099, newer"):
        Ledger(url)


def test_a_database_of_other_tables_is_refused(tmp_path: Path) -> None:
    """A database that holds other tables is not taken for a new ledger."""
    (tmp_path / "state").mkdir()
    database = sqlite3.connect(tmp_path / "state" / "ledger.db")
    database.execute("CREATE TABLE invoices (id INTEGER)")
    database.commit()
    database.close()
    with pytest.raises(LedgerError, match="not a crosspost ledger"):
        Ledger(url_for(tmp_path))


def test_a_postgresql_urls_own_options_are_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`?options=-csearch_path=...` in the URL survives the lock timeout crosspost
    adds (the engine's connect arguments would otherwise replace it)."""
    from crosspost.ledger import database

    seen: dict[str, object] = {}

    def capture(
        url: object, *, connect_args: dict[str, object], **pooling: object
    ) -> object:
        seen.update(connect_args)
        return object()

    monkeypatch.setattr(database, "create_engine", capture)
    open_engine(
        "postgresql+psycopg://u@h/db?options=-csearch_path%3Dcopy_1", timeout=2.5
    )
    assert seen["options"] == "-csearch_path=copy_1 -c lock_timeout=2500"
    open_engine("postgresql+psycopg://u@h/db", timeout=1)
    assert seen["options"] == "-c lock_timeout=1000"


def test_postgresql_url_options_are_kept_beside_the_lock_timeout(
    postgres_schema: str,
) -> None:
    """Options in a PostgreSQL URL (a schema's search_path) are kept, and the lock
    timeout is added to them."""
    engine = open_engine(postgres_schema, timeout=3)
    try:
        with engine.connect() as connection:
            path = connection.exec_driver_sql("SHOW search_path").scalar()
            timeout = connection.exec_driver_sql("SHOW lock_timeout").scalar()
    finally:
        engine.dispose()
    assert str(path).startswith("crosspost_test_")
    assert timeout == "3s"
