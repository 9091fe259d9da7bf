"""Tests for the runner: intake plans campaigns, due posts go out once, posts slept
through are missed, edits are re-rendered, dead claims are reconciled, and a simulated
month publishes every planned post exactly once."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crosspost.ledger import due
from crosspost.ledger.claims import claimer
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import PlannedPost
from crosspost.ledger.tables import Runner as RunnerRow
from crosspost.publish.connect import Connection, connect
from crosspost.schedule.clock import VirtualClock
from crosspost.schedule.loops import simulate
from crosspost.schedule.runner import Alerts, Fired, Runner
from crosspost.settings import Settings, load_settings

pytestmark = pytest.mark.anyio

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
START = datetime(2027, 3, 22, 8, 0, tzinfo=UTC)  # a Monday, before the clocks change
PLATFORMS = ["facebook", "linkedin", "youtube"]

SUMMARY = """\
Research Summary: Balance training with a video game in multiple sclerosis

A small trial tried a balance game played at home on a console.

What?

A randomised trial of twelve weeks of balance games played at home.

Who?

A physiotherapy team at a university hospital.

Where?

A rehabilitation journal.

When?

Published in winter 2026.

BACKGROUND #1:  Poor balance makes falls more likely for many people with MS.

FINDING #1:  Fifty-two adults with relapsing MS took part; half played the game.

FINDING #2:  The players improved their balance scores by 12% compared with the others.

