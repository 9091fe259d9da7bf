"""Tests for `crosspost status --health`: what a monitor reads, and its exit status."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crosspost.cli.main import main

from .conftest import run_json

pytestmark = pytest.mark.usefixtures("project_templates")


def test_health_fails_until_a_runner_has_ticked(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An empty ledger that no runner ever ticked on: exit 1, saying so; after a
    `run --once`, healthy (exit 0) with nothing due."""
    code, health = run_json(["status", "--health", "--dry-run"], capsys)
    assert code == 1
    assert health["healthy"] is False
    assert "no runner has ticked" in health["problems"][0]
    assert health["counts"]["unknown"] == 0
    assert main(["run", "--once", "--dry-run"]) == 0
    capsys.readouterr()
    assert main(["status", "--health", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("healthy\n")
    assert "next due: nothing planned" in out


def test_health_names_a_post_needing_a_person(
    isolated: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A post recorded as not posted (failed) makes health fail (exit 1) and says
    what to do; the text output lists the problem."""
    summary = Path(__file__).resolve().parents[2] / "examples" / "summaries"
    first = sorted(p for p in summary.iterdir() if p.suffix == ".txt")[0]
    monkeypatch.setenv(
        "CROSSPOST_SCHEDULE__VARIANTS", json.dumps({"linkedin": ["announce"]})
    )
    later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    post = ["post", str(first), "--platforms", "linkedin", "--dry-run", "--at", later]
    code, [planned] = run_json(post, capsys)
    assert code == 0
    assert main(["resolve", str(planned["id"]), "--not-posted", "--dry-run"]) == 0
    assert main(["run", "--once", "--dry-run"]) == 0
    capsys.readouterr()
    assert main(["status", "--health", "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("unhealthy: 1 problem\n")
    assert "1 post failed" in out


def test_health_refuses_filters(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--health reads the whole ledger: with --upcoming it is a usage error."""
    assert main(["status", "--health", "--upcoming", "--dry-run"]) == 2
    assert "--health reads the whole ledger" in capsys.readouterr().err
