"""The ledger's database: engine per URL (SQLite tuned for several writers), schema."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, insert, inspect, select, update
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import (
    ArgumentError,
    IntegrityError,
    NoSuchModuleError,
    OperationalError,
    ProgrammingError,
)

from crosspost.errors import ConfigError, CrosspostError
from crosspost.ledger.tables import SCHEMA_VERSION, Base, SchemaVersion


class LedgerError(CrosspostError):
    """The ledger cannot be opened or used, or a change to a row is not allowed."""


def prepare_schema(engine: Engine, shown_url: str) -> None:
    """Create the tables on first use, bring an older ledger up to date, and refuse a
    ledger written by a newer crosspost."""
    for attempt in range(5):
        try:
            with engine.begin() as connection:
                found = _check_version(connection, shown_url)
                Base.metadata.create_all(connection)
                if found is not None and found < SCHEMA_VERSION:
                    _add_missing_columns(connection)
                    connection.execute(
                        update(SchemaVersion).values(version=SCHEMA_VERSION)
                    )
                elif connection.execute(select(SchemaVersion.version)).first() is None:
                    connection.execute(
                        insert(SchemaVersion).values(id=1, version=SCHEMA_VERSION)
                    )
            return
        except (IntegrityError, OperationalError, ProgrammingError):
            # Two processes creating or upgrading the tables at once: the loser looks
            # again (and finds the work done).
            if attempt == 4:
                raise
            time.sleep(0.05 * (attempt + 1))


def _check_version(connection: Connection, url: str) -> int | None:
    if not inspect(connection).has_table(SchemaVersion.__tablename__):
        return None
    found = connection.execute(select(SchemaVersion.version)).scalar()
    if found is not None and found > SCHEMA_VERSION:
        raise LedgerError(
            f"the ledger {url} has schema version {found}, newer than this crosspost "
            f"understands ({SCHEMA_VERSION})",
            hint="upgrade crosspost (pip install -U crosspost) to use this ledger",
        )
    return found


def _add_missing_columns(connection: Connection) -> None:
    """Every upgrade so far only added nullable columns: add the ones not there."""
    inspector = inspect(connection)
    for table in Base.metadata.sorted_tables:
        present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            assert column.nullable, f"{table.name}.{column.name} needs a default"
            kind = column.type.compile(dialect=connection.dialect)
            connection.exec_driver_sql(
                f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}"
            )


def open_engine(url: str) -> Engine:
    """An engine for `url`; a SQLite file gets its folder, WAL and a busy timeout."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            f"ledger URL {url.split('://', maxsplit=1)[0]}://... is not a database URL",
            hint="use e.g. sqlite:///var/ledger.db or postgresql+psycopg://user@host/db",
        ) from None
    shown = parsed.render_as_string(hide_password=True)
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite and parsed.database and parsed.database != ":memory:":
        folder = Path(parsed.database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LedgerError(
                f"cannot create the ledger's folder {folder}: {exc.strerror}",
                hint="set ledger_url or state_dir to a writable place",
            ) from None
    try:
        engine = create_engine(parsed, connect_args={"timeout": 30} if sqlite else {})
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
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