THOUGHT #1:  A longer trial will show whether the gains last after the games stop.
"""


def settings_for(folder: Path, **schedule: object) -> Settings:
    """Settings with the project's templates, a state folder of the test, and a
    schedule of one slot a day per platform at a different time."""
    slots = {
        "x": ["daily 09:00"],
        "facebook": ["daily 10:00"],
        "instagram": ["daily 11:00"],
        "linkedin": ["daily 12:00"],
        "youtube": ["daily 13:00"],
    }
    return load_settings(
        None,
        env_file=None,
        templates_dir=TEMPLATES,
        state_dir=folder / "var",
        timezone="Europe/London",
        x={"enabled": False},
        instagram={"enabled": False},
        schedule={"slots": slots, "gap_days": 1, **schedule},
    )


class Recorder(Alerts):
    """Keeps what the runner would tell the team."""

    def __init__(self) -> None:
        self.missed_rows: list[PlannedPost] = []
        self.outcomes: list[str] = []

    async def missed(self, row: PlannedPost, grace: timedelta) -> None:
        self.missed_rows.append(row)

    async def outcome(self, outcome: object, row: PlannedPost | None) -> None:
        self.outcomes.append(getattr(outcome, "status", ""))


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "summaries"
    folder.mkdir()
    (folder / "balance.txt").write_text(SUMMARY, encoding="utf-8")
    return folder


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger(f"sqlite:///{tmp_path}/ledger.db", actor="test") as opened:
        yield opened


@pytest.fixture
async def world(
    tmp_path: Path, sources: Path, ledger: Ledger
) -> AsyncIterator[tuple[Runner, VirtualClock, Connection, Recorder]]:
    """A runner on a virtual clock against the in-process sandbox."""
    settings = settings_for(tmp_path)
    clock = VirtualClock(
        zone=ZoneInfo(settings.timezone), poll=settings.schedule.poll, start=START
    )
    alerts = Recorder()
    async with connect(
        settings,
        PLATFORMS,
        dry_run=True,
        sleep=clock.sleep,
        sandbox_clock=clock.timestamp,
    ) as connection:
        runner = Runner(
            settings,
            ledger,
            connection.adapters,
            sources=[str(sources)],
            endpoints=connection.endpoints,
            alerts=alerts,
            now=lambda: clock.now,
        )
        yield runner, clock, connection, alerts


async def test_intake_plans_a_campaign_once(world: tuple, ledger: Ledger) -> None:
    """A new summary gets its campaign; polling it again adds nothing."""
    runner, _, _, _ = world
    [plan] = await runner.intake()
    rows = ledger.rows()
    assert len(rows) == len(plan.new) == 3 * 4  # announce, 2 findings, recap
    assert {row.status for row in rows} == {"planned"}
    assert all(row.zone == "Europe/London" for row in rows)
    first = min(rows, key=lambda row: row.due_at)
    assert (first.platform, first.key, first.local_time) == (
        "facebook",
        "announce",
        "2027-03-22T10:00:00+00:00",
    )
    assert await runner.intake() == []
    runner._seen.clear()  # even read again, an unchanged summary plans nothing
    assert await runner.intake() == []
    assert len(ledger.rows()) == 12


async def test_due_posts_go_out_once_and_only_when_due(
    world: tuple, ledger: Ledger
) -> None:
    """A tick sends exactly the posts due by now; a second tick sends nothing."""
    runner, clock, _, _ = world
    await runner.intake()
    for hour in (10, 12):
        clock.now = datetime(2027, 3, 22, hour, 0, 30, tzinfo=UTC)
        await runner.tick()
        await runner.drain()
    assert sorted((f.row.platform, f.row.key) for f in runner.fired) == [
        ("facebook", "announce"),
        ("linkedin", "announce"),
    ]
    await runner.tick()
    await runner.drain()
    assert len(runner.fired) == 2
    statuses = {(r.platform, r.key): r.status for r in ledger.rows()}
    assert statuses[("facebook", "announce")] == "published"
    assert statuses[("youtube", "announce")] == "planned"


async def test_a_post_slept_through_is_missed_never_sent_late(
    world: tuple, ledger: Ledger
) -> None:
    """More than the grace late (the runner was down), a post becomes `missed`, is
    reported, and is not sent."""
    runner, clock, _, alerts = world
    await runner.intake()
    clock.now = datetime(2027, 3, 22, 13, 30, tzinfo=UTC)  # 10:00 and 12:00 passed
    await runner.tick()
    await runner.drain()
    statuses = {(r.platform, r.key): r.status for r in ledger.rows()}
    assert statuses[("facebook", "announce")] == "missed"
    assert statuses[("linkedin", "announce")] == "missed"
    assert statuses[("youtube", "announce")] == "awaiting_manual"  # 13:00, in grace
    assert {row.key for row in alerts.missed_rows} == {"announce"}
    assert "missed: due 2027-03-22T10:00:00+00:00" in (
        ledger.find(alerts.missed_rows[0].summary_id, "facebook", "announce").last_error
        or ""
    )


async def test_an_edited_summary_re_renders_its_unsent_posts(
    world: tuple, ledger: Ledger, sources: Path
) -> None:
    """A new content hash re-renders the posts not yet sent, and says so."""
    runner, _, _, _ = world
    notes: list[str] = []
    runner.on_note = notes.append
    await runner.intake()
    before = {(r.platform, r.key): r.text_hash for r in ledger.rows()}
    edited = SUMMARY.replace("by 12%", "by 14%")
    path = sources / "balance.txt"
    path.write_text(edited, encoding="utf-8")
    os.utime(path, (1, 1))
    await runner.intake()
    after = {(r.platform, r.key): r.text_hash for r in ledger.rows()}
    changed = {key for key in before if before[key] != after[key]}
    assert ("facebook", "finding-2") in changed
    assert ("facebook", "finding-1") not in changed
    assert any("was edited" in note for note in notes)
    assert len(ledger.rows()) == 12


async def test_a_dead_runners_claim_is_reconciled_not_resent(
    world: tuple, ledger: Ledger
) -> None:
    """A post a dead process left `sending` is looked for first, never sent again
    blindly: found on the platform, it becomes published."""
    runner, clock, _, _ = world
    await runner.intake()
    clock.now = datetime(2027, 3, 22, 10, 0, 5, tzinfo=UTC)
    await runner.tick()
    await runner.drain()
    [fired] = runner.fired
    row = ledger.get(fired.row.id)
    # As if the process had died after sending and before recording: `sending`, an
    # expired lease.
    ledger.settle(row, "sending", outcome="sending", note="test")
    with ledger.writing() as session:
        stored = session.get(PlannedPost, row.id)
        assert stored is not None
        stored.claimed_by = "elsewhere:1"
        stored.lease_until = datetime(2020, 1, 1, tzinfo=UTC)
        stored.claimed_at = datetime.now(UTC) - timedelta(minutes=30)
    settled = await runner.start()
    assert [(s.ledger_id, s.action) for s in settled] == [(row.id, "found")]
    assert ledger.get(row.id).status == "published"


async def test_a_simulated_month_publishes_every_post_once(
    world: tuple, ledger: Ledger
) -> None:
    """On the virtual clock, every planned post fires at its due instant, once."""
    runner, clock, _, _ = world
    await simulate(runner, clock, START + timedelta(days=30))
    fired: list[Fired] = runner.fired
    assert len(fired) == 12
    assert all(f.outcome.status in ("published", "awaiting_manual") for f in fired)
    assert all(f.fired_at == f.row.due_at for f in fired)
    assert len({f.row.id for f in fired}) == 12
    assert {row.status for row in ledger.rows()} <= {"published", "awaiting_manual"}


async def test_heartbeat_says_who_runs_and_what_is_next(
    world: tuple, ledger: Ledger
) -> None:
    """Each tick writes the runner's heartbeat: since when, last tick, next due."""
    runner, _, _, _ = world
    await runner.start()
    await runner.intake()
    await runner.tick()
    [me] = due.runners(ledger)
    assert me.pid == os.getpid()
    assert me.last_tick == START
    assert me.next_due == datetime(2027, 3, 22, 10, 0, tzinfo=UTC)
    await runner.stop()
    assert due.runners(ledger)[0].stopped_at == START


