"""What became of each teaser (`Outcome`), and how the end of a send (a receipt or
an adapter's typed error) is recorded in the ledger and told to the user."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Literal

from crosspost.errors import CrosspostError
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import Status
from crosspost.platforms.base import Receipt
from crosspost.platforms.errors import (
    AuthError,
    OutcomeUnknown,
    PublishError,
    RateLimited,
    Transient,
)
from crosspost.teasers.model import Teaser

OutcomeStatus = Literal[
    "published",
    "already_published",
    "awaiting_manual",
    "failed",
    "unknown",
    "retrying",  # a scheduled post refused for sure, planned again within its grace
]
DONE: frozenset[str] = frozenset({"published", "already_published", "awaiting_manual"})


@dataclass(frozen=True)
class Outcome:
    """What became of one teaser: where it is live or handed off, or why not."""

    platform: str
    variant: str
    key: str
    status: OutcomeStatus
    post_id: str | None = None
    url: str | None = None
    ledger_id: int | None = None
    error: str | None = None
    handoff_path: str | None = None
    live_parts: tuple[str, ...] = ()
    reconciled: str | None = None  # what reconcile did first (found, absent, ...)
    summary_id: str | None = None
    retry_at: datetime | None = None

    @property
    def ok(self) -> bool:
        """Published, handed off, or already out: nothing left for a person to fix."""
        return self.status in DONE

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["live_parts"] = list(self.live_parts)
        data["retry_at"] = _iso(self.retry_at)
        return data


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


Failure = tuple[Status, str | None, str, tuple[str, ...]]


def failure_of(exc: PublishError, row_id: int) -> Failure:
    """(status, post id, error, live parts) for an adapter's error."""
    live = exc.live_part_urls or exc.live_part_ids
    if live:
        first = exc.live_part_ids[0] if exc.live_part_ids else None
        error = (
            f"thread broke after {len(live)} live part(s) ({', '.join(live)}): "
            f"{exc.message}; {settle_hint(row_id)}"
        )
        return "unknown", first, error, tuple(live)
    if isinstance(exc, OutcomeUnknown):
        error = f"may be live: {exc.message}; {settle_hint(row_id)}"
        return "unknown", None, error, ()
    if isinstance(exc, RateLimited):
        when = f" until {exc.retry_at:%Y-%m-%d %H:%M} UTC" if exc.retry_at else ""
        return "failed", None, f"rate limited{when}: {exc.message}", ()
    kind = "refused"
    if isinstance(exc, AuthError):
        kind = "credentials"
    elif isinstance(exc, Transient):
        # Not "not reached": a Transient may come after the platform answered (a 5xx
        # on a read, a card upload lost); what holds is that no post went out.
        kind = "not posted"
    return "failed", None, f"{kind}: {exc.message}", ()


def record_failure(
    ledger: Ledger, teaser: Teaser, row_id: int, failure: Failure
) -> Outcome:
    """Record a failed send in the ledger; its outcome, with any ledger note."""
    status, post_id, error, live = failure
    url = live[0] if live and live[0].startswith("http") else None
    note = finish_send(ledger, row_id, status, post_id=post_id, url=url, error=error)
    return outcome_for(
        teaser,
        "unknown" if status == "unknown" else "failed",
        ledger_id=row_id,
        post_id=post_id,
        url=url,
        error=error + note,
        live_parts=live,
    )


def record_receipt(
    ledger: Ledger, teaser: Teaser, row_id: int, receipt: Receipt
) -> Outcome:
    """Record a receipt (published or handed off) in the ledger; its outcome."""
    if receipt.status == "awaiting_manual":
        note = finish_send(
            ledger, row_id, "awaiting_manual", handoff_path=receipt.handoff_path
        )
        return outcome_for(
            teaser,
            "awaiting_manual",
            ledger_id=row_id,
            handoff_path=receipt.handoff_path,
            error=(note.strip("; ") or None),
        )
    # A detail says how it went out when that differs from the plan (an X thread
    # whose replies were refused went out as standalone posts).
    detail = receipt.detail or None
    note = finish_send(
        ledger,
        row_id,
        "published",
        post_id=receipt.post_id,
        url=receipt.url,
        error=detail,
    )
    return outcome_for(
        teaser,
        "published",
        ledger_id=row_id,
        post_id=receipt.post_id,
        url=receipt.url,
        error="; ".join(part for part in (detail, note.strip("; ")) if part) or None,
        live_parts=receipt.part_urls or receipt.part_ids,
    )


def finish_send(
    ledger: Ledger, row_id: int, status: Status, **fields: str | datetime | None
) -> str:
    """Record the end of a send; a note for the user if the ledger could not."""
    try:
        if ledger.finish(row_id, status, **fields):  # type: ignore[arg-type]
            return ""
        return "; the ledger row had been changed meanwhile (see crosspost status)"
    except CrosspostError as exc:
        return f"; NOT recorded in the ledger ({exc.message}): it stays 'sending'"


def outcome_for(
    teaser: Teaser,
    status: OutcomeStatus,
    *,
    ledger_id: int | None = None,
    post_id: str | None = None,
    url: str | None = None,
    error: str | None = None,
    handoff_path: str | None = None,
    live_parts: tuple[str, ...] = (),
    retry_at: datetime | None = None,
) -> Outcome:
    """The outcome of `teaser`, named by its platform, variant and key."""
    return Outcome(
        teaser.platform,
        teaser.variant,
        teaser.key,
        status,
        post_id=post_id,
        url=url,
        ledger_id=ledger_id,
        error=error,
        handoff_path=handoff_path,
        live_parts=live_parts,
        summary_id=teaser.summary_id,
        retry_at=retry_at,
    )


def settle_hint(row_id: int) -> str:
    """How a person settles a post whose fate is unknown."""
    return (
        "`crosspost reconcile` looks for it on the platform; or check yourself, then: "
        f"crosspost resolve {row_id} --posted URL (or --not-posted)"
    )
