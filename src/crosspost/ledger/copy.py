"""Copying a whole ledger into another database (SQLite to PostgreSQL, say): every
row of every table, ids and identity kept, checked by counting, all or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, Table, delete, func, insert, inspect, select, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from crosspost.errors import ConfigError
from crosspost.ledger import identity as ids
from crosspost.ledger.database import (
    DEFAULT_TIMEOUT,
    LedgerError,
    open_engine,
    prepare_schema,
)
from crosspost.ledger.tables import (
    Base,
    LedgerIdentity,
    PlannedPost,
    Runner,
    SchemaVersion,
    utcnow,
)

# Every table but the schema's own bookkeeping, parents before children.
COPIED: tuple[Table, ...] = tuple(
    table
    for table in Base.metadata.sorted_tables
    if table.name != SchemaVersion.__tablename__
)
# A runner that ticked this recently may still be writing to the source.
RUNNER_QUIET = timedelta(minutes=5)
BATCH = 1000


class LedgerBusy(LedgerError):
    """The source ledger is in use (a post being sent, a runner alive)."""


@dataclass(frozen=True)
class LedgerCopy:
    """What was copied: the ledgers (passwords hidden), the identity the target now
    carries, the rows per table (equal on both sides), and what was copied anyway."""

    source: str
    target: str
    identity: str
    counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)
    marker: Path | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "target": self.target,
            "identity": self.identity,
            "counts": self.counts,
            "warnings": self.warnings,
            "marker": str(self.marker) if self.marker else None,
        }


def copy_ledger(
    source_url: str,
    target_url: str,
    *,
    force: bool = False,
    marker_dir: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    now: datetime | None = None,
) -> LedgerCopy:
    """Copy the ledger at `source_url` into `target_url` (its tables made by the
    ledger's migrations; it must hold no rows yet), then write the target's identity
    marker (beside a SQLite file, else in `marker_dir`) so crosspost accepts it.

    Refused with LedgerBusy while a post is `sending` or a runner ticked within
    RUNNER_QUIET, unless `force` (then said in `warnings`). On any failure the
    target keeps no row."""
    for name, url in (("FROM_URL", source_url), ("TO_URL", target_url)):
        _require_url(name, url)
    _require_file(source_url)
    source = open_engine(source_url, timeout=timeout)
    target = open_engine(target_url, timeout=timeout)
    shown_source = source.url.render_as_string(hide_password=True)
    shown_target = target.url.render_as_string(hide_password=True)
    try:
        _require_ledger(source, shown_source)
        prepare_schema(source, shown_source)
        warnings = _busy(source, shown_source, now or utcnow(), force=force)
        prepare_schema(target, shown_target)
        _require_empty(target, shown_target)
        identity, counts = _copy(source, target, shown_source, shown_target)
    except SQLAlchemyError as exc:
        why = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise LedgerError(
            f"copying {shown_source} to {shown_target} failed "
            f"({type(exc).__name__}: {why}); the target keeps no row",
            hint="fix the cause and run the copy again",
        ) from None
    finally:
        source.dispose()
        target.dispose()
    marker = ids.marker_path(target.url, marker_dir)
    ids.write_marker(marker, ids.Marker(identity, shown_target))
    return LedgerCopy(shown_source, shown_target, identity, counts, warnings, marker)


def _require_url(name: str, url: str) -> None:
    """A path where a URL belongs is the likeliest slip: say how to write it."""
    if "://" not in url:
        shown = url if "@" not in url else "..."
        raise ConfigError(
            f"{name} {shown} is not a database URL",
            hint=f"a SQLite file is written sqlite:///{shown} (relative to this "
            "folder) or sqlite:////srv/crosspost/var/ledger.db; PostgreSQL "
            "postgresql+psycopg://USER:PASSWORD@HOST/DB",
        )


def _require_file(url: str) -> None:
    """A SQLite source must be a file already (opening it would create one)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return  # open_engine says what is wrong with it
    file = ids.sqlite_file(parsed)
    if file is not None and (not file.is_file() or file.stat().st_size == 0):
        shown = parsed.render_as_string(hide_password=True)
        raise LedgerError(
            f"there is no ledger at {shown} to copy",
            hint="check FROM_URL: e.g. sqlite:///var/ledger.db (relative to this "
            "folder) or sqlite:////srv/crosspost/var/ledger.db (absolute)",
        )


def _require_ledger(engine: Engine, shown: str) -> None:
    with engine.connect() as connection:
        if not inspect(connection).has_table(PlannedPost.__tablename__):
            raise LedgerError(
                f"{shown} holds no crosspost ledger to copy", hint="check FROM_URL"
            )


def _busy(engine: Engine, shown: str, now: datetime, *, force: bool) -> list[str]:
    """What shows the source is in use; refused unless `force`."""
    with engine.connect() as connection:
        sending = list(
            connection.scalars(
                select(PlannedPost.id)
                .where(PlannedPost.status == "sending")
                .order_by(PlannedPost.id)
            )
        )
        live = list(
            connection.scalars(
                select(Runner.id).where(
                    Runner.stopped_at.is_(None),
                    Runner.last_tick >= now - RUNNER_QUIET,
                )
            )
        )
    found = []
    if sending:
        found.append(
            f"{len(sending)} post(s) of {shown} are being sent (`sending`: ids "
            f"{_few(sending)}); they stay `sending` in the copy, for "
            "`crosspost reconcile` to settle from the new ledger"
        )
    if live:
        minutes = int(RUNNER_QUIET.total_seconds() // 60)
        found.append(
            f"runner(s) {_few(live)} ticked within {minutes} minutes and did not "
            f"stop: what they write to {shown} from now on is not in the copy"
        )
    if found and not force:
        raise LedgerBusy(
            "the ledger is in use; nothing was copied:\n  " + "\n  ".join(found),
            hint="stop every `crosspost run` and let `crosspost reconcile` settle "
            "what is `sending`, then copy again; or copy as it is with --force",
        )
    return found


def _few(values: Sequence[object]) -> str:
    shown = ", ".join(str(value) for value in values[:10])
    return shown + (f" and {len(values) - 10} more" if len(values) > 10 else "")


def _require_empty(engine: Engine, shown: str) -> None:
    with engine.connect() as connection:
        held = {
            name: count
            for name, count in _counts(connection).items()
            if count and name != LedgerIdentity.__tablename__
        }
    if held:
        raise LedgerError(
            f"{shown} already holds a ledger ("
            + ", ".join(f"{count} rows in {name}" for name, count in held.items())
            + "); nothing was copied",
            hint="copy into an empty database; if that ledger is unwanted, drop its "
            "tables first (after a backup)",
        )


def _copy(
    source: Engine, target: Engine, shown_source: str, shown_target: str
) -> tuple[str, dict[str, int]]:
    """Copy every table in one target transaction, reading one snapshot of the
    source; counts that differ roll the target back."""
    with source.connect() as reading, target.begin() as writing:
        _snapshot(reading)
        writing.execute(delete(LedgerIdentity))
        for table in COPIED:
            rows = reading.execution_options(yield_per=BATCH).execute(
                select(table).order_by(*table.primary_key.columns)
            )
            for batch in rows.partitions():
                writing.execute(insert(table), [dict(row._mapping) for row in batch])
        _advance_sequences(writing)
        counts, copied = _counts(reading), _counts(writing)
        if counts != copied:
            raise LedgerError(
                f"the copy in {shown_target} does not match {shown_source}: "
                + ", ".join(
                    f"{name} {counts[name]} → {copied[name]}"
                    for name in counts
                    if counts[name] != copied[name]
                )
                + "; the target keeps no row",
                hint="stop whatever writes to the source, then copy again",
            )
        identity = writing.scalar(select(LedgerIdentity.identity))
        if identity is None:
            raise LedgerError(
                f"{shown_source} has no identity row",
                hint="open it once with crosspost (e.g. crosspost status) first",
            )
    return str(identity), counts


def _snapshot(connection: Connection) -> None:
    """Make every read on `connection` see one moment of the source; called before
    its first statement."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")
    elif connection.dialect.name == "postgresql":
        connection.execution_options(isolation_level="REPEATABLE READ")


def _counts(connection: Connection) -> dict[str, int]:
    return {
        table.name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
        for table in COPIED
    }


def _advance_sequences(connection: Connection) -> None:
    """PostgreSQL hands out ids from sequences that explicit ids do not move: move
    each past the highest id copied, so new rows do not collide."""
    if connection.dialect.name != "postgresql":
        return
    for table in COPIED:
        columns = [c for c in table.primary_key.columns if c.autoincrement is True]
        for column in columns:
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                    f"COALESCE(MAX({column.name}), 1), MAX({column.name}) IS NOT NULL) "
                    f"FROM {table.name}"
                ),
                {"table": table.name, "column": column.name},
            )
