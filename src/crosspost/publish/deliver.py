"""Delivering planned posts: claim in the ledger, send through the adapter, record the
outcome; platforms side by side. Both the one-off `crosspost post` and the runner call
`deliver`.

Adapters raise typed errors; only here do they become per-post `Outcome`s, so one
platform's failure never stops another. A post whose fate is unknown is never re-sent.
Every ledger call runs in a worker thread, so a slow or locked database never stalls
the requests of the other platforms.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from crosspost.errors import CrosspostError
from crosspost.ledger.store import CLAIMABLE, CLAIMABLE_AGAIN, Ledger
from crosspost.ledger.tables import PlannedPost, utcnow
from crosspost.ledger.wire import text_hash, wire_text
from crosspost.platforms.base import Adapter
from crosspost.platforms.errors import (
    Duplicate,
    PublishError,
    RateLimited,
    Transient,
)
from crosspost.platforms.youtube import YouTubeAdapter
from crosspost.publish.outcome import (
    Failure,
    Outcome,
    OutcomeStatus,
    failure_of,
    finish_send,
    outcome_for,
    record_failure,
    record_receipt,
    settle_hint,
)
from crosspost.publish.side_by_side import per_platform
from crosspost.teasers.model import Teaser

# A refused-for-sure send of a scheduled post is tried again after this (doubling),
# as long as it would still go out within the schedule's grace.
RETRY_BASE = timedelta(minutes=2)


@dataclass(frozen=True)
class Item:
    """One post to deliver: its teaser, and its ledger row when it has one.

    `claimed`: the row is already this process's claim (the runner claims due rows in
    bulk). `retry_until`: a scheduled post refused for sure (rate limit, not reached)
    goes back to `planned` to be tried again, if that can happen by then."""

    teaser: Teaser
    row: PlannedPost | None = None
    claimed: bool = False
    retry_until: datetime | None = None


@dataclass(frozen=True)
class Delivery:
    """What delivering needs: the ledger, an adapter per platform, and where each
    platform's requests go (recorded on the row)."""

    ledger: Ledger
    adapters: Mapping[str, Adapter]
    endpoints: Mapping[str, str] = field(default_factory=dict)
    on_outcome: Callable[[Outcome], None] | None = None
    # Called after each outcome is recorded (the runner tells the team from here).
    after: Callable[[Outcome], Awaitable[None]] | None = None
    now: Callable[[], datetime] = utcnow


async def deliver(
    items: Iterable[Item | Teaser], delivery: Delivery, *, again: bool = False
) -> list[Outcome]:
    """Deliver every item, platforms concurrently, each platform's posts in order;
    outcomes in the order given."""
    work = [item if isinstance(item, Item) else Item(item) for item in items]

    async def deliver_told(item: Item) -> Outcome:
        outcome = await deliver_one(item, delivery, again=again)
        if delivery.on_outcome is not None:
            delivery.on_outcome(outcome)
        if delivery.after is not None:
            await delivery.after(outcome)
        return outcome

    return await per_platform(work, lambda item: item.teaser.platform, deliver_told)


async def deliver_one(
    item: Item, delivery: Delivery, *, again: bool = False
) -> Outcome:
    """Deliver one post unless the ledger says it is out, handed off or unknown."""
    teaser = item.teaser
    adapter = delivery.adapters.get(teaser.platform)
    if adapter is None:
        return outcome_for(teaser, "failed", error="no adapter for this platform")
    ledger = delivery.ledger
    endpoint = delivery.endpoints.get(teaser.platform)
    try:
        row = (
            item.row
            if item.row is not None
            else await asyncio.to_thread(ledger.plan, teaser)
        )
        if item.claimed:
            await asyncio.to_thread(_keep_text, ledger, row, teaser, endpoint)
        else:
            early = _settled(teaser, row, again=again, endpoint=endpoint)
            if early is not None:
                return early
            won = await asyncio.to_thread(_claim, ledger, row, teaser, again, endpoint)
            if not won:
                # Another process claimed it between our read and our claim: theirs.
                latest = await asyncio.to_thread(ledger.get, row.id)
                return _settled(
                    teaser, latest, again=False, endpoint=endpoint
                ) or outcome_for(
                    teaser,
                    "unknown",
                    ledger_id=row.id,
                    error="another run has just claimed it",
                )
    except CrosspostError as exc:
        # Nothing was sent: the ledger could not be read or the claim not recorded.
        ledger_id = item.row.id if item.row is not None else None
        return outcome_for(
            teaser,
            "failed",
            ledger_id=ledger_id,
            error=f"not sent: {ledger.redact(exc.message)}",
        )
    outcome = await _send(
        teaser, adapter=adapter, ledger=ledger, row=row, item=item, delivery=delivery
    )
    return replace(outcome, error=ledger.redact(outcome.error))


def _claim(
    ledger: Ledger, row: PlannedPost, teaser: Teaser, again: bool, endpoint: str | None
) -> bool:
    note = "again: a deliberate new copy" if again and row.status != "planned" else None
    if endpoint and row.endpoint and row.endpoint != endpoint:
        note = f"earlier sent to {row.endpoint}; now to {endpoint}"
    allowed = CLAIMABLE_AGAIN if again or note else CLAIMABLE
    return ledger.claim(
        row.id,
        text_hash=text_hash(teaser),
        wire_text=wire_text(teaser),
        allowed=allowed,
        note=note,
        endpoint=endpoint,
    )


