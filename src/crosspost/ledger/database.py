"""The ledger's database: engine per URL (SQLite tuned for several writers), and its
schema, brought up to date by Alembic migrations."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, insert, inspect, select
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import (
    ArgumentError,
    IntegrityError,
    NoSuchModuleError,
    OperationalError,
    ProgrammingError,
)

from crosspost.errors import ConfigError, CrosspostError
from crosspost.ledger.tables import (
    SCHEMA_VERSION,
    LedgerIdentity,
    SchemaVersion,
    utcnow,
)


class LedgerError(CrosspostError):
    """The ledger cannot be opened or used, or a change to a row is not allowed."""


MIGRATIONS = Path(__file__).parent / "migrations"
HEAD = "0003"
# Ledgers written before Alembic carry only their schema version.
REVISION_OF_VERSION = {1: "0001", 2: "0002", 3: "0003"}


def prepare_schema(engine: Engine, shown_url: str) -> None:
    """Create the tables on first use, bring an older ledger up to date through the
    Alembic migrations, and refuse a ledger written by a newer crosspost or a database
    that is not a crosspost ledger."""
    for attempt in range(5):
        try:
            with engine.begin() as connection:
                if connection.dialect.name == "postgresql":
                    # One migrating process at a time; the others then find it done.
                    connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7461637)")
                found = _revision(connection, shown_url)
                if found != HEAD:
                    _migrate(connection, found)
                if connection.execute(select(LedgerIdentity.id)).first() is None:
                    connection.execute(
                        insert(LedgerIdentity).values(
                            id=1, identity=str(uuid.uuid4()), created_at=utcnow()
                        )
                    )
            return
        except (IntegrityError, OperationalError, ProgrammingError) as exc:
            # Two processes creating or upgrading the tables at once: the loser looks
            # again (and finds the work done). A lock has had its whole wait already.
            if attempt == 4 or is_locked(exc):
                raise
            time.sleep(0.05 * (attempt + 1))


def is_locked(exc: Exception) -> bool:
    """Whether `exc` says the database stayed locked for the whole busy or lock
    timeout (SQLite's "database is locked", PostgreSQL's lock_timeout)."""
    orig = getattr(exc, "orig", None) or exc
    if type(orig).__name__ == "LockNotAvailable":  # psycopg, SQLSTATE 55P03
        return True
    return "database is locked" in str(orig) or "lock timeout" in str(orig)


def _revision(connection: Connection, url: str) -> str | None:
    """The ledger's Alembic revision (None when it has no tables yet)."""
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" in tables:
        found = connection.exec_driver_sql(
            "SELECT version_num FROM alembic_version"
        ).scalar()
        if found is not None and found not in REVISION_OF_VERSION.values():
            raise _newer(url, f"revision {found}")
    else:
        found = None
    if "schema_version" in tables:
        version = connection.execute(select(SchemaVersion.version)).scalar()
        if version is not None and version > SCHEMA_VERSION:
            raise _newer(url, f"schema version {version}")
        if found is None and version is not None:
            return REVISION_OF_VERSION[version]
        return found
    if tables:
        raise LedgerError(
            f"{url} is not a crosspost ledger: it holds other tables "
            f"({', '.join(sorted(tables)[:5])})",
            hint="point ledger_url at a crosspost ledger or an empty database",
            exit_code=2,
        )
    return None


def _newer(url: str, what: str) -> LedgerError:
    return LedgerError(
        f"the ledger {url} has {what}, newer than this crosspost understands "
        f"(schema version {SCHEMA_VERSION})",
        hint="upgrade crosspost (pip install -U crosspost) to use this ledger",
    )


def _migrate(connection: Connection, found: str | None) -> None:
    """Run the Alembic migrations from `found` to the head, in this transaction."""
    import logging

    # Alembic announces each of its plugins at INFO as it is imported: noise in the
    # runner's log.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    if found is not None and not inspect(connection).has_table("alembic_version"):
        command.stamp(config, found)
    command.upgrade(config, "head")


DEFAULT_TIMEOUT = 10.0


def open_engine(
    url: str, *, timeout: float = DEFAULT_TIMEOUT, durable: bool = True
) -> Engine:
    """An engine for `url`; a SQLite file gets its folder, WAL and a busy timeout.

    `timeout` bounds how long a call waits for a locked database (SQLite's busy
    timeout, PostgreSQL's lock and connect timeouts) before it fails."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        scheme = url.split("://", maxsplit=1)[0]
        why = "its port is not a number" if isinstance(exc, ValueError) else ""
        raise ConfigError(
            f"ledger URL {scheme}://... is not a database URL"
            + (f": {why}" if why else ""),
            hint="use e.g. sqlite:///var/ledger.db or postgresql+psycopg://user@host/db",
        ) from None
    shown = parsed.render_as_string(hide_password=True)
    backend = parsed.get_backend_name()
    sqlite = backend == "sqlite"
    if sqlite and parsed.database and parsed.database != ":memory:":
        folder = Path(parsed.database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LedgerError(
                f"cannot create the ledger's folder {folder}: {exc.strerror}",
                hint="set ledger_url or state_dir to a writable place",
                exit_code=2,  # the settings point at it
            ) from None
    connect_args: dict[str, Any] = {}
    if sqlite:
        connect_args = {"timeout": timeout}
    elif backend == "postgresql":
        milliseconds = int(timeout * 1000)
        # connect_args replace the URL's `options` (-csearch_path=...): keep them.
        given = parsed.query.get("options", ())
        options = [given] if isinstance(given, str) else list(given)
        connect_args = {
            "connect_timeout": max(1, int(timeout)),
            "options": " ".join([*options, f"-c lock_timeout={milliseconds}"]),
        }
    # A runner's ledger calls run in worker threads, several at once: a connection
    # each, kept (the default keeps 5 and reconnects for the others every time).
    pooling: dict[str, int] = {} if sqlite else {"pool_size": 12, "max_overflow": 8}
    try:
        engine = create_engine(parsed, connect_args=connect_args, **pooling)
    except NoSuchModuleError:
        raise ConfigError(
            f"no database driver for the ledger URL {shown}",
            hint="install the driver it names (e.g. pip install 'psycopg[binary]')",
        ) from None
    except (ArgumentError, ImportError) as exc:
        raise ConfigError(
            f"the ledger URL {shown} cannot be used: {type(exc).__name__}",
            hint="install its database driver or check the URL",
        ) from None
    if sqlite:
        busy = int(timeout * 1000)

        def pragmas(dbapi_connection: Any, _record: object) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={busy}")
            cursor.execute("PRAGMA foreign_keys=ON")
            if not durable:
                # A scratch ledger: nothing is lost if the machine stops.
                cursor.execute("PRAGMA synchronous=OFF")
            cursor.close()

        event.listen(engine, "connect", pragmas)
    return engine
