"""The ledger: where every planned post's status lives, so nothing is posted twice.

Claiming a post (`sending`) is its own committed transaction, made before the request
leaves: a conditional UPDATE whose row count says whether this process won the claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from crosspost.ledger import identity as ids
from crosspost.ledger.claims import LEASE, claimer, default_actor
from crosspost.ledger.database import (
    DEFAULT_TIMEOUT,
    LedgerError,
    is_locked,
    open_engine,
    prepare_schema,
)
from crosspost.ledger.tables import (
    Attempt,
    LedgerIdentity,
    PlannedPost,
    Status,
    utcnow,
)
from crosspost.ledger.wire import text_hash, wire_text
from crosspost.redaction import scrub
from crosspost.teasers.model import Teaser

__all__ = [
    "CLAIMABLE",
    "CLAIMABLE_AGAIN",
    "Ledger",
    "LedgerError",
    "text_hash",
    "wire_text",
]

# `missed` (a slot the scheduler slept through) and `draft` (not yet approved) may
# still be sent by hand with `crosspost post`.
CLAIMABLE: tuple[Status, ...] = ("planned", "failed", "missed", "draft")
CLAIMABLE_AGAIN: tuple[Status, ...] = (
    *CLAIMABLE,
    "published",
    "awaiting_manual",
    "cancelled",
)
# A person who has checked the platform can settle any post not being sent now.
RESOLVABLE: tuple[Status, ...] = (
    "unknown",
    "sending",
    "awaiting_manual",
    "failed",
    "missed",
    "planned",
    "draft",
)
FINISHED: tuple[Status, ...] = (
    "published",
    "failed",
    "unknown",
    "awaiting_manual",
    "planned",
)
UNSETTLED: tuple[Status, ...] = ("unknown", "sending")


class Ledger:
    """Planned posts and their history, over any SQLAlchemy URL (SQLite by default)."""

    def __init__(
        self,
        url: str,
        *,
        actor: str | None = None,
        secrets: Iterable[str] = (),
        timeout: float = DEFAULT_TIMEOUT,
        marker_dir: Path | None = None,
        allow_new: bool = False,
        durable: bool = True,
    ) -> None:
        """Open (or create) the ledger at `url`.

        A ledger that existed here and is now missing, empty or another one is
        refused (see `crosspost.ledger.identity`) unless `allow_new` (a rebuild),
        which opens or starts the ledger here and marks it incomplete: other
        commands refuse it until `remember()` is called. A ledger that is thrown
        away afterwards (a simulated run's) need not be `durable`."""
        self.actor = actor or default_actor()
        self._secrets = tuple(s for s in secrets if s)
        self._timeout = timeout
        self._engine = open_engine(url, timeout=timeout, durable=durable)
        self.url = self._engine.url.render_as_string(hide_password=True)
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)
        self._marker_path = ids.marker_path(self._engine.url, marker_dir)
        marker = None if allow_new else ids.read_marker(self._marker_path)
        # Where an empty ledger file was moved for a rebuild to start anew.
        self.set_aside = ids.set_aside_if_empty(self._engine.url) if allow_new else None
        ids.check_before_open(self._engine.url, self.url, marker)
        if marker is not None and not self._has_tables():
            raise LedgerError(
                f"the ledger {self.url} is empty, but a ledger existed here "
                f"(identity {marker.identity})",
                hint=ids.RECOVER_HINT,
            )
        self._prepare()
        with self.reading() as session:
            self.identity = str(session.scalar(select(LedgerIdentity.identity)))
        ids.check_after_open(self.url, self.identity, marker)
        if allow_new:
            ids.write_marker(self._marker_path, ids.Marker(ids.INCOMPLETE, self.url))
        elif marker is None:
            self.remember()
        self._stamp = ids.file_stamp(self._engine.url)

    def remember(self) -> None:
        """Make this the ledger its marker names (a rebuild calls it once complete)."""
        ids.write_marker(self._marker_path, ids.Marker(self.identity, self.url))

    def verify(self) -> None:
        """Raise a LedgerError if the ledger was deleted or replaced since it was
        opened (its file, or the identity it holds)."""
        if self._stamp is not None and ids.file_stamp(self._engine.url) != self._stamp:
            raise LedgerError(
                f"the ledger {self.url} was deleted or replaced while crosspost was "
                "using it: what this run did is recorded only in the old file",
                hint=ids.RECOVER_HINT,
            )
        with self.reading() as session:
            found = session.scalar(select(LedgerIdentity.identity))
        # A file overwritten in place keeps its inode, and the WAL hides the change.
        in_file = ids.identity_in_file(self._engine.url)
        if found != self.identity or in_file not in (None, self.identity):
            raise LedgerError(
                f"the ledger {self.url} was replaced while crosspost was using it",
                hint=ids.RECOVER_HINT,
            )

    def _has_tables(self) -> bool:
        try:
            with self._engine.connect() as connection:
                return bool(inspect(connection).get_table_names())
        except SQLAlchemyError as exc:
            raise self._failure(exc) from None

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def plan(
        self,
        teaser: Teaser,
        *,
        due_at: datetime | None = None,
        zone: str = "UTC",
        local_time: str | None = None,
        status: Status = "planned",
        last_error: str | None = None,
    ) -> PlannedPost:
        """The row for this teaser (summary, platform, key); a new row gets `status`
        (`planned`, or `draft` while its campaign awaits approval)."""
        found = self.find(teaser.summary_id, teaser.platform, teaser.key)
        if found is not None:
            return found
        row = self.new_row(
            teaser,
            due_at=due_at,
            zone=zone,
            local_time=local_time,
            status=status,
            last_error=last_error,
        )
        try:
            with self.writing() as session:
                session.add(row)
        except IntegrityError:
            # Another process planned it first; theirs is the row.
            pass
        found = self.find(teaser.summary_id, teaser.platform, teaser.key)
        assert found is not None
        return found

    def new_row(
        self,
        teaser: Teaser,
        *,
        due_at: datetime | None = None,
        zone: str = "UTC",
        local_time: str | None = None,
        status: Status = "planned",
        last_error: str | None = None,
    ) -> PlannedPost:
        """A row for `teaser`, not stored yet (see `plan` and `plan_rows`)."""
        due = due_at or utcnow()
        return PlannedPost(
            summary_id=teaser.summary_id,
            summary_title=teaser.summary_title,
            platform=teaser.platform,
            variant=teaser.variant,
            key=teaser.key,
            text_hash=text_hash(teaser),
            wire_text=wire_text(teaser),
            due_at=due,
            zone=zone,
            local_time=local_time or due.isoformat(),
            status=status,
            last_error=self.redact(last_error),
            attempts=0,
        )

    def plan_rows(self, rows: list[PlannedPost]) -> list[PlannedPost]:
        """Store new rows (a campaign's) in one transaction; if another process
        planned some of them meanwhile, each is planned on its own, theirs kept."""
        try:
            with self.writing() as session:
                session.add_all(rows)
            return rows
        except IntegrityError:
            kept = []
            for row in rows:
                try:
                    with self.writing() as session:
                        session.add(row)
                except IntegrityError:
                    pass
                found = self.find(row.summary_id, row.platform, row.key)
                assert found is not None
                kept.append(found)
            return kept

    def find(self, summary_id: str, platform: str, key: str) -> PlannedPost | None:
        with self.reading() as session:
            return session.scalars(
                select(PlannedPost).where(
                    PlannedPost.summary_id == summary_id,
                    PlannedPost.platform == platform,
                    PlannedPost.key == key,
                )
            ).first()

    def get(self, row_id: int) -> PlannedPost:
        # An id past SQL's 64-bit integers (a typo) cannot be looked up: no such post.
        row = None
        if 0 < row_id < 2**63:
            with self.reading() as session:
                row = session.get(PlannedPost, row_id)
        if row is None:
            raise LedgerError(
                f"no post with id {row_id} in the ledger {self.url}",
                hint="run `crosspost status` (with --dry-run for the dry-run ledger)",
            )
        return row

    def posts(self) -> list[PlannedPost]:
        with self.reading() as session:
            return list(session.scalars(select(PlannedPost).order_by(PlannedPost.id)))

    def rows(
        self,
        *,
        summary_id: str | None = None,
        statuses: Iterable[str] | None = None,
        platforms: Iterable[str] | None = None,
        due_after: datetime | None = None,
    ) -> list[PlannedPost]:
        """Planned posts, by due time, optionally of one summary, some statuses and
        platforms, or due after a moment."""
        query = select(PlannedPost)
        if summary_id is not None:
            query = query.where(PlannedPost.summary_id == summary_id)
        if statuses is not None:
            query = query.where(PlannedPost.status.in_(tuple(statuses)))
        if platforms is not None:
            query = query.where(PlannedPost.platform.in_(tuple(platforms)))
        if due_after is not None:
            query = query.where(PlannedPost.due_at > due_after)
        with self.reading() as session:
            ordered = query.order_by(PlannedPost.due_at, PlannedPost.id)
            return list(session.scalars(ordered))

    def reschedule(
        self,
        row: PlannedPost,
        *,
        status: Status,
        due_at: datetime,
        local_time: str,
        outcome: str,
        note: str,
        text_hash: str | None = None,
        wire_text: str | None = None,
    ) -> bool:
        """Move `row` (as read) to a new slot and status, with its new text if given;
        False if it changed meanwhile."""
        values: dict[str, Any] = {
            "status": status,
            "due_at": due_at,
            "local_time": local_time,
            "retry_at": None,
            "last_error": None,
        }
        if text_hash is not None:
            values.update(text_hash=text_hash, wire_text=wire_text)
        where = (
            PlannedPost.id == row.id,
            PlannedPost.status == row.status,
            PlannedPost.attempts == row.attempts,
        )
        return self.transition(row.id, where, values, outcome, error=note)

    def history(self, row_id: int) -> list[Attempt]:
        with self.reading() as session:
            query = select(Attempt).where(Attempt.planned_post_id == row_id)
            return list(session.scalars(query.order_by(Attempt.id)))

    def claim(
        self,
        row_id: int,
        *,
        text_hash: str,
        wire_text: str | None = None,
        allowed: Iterable[Status] = CLAIMABLE,
        note: str | None = None,
        endpoint: str | None = None,
        lease: timedelta = LEASE,
    ) -> bool:
        """Mark the row `sending` if its status is in `allowed`; True for the winner.

        The claim records this process (`host:pid`), the time, the lease and where
        the post goes, so a claim whose sender died can be told from one at work."""
        now = utcnow()
        values: dict[str, Any] = {
            "status": "sending",
            "attempts": PlannedPost.attempts + 1,
            "text_hash": text_hash,
            "claimed_by": claimer(),
            "claimed_at": now,
            "lease_until": now + lease,
            "retry_at": None,
        }
        if endpoint is not None:
            values["endpoint"] = endpoint
        if wire_text is not None:
            values["wire_text"] = wire_text
        where = (PlannedPost.id == row_id, PlannedPost.status.in_(tuple(allowed)))
        return self.transition(
            row_id, where, values, "sending", text_hash=text_hash, error=note
        )

    def finish(
        self,
        row_id: int,
        status: Status,
        *,
        post_id: str | None = None,
        url: str | None = None,
        handoff_path: str | None = None,
        error: str | None = None,
        retry_at: datetime | None = None,
    ) -> bool:
        """Record how a claimed send ended; False if the row was no longer `sending`
        (or no longer this process's claim).

        `planned` with `retry_at` puts back a send the platform refused for sure
        (rate limit, not reached), to be tried again then."""
        if status not in FINISHED:
            raise ValueError(f"a send cannot end as {status!r}")
        values: dict[str, Any] = {
            "status": status,
            "last_error": self.redact(error),
            "lease_until": None,
            "retry_at": retry_at,
        }
        if post_id is not None or url is not None:
            values.update(post_id=post_id, url=url)
        if handoff_path is not None:
            values["handoff_path"] = handoff_path
        where = (
            PlannedPost.id == row_id,
            PlannedPost.status == "sending",
            PlannedPost.claimed_by == claimer(),
        )
        return self.transition(
            row_id,
            where,
            values,
            status,
            always_record=True,
            post_id=post_id,
            url=url or handoff_path,
            error=error,
        )

    def note_sending(
        self,
        row_id: int,
        *,
        text_hash: str,
        wire_text: str,
        endpoint: str | None = None,
    ) -> None:
        """Record, on this process's claimed row, exactly what it is about to send and
        where (the runner claims rows before rendering them)."""
        values: dict[str, Any] = {"text_hash": text_hash, "wire_text": wire_text}
        if endpoint is not None:
            values["endpoint"] = endpoint
        with self.writing() as session:
            session.connection().execute(
                update(PlannedPost)
                .where(
                    PlannedPost.id == row_id,
                    PlannedPost.status == "sending",
                    PlannedPost.claimed_by == claimer(),
                )
                .values(**values)
            )

    def unsettled(
        self, *, summary_id: str | None = None, platforms: Iterable[str] | None = None
    ) -> list[PlannedPost]:
        """Rows whose fate is open (`unknown` or `sending`), optionally of one summary
        and some platforms, oldest first."""
        query = select(PlannedPost).where(PlannedPost.status.in_(UNSETTLED))
        if summary_id is not None:
            query = query.where(PlannedPost.summary_id == summary_id)
        if platforms is not None:
            query = query.where(PlannedPost.platform.in_(tuple(platforms)))
        with self.reading() as session:
            return list(session.scalars(query.order_by(PlannedPost.id)))

    def settle(
        self,
        row: PlannedPost,
        status: Status,
        *,
        outcome: str,
        note: str,
        post_id: str | None = None,
        url: str | None = None,
        error: str | None = None,
    ) -> bool:
        """Move `row` on from the status and attempt it was read with; False if it has
        changed since (another process got there first). `note` goes in the history."""
        values: dict[str, Any] = {"status": status, "last_error": self.redact(error)}
        if post_id is not None:
            values["post_id"] = post_id
        if url is not None:
            values["url"] = url
        where = (
            PlannedPost.id == row.id,
            PlannedPost.status == row.status,
            PlannedPost.attempts == row.attempts,
        )
        return self.transition(
            row.id, where, values, outcome, post_id=post_id, url=url, error=note
        )

    def resolve(self, row_id: int, *, posted_url: str | None) -> PlannedPost:
        """Settle by hand a post a person has checked: live at a URL or not (an
        unknown, stuck, failed, missed or handed-off post, or one not yet sent)."""
        row = self.get(row_id)
        if row.status not in RESOLVABLE:
            raise LedgerError(
                f"post {row_id} ({row.platform}, {row.key}) is {row.status}; only "
                f"{', '.join(RESOLVABLE)} posts can be resolved",
                hint="run `crosspost status` to see each post's status",
            )
        status: Status = "published" if posted_url else "failed"
        settled = self.settle(
            row,
            status,
            outcome=f"resolved: {status}",
            note=f"was {row.status}",
            url=posted_url,
            error=None if posted_url else f"not posted (resolved by {self.actor})",
        )
        if not settled:
            raise LedgerError(
                f"post {row_id} changed while it was being resolved",
                hint="run `crosspost status` and try again",
            )
        return self.get(row_id)

    def transition(
        self,
        row_id: int,
        where: tuple[Any, ...],
        values: dict[str, Any],
        outcome: str,
        *,
        always_record: bool = False,
        error: str | None = None,
        **event: str | None,
    ) -> bool:
        """One conditional UPDATE and its history entry in one transaction; True when
        the row matched (the entry is kept regardless with `always_record`)."""
        now = utcnow()
        with self.writing() as session:
            result = session.connection().execute(
                update(PlannedPost).where(*where).values(updated_at=now, **values)
            )
            changed = bool(result.rowcount == 1)
            if changed or always_record:
                session.add(
                    Attempt(
                        planned_post_id=row_id,
                        at=now,
                        actor=self.actor,
                        outcome=outcome,
                        error=self.redact(error),
                        **event,
                    )
                )
        return changed

    def redact(self, text: str | None) -> str | None:
        """`text` without the known secrets or anything shaped like a credential."""
        return scrub(text, self._secrets)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        try:
            with self._sessions() as session:
                yield session
        except SQLAlchemyError as exc:
            raise self._failure(exc) from None

    @contextmanager
    def writing(self) -> Iterator[Session]:
        try:
            with self._sessions() as session, session.begin():
                yield session
        except IntegrityError:
            raise
        except SQLAlchemyError as exc:
            raise self._failure(exc) from None

    def _failure(self, exc: SQLAlchemyError) -> LedgerError:
        if is_locked(exc):
            return LedgerError(
                f"the ledger {self.url} is locked by another process or connection: "
                f"gave up after waiting {self._timeout:g} s (ledger_timeout)",
                hint="try again once the other crosspost is done; if the ledger is "
                "often busy, raise ledger_timeout (CROSSPOST_LEDGER_TIMEOUT)",
            )
        reason = str(getattr(exc, "orig", None) or type(exc).__name__)
        if "file is not a database" in reason:
            return LedgerError(
                f"the ledger {self.url} is not a database: the file is damaged or "
                "something else (a bad restore?)",
                hint=ids.RECOVER_HINT,
            )
        return LedgerError(
            f"the ledger {self.url} cannot be used: {self.redact(reason)}",
            hint="check the ledger URL (ledger_url / CROSSPOST_LEDGER_URL) and that "
            "it is reachable and writable",
        )

    def _prepare(self) -> None:
        try:
            prepare_schema(self._engine, self.url)
        except SQLAlchemyError as exc:
            raise self._failure(exc) from None
