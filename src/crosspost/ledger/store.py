"""The ledger: where every planned post's status lives, so nothing is posted twice.

Claiming a post (`sending`) is its own committed transaction, made before the request
leaves: a conditional UPDATE whose row count says whether this process won the claim.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import re
import socket
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from crosspost.ledger.database import LedgerError, open_engine, prepare_schema
from crosspost.ledger.tables import Attempt, PlannedPost, Status, utcnow
from crosspost.teasers.model import Teaser

__all__ = [
    "CLAIMABLE",
    "CLAIMABLE_AGAIN",
    "Ledger",
    "LedgerError",
    "scrub",
    "text_hash",
]

# `missed` (a slot the scheduler slept through) may still be sent by hand.
CLAIMABLE: tuple[Status, ...] = ("planned", "failed", "missed")
CLAIMABLE_AGAIN: tuple[Status, ...] = (
    *CLAIMABLE,
    "published",
    "awaiting_manual",
    "cancelled",
)
RESOLVABLE: tuple[Status, ...] = ("unknown", "sending", "awaiting_manual")
FINISHED: tuple[Status, ...] = ("published", "failed", "unknown", "awaiting_manual")

_SECRETISH = re.compile(
    r"(?i)((?:access_token|refresh_token|token|secret|password|api_key|key|signature|"
    r"client_secret|oauth_[a-z_]+)[\"']?\s*[=:]\s*[\"']?)[^\s&\"',}]+"
)
_BEARER = re.compile(r"(?i)\b(bearer|oauth|basic)\s+[A-Za-z0-9._~+/=-]{8,}")


def text_hash(teaser: Teaser) -> str:
    """A hash of exactly what is sent: every part's wire text, in order."""
    blob = "\x1e".join(part.text for part in teaser.parts)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def default_actor() -> str:
    """Who is acting, for the history: user@host and process id."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = f"uid{os.getuid()}"
    return f"{user}@{socket.gethostname()} pid {os.getpid()}"


def scrub(text: str | None, secrets: Iterable[str] = ()) -> str | None:
    """Remove known secret values and anything shaped like a credential."""
    if text is None:
        return None
    for secret in secrets:
        if secret and len(secret) >= 6:
            text = text.replace(secret, "[redacted]")
    text = _SECRETISH.sub(r"\1[redacted]", text)
    return _BEARER.sub(r"\1 [redacted]", text)


class Ledger:
    """Planned posts and their history, over any SQLAlchemy URL (SQLite by default)."""

    def __init__(
        self, url: str, *, actor: str | None = None, secrets: Iterable[str] = ()
    ) -> None:
        self.actor = actor or default_actor()
        self._secrets = tuple(s for s in secrets if s)
        self._engine = open_engine(url)
        self.url = self._engine.url.render_as_string(hide_password=True)
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)
        self._prepare()

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def plan(
        self, teaser: Teaser, *, due_at: datetime | None = None, zone: str = "UTC"
    ) -> PlannedPost:
        """The row for this teaser (summary, platform, key), new rows `planned`."""
        found = self.find(teaser.summary_id, teaser.platform, teaser.key)
        if found is not None:
            return found
        row = PlannedPost(
            summary_id=teaser.summary_id,
            summary_title=teaser.summary_title,
            platform=teaser.platform,
            variant=teaser.variant,
            key=teaser.key,
            text_hash=text_hash(teaser),
            due_at=due_at or utcnow(),
            zone=zone,
            status="planned",
            attempts=0,
        )
        try:
            with self._write() as session:
                session.add(row)
        except IntegrityError:
            # Another process planned it first; theirs is the row.
            pass
        found = self.find(teaser.summary_id, teaser.platform, teaser.key)
        assert found is not None
        return found

    def find(self, summary_id: str, platform: str, key: str) -> PlannedPost | None:
        with self._read() as session:
            return session.scalars(
                select(PlannedPost).where(
                    PlannedPost.summary_id == summary_id,
                    PlannedPost.platform == platform,
                    PlannedPost.key == key,
                )
            ).first()

    def get(self, row_id: int) -> PlannedPost:
        with self._read() as session:
            row = session.get(PlannedPost, row_id)
        if row is None:
            raise LedgerError(
                f"no post with id {row_id} in the ledger {self.url}",
                hint="run `crosspost status` (with --dry-run for the dry-run ledger)",
            )
        return row

    def posts(self) -> list[PlannedPost]:
        with self._read() as session:
            return list(session.scalars(select(PlannedPost).order_by(PlannedPost.id)))

    def history(self, row_id: int) -> list[Attempt]:
        with self._read() as session:
            query = select(Attempt).where(Attempt.planned_post_id == row_id)
            return list(session.scalars(query.order_by(Attempt.id)))

    def claim(
        self,
        row_id: int,
        *,
        text_hash: str,
        allowed: Iterable[Status] = CLAIMABLE,
        note: str | None = None,
    ) -> bool:
        """Mark the row `sending` if its status is in `allowed`; True for the winner."""
        now = utcnow()
        with self._write() as session:
            result = session.connection().execute(
                update(PlannedPost)
                .where(PlannedPost.id == row_id, PlannedPost.status.in_(tuple(allowed)))
                .values(
                    status="sending",
                    attempts=PlannedPost.attempts + 1,
                    text_hash=text_hash,
                    updated_at=now,
                )
            )
            if result.rowcount != 1:
                return False
            session.add(
                Attempt(
                    planned_post_id=row_id,
                    at=now,
                    actor=self.actor,
                    outcome="sending",
                    text_hash=text_hash,
                    error=self.redact(note),
                )
            )
        return True

    def finish(
        self,
        row_id: int,
        status: Status,
        *,
        post_id: str | None = None,
        url: str | None = None,
        handoff_path: str | None = None,
        error: str | None = None,
    ) -> bool:
        """Record how a claimed send ended; False if the row was no longer `sending`."""
        if status not in FINISHED:
            raise ValueError(f"a send cannot end as {status!r}")
        now = utcnow()
        error = self.redact(error)
        values: dict[str, Any] = {
            "status": status,
            "updated_at": now,
            "last_error": error,
        }
        if post_id is not None or url is not None:
            values.update(post_id=post_id, url=url)
        if handoff_path is not None:
            values["handoff_path"] = handoff_path
        with self._write() as session:
            result = session.connection().execute(
                update(PlannedPost)
                .where(PlannedPost.id == row_id, PlannedPost.status == "sending")
                .values(**values)
            )
            session.add(
                Attempt(
                    planned_post_id=row_id,
                    at=now,
                    actor=self.actor,
                    outcome=status,
                    post_id=post_id,
                    url=url or handoff_path,
                    error=error,
                )
            )
        return result.rowcount == 1

    def resolve(self, row_id: int, *, posted_url: str | None) -> PlannedPost:
        """Settle an unknown, stuck or handed-off post: live at a URL or not."""
        row = self.get(row_id)
        if row.status not in RESOLVABLE:
            raise LedgerError(
                f"post {row_id} ({row.platform}, {row.key}) is {row.status}; only "
                f"{', '.join(RESOLVABLE)} posts can be resolved",
                hint="run `crosspost status` to see each post's status",
            )
        now = utcnow()
        status: Status = "published" if posted_url else "failed"
        error = None if posted_url else f"not posted (resolved by {self.actor})"
        values: dict[str, Any] = {
            "status": status,
            "updated_at": now,
            "last_error": error,
        }
        if posted_url:
            values["url"] = posted_url
        with self._write() as session:
            result = session.connection().execute(
                update(PlannedPost)
                .where(PlannedPost.id == row_id, PlannedPost.status == row.status)
                .values(**values)
            )
            if result.rowcount != 1:
                raise LedgerError(
                    f"post {row_id} changed while it was being resolved",
                    hint="run `crosspost status` and try again",
                )
            session.add(
                Attempt(
                    planned_post_id=row_id,
                    at=now,
                    actor=self.actor,
                    outcome=f"resolved: {status}",
                    url=posted_url,
                    error=f"was {row.status}",
                )
            )
        return self.get(row_id)

    def redact(self, text: str | None) -> str | None:
        """`text` without the known secrets or anything shaped like a credential."""
        return scrub(text, self._secrets)

    @contextmanager
    def _read(self) -> Iterator[Session]:
        try:
            with self._sessions() as session:
                yield session
        except SQLAlchemyError as exc:
            raise self._failure(exc) from None

    @contextmanager
    def _write(self) -> Iterator[Session]:
        try:
            with self._sessions() as session, session.begin():
                yield session
        except IntegrityError:
            raise
        except SQLAlchemyError as exc:
            raise self._failure(exc) from None

    def _failure(self, exc: SQLAlchemyError) -> LedgerError:
        reason = str(getattr(exc, "orig", None) or type(exc).__name__)
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
