"""What a monitor reads: the live runners, the next due post, and the posts that need a
person; healthy when none does and a runner has ticked lately."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from crosspost.ledger import due, overview
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import PlannedPost
from crosspost.ledger.tables import Runner as RunnerRow
from crosspost.schedule.planning import iso_utc
from crosspost.settings_schedule import ScheduleSettings

# Statuses counted for the monitor; the first three need a person.
NEEDS_A_PERSON = ("unknown", "failed", "missed")
SHOWN = (*NEEDS_A_PERSON, "sending", "awaiting_manual", "draft", "planned")


@dataclass(frozen=True)
class Health:
    """The ledger's health at `checked_at`; `problems` empty means healthy."""

    checked_at: datetime
    silent_after: timedelta
    runners: list[RunnerRow]
    last_tick: datetime | None
    next_post: PlannedPost | None
    counts: dict[str, int]
    overdue: int
    stale_claims: int
    problems: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        post = self.next_post
        return {
            "healthy": self.healthy,
            "checked_at": iso_utc(self.checked_at),
            "problems": self.problems,
            "runners": [runner_json(runner) for runner in self.runners],
            "last_tick": iso_utc(self.last_tick) if self.last_tick else None,
            "stale_after_seconds": self.silent_after.total_seconds(),
            "next_due": None
            if post is None
            else {
                "id": post.id,
                "summary_id": post.summary_id,
                "platform": post.platform,
                "key": post.key,
                "due_at": iso_utc(post.retry_at or post.due_at),
                "local_time": post.local_time,
            },
            "counts": {
                **{status: self.counts.get(status, 0) for status in SHOWN},
                "overdue": self.overdue,
                "stale_claims": self.stale_claims,
            },
        }


def runner_json(runner: RunnerRow) -> dict[str, Any]:
    return {
        "id": runner.id,
        "host": runner.host,
        "pid": runner.pid,
        "version": runner.version,
        "started_at": iso_utc(runner.started_at),
        "last_tick": iso_utc(runner.last_tick),
        "next_due": iso_utc(runner.next_due) if runner.next_due else None,
    }


def check_health(
    ledger: Ledger, schedule: ScheduleSettings, *, now: datetime
) -> Health:
    """The ledger's health now: live runners are those not stopped that ticked
    within `schedule.stale_after` (default three ticks); overdue posts are planned
    posts more than a tick past due."""
    silent_after = schedule.silent_after()
    tick = timedelta(seconds=schedule.tick)
    everyone = due.runners(ledger)
    recent = [r for r in everyone if r.last_tick >= now - silent_after]
    live = [r for r in recent if r.stopped_at is None]
    counts = overview.status_counts(ledger)
    overdue = overview.overdue_count(ledger, before=now - tick)
    stale = len(due.stale_claims(ledger, now=now, lease=schedule.lease))
    last_tick = max((r.last_tick for r in everyone), default=None)
    problems = [
        f"{counts[status]} {_posts(counts[status])} {status}: {_remedy(status)}"
        for status in NEEDS_A_PERSON
        if counts.get(status)
    ]
    if overdue:
        problems.append(
            f"{overdue} planned {_posts(overdue)} more than a tick "
            f"({schedule.tick:g} s) past due: is `crosspost run` running?"
        )
    if not recent:
        since = f"last tick {iso_utc(last_tick)}" if last_tick else "never ran"
        problems.append(
            f"no runner has ticked in the last {_span(silent_after)} "
            f"(schedule.stale_after; {since}): start `crosspost run`"
        )
    return Health(
        checked_at=now,
        silent_after=silent_after,
        runners=live,
        last_tick=last_tick,
        next_post=overview.next_planned(ledger),
        counts=counts,
        overdue=overdue,
        stale_claims=stale,
        problems=problems,
    )


def _posts(count: int) -> str:
    return "post" if count == 1 else "posts"


def _remedy(status: str) -> str:
    return {
        "unknown": "check each on its platform: crosspost reconcile, or "
        "crosspost resolve ID --posted URL (or --not-posted)",
        "failed": "see why with crosspost status; crosspost retry ID, or cancel ID",
        "missed": "crosspost retry ID plans one again, or cancel ID",
    }[status]


def _span(duration: timedelta) -> str:
    seconds = int(duration.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    return f"{seconds // 60} min"