def _keep_text(
    ledger: Ledger, row: PlannedPost, teaser: Teaser, endpoint: str | None
) -> None:
    """A claimed row records exactly what is about to be sent, and where (one write
    fewer when it already does)."""
    sent = text_hash(teaser)
    if row.text_hash == sent and row.wire_text is not None and row.endpoint == endpoint:
        return
    ledger.note_sending(
        row.id,
        text_hash=text_hash(teaser),
        wire_text=wire_text(teaser),
        endpoint=endpoint,
    )


async def _send(
    teaser: Teaser,
    *,
    adapter: Adapter,
    ledger: Ledger,
    row: PlannedPost,
    item: Item,
    delivery: Delivery,
) -> Outcome:
    try:
        if isinstance(adapter, YouTubeAdapter):
            receipt = await adapter.publish(teaser, ledger_id=row.id)
        else:
            receipt = await adapter.publish(teaser)
    except Duplicate as exc:
        if exc.existing_id or exc.existing_url:
            # The platform names the copy it already has: that copy is this post.
            note = await asyncio.to_thread(
                finish_send,
                ledger,
                row.id,
                "published",
                post_id=exc.existing_id,
                url=exc.existing_url,
            )
            return outcome_for(
                teaser,
                "published",
                ledger_id=row.id,
                post_id=exc.existing_id,
                url=exc.existing_url,
                error=f"the platform already had this post{note}",
            )
        return await _failed(
            teaser, ledger=ledger, row=row, exc=exc, item=item, delivery=delivery
        )
    except PublishError as exc:
        return await _failed(
            teaser, ledger=ledger, row=row, exc=exc, item=item, delivery=delivery
        )
    except CrosspostError as exc:
        # Adapters check their own settings before any request leaves.
        failure: Failure = ("failed", None, str(exc), ())
        return await asyncio.to_thread(record_failure, ledger, teaser, row.id, failure)
    except Exception as exc:
        error = f"unexpected {type(exc).__name__} while sending; {settle_hint(row.id)}"
        failure = ("unknown", None, error, ())
        return await asyncio.to_thread(record_failure, ledger, teaser, row.id, failure)
    return await asyncio.to_thread(record_receipt, ledger, teaser, row.id, receipt)


async def _failed(
    teaser: Teaser,
    *,
    ledger: Ledger,
    row: PlannedPost,
    exc: PublishError,
    item: Item,
    delivery: Delivery,
) -> Outcome:
    failure = failure_of(exc, row.id)
    retry_at = _retry_time(exc, row, item, delivery.now())
    if failure[0] == "failed" and retry_at is not None:
        error = f"{failure[2]}; tried again at {retry_at:%Y-%m-%d %H:%M} UTC"
        note = await asyncio.to_thread(
            finish_send, ledger, row.id, "planned", error=error, retry_at=retry_at
        )
        return outcome_for(
            teaser, "retrying", ledger_id=row.id, error=error + note, retry_at=retry_at
        )
    return await asyncio.to_thread(record_failure, ledger, teaser, row.id, failure)


def _retry_time(
    exc: PublishError, row: PlannedPost, item: Item, now: datetime
) -> datetime | None:
    """When a scheduled post refused for sure is tried again; None when it is not
    (a one-off, a refusal that will not change, or not within the grace)."""
    if item.retry_until is None or not isinstance(exc, RateLimited | Transient):
        return None
    backoff = RETRY_BASE * 2 ** max(0, row.attempts - 1)
    jitter = timedelta(seconds=random.uniform(0, 15))
    told = exc.retry_at if isinstance(exc, RateLimited) else None
    when = max(told or now, now + backoff) + jitter
    return when if when <= item.retry_until else None


def _settled(
    teaser: Teaser, row: PlannedPost, *, again: bool, endpoint: str | None
) -> Outcome | None:
    """The outcome when the ledger already decides this teaser, else None (send it)."""
    error: str | None = None
    status: OutcomeStatus
    elsewhere = bool(endpoint and row.endpoint and row.endpoint != endpoint)
    if row.status == "published" and not again and not elsewhere:
        status = "already_published"
        if row.text_hash != text_hash(teaser):
            error = (
                "the summary or template changed since this was posted: the live post "
                "is the earlier text (--again posts the new text as a second post)"
            )
    elif row.status == "awaiting_manual" and not again and not elsewhere:
        status = "awaiting_manual"
        error = (
            f"handed off earlier; once posted: crosspost resolve {row.id} --posted URL"
        )
    elif row.status == "sending":
        status = "unknown"
        error = (
            "a send was interrupted or its answer lost (or one is running now); "
            f"not re-sent: {settle_hint(row.id)}"
        )
    elif row.status == "unknown":
        # The row's own error already carries the resolve hint.
        status = "unknown"
        error = f"not re-sent: {row.last_error or settle_hint(row.id)}"
    elif row.status == "cancelled" and not again:
        status = "failed"
        error = "cancelled in the ledger (--again sends it anyway)"
    else:
        return None
    return outcome_for(
        teaser,
        status,
        ledger_id=row.id,
        post_id=row.post_id,
        url=row.url,
        error=error,
        handoff_path=row.handoff_path if status == "awaiting_manual" else None,
    )
