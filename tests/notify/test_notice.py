"""The notices' words: what happened, which post, and the exact command to run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from crosspost.notify import (
    expiry_notices,
    handoff_notice,
    missed_notice,
    outcome_notice,
    trial_notice,
)
from crosspost.platforms.base import AccountCheck

TITLE = "Cooling vests and walking in heat-sensitive MS"
SUMMARY = "rs-aaaaaaaaaaaa"


def test_handoff_notice_holds_text_steps_and_card(tmp_path: Path) -> None:
    """The hand-off gives the text, Studio, both resolve commands, and the card."""
    (tmp_path / "card.png").write_bytes(b"png")
    notice = handoff_notice(
        ledger_id=41,
        summary_id=SUMMARY,
        summary_title=TITLE,
        key="finding-2",
        bundle=tmp_path,
        studio_url="https://studio.youtube.com/channel/UC1/community",
        text="Walking went further with the vest.",
    )
    assert notice.kind == "handoff"
    assert (notice.platform, notice.ledger_id, notice.summary_id) == (
        "youtube",
        41,
        SUMMARY,
    )
    assert TITLE in notice.title
    for words in (
        "Walking went further with the vest.",
        "https://studio.youtube.com/channel/UC1/community",
        "crosspost resolve 41 --posted URL",
        "crosspost resolve 41 --not-posted",
        f"Bundle: {tmp_path}",
        "Attach card.png",
    ):
        assert words in notice.body
    assert notice.attachments == (tmp_path / "card.png",)


def test_handoff_without_card_says_so(tmp_path: Path) -> None:
    """A bundle without a card attaches nothing and says there is no image."""
    notice = handoff_notice(
        ledger_id=1,
        summary_id=SUMMARY,
        summary_title=TITLE,
        key="recap",
        bundle=tmp_path,
        studio_url="https://studio.youtube.com",
        text="t",
    )
    assert notice.attachments == ()
    assert "no image" in notice.body


def test_failed_notice_says_why_and_how_to_retry() -> None:
    """A failure names the platform, key, reason (scrubbed) and retry command."""
    notice = outcome_notice(
        status="failed",
        ledger_id=7,
        summary_id=SUMMARY,
        summary_title=TITLE,
        platform="linkedin",
        key="announce",
        error="HTTP 422: access_token=abc123secret rejected",
    )
    assert notice.kind == "failed"
    assert notice.title == f"LinkedIn post failed: {TITLE}"
    assert "HTTP 422" in notice.body
    assert "abc123secret" not in notice.body
    assert "crosspost retry 7" in notice.body
    assert f"crosspost status --summary {SUMMARY}" in notice.body


def test_unknown_notice_asks_for_reconcile_or_resolve() -> None:
    """An unknown outcome is never resent: reconcile, or resolve by hand."""
    notice = outcome_notice(
        status="unknown",
        ledger_id=8,
        summary_id=SUMMARY,
        summary_title=TITLE,
        platform="x",
        key="finding-1",
        error="timed out after sending",
    )
    assert notice.kind == "unknown"
    assert "X post outcome unknown" in notice.title
    assert "crosspost reconcile" in notice.body
    assert "crosspost resolve 8 --posted URL" in notice.body
    assert "crosspost retry" not in notice.body


def test_missed_notice_gives_the_local_slot_and_grace() -> None:
    """A missed post names its local slot (with the zone) and the grace."""
    due = datetime(2026, 10, 25, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    notice = missed_notice(
        ledger_id=9,
        summary_id=SUMMARY,
        summary_title=TITLE,
        platform="facebook",
        key="recap",
        due_local=due,
        grace=timedelta(hours=2),
    )
    assert "Sun 25 Oct 2026 10:00 GMT" in notice.body
    assert "within 2 hours" in notice.body
    assert "crosspost retry 9" in notice.body
    assert "crosspost cancel 9" in notice.body


def test_expiry_notices_only_before_a_planned_post() -> None:
    """Credentials expiring before a planned post (or refused) are told; later
    expiry, no planned post, or no expiry are not."""
    soon = datetime(2026, 9, 30, 12, 0, tzinfo=UTC)
    checks = [
        AccountCheck(platform="instagram", ok=True, account="@lab", expires_at=soon),
        AccountCheck(platform="facebook", ok=True, expires_at=soon),
        AccountCheck(platform="linkedin", ok=False, detail="HTTP 401: token=zz9zz9"),
        AccountCheck(platform="x", ok=True, expires_at=soon),
        AccountCheck(platform="youtube", ok=True),
    ]
    due = {
        "instagram": soon + timedelta(days=1),
        "facebook": soon - timedelta(days=1),
        "linkedin": soon,
        "youtube": soon,
    }
    notices = expiry_notices(checks, due)
    assert [n.platform for n in notices] == ["instagram", "linkedin"]
    instagram, linkedin = notices
    assert instagram.kind == "credentials"
    assert "Instagram credentials (@lab) expire at Wed 30 Sep 2026 12:00 UTC" in (
        instagram.body
    )
    assert "crosspost check --platforms instagram" in instagram.body
    assert "were refused" in linkedin.body
    assert linkedin.title == "LinkedIn credentials refused before a planned post"
    assert "zz9zz9" not in linkedin.body


def test_test_notice_says_nothing_was_posted() -> None:
    """The test notice names the machine and promises nothing was posted."""
    notice = trial_notice("lab-server")
    assert notice.kind == "test"
    assert "lab-server" in notice.body
    assert "Nothing was posted." in notice.body
