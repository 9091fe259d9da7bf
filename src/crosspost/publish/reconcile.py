"""Settling posts whose fate is unknown by asking the platform, never by re-sending.

A `sending` row whose sender is gone becomes `unknown` (once it is old enough for
the platform's listing to show it); an `unknown` row is looked for among the account's
posts: found, it is `published`; confirmably absent, `failed`, so the next `crosspost
post` sends it. A runner's post confirmed absent goes back to the runners instead:
`planned` while its slot's grace lasts, else `missed`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from crosspost.errors import CrosspostError
from crosspost.ledger import due
from crosspost.ledger.claims import (
    LEASE,
    claim_owner,
    claimed_at,
    pid_alive,
    stale_reason,
)
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import PlannedPost, Status, utcnow
from crosspost.ledger.wire import PART_SEPARATOR, text_hash
from crosspost.platforms.base import Receipt
from crosspost.platforms.errors import PublishError
from crosspost.publish.side_by_side import per_platform
from crosspost.teasers.model import Teaser, TeaserPart

# Listings can lag behind a post: absence is believed only this long after the claim.
SETTLE_DELAY = timedelta(minutes=2)
# Listings are read from a little before the claim, in case the clocks disagree.
CLOCK_MARGIN = timedelta(minutes=10)
FOUND_NOTE = "reconciled: found on the platform"
ABSENT_NOTE = "not found on the platform after reconcile"

Action = Literal[
    "found",  # → published
    "absent",  # → failed (the next `post` sends it), or a runner's → planned/missed
    "too_recent",  # not listed yet, but too new to conclude: left as it was
    "thread_partial",  # some parts live: for `crosspost resolve`
    "thread_not_found",  # a thread is never concluded absent
    "listing_failed",  # the platform's listing failed: nothing concluded
    "cannot_find",  # the platform cannot list posts (YouTube) or is not set up
    "no_text",  # the ledger does not hold the text that was sent
    "in_flight",  # `sending` and its sender may still be at work
    "changed",  # another process changed the row meanwhile
]


class Finder(Protocol):
    async def find(self, teaser: Teaser, *, since: datetime) -> Receipt | None: ...


@dataclass(frozen=True)
class Settlement:
    """What reconcile did with one unsettled row (`before` → `after` status)."""

    ledger_id: int
    summary_id: str
    platform: str
    key: str
    before: str
    after: str
    action: Action
    detail: str = ""
    stale: str | None = None
    post_id: str | None = None
    url: str | None = None

    @property
    def settled(self) -> bool:
        return self.after in ("published", "failed", "planned", "missed")

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def line(self) -> str:
        """One line for people: id, platform, key, the change, and why."""
        change = (
            f"{self.before} → {self.after}" if self.before != self.after else self.after
        )
        why = self.url or self.detail
        if self.url and self.detail:
            why = f"{self.detail}: {self.url}"
        head = f"#{self.ledger_id:<4} {self.platform:<10} {self.key:<12}"
        return f"{head} {change:<22} {why}".rstrip()


def finder_of(adapter: object) -> Finder | None:
    """The adapter, if it can look for a post (`find` is optional)."""
    find = getattr(adapter, "find", None)
    return adapter if callable(find) else None  # type: ignore[return-value]


def teaser_of(row: PlannedPost, fallback: Iterable[Teaser] = ()) -> Teaser | None:
    """The teaser as it was sent, from the row's wire text (or a `fallback` teaser
    whose text has the row's hash); None when neither is there."""
    if row.wire_text is not None and text_hash(row.wire_text) == row.text_hash:
        texts = row.wire_text.split(PART_SEPARATOR)
        return Teaser(
            summary_id=row.summary_id,
            summary_title=row.summary_title,
            platform=row.platform,
            variant=row.variant,
            key=row.key,
            parts=tuple(TeaserPart(text=text, count=0) for text in texts),
            limit=0,
        )
    for teaser in fallback:
        if (teaser.platform, teaser.key) == (row.platform, row.key) and text_hash(
            teaser
        ) == row.text_hash:
            return teaser
    return None


async def reconcile(
    ledger: Ledger,
    adapters: Mapping[str, object],
    *,
    summary_id: str | None = None,
    platforms: Iterable[str] | None = None,
    teasers: Iterable[Teaser] = (),
    min_age: timedelta = SETTLE_DELAY,
    lease: timedelta = LEASE,
    now: Callable[[], datetime] = utcnow,
    alive: Callable[[int], bool] = pid_alive,
    rows: Sequence[PlannedPost] | None = None,
    grace: timedelta | None = None,
) -> list[Settlement]:
    """Settle every `unknown` or stale `sending` row (of one summary and some
    platforms, if given; or just `rows`); platforms side by side, one row at a time
    on each.

    With `grace` (the schedule's), a post a runner claimed and the platform does not
    have is given back to the runners: `planned` if its slot is less than `grace`
    ago, else `missed`."""
    if rows is None:
        rows = ledger.unsettled(summary_id=summary_id, platforms=platforms)
    known = list(teasers)
    runners = due.runner_ids(ledger) if grace is not None and rows else set()

    async def settle(row: PlannedPost) -> Settlement:
        return await _settle_one(
            ledger,
            row,
            finder_of(adapters.get(row.platform)),
            known=known,
            min_age=min_age,
            lease=lease,
            now=now,
            alive=alive,
            grace=grace if claim_owner(row.claimed_by) in runners else None,
        )

    return await per_platform(rows, lambda row: row.platform, settle)


