"""Fixtures for command tests: one sandbox shared by every dry run of a test, the
project's templates, and helpers for running commands and faking a killed sender."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crosspost.cli.main import main
from crosspost.sandbox import Fault, Sandbox, SandboxConfig, dryrun
from crosspost.settings import Settings

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@dataclass
class SharedSandbox:
    """The sandbox every dry run of a test talks to, remembering posts between
    commands as a real platform does; `faults` apply to the next requests."""

    config: SandboxConfig = field(default_factory=SandboxConfig)
    sandbox: Sandbox | None = None

    @property
    def faults(self) -> list[Fault]:
        return self.config.faults

    def posts(self, platform: str) -> list[str]:
        """The texts the platform accepted, in order."""
        shown = self.sandbox.posts if self.sandbox is not None else []
        return [post.text for post in shown if post.platform == platform]


@pytest.fixture
def shared_sandbox(monkeypatch: pytest.MonkeyPatch) -> SharedSandbox:
    """Dry runs in this test share one sandbox instead of a fresh one per command."""
    shared = SharedSandbox()
    make = dryrun.make_dry_run_sandbox

    def make_once(settings: Settings, config: SandboxConfig | None = None) -> Sandbox:
        if shared.sandbox is None:
            shared.sandbox = make(settings, shared.config)
        return shared.sandbox

    monkeypatch.setattr(dryrun, "make_dry_run_sandbox", make_once)
    return shared


@pytest.fixture
def project_templates(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command runs in an empty folder, with the project's own templates."""
    monkeypatch.setenv("CROSSPOST_TEMPLATES_DIR", str(TEMPLATES))


def run_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, Any]:
    code = main([*args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def as_if_killed(isolated: Path, row_id: int, minutes_ago: float) -> None:
    """Leave the dry-run ledger's row as a sender killed mid-request does: `sending`,
    claimed by a process of this host that is gone."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    moment = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    database = sqlite3.connect(isolated / "var" / "dry-run-ledger.db")
    database.execute(
        "UPDATE planned_posts SET status = 'sending', claimed_by = ?, claimed_at = ?"
        " WHERE id = ?",
        (
            f"{socket.gethostname()}:{process.pid}",
            moment.replace(tzinfo=None).isoformat(sep=" "),
            row_id,
        ),
    )
    database.commit()
    database.close()
