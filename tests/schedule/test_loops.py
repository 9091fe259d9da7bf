"""Tests for the runner on the real clock: a real `crosspost run` process wakes at a
post's due time, sends it once, and stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crosspost.cli.main import main

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SUMMARY = """\
Research Summary: Heat sensitivity and cooling in multiple sclerosis

A short trial of cooling vests on warm days.

What?

A crossover trial of cooling vests.

Who?

A neurology team.

Where?

A rehabilitation journal.

When?

Published in 2026.

FINDING #1:  Walking was faster on the days the vests were worn.
"""


def rows(folder: Path) -> list[tuple[str, str]]:
    database = sqlite3.connect(folder / "var" / "dry-run-ledger.db")
    try:
        return database.execute("SELECT platform, status FROM planned_posts").fetchall()
    finally:
        database.close()


@pytest.mark.usefixtures("isolated")
def test_the_runner_wakes_at_the_due_time_and_stops_on_sigterm(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A post planned a few seconds ahead is sent by a running runner at its time,
    once; SIGTERM then stops the runner with exit 0 and records it stopped."""
    monkeypatch.setenv("CROSSPOST_TEMPLATES_DIR", str(TEMPLATES))
    source = isolated / "cooling.txt"
    source.write_text(SUMMARY, encoding="utf-8")
    due = datetime.now(UTC) + timedelta(seconds=4)
    args = ["post", str(source), "--platforms", "facebook,linkedin", "--dry-run"]
    assert main([*args, "--at", due.isoformat()]) == 0
    assert {status for _, status in rows(isolated)} == {"planned"}
    runner = subprocess.Popen(
        [sys.executable, "-m", "crosspost", "run", "--dry-run"],
        cwd=isolated,
        env={**os.environ, "CROSSPOST_SCHEDULE__TICK": "60"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if {status for _, status in rows(isolated)} == {"published"}:
                break
            time.sleep(0.2)
        published_at = datetime.now(UTC)
        assert {status for _, status in rows(isolated)} == {"published"}
        # Woken by its due time, not by the one-minute tick.
        assert published_at - due < timedelta(seconds=5)
        runner.send_signal(signal.SIGTERM)
        out, err = runner.communicate(timeout=30)
    finally:
        if runner.poll() is None:
            runner.kill()
    assert runner.returncode == 0, err
    assert "Traceback" not in err
    assert out.count("published") == 2
    database = sqlite3.connect(isolated / "var" / "dry-run-ledger.db")
    [(stopped,)] = database.execute("SELECT stopped_at FROM runners").fetchall()
    database.close()
    assert stopped is not None