async def _settle_one(
    ledger: Ledger,
    row: PlannedPost,
    finder: Finder | None,
    *,
    known: list[Teaser],
    min_age: timedelta,
    lease: timedelta,
    now: Callable[[], datetime],
    alive: Callable[[int], bool],
    grace: timedelta | None,
) -> Settlement:
    before = row.status
    stale: str | None = None
    teaser = teaser_of(row, known)
    # A stale claim too recent for its absence to be believed stays `sending` (nobody
    # sends it) unless it is found; it is concluded on a later pass.
    early = False
    if row.status == "sending":
        stale = stale_reason(row, now=now(), lease=lease, alive=alive)
        if stale is None:
            who = f" by {row.claimed_by}" if row.claimed_by else ""
            return _report(row, before, "in_flight", f"claimed{who}; left alone")
        early = bool(_wait(row, min_age, now())) and None not in (finder, teaser)
        if not early:
            interrupted = (
                f"the send was interrupted ({stale}); `crosspost reconcile` looks for "
                f"it on the platform, or: crosspost resolve {row.id} --posted URL "
                "(or --not-posted)"
            )
            if not ledger.settle(
                row,
                "unknown",
                outcome="unknown",
                note=f"stale claim: {stale}",
                error=interrupted,
            ):
                return _report(row, before, "changed", "changed meanwhile; left alone")
            row = ledger.get(row.id)

    def result(action: Action, detail: str, **fields: str | None) -> Settlement:
        if early and action not in ("found", "changed"):
            wait = _wait(row, min_age, now())
            action, detail = (
                "too_recent",
                (f"{stale}; not found yet, too recent to conclude (again in {wait} s)"),
            )
        return _report(row, before, action, detail, stale=stale, **fields)

    if finder is None:
        return result(
            "cannot_find",
            f"{row.platform} posts cannot be looked up (no listing API, or not "
            f"configured): crosspost resolve {row.id} --posted URL (or --not-posted)",
        )
    if teaser is None:
        return result("no_text", "the ledger does not hold the text that was sent")
    try:
        receipt = await finder.find(teaser, since=claimed_at(row) - CLOCK_MARGIN)
    except (PublishError, CrosspostError) as exc:
        return result("listing_failed", ledger.redact(exc.message) or "")
    parts = len(teaser.parts)
    if receipt is not None and (parts == 1 or len(receipt.part_ids) == parts):
        if not ledger.settle(
            row,
            "published",
            outcome="reconciled: published",
            note=f"{FOUND_NOTE} (stale claim: {stale})" if early else FOUND_NOTE,
            post_id=receipt.post_id,
            url=receipt.url,
        ):
            return result("changed", "changed meanwhile; left alone")
        return result(
            "found", "found on the platform", post_id=receipt.post_id, url=receipt.url
        )
    if receipt is not None:
        live = ", ".join(receipt.part_urls or receipt.part_ids)
        return result(
            "thread_partial",
            f"{len(receipt.part_ids)} of {parts} thread parts are live ({live}): "
            f"crosspost resolve {row.id} --posted URL",
        )
    if parts > 1:
        return result(
            "thread_not_found",
            "thread not found; parts may still be live: check, then crosspost "
            f"resolve {row.id}",
        )
    wait = _wait(row, min_age, now())
    if wait:
        return result(
            "too_recent", f"not listed yet; too recent to conclude (again in {wait} s)"
        )
    after, error, detail = _absent(row, grace, now())
    if not ledger.settle(
        row,
        after,
        outcome=f"reconciled: {after}",
        note=ABSENT_NOTE,
        error=error,
    ):
        return result("changed", "changed meanwhile; left alone")
    return _report(row, before, "absent", detail, stale=stale, after=after)


def _wait(row: PlannedPost, min_age: timedelta, now: datetime) -> int:
    """Seconds until the row's claim is old enough for its absence to be believed."""
    age = now - claimed_at(row)
    return 0 if age >= min_age else int((min_age - age).total_seconds()) + 1


def _absent(
    row: PlannedPost, grace: timedelta | None, now: datetime
) -> tuple[Status, str, str]:
    """Where a post confirmed absent goes, its error and what to tell: a runner's
    post back to the runners (within its grace) or `missed`; others `failed`."""
    if grace is None:
        detail = f"{ABSENT_NOTE}: the next `crosspost post` sends it"
        return "failed", ABSENT_NOTE, detail
    if now <= row.due_at + grace:
        detail = f"{ABSENT_NOTE}: planned again, a runner sends it"
        return "planned", f"{ABSENT_NOTE}; planned again", detail
    error = (
        f"{ABSENT_NOTE}; missed: due {row.local_time or row.due_at.isoformat()}, "
        f"more than the grace ago; not sent. `crosspost retry {row.id}` plans it again"
    )
    return "missed", error, f"{ABSENT_NOTE}: missed (its slot's grace is over)"


def _report(
    row: PlannedPost,
    before: str,
    action: Action,
    detail: str,
    *,
    stale: str | None = None,
    post_id: str | None = None,
    url: str | None = None,
    after: str | None = None,
) -> Settlement:
    after = after or {"found": "published", "absent": "failed"}.get(action, row.status)
    return Settlement(
        ledger_id=row.id,
        summary_id=row.summary_id,
        platform=row.platform,
        key=row.key,
        before=before,
        after=after,
        action=action,
        detail=detail,
        stale=stale,
        post_id=post_id,
        url=url,
    )
