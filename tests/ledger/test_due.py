"""Tests for the ledger as the schedule: claiming due posts per lane (SQLite and
PostgreSQL), leases renewed and released, stale claims of other processes, claims
left under this process's own name, and the next due time."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from crosspost.ledger import due
from crosspost.ledger.claims import EARLIER, claimer
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import PlannedPost, utcnow
from crosspost.teasers.model import Teaser, TeaserPart

GRACE = timedelta(hours=1)


def teaser(n: int, platform: str = "x") -> Teaser:
    text = f"Post {n} on {platform}: cooling vests and heat sensitivity in MS."
    return Teaser(
        summary_id="rs-00000000000d",
        summary_title="Cooling vests",
        platform=platform,
        variant="finding",
        key=f"finding-{n}",
        parts=(TeaserPart(text=text, count=len(text)),),
        limit=280,
    )


def plan(ledger: Ledger, count: int, *, due_at: datetime) -> list[PlannedPost]:
    platforms = ("x", "facebook", "linkedin")
    return [
        ledger.plan(teaser(n, platforms[n % 3]), due_at=due_at) for n in range(count)
    ]


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger(f"sqlite:///{tmp_path}/ledger.db", actor="test") as opened:
        yield opened


def set_claim(ledger: Ledger, row_id: int, **values: object) -> None:
    with ledger.writing() as session:
        session.execute(
            update(PlannedPost).where(PlannedPost.id == row_id).values(**values)
        )


def test_lanes_claim_so_many_of_each_platform_named(ledger: Ledger) -> None:
    """With lanes, each platform gets at most its count, earliest first, with the
    platform's endpoint recorded; platforms not named are left."""
    now = utcnow()
    rows = plan(ledger, 12, due_at=now - timedelta(minutes=1))
    claimed = due.claim_due(
        ledger,
        now=now,
        grace=GRACE,
        lanes={"x": 2, "facebook": 1, "linkedin": 0},
        endpoints={"x": "https://api.x.com"},
    )
    assert Counter(row.platform for row in claimed) == {"x": 2, "facebook": 1}
    assert [row.id for row in claimed if row.platform == "x"] == [
        row.id for row in rows if row.platform == "x"
    ][:2]
    for row in claimed:
        stored = ledger.get(row.id)
        assert (stored.status, stored.claimed_by, stored.attempts) == (
            "sending",
            claimer(),
            1,
        )
        assert stored.lease_until is not None
        assert stored.endpoint == ("https://api.x.com" if row.platform == "x" else None)
        assert [e.outcome for e in ledger.history(row.id)] == ["sending"]


def test_only_due_posts_within_the_grace_are_claimed(ledger: Ledger) -> None:
    """Not yet due, too late, or waiting for a retry: not claimed."""
    now = utcnow()
    future = ledger.plan(teaser(1), due_at=now + timedelta(minutes=5))
    late = ledger.plan(teaser(2), due_at=now - GRACE - timedelta(minutes=1))
    waiting = ledger.plan(teaser(3), due_at=now - timedelta(minutes=1))
    set_claim(ledger, waiting.id, retry_at=now + timedelta(minutes=2))
    ready = ledger.plan(teaser(4), due_at=now - timedelta(minutes=1))
    claimed = due.claim_due(ledger, now=now, grace=GRACE, lanes={"x": 4})
    assert [row.id for row in claimed] == [ready.id]
    assert {ledger.get(r.id).status for r in (future, late, waiting)} == {"planned"}


def test_two_claimers_on_sqlite_never_take_the_same_post(tmp_path: Path) -> None:
    """Two processes' ledgers claiming at once on one SQLite file: disjoint claims
    that together take every due post once."""
    url = f"sqlite:///{tmp_path}/ledger.db"
    now = utcnow()
    with Ledger(url) as ledger:
        plan(ledger, 30, due_at=now - timedelta(minutes=1))
    won: list[list[int]] = [[], []]
    barrier = threading.Barrier(2)

    def claim(slot: int) -> None:
        with Ledger(url) as mine:
            barrier.wait()
            while rows := due.claim_due(mine, now=now, grace=GRACE, limit=2):
                won[slot] += [row.id for row in rows]

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not set(won[0]) & set(won[1])
    assert len(won[0]) + len(won[1]) == 30


