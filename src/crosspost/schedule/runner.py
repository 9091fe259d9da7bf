"""The one-off fan-out: a summary's teasers to every platform at once, via the ledger.

Adapters raise typed errors; only here do they become per-platform `Outcome`s, so one
platform's failure never stops another. A post whose fate is unknown is never re-sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Literal

from crosspost.errors import CrosspostError
from crosspost.ledger.store import (
    CLAIMABLE,
    CLAIMABLE_AGAIN,
    Ledger,
    text_hash,
    wire_text,
)
from crosspost.ledger.tables import PlannedPost, Status
from crosspost.platforms.base import Adapter, Receipt
from crosspost.platforms.errors import (
    AuthError,
    Duplicate,
    OutcomeUnknown,
    PublishError,
    RateLimited,
    Transient,
)
from crosspost.platforms.youtube import YouTubeAdapter
from crosspost.summaries.model import Summary
from crosspost.teasers.model import Teaser

OutcomeStatus = Literal[
    "published", "already_published", "awaiting_manual", "failed", "unknown"
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

    @property
    def ok(self) -> bool:
        """Published, handed off, or already out: nothing left for a person to fix."""
        return self.status in DONE

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["live_parts"] = list(self.live_parts)
        return data


async def publish_now(
    summary: Summary,
    teasers: Iterable[Teaser],
    adapters: Mapping[str, Adapter],
    ledger: Ledger,
    *,
    again: bool = False,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Publish every teaser now, platforms concurrently; outcomes in teaser order."""
    teasers = list(teasers)
    for teaser in teasers:
        if teaser.summary_id != summary.id:
            raise ValueError(f"teaser {teaser.key} belongs to another summary")
    by_platform: dict[str, list[int]] = {}
    for index, teaser in enumerate(teasers):
        by_platform.setdefault(teaser.platform, []).append(index)
    results: dict[int, Outcome] = {}

    async def run_platform(indexes: list[int]) -> None:
        # A platform's own posts go in order, one by one; platforms run side by side.
        for index in indexes:
            teaser = teasers[index]
            adapter = adapters.get(teaser.platform)
            if adapter is None:
                outcome = _outcome(
                    teaser, "failed", error="no adapter for this platform"
                )
            else:
                outcome = await publish_one(teaser, adapter, ledger, again=again)
                outcome = replace(outcome, error=ledger.redact(outcome.error))
            results[index] = outcome
            if on_outcome is not None:
                on_outcome(outcome)

    await asyncio.gather(*(run_platform(indexes) for indexes in by_platform.values()))
    return [results[index] for index in range(len(teasers))]


async def publish_one(
    teaser: Teaser, adapter: Adapter, ledger: Ledger, *, again: bool = False
) -> Outcome:
    """Publish one teaser unless the ledger says it is out, handed off or unknown."""
    try:
        row = ledger.plan(teaser)
    except CrosspostError as exc:
        return _outcome(teaser, "failed", error=exc.message)
    early = _settled(teaser, row, again=again)
    if early is not None:
        return early
    sent_hash = text_hash(teaser)
    note = "again: a deliberate new copy" if again and row.status != "planned" else None
    allowed = CLAIMABLE_AGAIN if again else CLAIMABLE
    try:
        claimed = ledger.claim(
            row.id,
            text_hash=sent_hash,
            wire_text=wire_text(teaser),
            allowed=allowed,
            note=note,
        )
        if not claimed:
            # Another process claimed it between our read and our claim: theirs now.
            return _settled(teaser, ledger.get(row.id), again=False) or _outcome(
                teaser,
                "unknown",
                ledger_id=row.id,
                error="another run has just claimed it",
            )
    except CrosspostError as exc:
        return _outcome(teaser, "failed", ledger_id=row.id, error=exc.message)
    try:
        if isinstance(adapter, YouTubeAdapter):
            receipt = await adapter.publish(teaser, ledger_id=row.id)
        else:
            receipt = await adapter.publish(teaser)
    except Duplicate as exc:
        if exc.existing_id or exc.existing_url:
            # The platform names the copy it already has: that copy is this post.
            note = _finish(
                ledger,
                row.id,
                "published",
                post_id=exc.existing_id,
                url=exc.existing_url,
            )
            return _outcome(
                teaser,
                "published",
                ledger_id=row.id,
                post_id=exc.existing_id,
                url=exc.existing_url,
                error=f"the platform already had this post{note}",
            )
        return _record(ledger, teaser, row.id, _failure(exc, row.id))
    except PublishError as exc:
        return _record(ledger, teaser, row.id, _failure(exc, row.id))
    except CrosspostError as exc:
        # Adapters check their own settings before any request leaves.
        return _record(ledger, teaser, row.id, ("failed", None, str(exc), ()))
    except Exception as exc:
        error = f"unexpected {type(exc).__name__} while sending; {_settle_hint(row.id)}"
        return _record(ledger, teaser, row.id, ("unknown", None, error, ()))
    return _record_receipt(ledger, teaser, row.id, receipt)


