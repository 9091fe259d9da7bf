"""The runner: polls the sources, plans campaigns for new summaries, and publishes
each post when it falls due, through the ledger. It keeps no schedule of its own: every
pass asks the ledger what is due, so a restart or a second runner cannot disagree.

The same runner runs on the real clock (`crosspost run`, woken by APScheduler) and on a
virtual one (`--simulate-until`, which jumps from one due instant to the next).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from crosspost.errors import CrosspostError
from crosspost.ledger import due
from crosspost.ledger.campaigns import campaign, order_of, save_campaign, summary_of
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import PlannedPost
from crosspost.ledger.wire import text_hash, wire_text
from crosspost.platforms.base import Adapter
from crosspost.publish.deliver import Delivery, Item, deliver_one
from crosspost.publish.outcome import Outcome, outcome_for
from crosspost.publish.reconcile import Settlement, reconcile, teaser_of
from crosspost.schedule.planning import (
    CampaignPlan,
    apply_plan,
    iso_utc,
    plan_summary,
)
from crosspost.settings import Settings
from crosspost.summaries.errors import ParseError
from crosspost.summaries.model import Summary
from crosspost.summaries.sources import (
    SUMMARY_SUFFIXES,
    Skipped,
    is_url,
    iter_summaries,
)
from crosspost.teasers.compose import CardMaker
from crosspost.teasers.fit import FitError
from crosspost.teasers.model import Teaser
from crosspost.teasers.render import render_all

log = logging.getLogger("crosspost.run")

# Claimed per pass; the rest are claimed on the next pass, straight after.
BATCH = 200
# Posts in flight at once on one platform. Its posts due at the same moment start in
# due order; a campaign's posts on a platform are days apart, so never overlap.
LANES = 4


@dataclass(frozen=True)
class Fired:
    """A post the runner fired: its row as planned, when it fired, how it ended, and
    the teaser it sent (None when it could not be rendered)."""

    row: PlannedPost
    fired_at: datetime
    outcome: Outcome
    teaser: Teaser | None = None

    def as_dict(self) -> dict[str, Any]:
        row = self.row
        return {
            "id": row.id,
            "summary_id": row.summary_id,
            "platform": row.platform,
            "variant": row.variant,
            "key": row.key,
            "status": self.outcome.status,
            "due_at": iso_utc(row.due_at),
            "local_time": row.local_time,
            "zone": row.zone,
            "fired_at": iso_utc(self.fired_at),
            "url": self.outcome.url or self.outcome.handoff_path,
            "error": self.outcome.error,
        }


class Alerts:
    """What the runner tells the team; the default tells nobody."""

    async def outcome(self, outcome: Outcome, row: PlannedPost | None) -> None:
        return None

    async def missed(self, row: PlannedPost, grace: timedelta) -> None:
        return None

    async def unknown(self, settlement: Settlement) -> None:
        return None

    async def daily(self, now: datetime) -> None:
        return None

    async def planned(self, plan: CampaignPlan) -> None:
        return None


@dataclass
class Tally:
    """Counts since the last hourly summary line."""

    counts: Counter[str] = field(default_factory=Counter)
    since: datetime | None = None


class Runner:
    """One pass at a time: intake (poll and plan), then deliver what is due."""

    def __init__(
        self,
        settings: Settings,
        ledger: Ledger,
        adapters: dict[str, Adapter],
        *,
        sources: Sequence[str],
        endpoints: dict[str, str] | None = None,
        alerts: Alerts | None = None,
        now: Callable[[], datetime],
        on_fired: Callable[[Fired], None] | None = None,
        on_note: Callable[[str], None] | None = None,
        card_maker: CardMaker | None = None,
        one_at_a_time: bool = False,
    ) -> None:
        """`card_maker` draws the cards (default: a CardCache under the state folder).
        `one_at_a_time` sends the due posts one after another in due order instead of
        side by side: a simulated run then makes the same requests in the same order
        every time, so the sandbox gives the same ids."""
        self.settings = settings
        self.ledger = ledger
        self.adapters = adapters
        self.sources = list(sources)
        self.alerts = alerts or Alerts()
        self.now = now
        self.grace: timedelta = settings.schedule.grace
        self.delivery = Delivery(ledger, adapters, endpoints=endpoints or {}, now=now)
        self.on_fired = on_fired
        self.on_note = on_note or log.info
        self.card_maker = card_maker
        self.one_at_a_time = one_at_a_time
        self.fired: list[Fired] = []
        self.tally = Tally()
        self._seen: dict[Path, tuple[int, int]] = {}
        self._lanes: dict[str, asyncio.Semaphore] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._summaries: dict[tuple[str, str], Summary] = {}
        self.started_at: datetime | None = None

    # -- passes ---------------------------------------------------------------------

    async def start(self) -> list[Settlement]:
        """Before the first pass: settle what a dead process left in flight (found on
        the platform, or left for a person; never sent blindly again)."""
        now = self.now()
        self.started_at = now
        await asyncio.to_thread(
            due.heartbeat, self.ledger, now=now, next_due_at=None, started_at=now
        )
        settled = await reconcile(self.ledger, self.adapters, now=self.now)
        for settlement in settled:
            self.on_note(f"reconcile: {settlement.line()}")
            if settlement.after == "unknown":
                await self.alerts.unknown(settlement)
        return settled

    async def intake(self) -> list[CampaignPlan]:
        """Poll the sources; plan a campaign for each new summary, and re-render the
        unsent posts of an edited one."""
        plans: list[CampaignPlan] = []
        changed = [
            target for source in self.sources for target in self._changed(source)
        ]
        if not changed:
            return plans
        for summary in await asyncio.to_thread(self._read_sources, changed):
            plan = await asyncio.to_thread(self._take, summary)
            if plan is not None:
                plans.append(plan)
                await self.alerts.planned(plan)
        return plans

    async def tick(self) -> None:
        """Heartbeat; posts slept through become `missed`; due posts are claimed and
        sent, each platform's in order, platforms side by side."""
        now = self.now()
        self.ledger.verify()
        for row in await asyncio.to_thread(
            due.mark_missed, self.ledger, now=now, grace=self.grace
        ):
            self.tally.counts["missed"] += 1
            self.on_note(
                f"missed: #{row.id} {row.platform} {row.key} of {row.summary_id} "
                f"(due {row.local_time})"
            )
            await self.alerts.missed(row, self.grace)
        while True:
            claimed = await asyncio.to_thread(
                due.claim_due, self.ledger, now=now, grace=self.grace, limit=BATCH
            )
            for row in claimed:
                self._dispatch(row, now)
            if len(claimed) < BATCH:
                break
        await asyncio.to_thread(
            due.heartbeat,
            self.ledger,
            now=now,
            next_due_at=self.next_due(),
            started_at=self.started_at,
        )
        self._hourly(now)

    def next_due(self) -> datetime | None:
        return due.next_due(self.ledger)

    async def drain(self, timeout: float | None = None) -> bool:
        """Wait for the posts in flight; False if some were still going at `timeout`
        (their rows stay `sending`, for reconcile)."""
        if not self._tasks:
            return True
        _, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
        return not pending

    @property
    def in_flight(self) -> int:
        return len(self._tasks)

    async def stop(self) -> None:
        await asyncio.to_thread(due.stop_runner, self.ledger, now=self.now())

    # -- delivering -----------------------------------------------------------------

    def _dispatch(self, row: PlannedPost, fired_at: datetime) -> None:
        task = asyncio.ensure_future(self._send(row, fired_at))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send(self, row: PlannedPost, fired_at: datetime) -> None:
        lane = (
            self._lanes.setdefault("", asyncio.Semaphore(1))
            if self.one_at_a_time
            else self._lanes.setdefault(row.platform, asyncio.Semaphore(LANES))
        )
        async with lane:
            teaser, problem = await asyncio.to_thread(self._teaser_for, row)
            if teaser is None:
                outcome = await asyncio.to_thread(self._unrenderable, row, problem)
            else:
                item = Item(
                    teaser, row, claimed=True, retry_until=row.due_at + self.grace
                )
                outcome = await deliver_one(item, self.delivery)
        fired = Fired(row, fired_at, outcome, teaser)
        self.fired.append(fired)
        self.tally.counts[outcome.status] += 1
        if self.on_fired is not None:
            self.on_fired(fired)
        await self.alerts.outcome(outcome, row)

    def _teaser_for(self, row: PlannedPost) -> tuple[Teaser | None, str]:
        """The post as it is to be sent: rendered now from the campaign's summary (so
        an edit to a template or the summary is taken), or the planned text when the
        row has no campaign."""
        found = campaign(self.ledger, row.summary_id)
        if found is None:
            teaser = teaser_of(row)
            return teaser, "" if teaser else "the ledger holds no text for this post"
        key = (found.summary_id, found.content_hash)
        summary = self._summaries.get(key)
        if summary is None:
            summary = self._summaries[key] = summary_of(found)
        try:
            rendered = render_all(
                summary,
                self.settings,
                platforms=[row.platform],
                variants=[row.variant],
                cards=True,
                headline=found.headline,
                card_maker=self.card_maker,
                key=row.key,
            )
        except CrosspostError as exc:
            return None, exc.message
        for teaser in rendered.teasers:
            if teaser.key == row.key:
                return teaser, ""
        for failure in rendered.failures:
            if failure.key == row.key:
                return None, f"does not fit: {failure.message}"
        return None, f"the summary no longer has {row.key}"

    def _unrenderable(self, row: PlannedPost, problem: str) -> Outcome:
        """A claimed post that cannot be rendered is failed, never sent as it was."""
        self.ledger.finish(row.id, "failed", error=problem)
        teaser = teaser_of(row)
        if teaser is None:
            return Outcome(
                row.platform,
                row.variant,
                row.key,
                "failed",
                ledger_id=row.id,
                error=problem,
                summary_id=row.summary_id,
            )
        return outcome_for(teaser, "failed", ledger_id=row.id, error=problem)

    # -- intake ---------------------------------------------------------------------

    def _read_sources(self, targets: list[str]) -> list[Summary]:
        """Every summary in `targets` (files changed since the last poll; feeds, which
        answer an unchanged poll with a 304)."""
        found: list[Summary] = []
        for target in targets:
            try:
                for item in iter_summaries(target, self.settings):
                    if isinstance(item, ParseError):
                        self.on_note(f"cannot read {item}")
                    elif not isinstance(item, Skipped):
                        found.append(item)
            except CrosspostError as exc:
                self.on_note(f"cannot read {target}: {exc.message}")
        return found

    def _changed(self, source: str) -> list[str]:
        """The files of `source` new or changed since the last poll, by size and
        modification time (a feed URL is always asked: conditional GET)."""
        if is_url(source):
            return [source]
        path = Path(source)
        files = (
            sorted(p for p in path.iterdir() if p.suffix.lower() in SUMMARY_SUFFIXES)
            if path.is_dir()
            else [path]
        )
        changed: list[str] = []
        for file in files:
            try:
                status = file.stat()
            except OSError:
                changed.append(str(file))  # iter_summaries says what is wrong
                continue
            stamp = (status.st_size, status.st_mtime_ns)
            if self._seen.get(file) != stamp:
                self._seen[file] = stamp
                changed.append(str(file))
        return changed

    def _take(self, summary: Summary) -> CampaignPlan | None:
        """Plan a new summary's campaign; for an edited one, store the new content
        and re-render its posts not yet sent. None when nothing changed."""
        now = self.now()
        found = campaign(self.ledger, summary.id)
        if found is not None and found.status != "oneoff":
            if found.content_hash == summary.content_hash:
                return None
            return self._edited(summary, found.headline, order_of(found), now)
        plan = self.plan(summary, now=now)
        stored = apply_plan(plan, self.ledger, now=now, zone=self.settings.timezone)
        self.on_note(
            f"planned {len(stored.new)} posts for {summary.title!r} ({summary.id})"
        )
        return stored

    def plan(
        self,
        summary: Summary,
        *,
        now: datetime,
        headline: int | None = None,
        order: Sequence[int] | None = None,
    ) -> CampaignPlan:
        return plan_for(
            summary,
            self.settings,
            self.ledger,
            now=now,
            platforms=list(self.adapters),
            headline=headline,
            order=order,
        )

    def _edited(
        self,
        summary: Summary,
        headline: int | None,
        order: Sequence[int] | None,
        now: datetime,
    ) -> CampaignPlan:
        save_campaign(
            self.ledger,
            summary,
            found_at=now,
            zone=self.settings.timezone,
            status="active",
            headline=headline,
            finding_order=order,
        )
        plan = self.plan(summary, now=now, headline=headline, order=order)
        stored = apply_plan(plan, self.ledger, now=now, zone=self.settings.timezone)
        unsent = ("planned", "draft", "failed", "missed")
        changed = 0
        by_key = {(e.platform, e.key): e for e in stored.entries}
        for row in self.ledger.rows(summary_id=summary.id, statuses=unsent):
            entry = by_key.get((row.platform, row.key))
            if entry is None:
                self.ledger.settle(
                    row,
                    "cancelled",
                    outcome="cancelled",
                    note="the edited summary no longer has this post",
                )
                changed += 1
            elif entry.teaser is not None and text_hash(entry.teaser) != row.text_hash:
                self.ledger.reschedule(
                    row,
                    status="planned" if row.status == "failed" else row.status,  # type: ignore[arg-type]
                    due_at=row.due_at,
                    local_time=row.local_time or row.due_at.isoformat(),
                    outcome="re-rendered",
                    note="the summary was edited; the post was rendered again",
                    text_hash=text_hash(entry.teaser),
                    wire_text=wire_text(entry.teaser),
                )
                changed += 1
        self.on_note(
            f"{summary.title!r} ({summary.id}) was edited: {changed} unsent posts "
            f"re-rendered, {len(stored.new)} new"
        )
        return stored

    def _hourly(self, now: datetime) -> None:
        if self.tally.since is None:
            self.tally.since = now
            return
        if now - self.tally.since < timedelta(hours=1):
            return
        counts = self.tally.counts
        upcoming = self.next_due()
        self.on_note(
            "last hour: "
            + ", ".join(
                f"{counts[name]} {name}"
                for name in ("published", "awaiting_manual", "failed", "unknown")
            )
            + f", {counts['missed']} missed; next due "
            + (iso_utc(upcoming) if upcoming else "none")
        )
        self.tally = Tally(since=now)


def plan_for(
    summary: Summary,
    settings: Settings,
    ledger: Ledger | None,
    *,
    now: datetime,
    platforms: Sequence[str],
    headline: int | None = None,
    order: Sequence[int] | None = None,
    extra: Sequence[PlannedPost] = (),
) -> CampaignPlan:
    """Render `summary` for its campaign and plan it against the ledger's bookings
    (none without a ledger) and the `extra` ones not stored yet."""
    rendered = render_all(
        summary,
        settings,
        platforms=list(platforms),
        variants=sorted(
            {v for p in platforms for v in settings.schedule.variants.get(p, [])}
            or {"announce", "finding", "recap"}
        ),
        headline=headline,
    )
    failures = {
        (f.platform or "", f.key or ""): _fit_message(f) for f in rendered.failures
    }
    rows = [*(ledger.rows() if ledger is not None else []), *extra]
    order = order or summary.finding_order
    return plan_summary(
        summary,
        settings,
        rendered.teasers,
        failures,
        now=now,
        platforms=platforms,
        rows=rows,
        headline=headline,
        order=order,
    )


def _fit_message(error: FitError) -> str:
    return error.message + (f"; {error.hint}" if error.hint else "")
