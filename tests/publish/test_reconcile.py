"""Tests for reconcile: unknown and stale posts settled by asking the platform."""

from __future__ import annotations

import socket
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from crosspost.ledger import store
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import PlannedPost, Runner, utcnow
from crosspost.platforms.base import AccountCheck, Receipt
from crosspost.platforms.errors import PublishError
from crosspost.publish.reconcile import (
    ABSENT_NOTE,
    CLOCK_MARGIN,
    FOUND_NOTE,
    Settlement,
    reconcile,
    teaser_of,
)
from crosspost.teasers.model import Teaser, TeaserPart

pytestmark = pytest.mark.anyio
SUMMARY_ID = "rs-00000000000a"
HOST = socket.gethostname()


def teaser(platform: str = "x", parts: int = 1, key: str = "announce") -> Teaser:
    texts = [f"Sleep and MS fatigue, part {n} for {platform}." for n in range(parts)]
    return Teaser(
        summary_id=SUMMARY_ID,
        summary_title="Sleep quality and fatigue in relapsing MS",
        platform=platform,
        variant="announce",
        key=key,
        parts=tuple(TeaserPart(text=text, count=len(text)) for text in texts),
        limit=280,
    )


class Finder:
    """An adapter that can look posts up: answers with `found`, or raises `error`."""

    def __init__(
        self,
        name: str = "x",
        found: Receipt | None = None,
        error: Exception | None = None,
    ) -> None:
        self.name = name
        self.found = found
        self.error = error
        self.asked: list[tuple[Teaser, datetime]] = []

    async def publish(self, teaser: Teaser) -> Receipt:
        raise AssertionError("reconcile never publishes")

    async def check(self) -> AccountCheck:
        return AccountCheck(platform=self.name, ok=True)

    async def find(self, teaser: Teaser, *, since: datetime) -> Receipt | None:
        self.asked.append((teaser, since))
        if self.error is not None:
            raise self.error
        return self.found


class Blind:
    """An adapter without `find` (like YouTube's hand-off)."""

    name = "youtube"

    async def publish(self, teaser: Teaser) -> Receipt:
        raise AssertionError("reconcile never publishes")


def lost(ledger: Ledger, post: Teaser) -> PlannedPost:
    """A row whose answer was lost: claimed with its wire text, then `unknown`."""
    row = ledger.plan(post)
    assert ledger.claim(
        row.id, text_hash=store.text_hash(post), wire_text=store.wire_text(post)
    )
    ledger.finish(row.id, "unknown", error="no answer after sending")
    return ledger.get(row.id)


def later(minutes: float) -> datetime:
    return utcnow() + timedelta(minutes=minutes)


def receipt(*ids: str) -> Receipt:
    return Receipt(
        platform="x",
        post_id=ids[0],
        url=f"https://x.com/a/status/{ids[0]}",
        part_ids=ids,
        part_urls=tuple(f"https://x.com/a/status/{i}" for i in ids),
    )


async def test_found_post_becomes_published_with_its_id(ledger: Ledger) -> None:
    """Found on the platform: published with id and URL, history says reconciled."""
    row = lost(ledger, teaser())
    finder = Finder(found=receipt("1861"))
    [settled] = await reconcile(ledger, {"x": finder})
    assert (settled.action, settled.before, settled.after) == (
        "found",
        "unknown",
        "published",
    )
    stored = ledger.get(row.id)
    assert (stored.status, stored.post_id) == ("published", "1861")
    assert stored.url == "https://x.com/a/status/1861"
    history = ledger.history(row.id)[-1]
    assert (history.outcome, history.error) == ("reconciled: published", FOUND_NOTE)
    [(asked, since)] = finder.asked
    assert asked.text == teaser().text
    assert stored.claimed_at is not None
    assert since == stored.claimed_at - CLOCK_MARGIN


async def test_absent_post_old_enough_becomes_failed_and_sendable(
    ledger: Ledger,
) -> None:
    """Absent well after the claim: failed, with the reason, and claimable again."""
    row = lost(ledger, teaser())
    [settled] = await reconcile(ledger, {"x": Finder()}, now=lambda: later(3))
    assert (settled.action, settled.after) == ("absent", "failed")
    stored = ledger.get(row.id)
    assert (stored.status, stored.last_error) == ("failed", ABSENT_NOTE)
    assert ledger.history(row.id)[-1].outcome == "reconciled: failed"
    assert ledger.claim(row.id, text_hash=stored.text_hash)


async def test_absent_but_recent_post_is_left_unknown(ledger: Ledger) -> None:
    """A listing may lag: absence within the settle delay concludes nothing."""
    row = lost(ledger, teaser())
    [settled] = await reconcile(ledger, {"x": Finder()})
    assert (settled.action, settled.after) == ("too_recent", "unknown")
    assert ledger.get(row.id).status == "unknown"
    [settled] = await reconcile(
        ledger, {"x": Finder()}, min_age=timedelta(0), now=lambda: later(0.1)
    )
    assert settled.action == "absent"