def _settled(teaser: Teaser, row: PlannedPost, *, again: bool) -> Outcome | None:
    """The outcome when the ledger already decides this teaser, else None (send it)."""
    error: str | None = None
    status: OutcomeStatus
    if row.status == "published" and not again:
        status = "already_published"
    elif row.status == "awaiting_manual" and not again:
        status = "awaiting_manual"
        error = (
            f"handed off earlier; once posted: crosspost resolve {row.id} --posted URL"
        )
    elif row.status == "sending":
        status = "unknown"
        error = (
            "a send was interrupted or its answer lost (or one is running now); "
            f"not re-sent: {_settle_hint(row.id)}"
        )
    elif row.status == "unknown":
        # The row's own error already carries the resolve hint.
        status = "unknown"
        error = f"not re-sent: {row.last_error or _settle_hint(row.id)}"
    elif row.status == "cancelled" and not again:
        status = "failed"
        error = "cancelled in the ledger (--again sends it anyway)"
    else:
        return None
    return _outcome(
        teaser,
        status,
        ledger_id=row.id,
        post_id=row.post_id,
        url=row.url,
        error=error,
        handoff_path=row.handoff_path if status == "awaiting_manual" else None,
    )


Failure = tuple[Status, str | None, str, tuple[str, ...]]


def _failure(exc: PublishError, row_id: int) -> Failure:
    """(status, post id, error, live parts) for an adapter's error."""
    live = exc.live_part_urls or exc.live_part_ids
    if live:
        first = exc.live_part_ids[0] if exc.live_part_ids else None
        error = (
            f"thread broke after {len(live)} live part(s) ({', '.join(live)}): "
            f"{exc.message}; {_settle_hint(row_id)}"
        )
        return "unknown", first, error, tuple(live)
    if isinstance(exc, OutcomeUnknown):
        return "unknown", None, f"{exc.message}; {_settle_hint(row_id)}", ()
    if isinstance(exc, RateLimited):
        when = f" until {exc.retry_at:%Y-%m-%d %H:%M} UTC" if exc.retry_at else ""
        return "failed", None, f"rate limited{when}: {exc.message}", ()
    kind = "refused"
    if isinstance(exc, AuthError):
        kind = "credentials"
    elif isinstance(exc, Transient):
        kind = "not reached"
    return "failed", None, f"{kind}: {exc.message}", ()


def _record(ledger: Ledger, teaser: Teaser, row_id: int, failure: Failure) -> Outcome:
    status, post_id, error, live = failure
    url = live[0] if live and live[0].startswith("http") else None
    note = _finish(ledger, row_id, status, post_id=post_id, url=url, error=error)
    return _outcome(
        teaser,
        "unknown" if status == "unknown" else "failed",
        ledger_id=row_id,
        post_id=post_id,
        url=url,
        error=error + note,
        live_parts=live,
    )


def _record_receipt(
    ledger: Ledger, teaser: Teaser, row_id: int, receipt: Receipt
) -> Outcome:
    if receipt.status == "awaiting_manual":
        note = _finish(
            ledger, row_id, "awaiting_manual", handoff_path=receipt.handoff_path
        )
        return _outcome(
            teaser,
            "awaiting_manual",
            ledger_id=row_id,
            handoff_path=receipt.handoff_path,
            error=(note.strip("; ") or None),
        )
    note = _finish(
        ledger, row_id, "published", post_id=receipt.post_id, url=receipt.url
    )
    return _outcome(
        teaser,
        "published",
        ledger_id=row_id,
        post_id=receipt.post_id,
        url=receipt.url,
        error=note.strip("; ") or None,
        live_parts=receipt.part_urls or receipt.part_ids,
    )


def _finish(ledger: Ledger, row_id: int, status: Status, **fields: str | None) -> str:
    """Record the end of a send; a note for the user if the ledger could not."""
    try:
        if ledger.finish(row_id, status, **fields):
            return ""
        return "; the ledger row had been changed meanwhile (see crosspost status)"
    except CrosspostError as exc:
        return f"; NOT recorded in the ledger ({exc.message}): it stays 'sending'"


def _outcome(
    teaser: Teaser,
    status: OutcomeStatus,
    *,
    ledger_id: int | None = None,
    post_id: str | None = None,
    url: str | None = None,
    error: str | None = None,
    handoff_path: str | None = None,
    live_parts: tuple[str, ...] = (),
) -> Outcome:
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
    )


def _settle_hint(row_id: int) -> str:
    return (
        "`crosspost reconcile` looks for it on the platform; or check yourself, then: "
        f"crosspost resolve {row_id} --posted URL (or --not-posted)"
    )
