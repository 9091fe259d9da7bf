"""Tests that outcomes never contradict themselves: every fault the sandbox can inject,
on every step of each platform's post, gives a message that agrees with its status."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES, ROOT

from crosspost.cli.main import main
from crosspost.platforms.http import RetryPolicy
from crosspost.sandbox import Fault, Sandbox, SandboxConfig, dryrun
from crosspost.sandbox.config import FAULT_KINDS, FaultKind
from crosspost.settings import Settings

# Where a fault strikes: anywhere (the first request), or the step that posts.
STEPS = [
    ("x", None),
    ("x", "/2/tweets"),
    ("facebook", None),
    ("facebook", "/photos"),
    ("instagram", None),
    ("instagram", "/media"),  # the container
    ("instagram", "/media_publish"),
    ("linkedin", None),
    ("linkedin", "/rest/posts"),
]
KINDS: list[FaultKind] = [k for k in FAULT_KINDS if k != "latency"]  # type: ignore[misc]
# A post that may be live, and one that surely is not, said in the same outcome.
MAYBE_LIVE = re.compile(r"may be live|probably live|is live|may have gone out", re.I)
NOT_LIVE = re.compile(r"nothing was (posted|published)|not posted|not sent", re.I)


@pytest.fixture
def templates(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The project's templates, and retries without their waits."""
    monkeypatch.setenv("CROSSPOST_TEMPLATES_DIR", str(ROOT / "templates"))
    monkeypatch.setattr(RetryPolicy, "delay", lambda self, attempt: 0.0)


def post_with(
    fault: Fault,
    platform: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> dict[str, object]:
    """One dry-run post to `platform` through a sandbox meeting `fault` every time."""
    make = dryrun.make_dry_run_sandbox

    def with_fault(settings: Settings, config: SandboxConfig | None = None) -> Sandbox:
        return make(settings, SandboxConfig(faults=[fault]))

    monkeypatch.setattr(dryrun, "make_dry_run_sandbox", with_fault)
    source = str(EXAMPLES / "stem-cells.txt")
    code = main(["post", source, "--platforms", platform, "--dry-run", "--json"])
    [outcome] = json.loads(capsys.readouterr().out)
    assert code == (0 if outcome["status"] == "published" else 1)
    return dict(outcome)


@pytest.mark.usefixtures("templates")
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("platform", "path"), STEPS)
def test_message_agrees_with_status(
    platform: str,
    path: str | None,
    kind: FaultKind,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An unknown outcome never says nothing was posted; a failed one never says the
    post may be live; a published one says neither."""
    fault = Fault(platform=platform, kind=kind, path=path, times=None)
    outcome = post_with(fault, platform, monkeypatch, capsys)
    error = str(outcome["error"] or "")
    status = outcome["status"]
    if status == "unknown":
        assert error.startswith(("may be live", "thread broke")), error
        assert not NOT_LIVE.search(error), error
    elif status == "failed":
        assert not MAYBE_LIVE.search(error), error
    else:
        assert status in ("published", "retrying"), outcome
        assert not NOT_LIVE.search(error), error