async def test_a_failed_listing_leaves_the_row_and_says_why(ledger: Ledger) -> None:
    """A listing error is reported; the row stays unknown, nothing concluded."""
    row = lost(ledger, teaser())
    error = PublishError("x answered HTTP 503 for token=abc123456789", platform="x")
    [settled] = await reconcile(
        ledger, {"x": Finder(error=error)}, now=lambda: later(5)
    )
    assert (settled.action, settled.after) == ("listing_failed", "unknown")
    assert "503" in settled.detail
    assert "abc123456789" not in settled.detail
    assert ledger.get(row.id).status == "unknown"


async def test_threads_are_matched_but_never_concluded_absent(ledger: Ledger) -> None:
    """A whole thread found is published; part of one, or none, is left unknown."""
    whole = lost(ledger, teaser(parts=2, key="thread"))
    [settled] = await reconcile(ledger, {"x": Finder(found=receipt("1", "2"))})
    assert settled.action == "found"
    assert ledger.get(whole.id).status == "published"
    partial = lost(ledger, teaser(parts=3, key="thread-2"))
    [settled] = await reconcile(ledger, {"x": Finder(found=receipt("7"))})
    assert settled.action == "thread_partial"
    assert "1 of 3 thread parts are live (https://x.com/a/status/7)" in settled.detail
    [settled] = await reconcile(ledger, {"x": Finder()}, now=lambda: later(60))
    assert (settled.action, settled.after) == ("thread_not_found", "unknown")
    assert ledger.get(partial.id).status == "unknown"


async def test_platforms_without_find_are_left_for_resolve(ledger: Ledger) -> None:
    """YouTube (no listing) and unconfigured platforms stay unknown, with a hint."""
    tube = lost(ledger, teaser("youtube"))
    lost(ledger, teaser("facebook"))
    settled = await reconcile(ledger, {"youtube": Blind()}, now=lambda: later(60))
    assert [s.action for s in settled] == ["cannot_find", "cannot_find"]
    assert f"crosspost resolve {tube.id} --posted URL" in settled[0].detail


async def test_without_stored_text_only_a_matching_teaser_is_used(
    ledger: Ledger, tmp_path: Path
) -> None:
    """A row from before wire text was kept uses the given teaser if the hash agrees."""
    post = teaser()
    row = ledger.plan(post)
    ledger.claim(row.id, text_hash=store.text_hash(post))
    ledger.finish(row.id, "unknown")
    database = sqlite3.connect(tmp_path / "ledger.db")
    database.execute("UPDATE planned_posts SET wire_text = NULL")
    database.commit()
    database.close()
    [settled] = await reconcile(ledger, {"x": Finder(found=receipt("5"))})
    assert settled.action == "no_text"
    changed = teaser().model_copy(
        update={"parts": (TeaserPart(text="Reworded.", count=9),)}
    )
    assert teaser_of(ledger.get(row.id), [changed]) is None
    [settled] = await reconcile(
        ledger, {"x": Finder(found=receipt("5"))}, teasers=[post]
    )
    assert settled.action == "found"


