"""Tests for the ledger store: planning, race-safe claims, outcomes, resolving."""

from __future__ import annotations

import os
import socket
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crosspost.ledger.store import (
    CLAIMABLE_AGAIN,
    Ledger,
    LedgerError,
    text_hash,
    wire_text,
)
from crosspost.teasers.model import Teaser, TeaserPart

from .legacy import write_legacy_ledger

LEDGER_TABLES = (
    "attempts",
    "planned_posts",
    "campaigns",
    "runners",
    "ledger_identity",
    "schema_version",
    "alembic_version",
)

TEXT = (
    "Vitamin D levels tracked with relapse rates in 412 people with MS over five years."
)


def teaser(platform: str = "x", key: str = "announce", text: str = TEXT) -> Teaser:
    return Teaser(
        summary_id="rs-0123456789ab",
        summary_title="Vitamin D and relapses in MS",
        platform=platform,
        variant="announce",
        key=key,
        parts=(TeaserPart(text=text, count=len(text)),),
        limit=280,
    )


def url_for(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/state/ledger.db"


def test_plan_creates_one_row_per_summary_platform_key(tmp_path: Path) -> None:
    """Planning the same teaser twice yields the same `planned` row."""
    with Ledger(url_for(tmp_path)) as ledger:
        first = ledger.plan(teaser())
        again = ledger.plan(teaser())
        other = ledger.plan(teaser(platform="linkedin"))
        assert first.id == again.id != other.id
        assert first.status == "planned"
        assert first.text_hash == text_hash(teaser())
        assert len(ledger.posts()) == 2


def test_plan_keeps_the_row_another_process_created_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan that loses the insert race returns the winner's row."""
    url = url_for(tmp_path)
    with Ledger(url) as winner, Ledger(url) as loser:
        row = winner.plan(teaser())
        real_find = loser.find
        calls: list[int] = []

        def stale_find(*args: str) -> object:
            calls.append(1)
            return None if len(calls) == 1 else real_find(*args)

        monkeypatch.setattr(loser, "find", stale_find)
        assert loser.plan(teaser()).id == row.id


def test_due_at_comes_back_aware_utc(tmp_path: Path) -> None:
    """A due time is stored as UTC and read back as an aware datetime."""
    due = datetime(2026, 3, 29, 9, 30, tzinfo=UTC)
    with Ledger(url_for(tmp_path)) as ledger:
        row = ledger.plan(teaser(), due_at=due, zone="Europe/London")
        stored = ledger.get(row.id)
    assert stored.due_at == due
    assert stored.due_at.tzinfo is not None
    assert stored.zone == "Europe/London"


def test_claim_is_won_once(tmp_path: Path) -> None:
    """A second claim of a `sending` row fails; the attempt counter moves once."""
    with Ledger(url_for(tmp_path)) as ledger:
        row = ledger.plan(teaser())
        assert ledger.claim(row.id, text_hash="h1")
        assert not ledger.claim(row.id, text_hash="h1")
        stored = ledger.get(row.id)
    assert stored.status == "sending"
    assert stored.attempts == 1


def test_claim_is_race_safe_across_connections(tmp_path: Path) -> None:
    """Eight ledgers claiming one row at the same moment: exactly one wins."""
    url = url_for(tmp_path)
    with Ledger(url) as setup:
        row_id = setup.plan(teaser()).id
    ledgers = [Ledger(url, actor=f"worker {n}") for n in range(8)]
    barrier = threading.Barrier(len(ledgers))
    wins: list[bool] = []

    def contend(ledger: Ledger) -> None:
        barrier.wait()
        wins.append(ledger.claim(row_id, text_hash="h"))

    threads = [threading.Thread(target=contend, args=(ledger,)) for ledger in ledgers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for ledger in ledgers:
        ledger.close()
    assert sorted(wins) == [False] * 7 + [True]


def test_claim_is_committed_before_the_send(tmp_path: Path) -> None:
    """Another connection sees `sending` as soon as claim returns."""
    url = url_for(tmp_path)
    with Ledger(url) as ledger, Ledger(url) as observer:
        row = ledger.plan(teaser())
        ledger.claim(row.id, text_hash="h")
        assert observer.get(row.id).status == "sending"


def test_published_row_is_claimed_only_when_asked_again(tmp_path: Path) -> None:
    """A published row refuses a normal claim and accepts an `again` claim."""
    with Ledger(url_for(tmp_path)) as ledger:
        row = ledger.plan(teaser())
        ledger.claim(row.id, text_hash="h")
        ledger.finish(row.id, "published", post_id="1", url="https://x.com/i/status/1")
        assert not ledger.claim(row.id, text_hash="h")
        assert ledger.claim(
            row.id, text_hash="h", allowed=CLAIMABLE_AGAIN, note="again"
        )
        assert ledger.get(row.id).attempts == 2


def test_finish_records_outcome_and_history(tmp_path: Path) -> None:
    """Finishing stores id and URL; the history shows who sent and what came of it."""
    with Ledger(url_for(tmp_path), actor="tester@lab pid 1") as ledger:
        row = ledger.plan(teaser())
        ledger.claim(row.id, text_hash="h")
        assert ledger.finish(row.id, "published", post_id="9", url="https://x.com/s/9")
        stored = ledger.get(row.id)
        history = ledger.history(row.id)
    assert (stored.status, stored.post_id, stored.url) == (
        "published",
        "9",
        "https://x.com/s/9",
    )
    assert [event.outcome for event in history] == ["sending", "published"]
    assert {event.actor for event in history} == {"tester@lab pid 1"}
    assert history[1].url == "https://x.com/s/9"


def test_finish_refuses_a_row_that_is_not_sending(tmp_path: Path) -> None:
    """Finishing a row nobody claimed changes nothing and says so."""
    with Ledger(url_for(tmp_path)) as ledger:
        row = ledger.plan(teaser())
        assert not ledger.finish(
            row.id, "published", post_id="1", url="https://x.com/1"
        )
        assert ledger.get(row.id).status == "planned"


def test_finish_rejects_a_status_that_is_not_an_end(tmp_path: Path) -> None:
    """A send cannot end as `sending` or `draft`."""
    with Ledger(url_for(tmp_path)) as ledger:
        row = ledger.plan(teaser())
        for status in ("sending", "draft"):
            with pytest.raises(ValueError, match="cannot end"):
                ledger.finish(row.id, status)  # type: ignore[arg-type]


def test_errors_are_scrubbed_of_secrets(tmp_path: Path) -> None:
    """Known secret values and credential-shaped strings never reach the ledger."""
    secret = "s3cr3t-page-token-value"
    with Ledger(url_for(tmp_path), secrets=[secret]) as ledger:
        row = ledger.plan(teaser())
        ledger.claim(row.id, text_hash="h")
        ledger.finish(
            row.id,
            "failed",
            error=f"refused {secret} for https://g/x?access_token=EAAB123456&a=1 "
            "Authorization: Bearer abcdefghijkl",
        )
        stored = ledger.get(row.id)
        history = ledger.history(row.id)
    for text in (stored.last_error or "", history[-1].error or ""):
        assert secret not in text
        assert "EAAB123456" not in text
        assert "abcdefghijkl" not in text
        assert "[redacted]" in text


def test_resolve_posted_records_url_and_who(tmp_path: Path) -> None:
    """Resolving an unknown post as posted makes it published with the given URL."""
    with Ledger(url_for(tmp_path), actor="editor@desk pid 2") as ledger:
        row = ledger.plan(teaser(platform="youtube"))
        ledger.claim(row.id, text_hash="h")
        ledger.finish(row.id, "awaiting_manual", handoff_path="/tmp/bundle")
        resolved = ledger.resolve(
            row.id, posted_url="https://www.youtube.com/post/Ugk1"
        )
        history = ledger.history(row.id)
    assert resolved.status == "published"
    assert resolved.url == "https://www.youtube.com/post/Ugk1"
    assert history[-1].outcome == "resolved: published"
    assert history[-1].actor == "editor@desk pid 2"
    assert history[-1].error == "was awaiting_manual"


def test_resolve_not_posted_makes_the_row_sendable(tmp_path: Path) -> None:
    """A post that did not go out becomes `failed`, which a later run may send."""
    with Ledger(url_for(tmp_path)) as ledger:
        row = ledger.plan(teaser())
        ledger.claim(row.id, text_hash="h")
        resolved = ledger.resolve(row.id, posted_url=None)
        assert resolved.status == "failed"
        assert "not posted" in (resolved.last_error or "")
        assert ledger.claim(row.id, text_hash="h")


def test_resolve_refuses_a_published_row(tmp_path: Path) -> None:
    """Only unknown, sending or awaiting_manual rows can be resolved."""
    with Ledger(url_for(tmp_path)) as ledger:
        row = ledger.plan(teaser())
        ledger.claim(row.id, text_hash="h")
        ledger.finish(row.id, "published", post_id="1", url="https://x.com/1")
        with pytest.raises(LedgerError, match="is published; only unknown"):
            ledger.resolve(row.id, posted_url="https://x.com/2")


def test_unknown_id_names_the_status_command(tmp_path: Path) -> None:
    """A missing id is a user error pointing at `crosspost status`."""
    with Ledger(url_for(tmp_path)) as ledger, pytest.raises(LedgerError) as caught:
        ledger.get(42)
    assert "no post with id 42" in caught.value.message
    assert "crosspost status" in (caught.value.hint or "")


def test_text_hash_follows_every_part() -> None:
    """The hash changes with any part's text and with part order."""
    one = teaser(text="A first finding.")
    two = teaser(text="A second finding.")
    assert text_hash(one) != text_hash(two)
    assert text_hash(one) == text_hash(teaser(text="A first finding."))


def test_wire_text_joins_the_parts_and_hashes_like_the_teaser() -> None:
    """The wire text is every part, in order; its hash is the teaser's hash."""
    thread = teaser().model_copy(
        update={
            "parts": (
                TeaserPart(text="Part one.", count=9),
                TeaserPart(text="Part two.", count=9),
            )
        }
    )
    assert wire_text(thread) == "Part one.\x1ePart two."
    assert text_hash(wire_text(thread)) == text_hash(thread)


def test_plan_and_claim_keep_the_wire_text_and_the_claimer(tmp_path: Path) -> None:
    """A planned row holds its text; a claim records host:pid, when, and the text."""
    with Ledger(url_for(tmp_path)) as ledger:
        row = ledger.plan(teaser())
        assert (row.wire_text, row.claimed_by, row.claimed_at) == (TEXT, None, None)
        before = datetime.now(UTC)
        assert ledger.claim(row.id, text_hash="h2", wire_text="Revised text.")
        claimed = ledger.get(row.id)
    assert claimed.wire_text == "Revised text."
    assert claimed.claimed_by == f"{socket.gethostname()}:{os.getpid()}"
    assert claimed.claimed_at is not None
    assert claimed.claimed_at >= before.replace(microsecond=0)


def test_unsettled_lists_unknown_and_sending_rows(tmp_path: Path) -> None:
    """Only `unknown` and `sending` rows are unsettled; filters narrow them."""
    with Ledger(url_for(tmp_path)) as ledger:
        rows = {
            p: ledger.plan(teaser(platform=p)) for p in ("x", "linkedin", "youtube")
        }
        ledger.claim(rows["x"].id, text_hash="h")
        ledger.claim(rows["linkedin"].id, text_hash="h")
        ledger.finish(rows["linkedin"].id, "unknown", error="lost answer")
        assert [r.platform for r in ledger.unsettled()] == ["x", "linkedin"]
        assert [r.platform for r in ledger.unsettled(platforms=["linkedin"])] == [
            "linkedin"
        ]
        assert ledger.unsettled(summary_id="rs-other") == []


def test_settle_moves_a_row_only_from_what_was_read(tmp_path: Path) -> None:
    """Settling applies once; a row changed since it was read is left alone."""
    with Ledger(url_for(tmp_path)) as ledger:
        row = ledger.plan(teaser())
        ledger.claim(row.id, text_hash="h")
        ledger.finish(row.id, "unknown", error="lost answer")
        read = ledger.get(row.id)
        assert ledger.settle(
            read,
            "published",
            outcome="reconciled: published",
            note="reconciled: found on the platform",
            post_id="1861",
            url="https://x.com/a/status/1861",
        )
        assert not ledger.settle(read, "failed", outcome="reconciled: failed", note="")
        settled = ledger.get(row.id)
        history = ledger.history(row.id)
    assert (settled.status, settled.post_id) == ("published", "1861")
    assert settled.last_error is None
    assert history[-1].outcome == "reconciled: published"
    assert history[-1].error == "reconciled: found on the platform"
    assert len(history) == 3


def test_settle_refuses_a_row_sent_again_meanwhile(tmp_path: Path) -> None:
    """A row that left `unknown` and came back (a new attempt) is not settled."""
    with Ledger(url_for(tmp_path)) as ledger:
        row = ledger.plan(teaser())
        ledger.claim(row.id, text_hash="h")
        ledger.finish(row.id, "unknown")
        read = ledger.get(row.id)
        ledger.resolve(row.id, posted_url=None)
        ledger.claim(row.id, text_hash="h")
        ledger.finish(row.id, "unknown")
        assert not ledger.settle(read, "failed", outcome="reconciled: failed", note="")
        assert ledger.get(row.id).status == "unknown"


def test_postgresql_ledger_claims_once(postgres_url: str) -> None:
    """On PostgreSQL too, planning is idempotent and only one of eight claims wins."""
    with Ledger(postgres_url) as ledger:
        row_id = ledger.plan(teaser()).id
        assert ledger.plan(teaser()).id == row_id
        ledgers = [Ledger(postgres_url) for _ in range(8)]
        barrier = threading.Barrier(len(ledgers))
        wins: list[bool] = []

        def contend(contender: Ledger) -> None:
            barrier.wait()
            wins.append(contender.claim(row_id, text_hash="h"))

        threads = [threading.Thread(target=contend, args=(one,)) for one in ledgers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for one in ledgers:
            one.close()
        assert sorted(wins) == [False] * 7 + [True]
        assert ledger.finish(row_id, "published", post_id="5", url="https://x.com/5")
        assert ledger.get(row_id).due_at.tzinfo is not None


def test_postgresql_ledger_upgrades_and_settles(postgres_url: str) -> None:
    """On PostgreSQL, a schema 1 ledger upgrades in place through the migrations;
    claims and settles record who and when."""
    from sqlalchemy import create_engine, text

    engine = create_engine(postgres_url)
    with engine.begin() as connection:
        for table in LEDGER_TABLES:
            connection.execute(text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    engine.dispose()
    write_legacy_ledger(postgres_url, 1)
    with Ledger(postgres_url) as ledger:
        [legacy] = ledger.posts()
        assert legacy.status == "published"
        row = ledger.plan(teaser(key="upgrade"))
        assert ledger.claim(row.id, text_hash="h", wire_text=TEXT)
        ledger.finish(row.id, "unknown")
        read = ledger.get(row.id)
        assert read.claimed_by == f"{socket.gethostname()}:{os.getpid()}"
        assert read.wire_text == TEXT
        assert ledger.settle(
            read, "failed", outcome="reconciled: failed", note="not found"
        )
        assert ledger.get(row.id).status == "failed"
