"""Tests for the one-off fan-out: concurrency, failures kept apart, never twice."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from crosspost.errors import ConfigError
from crosspost.ledger.store import Ledger
from crosspost.platforms.base import AccountCheck, Adapter, Receipt
from crosspost.platforms.errors import (
    AuthError,
    Duplicate,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    Transient,
)
from crosspost.platforms.youtube import YouTubeAdapter
from crosspost.publish.deliver import Delivery, deliver
from crosspost.publish.outcome import Outcome
from crosspost.settings import YouTubeSettings
from crosspost.summaries.model import Paragraph, Summary
from crosspost.teasers.model import Teaser, TeaserPart

pytestmark = pytest.mark.anyio

SUMMARY = Summary(
    title="Research Summary: Sleep quality and fatigue in relapsing MS",
    findings=(
        Paragraph(number=1, text="Poor sleep doubled the odds of severe fatigue."),
    ),
)


def teaser(platform: str, key: str = "announce", parts: int = 1) -> Teaser:
    texts = [f"Sleep and MS fatigue, part {n} for {platform}." for n in range(parts)]
    return Teaser(
        summary_id=SUMMARY.id,
        summary_title=SUMMARY.title,
        platform=platform,
        variant="announce",
        key=key,
        parts=tuple(TeaserPart(text=text, count=len(text)) for text in texts),
        limit=280,
    )


class FakeAdapter:
    """Publishes through `behave`, counting calls."""

    def __init__(
        self, name: str, behave: Callable[[Teaser], Awaitable[Receipt]] | None = None
    ) -> None:
        self.name = name
        self.calls: list[Teaser] = []
        self.behave = behave

    async def publish(self, teaser: Teaser) -> Receipt:
        self.calls.append(teaser)
        if self.behave is not None:
            return await self.behave(teaser)
        number = len(self.calls)
        return Receipt(
            platform=self.name,
            post_id=f"{self.name}-{number}",
            url=f"https://{self.name}.example/{number}",
        )

    async def check(self) -> AccountCheck:
        return AccountCheck(platform=self.name, ok=True)


def raising(error: Exception) -> Callable[[Teaser], Awaitable[Receipt]]:
    async def behave(teaser: Teaser) -> Receipt:
        raise error

    return behave


async def run(
    ledger: Ledger,
    *adapters: Adapter,
    again: bool = False,
    teasers: list[Teaser] | None = None,
) -> list[Outcome]:
    chosen = teasers or [teaser(adapter.name) for adapter in adapters]
    delivery = Delivery(ledger, {a.name: a for a in adapters})
    return await deliver(chosen, delivery, again=again)


async def test_platforms_are_published_concurrently(ledger: Ledger) -> None:
    """Every adapter is in flight at once: each waits until all have started."""
    started: set[str] = set()
    everyone = asyncio.Event()
    names = ["x", "facebook", "instagram", "linkedin"]

    async def behave(teaser: Teaser) -> Receipt:
        started.add(teaser.platform)
        if len(started) == len(names):
            everyone.set()
        await asyncio.wait_for(everyone.wait(), timeout=2)
        return Receipt(platform=teaser.platform, post_id="1", url="https://p.example/1")

    outcomes = await run(ledger, *(FakeAdapter(name, behave) for name in names))
    assert [o.status for o in outcomes] == ["published"] * 4


async def test_one_failure_does_not_block_the_others(ledger: Ledger) -> None:
    """A refused post fails alone; the other one publishes; both are recorded."""
    bad = FakeAdapter(
        "facebook", raising(Rejected("message is empty", platform="facebook"))
    )
    good = FakeAdapter("linkedin")
    outcomes = await run(ledger, bad, good)
    assert [(o.platform, o.status) for o in outcomes] == [
        ("facebook", "failed"),
        ("linkedin", "published"),
    ]
    assert outcomes[0].error == "refused: message is empty"
    assert outcomes[1].url == "https://linkedin.example/1"
    assert {row.platform: row.status for row in ledger.posts()} == {
        "facebook": "failed",
        "linkedin": "published",
    }


async def test_outcomes_keep_teaser_order_and_report_progress(ledger: Ledger) -> None:
    """Outcomes come back in teaser order, and each is reported as it finishes."""
    seen: list[str] = []
    teasers = [teaser("x", "finding-1"), teaser("linkedin"), teaser("x", "finding-2")]
    adapters = {"x": FakeAdapter("x"), "linkedin": FakeAdapter("linkedin")}
    delivery = Delivery(ledger, adapters, on_outcome=lambda o: seen.append(o.key))
    outcomes = await deliver(teasers, delivery)
    assert [o.key for o in outcomes] == ["finding-1", "announce", "finding-2"]
    assert sorted(seen) == ["announce", "finding-1", "finding-2"]


async def test_published_post_is_not_sent_again(ledger: Ledger) -> None:
    """A second run says where the post already is and does not call the adapter."""
    adapter = FakeAdapter("x")
    await run(ledger, adapter)
    [outcome] = await run(ledger, adapter)
    assert len(adapter.calls) == 1
    assert outcome.status == "already_published"
    assert outcome.url == "https://x.example/1"
    assert outcome.ok


async def test_changed_text_of_a_published_post_is_noticed(ledger: Ledger) -> None:
    """An edited summary is not posted again, but the outcome says the text changed."""
    adapter = FakeAdapter("x")
    await run(ledger, adapter)
    edited = teaser("x").model_copy(
        update={"parts": (TeaserPart(text="Edited wording.", count=15),)}
    )
    [outcome] = await run(ledger, adapter, teasers=[edited])
    assert len(adapter.calls) == 1
    assert outcome.status == "already_published"
    assert outcome.error is not None
    assert "changed since this was posted" in outcome.error
    [unchanged] = await run(ledger, adapter)
    assert unchanged.error is None


async def test_again_posts_a_deliberate_second_copy(ledger: Ledger) -> None:
    """With again=True a published post is sent once more and the history says why."""
    adapter = FakeAdapter("x")
    await run(ledger, adapter)
    [outcome] = await run(ledger, adapter, again=True)
    assert len(adapter.calls) == 2
    assert outcome.status == "published"
    assert outcome.url == "https://x.example/2"
    [row] = ledger.posts()
    assert row.attempts == 2
    assert "again" in (ledger.history(row.id)[2].error or "")


async def test_claim_is_committed_before_the_adapter_is_called(
    ledger: Ledger, tmp_path: Path
) -> None:
    """While the request is out, another process already sees the row as `sending`."""
    seen: list[str] = []

    async def behave(teaser: Teaser) -> Receipt:
        with Ledger(f"sqlite:///{tmp_path}/ledger.db") as observer:
            seen.extend(row.status for row in observer.posts())
        return Receipt(platform="x", post_id="1", url="https://x.example/1")

    await run(ledger, FakeAdapter("x", behave))
    assert seen == ["sending"]


async def test_interrupted_send_is_never_resent(ledger: Ledger) -> None:
    """A row left `sending` (a crash mid-request) is reported unknown, not sent."""
    row = ledger.plan(teaser("x"))
    ledger.claim(row.id, text_hash="h")
    adapter = FakeAdapter("x")
    [outcome] = await run(ledger, adapter)
    assert adapter.calls == []
    assert outcome.status == "unknown"
    assert f"crosspost resolve {row.id}" in (outcome.error or "")


async def test_unknown_outcome_is_recorded_and_not_retried(ledger: Ledger) -> None:
    """OutcomeUnknown leaves the row unknown; the next run does not send it."""
    lost = FakeAdapter("linkedin", raising(OutcomeUnknown("no answer after sending")))
    [first] = await run(ledger, lost)
    [second] = await run(ledger, lost)
    assert len(lost.calls) == 1
    assert first.status == second.status == "unknown"
    assert ledger.posts()[0].status == "unknown"
    assert "crosspost resolve" in (second.error or "")


async def test_failed_post_is_tried_again(ledger: Ledger) -> None:
    """A post the platform surely refused may be sent by the next run."""
    adapter = FakeAdapter("x", raising(Transient("could not connect")))
    [first] = await run(ledger, adapter)
    adapter.behave = None
    [second] = await run(ledger, adapter)
    assert (first.status, second.status) == ("failed", "published")
    assert first.error == "not posted: could not connect"
    assert ledger.posts()[0].attempts == 2


async def test_thread_broken_midway_keeps_its_live_parts(ledger: Ledger) -> None:
    """A thread that failed after two live parts is unknown, with the parts recorded."""
    error = Rejected("part 3 refused", platform="x")
    error.live_part_ids = ("101", "102")
    error.live_part_urls = ("https://x.com/i/status/101", "https://x.com/i/status/102")
    [outcome] = await run(
        ledger,
        FakeAdapter("x", raising(error)),
        teasers=[teaser("x", "thread", parts=3)],
    )
    assert outcome.status == "unknown"
    assert outcome.live_parts == error.live_part_urls
    assert outcome.url == "https://x.com/i/status/101"
    [row] = ledger.posts()
    assert row.status == "unknown"
    assert row.post_id == "101"
    assert "https://x.com/i/status/102" in (row.last_error or "")
    assert "2 live part" in (ledger.history(row.id)[-1].error or "")


async def test_typed_errors_become_readable_failures(ledger: Ledger) -> None:
    """Auth and rate-limit errors fail with their kind and, for a limit, the time."""
    reset = datetime(2026, 5, 1, 12, 15, tzinfo=UTC)
    outcomes = await run(
        ledger,
        FakeAdapter("x", raising(RateLimited("429 from X", retry_at=reset))),
        FakeAdapter("linkedin", raising(AuthError("token expired"))),
    )
    assert outcomes[0].error == "rate limited until 2026-05-01 12:15 UTC: 429 from X"
    assert outcomes[1].error == "credentials: token expired"


async def test_duplicate_naming_the_existing_post_counts_as_published(
    ledger: Ledger,
) -> None:
    """A duplicate error that says where the post is records it as published there."""
    duplicate = Duplicate(
        "already posted", existing_id="urn:li:share:7", existing_url="https://li/7"
    )
    [outcome] = await run(ledger, FakeAdapter("linkedin", raising(duplicate)))
    assert outcome.status == "published"
    assert outcome.post_id == "urn:li:share:7"
    assert ledger.posts()[0].url == "https://li/7"


async def test_duplicate_without_a_location_fails(ledger: Ledger) -> None:
    """A bare duplicate refusal is a failure with the platform's message."""
    [outcome] = await run(
        ledger, FakeAdapter("x", raising(Duplicate("duplicate content")))
    )
    assert outcome.status == "failed"
    assert outcome.error == "refused: duplicate content"


