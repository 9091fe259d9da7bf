"""Tests for `crosspost plan`, `run` (one pass and simulated), `post --at`, `status`,
`approve`, `cancel` and `retry`, driven as a user runs them."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crosspost.cli.main import main

from .conftest import run_json

pytestmark = pytest.mark.usefixtures("project_templates")

SUMMARY = """\
Research Summary: Sleep apnoea screening in people with multiple sclerosis

A look at how often breathing pauses in sleep go unnoticed in MS.

What?

A screening study using home sleep tests.

Who?

A sleep clinic working with an MS centre.

Where?

A neurology journal.

When?

Published in autumn 2026.

BACKGROUND #1:  Tiredness is common in MS and has many causes.

FINDING #1:  One in four of the 180 people screened had moderate sleep apnoea.

FINDING #2:  Most of them had not been diagnosed before the study.

FINDING #3:  Treatment with a breathing machine eased daytime sleepiness for most.

THOUGHT #1:  Asking about snoring could be part of routine MS check-ups.
"""

SLOTS = {
    "x": ["Tue 09:30", "Thu 09:30"],
    "facebook": ["Mon 10:00", "Wed 10:00", "Fri 10:00"],
    "instagram": ["daily 12:30"],
    "linkedin": ["Tue 08:00", "Thu 08:00"],
    "youtube": ["Sun 01:30"],  # does not exist on 2027-03-28 in London
}


@pytest.fixture
def summary(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A summary in a folder, with slots and a zone set as the checker sets them."""
    monkeypatch.setenv("CROSSPOST_SCHEDULE__SLOTS", json.dumps(SLOTS))
    monkeypatch.setenv("CROSSPOST_TIMEZONE", "Europe/London")
    folder = isolated / "summaries"
    folder.mkdir()
    path = folder / "apnoea.txt"
    path.write_text(SUMMARY, encoding="utf-8")
    return path


def local_slots(zone: str) -> dict[str, set[tuple[int | None, str]]]:
    days = {"Mon": 0, "Tue": 1, "Wed": 2, "Thu": 3, "Fri": 4, "Sat": 5, "Sun": 6}
    return {
        platform: {(days.get(text.split()[0]), text.split()[1]) for text in texts}
        for platform, texts in SLOTS.items()
    }