def left_sending(ledger: Ledger, row_id: int, claimed_by: str) -> None:
    """Leave the row as a runner killed mid-send does: `sending`, its lease run out."""
    row = ledger.get(row_id)
    assert ledger.claim(row.id, text_hash=row.text_hash)
    with ledger.writing() as session:
        stored = session.get(PlannedPost, row.id)
        assert stored is not None
        stored.claimed_by = claimed_by
        stored.lease_until = datetime.now(UTC) - timedelta(minutes=1)
        stored.claimed_at = datetime.now(UTC) - timedelta(minutes=30)


async def test_a_survivor_settles_a_dead_runners_claim_and_sends_it_once(
    world: tuple, ledger: Ledger
) -> None:
    """A runner that keeps running settles, on its tick, a post another runner left
    `sending`: not on the platform, it is planned again and sent once."""
    runner, clock, _, _ = world
    await runner.intake()
    await runner.start()
    clock.now = datetime(2027, 3, 22, 10, 0, 5, tzinfo=UTC)
    row = ledger.find(ledger.rows()[0].summary_id, "facebook", "announce")
    assert row is not None
    with ledger.writing() as session:
        session.add(RunnerRow(id="far-host:77", host="far-host", pid=77))
    left_sending(ledger, row.id, "far-host:77")
    notes: list[str] = []
    runner.on_note = notes.append
    await runner.tick()
    await runner.drain()
    assert ledger.get(row.id).status == "planned"
    assert any("planned again" in note for note in notes)
    clock.now += timedelta(seconds=61)
    await runner.tick()
    await runner.drain()
    assert ledger.get(row.id).status == "published"
    assert [f.row.id for f in runner.fired] == [row.id]


async def test_claims_under_this_name_are_settled_at_start(
    world: tuple, ledger: Ledger
) -> None:
    """Claims an earlier process left under this process's own `host:pid` (a
    restarted container) are settled at start, not renewed as this one's."""
    runner, clock, _, _ = world
    await runner.intake()
    clock.now = datetime(2027, 3, 22, 10, 0, 5, tzinfo=UTC)
    row = ledger.find(ledger.rows()[0].summary_id, "facebook", "announce")
    assert row is not None
    left_sending(ledger, row.id, claimer())
    [settled] = await runner.start()
    assert (settled.ledger_id, settled.action, settled.after) == (
        row.id,
        "absent",
        "planned",
    )
    assert "ran out" in (settled.stale or "")