async def test_unexpected_exception_is_unknown_not_failed(ledger: Ledger) -> None:
    """A bug after the claim may hide a live post, so it is unknown."""
    [outcome] = await run(ledger, FakeAdapter("facebook", raising(KeyError("id"))))
    assert outcome.status == "unknown"
    assert "unexpected KeyError" in (outcome.error or "")


async def test_settings_error_in_adapter_fails_cleanly(ledger: Ledger) -> None:
    """An adapter's own settings check fails the post, with its hint."""
    error = ConfigError("facebook: no Page id is set", hint="set facebook.page_id")
    [outcome] = await run(ledger, FakeAdapter("facebook", raising(error)))
    assert outcome.status == "failed"
    assert "set facebook.page_id" in (outcome.error or "")


async def test_missing_adapter_is_a_failed_outcome(ledger: Ledger) -> None:
    """A teaser for a platform without an adapter fails without touching the ledger."""
    outcomes = await deliver([teaser("x")], Delivery(ledger, {}))
    assert outcomes[0].status == "failed"
    assert ledger.posts() == []


async def test_youtube_is_handed_off_with_its_ledger_id(
    ledger: Ledger, tmp_path: Path
) -> None:
    """YouTube ends awaiting_manual with a bundle naming the row's resolve command."""
    config = YouTubeSettings(channel_id="UCabc", handoff_dir=tmp_path / "handoff")
    async with httpx.AsyncClient() as client:
        [outcome] = await run(ledger, YouTubeAdapter(config, client))
        [again] = await run(ledger, YouTubeAdapter(config, client))
    assert outcome.status == again.status == "awaiting_manual"
    assert outcome.ok
    assert outcome.handoff_path is not None
    guide = (Path(outcome.handoff_path) / "handoff.md").read_text()
    assert f"crosspost resolve {outcome.ledger_id} --posted URL" in guide
    assert ledger.posts()[0].handoff_path == outcome.handoff_path
    assert "handed off earlier" in (again.error or "")


