"""Tests for a runner's lanes: at most LANES posts in flight per platform, claimed only
as lanes free up; nothing claimed once held; leases renewed while a slow post is in
flight; a claim the process can no longer vouch for given back unsent."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from crosspost.ledger import due
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import PlannedPost, utcnow
from crosspost.schedule import lanes as lanes_module
from crosspost.schedule.lanes import LANES, Lanes
from crosspost.teasers.model import Teaser, TeaserPart

pytestmark = pytest.mark.anyio
GRACE = timedelta(hours=1)


def teaser(n: int, platform: str) -> Teaser:
    text = f"Post {n} on {platform}: a walking trial in progressive MS."
    return Teaser(
        summary_id="rs-00000000000e",
        summary_title="Walking trial",
        platform=platform,
        variant="finding",
        key=f"finding-{n}",
        parts=(TeaserPart(text=text, count=len(text)),),
        limit=280,
    )


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger(f"sqlite:///{tmp_path}/ledger.db", actor="test") as opened:
        now = utcnow() - timedelta(minutes=1)
        for n in range(30):
            opened.plan(teaser(n, ("x", "linkedin")[n % 2]), due_at=now)
        yield opened


class Sender:
    """A deliver that records how many posts each platform has in flight."""

    def __init__(self, ledger: Ledger, seconds: float = 0.01) -> None:
        self.ledger = ledger
        self.seconds = seconds
        self.flying: Counter[str] = Counter()
        self.most: Counter[str] = Counter()
        self.sent: list[int] = []
        self.after: list[int] = []

    async def deliver(self, row: PlannedPost) -> str:
        self.flying[row.platform] += 1
        self.most[row.platform] = max(
            self.most[row.platform], self.flying[row.platform]
        )
        await asyncio.sleep(self.seconds)
        self.flying[row.platform] -= 1
        self.sent.append(row.id)
        await asyncio.to_thread(self.ledger.finish, row.id, "published")
        return "published"

    async def done(self, row: PlannedPost, fired_at: datetime, outcome: str) -> None:
        self.after.append(row.id)


def lanes_for(
    ledger: Ledger, sender: Sender, *, lease: timedelta = timedelta(minutes=10)
) -> Lanes[str]:
    return Lanes(
        ledger,
        ["x", "linkedin"],
        now=utcnow,
        grace=GRACE,
        lease=lease,
        endpoints={},
        deliver=sender.deliver,
        after=sender.done,
    )


async def test_lanes_bound_each_platform_and_refill_until_done(ledger: Ledger) -> None:
    """One fill claims LANES per platform; freed lanes claim the rest; every due post
    is sent once, never more than LANES at a time on a platform."""
    sender = Sender(ledger)
    lanes = lanes_for(ledger, sender)
    assert await lanes.fill() == 2 * LANES
    assert len(ledger.rows(statuses=["sending"])) == 2 * LANES
    assert await lanes.drain(10)
    assert sorted(sender.sent) == sorted(row.id for row in ledger.rows())
    assert sender.most == {"x": LANES, "linkedin": LANES}
    assert sorted(sender.after) == sorted(sender.sent)
    assert {row.status for row in ledger.rows()} == {"published"}


async def test_held_lanes_claim_nothing_more(ledger: Ledger) -> None:
    """Once held (stopping), the posts in flight finish and nothing more is claimed."""
    sender = Sender(ledger)
    lanes = lanes_for(ledger, sender)
    await lanes.fill()
    lanes.hold()
    assert await lanes.drain(10)
    assert len(sender.sent) == 2 * LANES
    assert await lanes.fill() == 0
    assert len(ledger.rows(statuses=["planned"])) == 30 - 2 * LANES


async def test_a_slow_post_keeps_its_lease(ledger: Ledger) -> None:
    """A post in flight longer than its lease has the lease renewed meanwhile, so no
    other runner takes it for dead."""
    lease = timedelta(seconds=0.4)
    sender = Sender(ledger, seconds=1.2)
    lanes = lanes_for(ledger, sender, lease=lease)
    lanes.platforms = ["x"]
    await lanes.fill()
    await asyncio.sleep(0.9)
    flying = ledger.rows(statuses=["sending"])
    assert len(flying) == LANES
    for row in flying:
        assert row.lease_until is not None
        assert row.claimed_at is not None
        assert row.lease_until > row.claimed_at + lease
    assert due.stale_claims(ledger, now=utcnow()) == []
    lanes.hold()
    assert await lanes.drain(10)


async def test_a_claim_not_vouched_for_is_given_back_unsent(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A claim whose lease this process can no longer vouch for (it stalled) is
    planned again, not sent late."""
    sender = Sender(ledger)
    lanes = lanes_for(ledger, sender)
    monkeypatch.setattr(lanes_module, "LEASE_MARGIN", 1.0)  # every lease used up
    await lanes.fill()
    lanes.hold()
    assert await lanes.drain(10)
    assert sender.sent == []
    assert {row.status for row in ledger.rows()} == {"planned"}
    outcomes = Counter(
        e.outcome for row in ledger.rows() for e in ledger.history(row.id)
    )
    assert outcomes == {"sending": 2 * LANES, "released": 2 * LANES}
