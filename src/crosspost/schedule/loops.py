"""How the runner is driven: forever on the real clock, one pass (`--once`), or on a
virtual clock from `--now` to `--simulate-until`."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from crosspost.schedule.clock import Clock, Reason, VirtualClock
from crosspost.schedule.runner import Runner

log = logging.getLogger("crosspost.run")

# How long a stop waits for the posts in flight before leaving them to reconcile.
STOP_WAIT = 60.0


async def run_forever(
    runner: Runner, *, zone: ZoneInfo, tick: float, poll: str
) -> None:
    """Until SIGTERM or SIGINT: wake at each due post, each tick and each poll; then
    finish (or record) what is in flight."""
    wake = asyncio.Event()
    reasons: set[Reason] = set()
    stopping = asyncio.Event()

    def on_wake(reason: Reason) -> None:
        reasons.add(reason)
        wake.set()

    def on_signal() -> None:
        stopping.set()
        wake.set()

    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, on_signal)
    clock = Clock(on_wake, zone=zone, tick=tick, poll=poll)
    try:
        await runner.start()
        await runner.intake()
        clock.start()
        while not stopping.is_set():
            if {"poll"} & reasons:
                await runner.intake()
            if "daily" in reasons:
                await runner.alerts.daily(runner.now())
            reasons.clear()
            await runner.tick()
            clock.wake_at(runner.next_due(after=runner.now()))
            await wake.wait()
            wake.clear()
    finally:
        clock.stop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        runner.hold()
        if not await runner.drain(STOP_WAIT):
            log.warning(
                "stopped with %d posts still in flight: they stay 'sending' and are "
                "reconciled when crosspost run starts again",
                runner.in_flight,
            )
        await runner.stop()


async def run_once(runner: Runner) -> None:
    """One pass, for cron or CI: settle, poll, deliver what is due, wait for it."""
    await runner.start()
    await runner.intake()
    await runner.tick()
    await runner.drain()
    await runner.stop()


async def simulate(runner: Runner, clock: VirtualClock, until: datetime) -> None:
    """The same passes on a virtual clock: jump to each due post, poll and daily check
    from `clock.now` to `until`, without sleeping."""
    await runner.start()
    await runner.intake()
    next_poll = clock.next_poll(clock.now)
    next_daily = clock.next_daily(clock.now)
    upcoming = runner.next_due()
    while True:
        moment = min(t for t in (upcoming, next_poll, next_daily) if t is not None)
        if moment > until:
            break
        clock.now = max(clock.now.astimezone(UTC), moment.astimezone(UTC))
        if moment >= next_poll:
            if await runner.intake():
                upcoming = runner.next_due()
            next_poll = clock.next_poll(clock.now)
        if moment >= next_daily:
            await runner.alerts.daily(clock.now)
            next_daily = clock.next_daily(clock.now)
        if upcoming is not None and upcoming <= clock.now:
            await runner.tick()
            await runner.drain()
            upcoming = runner.next_due(after=clock.now)
    clock.now = until
    await runner.tick()
    await runner.drain()
    await runner.stop()