def test_plan_lands_every_post_on_a_local_slot_across_the_clock_change(
    summary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Planned across the spring change, every post is at a configured local slot,
    with UTC `due_at`, the local time with its offset, and the zone."""
    code, plan = run_json(
        ["plan", str(summary), "--now", "2027-03-24T12:00:00Z"], capsys
    )
    assert code == 0
    assert len(plan) == 5 * 5  # announce, 3 findings, recap on five platforms
    slots = local_slots("Europe/London")
    offsets = set()
    for post in plan:
        assert post["due_at"].endswith("Z")
        local = datetime.fromisoformat(post["local_time"])
        due = datetime.fromisoformat(post["due_at"].replace("Z", "+00:00"))
        assert local == due
        assert post["zone"] == "Europe/London"
        assert (
            local.utcoffset() == local.astimezone(ZoneInfo("Europe/London")).utcoffset()
        )
        wall = local.strftime("%H:%M")
        if local.date().isoformat() == "2027-03-28" and post["platform"] == "youtube":
            # 01:30 does not exist that night: the next valid instant, 02:00 BST.
            assert (wall, post["due_at"]) == ("02:00", "2027-03-28T01:00:00Z")
        else:
            allowed = slots[post["platform"]]
            assert (local.weekday(), wall) in allowed or (None, wall) in allowed
        offsets.add(local.utcoffset())
        assert post["id"] is None
        assert post["status"] == "planned"
    assert len(offsets) == 2  # GMT and BST both occur


def test_plan_is_idempotent_once_applied(
    summary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--apply stores the campaign; planning again adds nothing and shows the ids."""
    args = ["plan", str(summary), "--now", "2027-03-24T12:00:00Z", "--dry-run"]
    code, first = run_json([*args, "--apply"], capsys)
    assert code == 0
    assert all(post["id"] for post in first)
    code, again = run_json([*args, "--apply"], capsys)
    assert [p["id"] for p in again] == [p["id"] for p in first]
    assert [p["due_at"] for p in again] == [p["due_at"] for p in first]
    code, status = run_json(["status", "--dry-run", "--upcoming"], capsys)
    assert len(status) == len(first)
    assert {row["status"] for row in status} == {"planned"}


def test_a_simulated_run_publishes_each_planned_post_once(
    summary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`run --dry-run --now --simulate-until --json` fires exactly what `plan` shows,
    each once, at its due time, with every field `plan` gives and the same text."""
    now = "2027-03-24T12:00:00Z"
    code, plan = run_json(["plan", str(summary.parent), "--now", now], capsys)
    assert code == 0
    code, fired = run_json(
        [
            "run",
            str(summary.parent),
            "--dry-run",
            "--now",
            now,
            "--simulate-until",
            "2027-05-01T00:00:00Z",
        ],
        capsys,
    )
    assert code == 0
    planned = {(p["platform"], p["key"]): p for p in plan}
    seen = [(f["platform"], f["key"]) for f in fired]
    assert sorted(seen) == sorted(planned)
    for entry in fired:
        shown = planned[(entry["platform"], entry["key"])]
        assert set(entry) >= set(shown)
        for field in ("summary_title", "due_at", "local_time", "zone", "text", "limit"):
            assert entry[field] == shown[field], field
        assert entry["fired_at"] == entry["due_at"]
        assert entry["status"] in ("published", "awaiting_manual")
        if entry["status"] == "awaiting_manual":
            assert entry["url"] is None  # the scratch folder's bundle is gone
        assert set(entry) >= {
            "id",
            "summary_id",
            "platform",
            "variant",
            "key",
            "status",
            "due_at",
            "local_time",
            "zone",
            "fired_at",
        }


def test_post_at_a_moment_long_past_is_a_usage_error(
    summary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A time more than the grace ago would be missed at once: refused, nothing kept."""
    code = main(
        [
            "post",
            str(summary),
            "--platforms",
            "facebook",
            "--dry-run",
            "--at",
            "2000-01-01 10:00",
        ]
    )
    assert code == 2
    assert "in the past" in capsys.readouterr().err


def test_post_at_then_run_once(
    summary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A one-off planned for now is sent by the next `run --once`, exactly once."""
    code, planned = run_json(
        [
            "post",
            str(summary),
            "--platforms",
            "facebook,linkedin",
            "--dry-run",
            "--at",
            datetime.now(ZoneInfo("UTC")).isoformat(),
        ],
        capsys,
    )
    assert code == 0
    assert {p["status"] for p in planned} == {"planned"}
    code, fired = run_json(["run", "--once", "--dry-run"], capsys)
    assert code == 0
    assert sorted(f["platform"] for f in fired) == ["facebook", "linkedin"]
    code, fired = run_json(["run", "--once", "--dry-run"], capsys)
    assert (code, fired) == (0, [])


def test_approval_gate_holds_drafts_until_approved(
    summary: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With schedule.approval, new campaigns wait as drafts; `approve` plans them."""
    monkeypatch.setenv("CROSSPOST_SCHEDULE__APPROVAL", "true")
    args = ["plan", str(summary), "--dry-run", "--apply"]
    code, plan = run_json(args, capsys)
    assert {p["status"] for p in plan} == {"draft"}
    code, fired = run_json(["run", "--once", "--dry-run"], capsys)
    assert fired == []
    summary_id = plan[0]["summary_id"]
    code, approved = run_json(["approve", summary_id, "--dry-run"], capsys)
    assert code == 0
    assert {row["status"] for row in approved} == {"planned"}


def test_cancel_and_retry(summary: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A cancelled post is not sent; retry plans it again at a free slot."""
    args = ["plan", str(summary), "--dry-run", "--apply", "--platforms", "linkedin"]
    code, plan = run_json(args, capsys)
    assert code == 0
    first = plan[0]["id"]
    code, cancelled = run_json(["cancel", str(first), "--dry-run"], capsys)
    assert cancelled[0]["status"] == "cancelled"
    code, retried = run_json(["retry", str(first), "--dry-run"], capsys)
    assert retried[0]["status"] == "planned"
    assert main(["cancel", "99999", "--dry-run"]) == 1


def test_status_shows_local_time_and_filters(
    summary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`status --summary ID` lists that campaign with each post's local slot."""
    code, plan = run_json(["plan", str(summary), "--dry-run", "--apply"], capsys)
    assert code == 0
    summary_id = plan[0]["summary_id"]
    assert main(["status", "--dry-run", "--summary", summary_id]) == 0
    out = capsys.readouterr().out
    assert summary_id in out
    assert "planned" in out
    code, rows = run_json(
        ["status", "--dry-run", "--summary", "rs-000000000000"], capsys
    )
    assert rows == []


def test_simulate_needs_dry_run(
    summary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A simulated run against real platforms is refused as a usage error."""
    code = main(
        ["run", "--now", "2027-01-01T00:00Z", "--simulate-until", "2027-02-01T00:00Z"]
    )
    assert code == 2
    assert "--dry-run" in capsys.readouterr().err


def test_a_simulated_run_across_the_autumn_change_in_new_york(
    summary: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the doubled hour (the poll's cron once looped there for ever), months
    ahead (LinkedIn's version is judged by today's date): every planned post fires
    once, at its due time."""
    monkeypatch.setenv("CROSSPOST_TIMEZONE", "America/New_York")
    now = "2027-10-28T12:00:00Z"
    code, plan = run_json(["plan", str(summary), "--now", now], capsys)
    assert code == 0
    code, fired = run_json(
        ["run", str(summary), "--dry-run", "--now", now,
         "--simulate-until", "2028-01-15T00:00:00Z"],
        capsys,
    )  # fmt: skip
    assert code == 0
    assert sorted((f["platform"], f["key"], f["due_at"]) for f in fired) == sorted(
        (p["platform"], p["key"], p["due_at"]) for p in plan
    )
    assert {f["status"] for f in fired} <= {"published", "awaiting_manual"}
    assert {p["local_time"][-6:] for p in plan} == {"-04:00", "-05:00"}
