"""The ledger's identity: a marker kept beside the state, so a ledger that was lost,
emptied or replaced is refused instead of being silently started afresh (which would
post everything again)."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL

from crosspost.ledger.database import LedgerError

# What the marker names while `reconcile --rebuild` has not finished: until it does,
# the new ledger is refused (a post would send again what could not be looked up).
INCOMPLETE = "incomplete-rebuild"
RECOVER_HINT = (
    "restore the ledger from a backup; or, to start a new ledger without posting "
    "again what is already live, run `crosspost reconcile --rebuild SOURCE...` "
    "(it finds each post on the platforms and records it; add --dry-run for the "
    "dry-run ledger)"
)


@dataclass(frozen=True)
class Marker:
    """What the marker file holds: the identity of the ledger that lives at `url`."""

    identity: str
    url: str

    def dump(self) -> str:
        return json.dumps({"identity": self.identity, "url": self.url}) + "\n"


def sqlite_file(url: URL) -> Path | None:
    """The SQLite file behind `url`, if it is one."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database or "")


def marker_path(url: URL, marker_dir: Path | None) -> Path | None:
    """Beside a SQLite file; for a server database, in `marker_dir` (the state folder)
    named by the URL, so each database has its own marker."""
    file = sqlite_file(url)
    if file is not None:
        return file.with_name(file.name + ".identity")
    if marker_dir is None:
        return None
    shown = url.render_as_string(hide_password=True)
    digest = hashlib.sha256(shown.encode("utf-8")).hexdigest()[:12]
    return marker_dir / f"ledger-{digest}.identity"


def read_marker(path: Path | None) -> Marker | None:
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Marker(identity=str(data["identity"]), url=str(data.get("url", "")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        raise LedgerError(
            f"the ledger's identity marker {path} is damaged",
            hint="restore it from a backup, or remove it if you are sure the ledger "
            "beside it is the right one",
        ) from None


def write_marker(path: Path | None, marker: Marker) -> None:
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_text(marker.dump(), encoding="utf-8")
    os.replace(partial, path)


def check_before_open(url: URL, shown: str, marker: Marker | None) -> None:
    """Refuse a SQLite ledger file that is empty, or missing where one existed."""
    file = sqlite_file(url)
    if file is None:
        return
    try:
        size = file.stat().st_size
    except FileNotFoundError:
        if marker is not None:
            raise LedgerError(
                f"the ledger {shown} is missing, but one existed here "
                f"(identity {marker.identity})",
                hint=RECOVER_HINT,
            ) from None
        return
    if size == 0:
        raise LedgerError(
            f"the ledger {shown} is an empty file, not a crosspost ledger "
            "(a full disk or a bad restore?)",
            hint=RECOVER_HINT,
        )


def set_aside_if_empty(url: URL) -> Path | None:
    """Move an empty SQLite ledger file (and its -wal and -shm files) aside, so a
    rebuild can start anew without deleting anything; the new name, or None."""
    file = sqlite_file(url)
    if file is None or not file.is_file() or file.stat().st_size > 0:
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = file.with_name(f"{file.name}.empty-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        part = file.with_name(file.name + suffix)
        if part.exists():
            os.replace(part, aside.with_name(aside.name + suffix))
    return aside


def check_after_open(shown: str, identity: str, marker: Marker | None) -> None:
    """Refuse a ledger that is not the one the marker remembers."""
    if marker is not None and marker.identity == INCOMPLETE:
        raise LedgerError(
            f"the ledger {shown} is being rebuilt, and the rebuild has not finished "
            "(a platform's posts could not be listed, or it was stopped)",
            hint="run `crosspost reconcile --rebuild SOURCE...` again until it says "
            "every listing was read; nothing is posted meanwhile",
        )
    if marker is not None and marker.identity != identity:
        raise LedgerError(
            f"the ledger {shown} is not the one that was here: its identity is "
            f"{identity}, the marker beside it names {marker.identity}",
            hint=RECOVER_HINT,
        )


def identity_in_file(url: URL) -> str | None:
    """The identity written in the SQLite file itself, read past the WAL (which would
    mask a file overwritten in place); None when it cannot tell (not a file, or the
    identity not yet checkpointed into it)."""
    file = sqlite_file(url)
    if file is None:
        return None
    try:
        address = f"{file.resolve().as_uri()}?immutable=1"
        connection = sqlite3.connect(address, uri=True)
        try:
            query = "SELECT identity FROM ledger_identity"
            found = connection.execute(query).fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return str(found[0]) if found else None


def file_stamp(url: URL) -> tuple[int, int] | None:
    """(device, inode) of the SQLite file, to notice it being replaced or deleted."""
    file = sqlite_file(url)
    if file is None:
        return None
    try:
        status = file.stat()
    except FileNotFoundError:
        return None
    return status.st_dev, status.st_ino