async def test_stale_sending_row_of_a_dead_sender_is_settled(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `sending` row whose process is gone is looked for at once: found, it is
    published."""
    monkeypatch.setattr(store, "claimer", lambda: f"{HOST}:4242")
    post = teaser()
    row = ledger.plan(post)
    ledger.claim(row.id, text_hash=store.text_hash(post), wire_text=post.text)
    [settled] = await reconcile(
        ledger, {"x": Finder(found=receipt("9"))}, alive=lambda pid: pid != 4242
    )
    assert (settled.before, settled.after, settled.action) == (
        "sending",
        "published",
        "found",
    )
    assert settled.stale == f"its sender (process 4242 on {HOST}) is gone"
    outcomes = [event.outcome for event in ledger.history(row.id)]
    assert outcomes == ["sending", "reconciled: published"]
    assert "stale claim" in (ledger.history(row.id)[1].error or "")


async def test_sending_row_of_a_live_sender_is_left_alone(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While its sender runs and the lease lasts, a `sending` row is not touched."""
    monkeypatch.setattr(store, "claimer", lambda: f"{HOST}:4242")
    post = teaser()
    row = ledger.plan(post)
    ledger.claim(row.id, text_hash=store.text_hash(post), wire_text=post.text)
    finder = Finder(found=receipt("9"))
    [settled] = await reconcile(ledger, {"x": finder}, alive=lambda pid: True)
    assert (settled.action, settled.after) == ("in_flight", "sending")
    assert finder.asked == []
    assert ledger.get(row.id).status == "sending"
    [settled] = await reconcile(
        ledger, {"x": finder}, alive=lambda pid: True, now=lambda: later(11)
    )
    assert (settled.before, settled.action) == ("sending", "found")
    assert f"the lease of {HOST}:4242 ran out" in (settled.stale or "")


async def test_only_the_asked_summary_and_platforms_are_reconciled(
    ledger: Ledger,
) -> None:
    """summary_id and platforms narrow the rows looked at."""
    lost(ledger, teaser("x"))
    lost(ledger, teaser("linkedin"))
    other = teaser("x").model_copy(update={"summary_id": "rs-other"})
    lost(ledger, other)
    settled = await reconcile(
        ledger,
        {"x": Finder(found=receipt("3"))},
        summary_id=SUMMARY_ID,
        platforms=["x"],
    )
    assert [(s.platform, s.summary_id) for s in settled] == [("x", SUMMARY_ID)]


def test_settlement_line_and_dict() -> None:
    """The line names id, platform, key, the change and the URL; as_dict is flat."""
    settled = Settlement(
        ledger_id=7,
        summary_id=SUMMARY_ID,
        platform="linkedin",
        key="announce",
        before="unknown",
        after="published",
        action="found",
        detail="found on the platform",
        url="https://www.linkedin.com/feed/update/urn:li:share:1/",
    )
    line = settled.line()
    assert line.startswith("#7")
    assert "unknown → published" in line
    assert line.endswith(
        "found on the platform: https://www.linkedin.com/feed/update/urn:li:share:1/"
    )
    assert settled.as_dict()["action"] == "found"
    assert settled.settled


def runners_claim(ledger: Ledger, post: Teaser, *, due_at: datetime) -> PlannedPost:
    """A post a runner (now dead, on another host) claimed, its lease run out."""
    row = ledger.plan(post, due_at=due_at)
    ledger.claim(row.id, text_hash=store.text_hash(post), wire_text=post.text)
    with ledger.writing() as session:
        session.add(
            Runner(id="far-host:77", host="far-host", pid=77, started_at=due_at)
        )
        stored = session.get(PlannedPost, row.id)
        assert stored is not None
        stored.claimed_by = "far-host:77"
        stored.lease_until = utcnow() - timedelta(minutes=1)
    return ledger.get(row.id)


async def test_a_dead_runners_absent_post_is_planned_again_within_grace(
    ledger: Ledger,
) -> None:
    """A runner's claim confirmed absent goes back to `planned` while its slot's grace
    lasts (a runner sends it once), not to `failed`."""
    row = runners_claim(ledger, teaser(), due_at=utcnow() - timedelta(minutes=5))
    [settled] = await reconcile(
        ledger, {"x": Finder()}, now=lambda: later(3), grace=timedelta(hours=1)
    )
    assert (settled.before, settled.action, settled.after) == (
        "sending",
        "absent",
        "planned",
    )
    assert "planned again" in settled.detail
    stored = ledger.get(row.id)
    assert stored.status == "planned"
    assert [e.outcome for e in ledger.history(row.id)] == [
        "sending",
        "unknown",
        "reconciled: planned",
    ]


async def test_a_dead_runners_absent_post_past_its_grace_is_missed(
    ledger: Ledger,
) -> None:
    """Past the grace, a runner's absent post is `missed` (never sent late)."""
    row = runners_claim(ledger, teaser(), due_at=utcnow() - timedelta(hours=2))
    [settled] = await reconcile(
        ledger, {"x": Finder()}, now=lambda: later(3), grace=timedelta(hours=1)
    )
    assert (settled.action, settled.after) == ("absent", "missed")
    stored = ledger.get(row.id)
    assert stored.status == "missed"
    assert f"crosspost retry {row.id}" in (stored.last_error or "")


async def test_a_one_off_absent_post_still_fails_with_a_grace(ledger: Ledger) -> None:
    """A post claimed by `crosspost post` (no runner) stays `failed` when absent."""
    row = lost(ledger, teaser())
    [settled] = await reconcile(
        ledger, {"x": Finder()}, now=lambda: later(3), grace=timedelta(hours=1)
    )
    assert (settled.action, settled.after) == ("absent", "failed")
    assert ledger.get(row.id).status == "failed"


async def test_a_recent_stale_claim_stays_sending_until_it_can_be_concluded(
    ledger: Ledger,
) -> None:
    """A dead sender's claim too recent for its absence to be believed is left
    `sending` (nobody sends it), then concluded once old enough."""
    row = runners_claim(ledger, teaser(), due_at=utcnow() - timedelta(minutes=1))
    [settled] = await reconcile(ledger, {"x": Finder()}, grace=timedelta(hours=1))
    assert (settled.action, settled.after) == ("too_recent", "sending")
    assert "ran out" in (settled.stale or "")
    assert ledger.get(row.id).status == "sending"
    [settled] = await reconcile(
        ledger, {"x": Finder()}, grace=timedelta(hours=1), now=lambda: later(3)
    )
    assert (settled.action, settled.after) == ("absent", "planned")


async def test_reconcile_takes_just_the_rows_given(ledger: Ledger) -> None:
    """Given rows, only those are looked at."""
    first = lost(ledger, teaser("x"))
    lost(ledger, teaser("linkedin"))
    settled = await reconcile(
        ledger, {"x": Finder(found=receipt("4"))}, rows=[ledger.get(first.id)]
    )
    assert [(s.ledger_id, s.action) for s in settled] == [(first.id, "found")]
