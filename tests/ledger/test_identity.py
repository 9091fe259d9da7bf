"""Tests for the ledger's identity: a ledger lost, emptied or replaced is refused,
never silently started afresh."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from crosspost.ledger.database import LedgerError
from crosspost.ledger.store import Ledger


def url_for(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/var/ledger.db"


def test_first_use_writes_a_marker_beside_the_ledger(tmp_path: Path) -> None:
    """A new ledger leaves its identity in a marker beside the file."""
    with Ledger(url_for(tmp_path)) as ledger:
        identity = ledger.identity
    marker = (tmp_path / "var" / "ledger.db.identity").read_text()
    assert identity in marker
    with Ledger(url_for(tmp_path)) as again:
        assert again.identity == identity


def test_a_deleted_ledger_is_refused_not_recreated(tmp_path: Path) -> None:
    """Where a ledger existed and is gone, opening refuses and creates nothing."""
    Ledger(url_for(tmp_path)).close()
    for name in ("ledger.db", "ledger.db-wal", "ledger.db-shm"):
        (tmp_path / "var" / name).unlink(missing_ok=True)
    with pytest.raises(LedgerError) as caught:
        Ledger(url_for(tmp_path))
    assert "is missing, but one existed here" in caught.value.message
    assert "reconcile --rebuild" in (caught.value.hint or "")
    assert not (tmp_path / "var" / "ledger.db").exists()


def test_an_empty_ledger_file_is_refused(tmp_path: Path) -> None:
    """A zero-length ledger file (a full disk, a bad restore) is refused, marker or
    not."""
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "ledger.db").write_bytes(b"")
    with pytest.raises(LedgerError, match="is an empty file"):
        Ledger(url_for(tmp_path))
    assert (tmp_path / "var" / "ledger.db").stat().st_size == 0


def test_a_ledger_file_that_is_no_database_is_refused(tmp_path: Path) -> None:
    """A file that is not SQLite at all (a damaged restore) is refused, saying so
    and how to recover."""
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "ledger.db").write_text("not a database\n" * 100)
    with pytest.raises(LedgerError, match="is not a database") as caught:
        Ledger(url_for(tmp_path))
    assert "reconcile --rebuild" in (caught.value.hint or "")


def test_another_ledger_in_its_place_is_refused(tmp_path: Path) -> None:
    """A different ledger restored over the one the marker remembers is refused."""
    Ledger(url_for(tmp_path)).close()
    other = tmp_path / "other"
    Ledger(f"sqlite:///{other}/ledger.db").close()
    shutil.copy(other / "ledger.db", tmp_path / "var" / "ledger.db")
    with pytest.raises(LedgerError, match="is not the one that was here"):
        Ledger(url_for(tmp_path))


def test_allow_new_starts_a_new_ledger_remembered_once_complete(
    tmp_path: Path,
) -> None:
    """An explicit new start (reconcile --rebuild) creates the ledger; until it calls
    remember(), other commands refuse it as a rebuild that has not finished."""
    Ledger(url_for(tmp_path)).close()
    (tmp_path / "var" / "ledger.db").unlink()
    with Ledger(url_for(tmp_path), allow_new=True) as ledger:
        identity = ledger.identity
    with pytest.raises(LedgerError, match="the rebuild has not finished"):
        Ledger(url_for(tmp_path))
    with Ledger(url_for(tmp_path), allow_new=True) as ledger:
        assert ledger.identity == identity
        ledger.remember()
    with Ledger(url_for(tmp_path)) as again:
        assert again.identity == identity


def test_a_ledger_deleted_while_in_use_is_noticed(tmp_path: Path) -> None:
    """verify() says when the file was deleted or replaced under a running command."""
    with Ledger(url_for(tmp_path)) as ledger:
        ledger.verify()
        os.unlink(tmp_path / "var" / "ledger.db")
        with pytest.raises(LedgerError, match="deleted or replaced"):
            ledger.verify()


def test_a_ledger_overwritten_in_place_while_in_use_is_noticed(
    tmp_path: Path,
) -> None:
    """A backup copied over the file in use (same inode, the WAL hiding the change
    from SQLite) is noticed by verify()."""
    Ledger(f"sqlite:///{tmp_path}/other/ledger.db").close()
    with Ledger(url_for(tmp_path)) as ledger:
        ledger.verify()
        shutil.copyfile(
            tmp_path / "other" / "ledger.db", tmp_path / "var" / "ledger.db"
        )
        with pytest.raises(LedgerError, match="was replaced while crosspost was using"):
            ledger.verify()


def test_a_server_ledger_keeps_its_marker_in_the_state_folder(tmp_path: Path) -> None:
    """For a database that is not a file, the marker lives in the state folder."""
    from sqlalchemy.engine import make_url

    from crosspost.ledger.identity import marker_path

    url = make_url("postgresql+psycopg://crosspost:secret@db.example/crosspost")
    path = marker_path(url, tmp_path)
    assert path is not None
    assert path.parent == tmp_path
    assert "secret" not in path.name
    assert marker_path(url, None) is None
