"""A runner's posts in flight: at most `LANES` per platform, each claimed from the
ledger only when a lane is free (so a runner that dies holds few claims, and runners
sharing a database share the due posts), with the claims' leases kept while they are
being sent.

A post whose lease this process can no longer vouch for (it stalled longer than the
lease) is given back unsent, never sent late behind another runner's back.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from crosspost.errors import CrosspostError
from crosspost.ledger import due
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import PlannedPost

log = logging.getLogger("crosspost.run")

# Posts in flight at once on one platform. Its posts due at the same moment start in
# due order; a campaign's posts on a platform are days apart, so never overlap.
LANES = 4
# A claim is sent only while this much of its lease is left.
LEASE_MARGIN = 0.1

T = TypeVar("T")


class Lanes(Generic[T]):
    """Claims due posts for free lanes and runs `deliver` on each; `after` is
    awaited once the post's lane is free again (telling the team never holds one)."""

    def __init__(
        self,
        ledger: Ledger,
        platforms: Sequence[str],
        *,
        now: Callable[[], datetime],
        grace: timedelta,
        lease: timedelta,
        endpoints: Mapping[str, str],
        deliver: Callable[[PlannedPost], Awaitable[T]],
        after: Callable[[PlannedPost, datetime, T], Awaitable[None]],
        width: int = LANES,
    ) -> None:
        self.ledger = ledger
        self.width = width
        self.platforms = list(platforms)
        self.now = now
        self.grace = grace
        self.lease = lease
        self.endpoints = dict(endpoints)
        self._deliver = deliver
        self._after = after
        self._busy: Counter[str] = Counter()
        self._tasks: set[asyncio.Task[None]] = set()
        self._claiming = asyncio.Lock()
        self._holding = False
        self._wanted = False
        self._refiller: asyncio.Task[None] | None = None
        self._keeper: asyncio.Task[None] | None = None
        self._idle = asyncio.Event()
        self._idle.set()
        # Monotonic time of the last lease renewal that reached the ledger.
        self._renewed = float("-inf")

    @property
    def in_flight(self) -> int:
        return len(self._tasks)

    async def fill(self) -> int:
        """Claim due posts for the free lanes and start sending them; how many."""
        async with self._claiming:
            lanes = {
                platform: self.width - self._busy[platform]
                for platform in self.platforms
                if self._busy[platform] < self.width
            }
            if self._holding or not lanes:
                return 0
            now = self.now()
            claimed_at = time.monotonic()
            claimed = await asyncio.to_thread(
                due.claim_due,
                self.ledger,
                now=now,
                grace=self.grace,
                lease=self.lease,
                lanes=lanes,
                endpoints=self.endpoints,
            )
            for row in claimed:
                self._start(row, now, claimed_at)
            return len(claimed)

    def renewed(self, at: float) -> None:
        """The leases of every claim of this process were renewed at `at`
        (monotonic, taken before the renewal was asked)."""
        self._renewed = max(self._renewed, at)

    def hold(self) -> None:
        """Claim nothing more (stopping); posts in flight go on."""
        self._holding = True

    async def drain(self, timeout: float | None = None) -> bool:
        """Wait for the posts in flight, and those claimed as lanes free up; False if
        some were still going at `timeout` (their rows stay `sending`)."""
        loop = asyncio.get_running_loop()
        end = None if timeout is None else loop.time() + timeout
        while True:
            waiting: set[asyncio.Task[None]] = set(self._tasks)
            for helper in (self._refiller, self._keeper):
                if helper is not None and not helper.done():
                    waiting.add(helper)
            if not waiting:
                return True
            left = None if end is None else end - loop.time()
            if left is not None and left <= 0:
                return False
            await asyncio.wait(waiting, timeout=left)

    # -- in flight ----------------------------------------------------------------

    def _start(self, row: PlannedPost, fired_at: datetime, claimed_at: float) -> None:
        self._busy[row.platform] += 1
        self._idle.clear()
        task = asyncio.ensure_future(self._run(row, fired_at, claimed_at))
        self._tasks.add(task)
        task.add_done_callback(self._done)
        if self._keeper is None or self._keeper.done():
            self._keeper = asyncio.ensure_future(self._keep_leases())

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not self._tasks:
            self._idle.set()

    async def _run(
        self, row: PlannedPost, fired_at: datetime, claimed_at: float
    ) -> None:
        try:
            if not self._holds(claimed_at):
                await asyncio.to_thread(
                    due.release,
                    self.ledger,
                    row,
                    why="this runner stalled past its lease before sending; not sent",
                )
                return
            outcome = await self._deliver(row)
        finally:
            self._busy[row.platform] -= 1
            self._refill()
        await self._after(row, fired_at, outcome)

    def _holds(self, claimed_at: float) -> bool:
        """Whether the lease of a claim made at `claimed_at` still holds, with a
        margin: past it, another runner may already be settling the post."""
        lease = self.lease.total_seconds()
        return time.monotonic() < max(claimed_at, self._renewed) + lease * (
            1 - LEASE_MARGIN
        )

    def _refill(self) -> None:
        """A lane is free: claim again (once for any number of lanes freed
        meanwhile)."""
        self._wanted = True
        if not self._holding and (self._refiller is None or self._refiller.done()):
            self._refiller = asyncio.ensure_future(self._refilling())

    async def _refilling(self) -> None:
        while self._wanted and not self._holding:
            self._wanted = False
            try:
                await self.fill()
            except CrosspostError as exc:
                # The next tick claims again.
                log.warning("could not claim due posts: %s", exc.message)
                return

    async def _keep_leases(self) -> None:
        """While posts are in flight, renew their leases every quarter lease, so a
        slow send (Instagram's processing, backoff) never outlives its claim."""
        every = self.lease.total_seconds() / 4
        while self._tasks:
            try:
                await asyncio.wait_for(self._idle.wait(), timeout=every)
                return
            except TimeoutError:
                pass
            asked = time.monotonic()
            try:
                await asyncio.to_thread(due.renew_leases, self.ledger, lease=self.lease)
            except CrosspostError as exc:
                log.warning("could not renew the leases of posts in flight: %s", exc)
                continue
            self.renewed(asked)
