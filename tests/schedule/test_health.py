"""Tests for the health a monitor reads: live runners, the next due post, posts that
need a person, overdue posts, and a runner that stopped ticking."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import Runner
from crosspost.schedule.health import check_health
from crosspost.settings_schedule import ScheduleSettings
from crosspost.teasers.model import Teaser, TeaserPart

NOW = datetime(2027, 3, 22, 9, 0, tzinfo=UTC)
SCHEDULE = ScheduleSettings(tick=60)


def teaser(key: str) -> Teaser:
    text = f"Heat and fatigue in MS: {key}."
    return Teaser(
        summary_id="rs-00000000000f",
        summary_title="Heat and fatigue",
        platform="linkedin",
        variant="finding",
        key=key,
        parts=(TeaserPart(text=text, count=len(text)),),
        limit=3000,
    )


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger(f"sqlite:///{tmp_path}/ledger.db", actor="test") as opened:
        yield opened


def beat(ledger: Ledger, name: str, *, ago: timedelta, stopped: bool = False) -> None:
    with ledger.writing() as session:
        session.add(
            Runner(
                id=name,
                host=name.split(":", maxsplit=1)[0],
                pid=int(name.split(":")[1]),
                started_at=NOW - timedelta(hours=3),
                last_tick=NOW - ago,
                next_due=NOW + timedelta(hours=1),
                stopped_at=NOW - ago if stopped else None,
            )
        )


def test_healthy_with_a_ticking_runner_and_nothing_for_a_person(
    ledger: Ledger,
) -> None:
    """A runner ticked a minute ago and nothing needs a person: healthy; the live
    runner and the next due post are shown."""
    beat(ledger, "host-a:10", ago=timedelta(minutes=1))
    beat(ledger, "host-b:11", ago=timedelta(hours=2))
    ledger.plan(teaser("later"), due_at=NOW + timedelta(hours=1))
    found = check_health(ledger, SCHEDULE, now=NOW)
    assert found.healthy
    assert [runner.id for runner in found.runners] == ["host-a:10"]
    shown = found.as_dict()
    assert shown["next_due"]["key"] == "later"
    assert shown["next_due"]["due_at"] == "2027-03-22T10:00:00Z"
    assert shown["runners"][0]["last_tick"] == "2027-03-22T08:59:00Z"
    assert shown["counts"]["planned"] == 1
    assert shown["stale_after_seconds"] == 180


def test_posts_needing_a_person_and_overdue_posts_are_problems(
    ledger: Ledger,
) -> None:
    """Unknown, failed and missed posts, and planned posts more than a tick past due,
    each make a problem naming what to do."""
    beat(ledger, "host-a:10", ago=timedelta(seconds=20))
    for key, status in (("u", "unknown"), ("f", "failed"), ("m", "missed")):
        row = ledger.plan(teaser(key), due_at=NOW - timedelta(hours=1))
        ledger.settle(row, status, outcome=status, note="test")  # type: ignore[arg-type]
    ledger.plan(teaser("late"), due_at=NOW - timedelta(minutes=5))
    ledger.plan(teaser("just"), due_at=NOW - timedelta(seconds=30))
    found = check_health(ledger, SCHEDULE, now=NOW)
    assert not found.healthy
    assert found.overdue == 1
    text = "\n".join(found.problems)
    assert "1 post unknown: check each on its platform" in text
    assert "1 post failed" in text
    assert "1 post missed: crosspost retry ID" in text
    assert "1 planned post more than a tick (60 s) past due" in text


def test_no_runner_ticking_within_stale_after_is_a_problem(ledger: Ledger) -> None:
    """No runner ticked within stale_after: a problem; a `run --once` that ticked
    recently (and stopped) counts as ticking, without being live."""
    assert "never ran" in check_health(ledger, SCHEDULE, now=NOW).problems[0]
    beat(ledger, "host-a:10", ago=timedelta(minutes=4))
    [problem] = check_health(ledger, SCHEDULE, now=NOW).problems
    assert problem.startswith("no runner has ticked in the last 3 min")
    longer = ScheduleSettings(tick=60, stale_after="20m")
    assert check_health(ledger, longer, now=NOW).healthy
    beat(ledger, "cron-host:99", ago=timedelta(minutes=1), stopped=True)
    found = check_health(ledger, SCHEDULE, now=NOW)
    assert found.healthy
    assert found.runners == []
