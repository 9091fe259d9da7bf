"""The one-off fan-out: a summary's teasers to every platform at once, via the ledger.

Adapters raise typed errors; only here do they become per-platform `Outcome`s, so one
platform's failure never stops another. A post whose fate is unknown is never re-sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from crosspost.errors import CrosspostError
from crosspost.ledger.store import CLAIMABLE, CLAIMABLE_AGAIN, Ledger
from crosspost.ledger.tables import PlannedPost
from crosspost.ledger.wire import text_hash, wire_text
from crosspost.platforms.base import Adapter
from crosspost.platforms.errors import Duplicate, PublishError
from crosspost.platforms.youtube import YouTubeAdapter
from crosspost.schedule.outcomes import (
    Outcome,
    OutcomeStatus,
    failure_of,
    finish_send,
    outcome_for,
    record_failure,
    record_receipt,
    settle_hint,
)
from crosspost.summaries.model import Summary
from crosspost.teasers.model import Teaser


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
                outcome = outcome_for(
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
        return outcome_for(teaser, "failed", error=exc.message)
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
            return _settled(teaser, ledger.get(row.id), again=False) or outcome_for(
                teaser,
                "unknown",
                ledger_id=row.id,
                error="another run has just claimed it",
            )
    except CrosspostError as exc:
        return outcome_for(teaser, "failed", ledger_id=row.id, error=exc.message)
    try:
        if isinstance(adapter, YouTubeAdapter):
            receipt = await adapter.publish(teaser, ledger_id=row.id)
        else:
            receipt = await adapter.publish(teaser)
    except Duplicate as exc:
        if exc.existing_id or exc.existing_url:
            # The platform names the copy it already has: that copy is this post.
            note = finish_send(
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
        return record_failure(ledger, teaser, row.id, failure_of(exc, row.id))
    except PublishError as exc:
        return record_failure(ledger, teaser, row.id, failure_of(exc, row.id))
    except CrosspostError as exc:
        # Adapters check their own settings before any request leaves.
        return record_failure(ledger, teaser, row.id, ("failed", None, str(exc), ()))
    except Exception as exc:
        error = f"unexpected {type(exc).__name__} while sending; {settle_hint(row.id)}"
        return record_failure(ledger, teaser, row.id, ("unknown", None, error, ()))
    return record_receipt(ledger, teaser, row.id, receipt)


def _settled(teaser: Teaser, row: PlannedPost, *, again: bool) -> Outcome | None:
    """The outcome when the ledger already decides this teaser, else None (send it)."""
    error: str | None = None
    status: OutcomeStatus
    if row.status == "published" and not again:
        status = "already_published"
        if row.text_hash != text_hash(teaser):
            error = (
                "the summary or template changed since this was posted: the live post "
                "is the earlier text (--again posts the new text as a second post)"
            )
    elif row.status == "awaiting_manual" and not again:
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
