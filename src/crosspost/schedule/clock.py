"""The runner's clock: APScheduler 3.x wakes the runner; it holds no state of its own.

The only module that imports APScheduler (it has no type hints). Jobs live in the
in-memory store: the ledger is the schedule, so nothing is pickled, and a restart
loses nothing. Jobs are only wake-up calls: at the next due post, on a periodic tick
(which also covers a machine that slept through a wake-up), on the sources' poll cron,
and daily for the credentials check.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from crosspost.errors import ConfigError

Reason = Literal["tick", "wake", "poll", "daily"]
DAILY_CHECK = "0 8 * * *"  # credentials, at 08:00 local


def cron_trigger(expression: str, zone: ZoneInfo, *, key: str = "schedule.poll") -> Any:
    """APScheduler's CronTrigger for a crontab line; a bad line is a ConfigError."""
    from apscheduler.triggers.cron import CronTrigger

    try:
        return CronTrigger.from_crontab(expression, timezone=zone)
    except ValueError as exc:
        raise ConfigError(
            f"setting '{key}': {expression!r} is not a crontab line: {exc}",
            hint="five fields: minute hour day month weekday, e.g. '*/15 * * * *'",
        ) from None


def next_fire(trigger: Any, after: datetime) -> datetime:
    """The trigger's first fire time strictly after `after` (aware), in UTC.

    In an autumn fold APScheduler reads a wall time as its first occurrence, so it can
    answer with an instant before the one asked about (01:00 EST, then 01:15 EDT):
    such an answer is skipped by asking again from an hour later."""
    after_utc = after.astimezone(UTC)
    start = after
    for _ in range(48):
        fire: datetime | None = trigger.get_next_fire_time(None, start + _EPSILON)
        if fire is None:  # a crontab always fires again
            break
        if fire.astimezone(UTC) > after_utc:
            # In UTC: Python compares two times of one zone by their wall clocks,
            # which the doubled hour makes ambiguous.
            return fire.astimezone(UTC)
        start = start.astimezone(UTC) + timedelta(hours=1)
    raise ValueError("trigger does not fire again")


_EPSILON = timedelta(microseconds=1)


class Clock:
    """Wakes the runner through `on_wake(reason)`, from APScheduler's asyncio loop."""

    def __init__(
        self,
        on_wake: Callable[[Reason], None],
        *,
        zone: ZoneInfo,
        tick: float,
        poll: str,
    ) -> None:
        from apscheduler.schedulers.asyncio import AsyncIOScheduler

        self._on_wake = on_wake
        self._zone = zone
        self._scheduler = AsyncIOScheduler(
            timezone=zone,
            # A wake-up that comes late (a busy loop, a machine that slept) still
            # runs, once: the runner itself decides what is due or missed.
            job_defaults={"coalesce": True, "misfire_grace_time": None},
        )
        self._tick = tick
        self._poll = cron_trigger(poll, zone)
        self._daily = cron_trigger(DAILY_CHECK, zone, key="daily check")

    async def _fire(self, reason: Reason) -> None:
        # A coroutine, so APScheduler runs it in the event loop, not in a thread.
        self._on_wake(reason)

    def start(self) -> None:
        from apscheduler.triggers.interval import IntervalTrigger

        add = self._scheduler.add_job
        add(
            self._fire,
            IntervalTrigger(seconds=self._tick, timezone=self._zone),
            args=["tick"],
            id="tick",
        )
        add(self._fire, self._poll, args=["poll"], id="poll")
        add(self._fire, self._daily, args=["daily"], id="daily")
        self._scheduler.start()

    def wake_at(self, when: datetime | None) -> None:
        """Wake the runner at `when` (the next due post); None: no wake-up."""
        if when is None:
            if self._scheduler.get_job("wake") is not None:
                self._scheduler.remove_job("wake")
            return
        from apscheduler.triggers.date import DateTrigger

        self._scheduler.add_job(
            self._fire,
            DateTrigger(run_date=when, timezone=self._zone),
            args=["wake"],
            id="wake",
            replace_existing=True,
        )

    def next_poll(self, after: datetime) -> datetime:
        return next_fire(self._poll, after)

    def stop(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)


class VirtualClock:
    """The same wake-ups computed instead of waited for, for `--simulate-until`."""

    def __init__(self, *, zone: ZoneInfo, poll: str, start: datetime) -> None:
        self.now = start.astimezone(UTC)  # compared as instants, never wall times
        self._poll = cron_trigger(poll, zone)
        self._daily = cron_trigger(DAILY_CHECK, zone, key="daily check")

    def next_poll(self, after: datetime) -> datetime:
        return next_fire(self._poll, after)

    def timestamp(self) -> float:
        """The virtual now as seconds since the epoch (the sandbox's clock)."""
        return self.now.timestamp()

    def next_daily(self, after: datetime) -> datetime:
        return next_fire(self._daily, after)

    async def sleep(self, seconds: float) -> None:
        """Adapters' waits (backoff, Instagram's polling) pass in no real time."""
        self.now += timedelta(seconds=max(0.0, seconds))
        await asyncio.sleep(0)