async def test_outcome_dict_has_the_documented_fields(ledger: Ledger) -> None:
    """The JSON shape has platform, variant, key, status, ids, URL, error, hand-off
    and what reconcile did first."""
    [outcome] = await run(ledger, FakeAdapter("x"))
    assert set(outcome.as_dict()) == {
        "platform",
        "variant",
        "key",
        "status",
        "post_id",
        "url",
        "ledger_id",
        "error",
        "handoff_path",
        "live_parts",
        "reconciled",
        "summary_id",
        "retry_at",
    }


async def test_outcome_errors_are_scrubbed_of_secrets(tmp_path: Path) -> None:
    """A secret that slipped into an adapter's message is not in the outcome."""
    secret = "EAAG-page-token-123456"
    error = Rejected(f"refused for token {secret}")
    with Ledger(f"sqlite:///{tmp_path}/l.db", secrets=[secret]) as scrubbing:
        [outcome] = await run(scrubbing, FakeAdapter("facebook", raising(error)))
    assert secret not in (outcome.error or "")
    assert "[redacted]" in (outcome.error or "")


async def test_the_claim_keeps_the_wire_text_for_reconcile(ledger: Ledger) -> None:
    """The sent parts are stored with the claim, so a lost answer can be looked for."""
    thread = teaser("x", "thread", parts=2)
    await run(ledger, FakeAdapter("x"), teasers=[thread])
    [row] = ledger.posts()
    assert row.wire_text == "\x1e".join(part.text for part in thread.parts)
    assert row.claimed_by is not None
    assert row.claimed_at is not None


