"""The runner: polls the sources, plans campaigns for new summaries, and publishes
each post when it falls due, through the ledger. It keeps no schedule of its own: every
pass asks the ledger what is due, so a restart or a second runner cannot disagree.

The same runner runs on the real clock (`crosspost run`, woken by APScheduler) and on a
virtual one (`--simulate-until`, which jumps from one due instant to the next).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from crosspost.errors import ConfigError, CrosspostError
from crosspost.ledger import due
from crosspost.ledger.campaigns import campaign, order_of, save_campaign, summary_of
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import PlannedPost, utcnow
from crosspost.platforms.base import Adapter
from crosspost.publish.deliver import Delivery, Item, deliver_one
from crosspost.publish.outcome import Outcome, outcome_for
from crosspost.publish.reconcile import Settlement, reconcile, teaser_of
from crosspost.schedule.intake import (
    changed_files,
    plan_for,
    read_sources,
    rerender_unsent,
)
from crosspost.schedule.lanes import LANES, Lanes
from crosspost.schedule.planning import (
    CampaignPlan,
    apply_plan,
    iso_utc,
    text_fields,
)
from crosspost.settings import Settings
from crosspost.summaries.model import Summary
from crosspost.teasers.compose import CardMaker
from crosspost.teasers.model import Teaser
from crosspost.teasers.render import render_all

log = logging.getLogger("crosspost.run")


@dataclass(frozen=True)
class Fired:
    """A post the runner fired: its row as planned, when it fired, how it ended, and
    the teaser it sent (None when it could not be rendered)."""

    row: PlannedPost
    fired_at: datetime
    outcome: Outcome
    teaser: Teaser | None = None

    def as_dict(self) -> dict[str, Any]:
        """The fields of `plan --json` (the text as sent, when rendered), then when it
        fired and how it ended."""
        row = self.row
        data: dict[str, Any] = {
            "id": row.id,
            "summary_id": row.summary_id,
            "summary_title": row.summary_title,
            "platform": row.platform,
            "variant": row.variant,
            "key": row.key,
            "status": self.outcome.status,
            "due_at": iso_utc(row.due_at),
            "local_time": row.local_time,
            "zone": row.zone,
        }
        if self.teaser is not None:
            data.update(text_fields(self.teaser))
        data["fired_at"] = iso_utc(self.fired_at)
        data["url"] = self.outcome.url or self.outcome.handoff_path
        data["error"] = self.outcome.error
        return data


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
        self.lease: timedelta = settings.schedule.lease
        self.delivery = Delivery(ledger, adapters, endpoints=endpoints or {}, now=now)
        self.on_fired = on_fired
        self.on_note = on_note or log.info
        self.card_maker = card_maker
        self._one_at_a_time = asyncio.Lock() if one_at_a_time else None
        self._sent: dict[int, Teaser] = {}
        self.fired: list[Fired] = []
        self.tally = Tally()
        self._seen: dict[str, tuple[int, int]] = {}
        self._unplanned: dict[str, str] = {}
        self.lanes: Lanes[Outcome] = Lanes(
            ledger,
            list(adapters),
            now=now,
            grace=self.grace,
            lease=self.lease,
            endpoints=endpoints or {},
            deliver=self._deliver,
            after=self._fired,
            width=1 if one_at_a_time else LANES,
        )
        self._summaries: dict[tuple[str, str], Summary] = {}
        self._looked_at: datetime | None = None
        self.started_at: datetime | None = None

    # -- passes ---------------------------------------------------------------------

    async def start(self) -> list[Settlement]:
        """Before the first pass: settle what a dead process left in flight (found on
        the platform, given back to the runners, or left for a person; never sent
        blindly again)."""
        now = self.now()
        self.started_at = now
        # Claims under this process's own name are an earlier process's (a
        # container's pid 1 again): they are settled like any dead runner's.
        await asyncio.to_thread(due.disown_earlier, self.ledger, now=utcnow())
        await self._heartbeat(now, next_due_at=None)
        settled = await reconcile(
            self.ledger,
            self.adapters,
            now=self.now,
            lease=self.lease,
            min_age=self.settings.schedule.listing_lag,
            grace=self.grace,
        )
        await self._tell(settled, quiet=False)
        return settled

    async def settle_stale(self) -> list[Settlement]:
        """Settle the posts other runners left `sending` and stopped renewing (a
        runner killed, a host gone): looked for on the platform, never re-sent
        blindly; runners that keep running do this every tick."""
        now = self.now()
        self._looked_at = now
        rows = await asyncio.to_thread(
            due.stale_claims, self.ledger, now=now, lease=self.lease
        )
        if not rows:
            return []
        settled = await reconcile(
            self.ledger,
            self.adapters,
            rows=rows,
            now=self.now,
            lease=self.lease,
            min_age=self.settings.schedule.listing_lag,
            grace=self.grace,
        )
        await self._tell(settled, quiet=True)
        return settled

    async def _tell(self, settled: list[Settlement], *, quiet: bool) -> None:
        for settlement in settled:
            if quiet and settlement.action == "too_recent":
                continue  # said again each tick until it can be concluded
            self.on_note(f"reconcile: {settlement.line()}")
            if settlement.after == "unknown":
                await self.alerts.unknown(settlement)
            elif settlement.after == "missed" and settlement.before != "missed":
                row = await asyncio.to_thread(self.ledger.get, settlement.ledger_id)
                await self.alerts.missed(row, self.grace)

    async def intake(self) -> list[CampaignPlan]:
        """Poll the sources; plan a campaign for each new summary, and re-render the
        unsent posts of an edited one."""
        plans: list[CampaignPlan] = []
        changed = [
            target
            for source in self.sources
            for target in changed_files(source, self._seen)
        ]
        if not changed:
            return plans
        read = await asyncio.to_thread(
            read_sources, changed, self.settings, self.on_note
        )
        for summary in read:
            try:
                plan = await asyncio.to_thread(self._take, summary)
            except ConfigError:
                raise  # wrong settings (no templates...): nothing can be planned
            except CrosspostError as exc:
                # One summary that cannot be planned (no free slot in the horizon)
                # costs only itself; it is read again at the next poll.
                self._seen.pop(summary.source, None)
                if self._unplanned.get(summary.id) != exc.message:
                    self._unplanned[summary.id] = exc.message
                    self.on_note(f"cannot plan {summary.title!r} ({summary.id}): {exc}")
                continue
            self._unplanned.pop(summary.id, None)
            if plan is not None:
                plans.append(plan)
                await self.alerts.planned(plan)
        return plans

    async def tick(self) -> None:
        """Posts slept through become `missed`; due posts are claimed for the free
        lanes and sent, each platform's in order, platforms side by side (more are
        claimed as lanes free up); heartbeat; other runners' stale claims settled."""
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
        await self.lanes.fill()
        await self._heartbeat(now, next_due_at=self.next_due())
        every = timedelta(seconds=self.settings.schedule.tick)
        if self._looked_at is None or not now - every < self._looked_at <= now:
            await self.settle_stale()
        self._hourly(now)

    async def _heartbeat(self, now: datetime, *, next_due_at: datetime | None) -> None:
        asked = time.monotonic()
        await asyncio.to_thread(
            due.heartbeat,
            self.ledger,
            now=now,
            next_due_at=next_due_at,
            started_at=self.started_at,
            lease=self.lease,
        )
        self.lanes.renewed(asked)

    def next_due(self, *, after: datetime | None = None) -> datetime | None:
        """When the next planned post falls due (after `after`: posts already due
        and waiting for a lane are claimed as lanes free up, not woken for)."""
        return due.next_due(self.ledger, after=after)

    async def drain(self, timeout: float | None = None) -> bool:
        """Wait for the posts in flight (and those claimed as lanes free up); False
        if some were still going at `timeout` (their rows stay `sending`, for
        reconcile)."""
        return await self.lanes.drain(timeout)

    def hold(self) -> None:
        """Claim no more posts (the runner is stopping)."""
        self.lanes.hold()

    @property
    def in_flight(self) -> int:
        return self.lanes.in_flight

    async def stop(self) -> None:
        await asyncio.to_thread(due.stop_runner, self.ledger, now=self.now())

    # -- delivering -----------------------------------------------------------------

    async def _deliver(self, row: PlannedPost) -> Outcome:
        async with self._one_at_a_time or contextlib.nullcontext():
            teaser, problem = await asyncio.to_thread(self._teaser_for, row)
            if teaser is None:
                return await asyncio.to_thread(self._unrenderable, row, problem)
            self._sent[row.id] = teaser
            item = Item(teaser, row, claimed=True, retry_until=row.due_at + self.grace)
            return await deliver_one(item, self.delivery)

    async def _fired(
        self, row: PlannedPost, fired_at: datetime, outcome: Outcome
    ) -> None:
        fired = Fired(row, fired_at, outcome, self._sent.pop(row.id, None))
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

    def _take(self, summary: Summary) -> CampaignPlan | None:
        """Plan a new summary's campaign; for an edited one, store the new content
        and re-render its posts not yet sent. None when nothing changed."""
        now = self.now()
        found = campaign(self.ledger, summary.id)
        if found is not None and found.status == "cancelled":
            return None  # a person stopped it: an edit does not bring it back
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
        changed = rerender_unsent(self.ledger, summary.id, stored)
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
