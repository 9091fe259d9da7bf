"""What the team is told: a `Notice` per event, its words complete enough to act on
(what happened, which post, the exact crosspost command), built from plain values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from crosspost.redaction import scrub
from crosspost.teasers.model import PLATFORM_LABELS

if TYPE_CHECKING:
    from crosspost.platforms.base import AccountCheck

NoticeKind = Literal["handoff", "failed", "unknown", "missed", "credentials", "test"]
CARD_NAMES = ("card.jpg", "card.png")


@dataclass(frozen=True)
class Notice:
    """One thing the team should know; `body` is plain text and complete."""

    kind: NoticeKind
    title: str
    body: str
    summary_id: str | None = None
    platform: str | None = None
    ledger_id: int | None = None
    attachments: tuple[Path, ...] = ()


def label(platform: str) -> str:
    return PLATFORM_LABELS.get(platform, platform)


def handoff_notice(
    *,
    ledger_id: int,
    summary_id: str,
    summary_title: str,
    key: str,
    bundle: Path,
    studio_url: str,
    text: str,
) -> Notice:
    """A YouTube community post is due: paste it by hand, then close it."""
    cards = [bundle / name for name in CARD_NAMES if (bundle / name).is_file()]
    lines = [
        f"The YouTube community post {key} of “{summary_title}” is due now.",
        "YouTube has no API for community posts, so a person posts it.",
        "",
        "Text to paste, exactly as it is (also in post.txt):",
        "",
        text,
        "",
        f"1. Open YouTube Studio: {studio_url}",
        "2. Create a post and paste the text above.",
        f"3. Attach {cards[0].name} (attached here too); its alt text is in alt.txt."
        if cards
        else "3. This post has no image.",
        "4. Publish, copy the post's link, and close the hand-off:",
        f"   crosspost resolve {ledger_id} --posted URL",
        f"   or, if it will not be posted: crosspost resolve {ledger_id} --not-posted",
        "",
        f"Bundle: {bundle}",
        _reference(summary_id, ledger_id),
    ]
    return Notice(
        kind="handoff",
        title=f"YouTube post to paste: {summary_title}",
        body="\n".join(lines),
        summary_id=summary_id,
        platform="youtube",
        ledger_id=ledger_id,
        attachments=tuple(cards[:1]),
    )


def outcome_notice(
    *,
    status: Literal["failed", "unknown"],
    ledger_id: int,
    summary_id: str,
    summary_title: str,
    platform: str,
    key: str,
    error: str,
) -> Notice:
    """A post failed for sure, or its fate is unknown and waits for a person."""
    name = label(platform)
    reason = scrub(error) or "no reason was given"
    if status == "failed":
        lines = [
            f"The {name} post {key} of “{summary_title}” failed: {reason}",
            "",
            "It was not published. Fix the cause, then send it again:",
            f"   crosspost retry {ledger_id}",
            f"(or drop it: crosspost cancel {ledger_id})",
        ]
    else:
        lines = [
            f"The {name} post {key} of “{summary_title}” may or may not be live: "
            f"{reason}",
            "",
            "It will not be sent again blindly. Look for it on the platform:",
            "   crosspost reconcile",
            "or settle it by hand once you have checked the account:",
            f"   crosspost resolve {ledger_id} --posted URL",
            f"   crosspost resolve {ledger_id} --not-posted",
        ]
    lines += ["", _reference(summary_id, ledger_id)]
    title = "failed" if status == "failed" else "outcome unknown"
    return Notice(
        kind=status,
        title=f"{name} post {title}: {summary_title}",
        body="\n".join(lines),
        summary_id=summary_id,
        platform=platform,
        ledger_id=ledger_id,
    )


def missed_notice(
    *,
    ledger_id: int,
    summary_id: str,
    summary_title: str,
    platform: str,
    key: str,
    due_local: datetime,
    grace: timedelta,
) -> Notice:
    """A post's slot passed by more than the grace (crosspost was not running)."""
    name = label(platform)
    lines = [
        f"The {name} post {key} of “{summary_title}” was due at "
        f"{_local(due_local)} and was not sent within {_duration(grace)}: "
        "crosspost was not running, or could not reach its ledger.",
        "",
        "It will not be sent late on its own. To send it now:",
        f"   crosspost retry {ledger_id}",
        f"or drop it: crosspost cancel {ledger_id}",
        "",
        _reference(summary_id, ledger_id),
    ]
    return Notice(
        kind="missed",
        title=f"{name} post missed its slot: {summary_title}",
        body="\n".join(lines),
        summary_id=summary_id,
        platform=platform,
        ledger_id=ledger_id,
    )


def expiry_notices(
    checks: Sequence[AccountCheck], first_due_after_expiry: Mapping[str, datetime]
) -> list[Notice]:
    """One notice per platform whose credentials expire (or are already refused)
    before a post planned for it; `first_due_after_expiry` maps a platform to the
    first such post's due time (UTC)."""
    notices = []
    for check in checks:
        due = first_due_after_expiry.get(check.platform)
        if due is None:
            continue
        name = label(check.platform)
        if not check.ok:
            what = f"were refused: {scrub(check.detail) or 'no detail'}"
            state = "refused"
        elif check.expires_at is not None and check.expires_at <= due:
            what = f"expire at {_utc(check.expires_at)}"
            state = "expire"
        else:
            continue
        account = f" ({check.account})" if check.account else ""
        lines = [
            f"The {name} credentials{account} {what}, before a post planned for "
            f"{_utc(due)}.",
            "",
            f"Renew them and set the new token in the environment or .env "
            f"(CROSSPOST_{check.platform.upper()}__...), then confirm:",
            f"   crosspost check --platforms {check.platform}",
            "Until then, its posts will fail at their slots.",
        ]
        notices.append(
            Notice(
                kind="credentials",
                title=f"{name} credentials {state} before a planned post",
                body="\n".join(lines),
                platform=check.platform,
            )
        )
    return notices


def trial_notice(where: str) -> Notice:
    """What `crosspost notify test` sends: proof that this URL reaches the team."""
    return Notice(
        kind="test",
        title="crosspost: test notification",
        body=f"A test from `crosspost notify test` on {where}. If you read this, "
        "crosspost can tell the team here about YouTube hand-offs, posts that "
        "failed, are unknown or missed, and credentials about to expire.\n"
        "Nothing was posted.",
    )


def _reference(summary_id: str, ledger_id: int) -> str:
    return (
        f"Post #{ledger_id} of summary {summary_id}; "
        f"crosspost status --summary {summary_id} shows it."
    )


def _local(moment: datetime) -> str:
    return moment.strftime("%a %d %b %Y %H:%M %Z").strip()


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%a %d %b %Y %H:%M UTC")


def _duration(span: timedelta) -> str:
    minutes = round(span.total_seconds() / 60)
    if minutes % 60:
        return f"{minutes} minutes"
    hours = minutes // 60
    return f"{hours} hour" + ("s" if hours != 1 else "")