def test_postgresql_claims_are_disjoint_and_bounded(postgres_schema: str) -> None:
    """On PostgreSQL, three claimers at once (FOR UPDATE SKIP LOCKED) each take at
    most their lanes per pass, never a post another took."""
    now = utcnow()
    with Ledger(postgres_schema) as ledger:
        plan(ledger, 60, due_at=now - timedelta(minutes=1))
        claimers = [Ledger(postgres_schema) for _ in range(3)]
        barrier = threading.Barrier(3)
        passes: list[list[PlannedPost]] = []

        def claim(mine: Ledger) -> None:
            barrier.wait()
            while rows := due.claim_due(
                mine, now=now, grace=GRACE, lanes={"x": 2, "facebook": 1}
            ):
                passes.append(rows)

        threads = [threading.Thread(target=claim, args=(one,)) for one in claimers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for one in claimers:
            one.close()
        ids = [row.id for rows in passes for row in rows]
        assert len(ids) == len(set(ids)) == 40  # the 20 x and 20 facebook posts
        for rows in passes:
            counts = Counter(row.platform for row in rows)
            assert counts["x"] <= 2
            assert counts["facebook"] <= 1
        assert {row.status for row in ledger.rows(platforms=["linkedin"])} == {
            "planned"
        }


def test_renewed_leases_move_on_and_released_claims_are_planned(
    ledger: Ledger,
) -> None:
    """Renewal moves on this process's leases only; a released claim is planned
    again, with the reason in its history."""
    now = utcnow()
    rows = plan(ledger, 2, due_at=now - timedelta(minutes=1))
    claimed = due.claim_due(ledger, now=now, grace=GRACE, limit=2)
    set_claim(ledger, claimed[1].id, claimed_by="elsewhere:7")
    before = ledger.get(claimed[0].id).lease_until
    assert before is not None
    assert due.renew_leases(ledger, lease=timedelta(hours=2)) == 1
    after = ledger.get(claimed[0].id).lease_until
    assert after is not None
    assert after > before + timedelta(hours=1)
    assert ledger.get(claimed[1].id).lease_until == before
    assert due.release(ledger, ledger.get(rows[0].id), why="stalled")
    released = ledger.get(rows[0].id)
    assert (released.status, released.lease_until) == ("planned", None)
    assert ledger.history(rows[0].id)[-1].outcome == "released"
    assert not due.release(ledger, ledger.get(rows[1].id), why="not mine")


def test_stale_claims_are_other_processes_with_a_lapsed_lease(ledger: Ledger) -> None:
    """Another process's claim whose lease ran out is stale; one whose lease holds,
    and this process's own, are not."""
    now = utcnow()
    rows = plan(ledger, 3, due_at=now - timedelta(minutes=1))
    due.claim_due(ledger, now=now, grace=GRACE, limit=3)
    set_claim(
        ledger, rows[0].id, claimed_by="other-host:12", lease_until=now - timedelta(1)
    )
    set_claim(
        ledger, rows[1].id, claimed_by="other-host:13", lease_until=now + timedelta(1)
    )
    assert [row.id for row in due.stale_claims(ledger, now=now)] == [rows[0].id]


def test_claims_under_this_name_from_before_are_disowned(ledger: Ledger) -> None:
    """Claims left under this process's own `host:pid` (a restarted container's pid
    1) are marked earlier and their lease ended, so they are stale."""
    now = utcnow()
    rows = plan(ledger, 2, due_at=now - timedelta(minutes=1))
    due.claim_due(ledger, now=now, grace=GRACE, limit=1)
    assert due.stale_claims(ledger, now=now) == []
    assert due.disown_earlier(ledger, now=now) == 1
    stored = ledger.get(rows[0].id)
    assert stored.claimed_by == claimer() + EARLIER
    assert [row.id for row in due.stale_claims(ledger, now=now + timedelta(0, 1))] == [
        rows[0].id
    ]
    assert ledger.history(rows[0].id)[-1].outcome == "disowned"
    assert due.disown_earlier(ledger, now=now) == 0


def test_next_due_after_a_moment(ledger: Ledger) -> None:
    """The next due time, or the first after a moment (a retry time counts)."""
    now = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    first = ledger.plan(teaser(1), due_at=now - timedelta(minutes=5))
    ledger.plan(teaser(2), due_at=now + timedelta(minutes=5))
    assert due.next_due(ledger) == now - timedelta(minutes=5)
    assert due.next_due(ledger, after=now) == now + timedelta(minutes=5)
    set_claim(ledger, first.id, retry_at=now + timedelta(minutes=1))
    assert due.next_due(ledger, after=now) == now + timedelta(minutes=1)
