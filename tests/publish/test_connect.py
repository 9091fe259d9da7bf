"""Tests for where posts go: each row records its endpoint, and a post published
through one endpoint (a served sandbox) is not taken as published at another."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES, ROOT

from crosspost.cli.main import main
from crosspost.cli.sandbox_cmd import bind, sandbox_environment, sandbox_server
from crosspost.publish.connect import endpoint
from crosspost.sandbox import Sandbox, SandboxConfig, create_sandbox
from crosspost.sandbox.dryrun import dry_run_settings
from crosspost.settings import Settings

PLATFORMS = ("x", "facebook", "linkedin")


@contextmanager
def serving(sandbox: Sandbox) -> Iterator[str]:
    """`sandbox` on a free loopback port, as `crosspost sandbox serve` runs it; its
    base URL. Stopped on exit."""
    listener = bind("127.0.0.1", 0)
    server = sandbox_server(sandbox)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]})
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


def test_endpoint_names_the_api_the_sandbox_or_the_hand_off(tmp_path: Path) -> None:
    """Real settings give the API's base URL; a dry run marks it `sandbox:`; a
    served sandbox is its own URL; YouTube's posts go to a person."""
    settings = Settings(_env_file=None, state_dir=tmp_path)  # type: ignore[call-arg]
    assert endpoint(settings, "x", dry_run=False) == "https://api.x.com"
    assert endpoint(settings, "x", dry_run=True) == "sandbox:https://api.x.com"
    served = dry_run_settings(settings, base_url="http://127.0.0.1:8765/")
    assert endpoint(served, "linkedin", dry_run=False) == (
        "http://127.0.0.1:8765/linkedin"
    )
    assert endpoint(settings, "youtube", dry_run=False) == "handoff:youtube"


def point_at(
    base_url: str, state: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """Set the variables `sandbox serve` prints for `base_url`, keeping one ledger."""
    settings = Settings(_env_file=None, state_dir=state)  # type: ignore[call-arg]
    variables = sandbox_environment(dry_run_settings(settings, base_url=base_url))
    variables["CROSSPOST_LEDGER_URL"] = f"sqlite:///{state}/ledger.db"
    variables["CROSSPOST_TEMPLATES_DIR"] = str(ROOT / "templates")
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return variables


def post(capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, object]]:
    args = [
        "post",
        str(EXAMPLES / "stem-cells.txt"),
        "--platforms",
        ",".join(PLATFORMS),
    ]
    assert main([*args, "--json"]) == 0
    return {o["platform"]: o for o in json.loads(capsys.readouterr().out)}


def test_a_post_published_through_one_endpoint_is_sent_at_another(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Posts published through a served sandbox are sent again when the same ledger
    is pointed at other endpoints (standing in for the real APIs); each row records
    where it went, and there it is not sent twice."""
    first, second = create_sandbox(SandboxConfig()), create_sandbox(SandboxConfig())
    with serving(first) as sandbox_url, serving(second) as real_url:
        point_at(sandbox_url, isolated, monkeypatch)
        assert {o["status"] for o in post(capsys).values()} == {"published"}
        point_at(real_url, isolated, monkeypatch)
        sent = post(capsys)
        assert {o["status"] for o in sent.values()} == {"published"}
        assert {o["status"] for o in post(capsys).values()} == {"already_published"}
    for sandbox in (first, second):
        assert sorted(p.platform for p in sandbox.posts) == sorted(PLATFORMS)
    database = sqlite3.connect(isolated / "ledger.db")
    rows = database.execute("SELECT platform, endpoint, url FROM planned_posts")
    for platform, where, url in rows:
        assert where == f"{real_url}/{platform}"
        assert url == sent[platform]["url"]
    notes = [n for (n,) in database.execute("SELECT error FROM attempts") if n]
    database.close()
    assert f"earlier sent to {sandbox_url}/x; now to {real_url}/x" in notes