@contextmanager
def write_lock(database: Path, seconds: float | None = None) -> Iterator[None]:
    """Another connection holds the SQLite ledger's write lock for `seconds` (None:
    until the block ends), as a second crosspost or a backup tool mid-transaction
    does."""
    locked, done = threading.Event(), threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(database, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        locked.set()
        done.wait(30 if seconds is None else seconds)
        connection.execute("ROLLBACK")
        connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    locked.wait(5)
    try:
        yield
    finally:
        done.set()
        thread.join()


async def largest_stall(until: asyncio.Future[object]) -> float:
    """The longest the event loop went without running this task, in seconds."""
    worst, last = 0.0, time.monotonic()
    while not until.done():
        await asyncio.sleep(0.01)
        now = time.monotonic()
        worst, last = max(worst, now - last), now
    return worst


async def test_a_locked_ledger_never_stalls_the_event_loop(tmp_path: Path) -> None:
    """While the ledger is locked, the ledger calls wait in threads: the event loop
    keeps running (other platforms' requests go on), and once the lock is released
    every post goes out."""
    with Ledger(f"sqlite:///{tmp_path}/ledger.db", actor="test", timeout=5) as ledger:
        adapters = [FakeAdapter("x"), FakeAdapter("facebook"), FakeAdapter("linkedin")]
        started = time.monotonic()
        with write_lock(tmp_path / "ledger.db", 1.0):
            sending = asyncio.ensure_future(run(ledger, *adapters))
            stall = await largest_stall(sending)
            outcomes = await sending
    assert time.monotonic() - started >= 0.9
    assert stall < 0.4  # on the event loop, the ledger calls would stall it 1 s
    assert [o.status for o in outcomes] == ["published"] * 3


async def test_a_ledger_locked_past_its_timeout_fails_clearly_sending_nothing(
    tmp_path: Path,
) -> None:
    """A ledger locked longer than its timeout: every post fails at once, after one
    wait of the timeout (not one per platform), saying the ledger was locked, how
    long was waited and which setting bounds it; no adapter is called."""
    database = tmp_path / "ledger.db"
    with Ledger(f"sqlite:///{database}", actor="test", timeout=0.6) as ledger:
        adapters = [FakeAdapter(name) for name in ("x", "facebook", "linkedin")]
        with write_lock(database):
            started = time.monotonic()
            outcomes = await run(ledger, *adapters)
            waited = time.monotonic() - started
    assert 0.6 <= waited < 1.3  # one platform after another: 1.8 s
    for outcome in outcomes:
        assert outcome.status == "failed"
        assert outcome.error is not None
        assert outcome.error.startswith("not sent: the ledger sqlite:///")
        assert "is locked by another process" in outcome.error
        assert "after waiting 0.6 s (ledger_timeout)" in outcome.error
    assert all(adapter.calls == [] for adapter in adapters)
