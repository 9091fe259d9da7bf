"""Tests for the runner's alerts: a hand-off due, a missed post, a failure and
credentials expiring before a planned post each reach the team once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crosspost.ledger.store import Ledger
from crosspost.notify import RecordingNotifier
from crosspost.platforms.base import AccountCheck, Receipt
from crosspost.publish.outcome import Outcome
from crosspost.schedule.alerts import TeamAlerts
from crosspost.teasers.model import Teaser, TeaserPart

pytestmark = pytest.mark.anyio
NOW = datetime(2027, 3, 22, 9, 0, tzinfo=UTC)


def teaser(platform: str, key: str = "announce") -> Teaser:
    text = f"Balance games and MS: {platform} {key}."
    return Teaser(
        summary_id="rs-123456789abc",
        summary_title="Balance games in MS",
        platform=platform,
        variant="announce",
        key=key,
        parts=(TeaserPart(text=text, count=len(text)),),
        limit=280,
    )


class Checker:
    """An adapter whose credentials expire at `expires`."""

    name = "linkedin"

    def __init__(self, expires: datetime | None, ok: bool = True) -> None:
        self.expires, self.ok = expires, ok

    async def publish(self, teaser: Teaser) -> Receipt:
        raise AssertionError("not sent")

    async def check(self) -> AccountCheck:
        return AccountCheck(
            platform="linkedin", ok=self.ok, expires_at=self.expires, detail="revoked"
        )


@pytest.fixture
def ledger(tmp_path: Path) -> Any:
    with Ledger(f"sqlite:///{tmp_path}/ledger.db") as opened:
        yield opened


async def test_a_hand_off_sends_its_bundle(ledger: Ledger, tmp_path: Path) -> None:
    """A YouTube hand-off tells the team what to paste and how to close it."""
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "post.txt").write_text("Paste me exactly.", encoding="utf-8")
    row = ledger.plan(teaser("youtube"))
    notifier = RecordingNotifier()
    alerts = TeamAlerts(notifier, ledger, {}, now=lambda: NOW)
    done = Outcome("youtube", "announce", "announce", "awaiting_manual",
                   ledger_id=row.id, handoff_path=str(bundle))  # fmt: skip
    await alerts.outcome(done, row)
    [notice] = notifier.notices
    assert notice.kind == "handoff"
    assert "Paste me exactly." in notice.body
    assert f"crosspost resolve {row.id} --posted URL" in notice.body


async def test_missed_and_failed_posts_are_told(ledger: Ledger) -> None:
    """A missed slot and a failure each give one notice naming the fix."""
    row = ledger.plan(teaser("facebook"), due_at=NOW - timedelta(hours=3), zone="UTC")
    notifier = RecordingNotifier()
    alerts = TeamAlerts(notifier, ledger, {}, now=lambda: NOW)
    await alerts.missed(row, timedelta(hours=1))
    failed = Outcome("facebook", "announce", "announce", "failed",
                     ledger_id=row.id, error="refused: duplicate")  # fmt: skip
    await alerts.outcome(failed, row)
    published = Outcome("facebook", "announce", "announce", "published", ledger_id=1)
    await alerts.outcome(published, row)
    assert [n.kind for n in notifier.notices] == ["missed", "failed"]
    assert f"crosspost retry {row.id}" in notifier.notices[0].body


@pytest.mark.parametrize(
    ("expires", "ok", "told"),
    [
        (NOW + timedelta(days=1), True, True),  # before the post in 3 days
        (NOW + timedelta(days=10), True, False),  # after it
        (None, False, True),  # refused outright
        (None, True, False),  # never expire
    ],
)
async def test_credentials_expiring_before_a_planned_post(
    ledger: Ledger, expires: datetime | None, ok: bool, told: bool
) -> None:
    """The daily check tells the team only when a planned post comes after expiry."""
    ledger.plan(teaser("linkedin"), due_at=NOW + timedelta(days=3))
    notifier = RecordingNotifier()
    alerts = TeamAlerts(
        notifier, ledger, {"linkedin": Checker(expires, ok)}, now=lambda: NOW
    )
    await alerts.daily(NOW)
    assert [n.kind for n in notifier.notices] == (["credentials"] if told else [])
