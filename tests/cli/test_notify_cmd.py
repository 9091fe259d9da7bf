"""`crosspost notify test`: a test notice to each URL, named safely, per URL."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from crosspost.cli.main import main
from crosspost.cli.sandbox_cmd import bind
from crosspost.sandbox import Sandbox, create_sandbox

TOKEN = "canary-cli-tok-6b1d"


@pytest.fixture
def served(isolated: Path) -> Iterator[tuple[str, Sandbox]]:
    """The sandbox's receiver on a free loopback port; stopped afterwards."""
    sandbox = create_sandbox()
    listener = bind("127.0.0.1", 0)
    server = uvicorn.Server(
        uvicorn.Config(sandbox.app, log_config=None, access_log=False, lifespan="off")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]})
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield f"127.0.0.1:{listener.getsockname()[1]}", sandbox
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()


def use_urls(monkeypatch: pytest.MonkeyPatch, *urls: str) -> None:
    monkeypatch.setenv("CROSSPOST_NOTIFY__URLS", json.dumps(list(urls)))
    monkeypatch.setenv("TEAM_TOKEN", TOKEN)


def test_without_urls_says_how_to_set_them(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No notify.urls is a configuration error (exit 2) naming where to set them."""
    assert main(["notify", "test"]) == 2
    err = capsys.readouterr().err
    assert "no notification URL is set" in err
    assert "CROSSPOST_NOTIFY__URLS" in err


def test_each_url_is_told_and_reported(
    served: tuple[str, Sandbox],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Delivered and refused URLs are reported one per line, no token shown; a URL
    not delivered makes the exit status 1."""
    host, sandbox = served
    use_urls(
        monkeypatch,
        f"json://{host}/_sandbox/notify/${{TEAM_TOKEN}}",
        f"json://{host}/gone/${{TEAM_TOKEN}}",
    )
    assert main(["notify", "test"]) == 1
    out, err = capsys.readouterr()
    assert f"#1 json://{host}…" in out
    assert "delivered" in out
    assert f"#2 json://{host}…" in out
    assert "NOT delivered" in out
    assert TOKEN not in out + err
    [note] = sandbox.notifications
    assert note["title"] == "crosspost: test notification"


def test_json_output_lists_each_url(
    served: tuple[str, Sandbox],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--json gives one object per URL: its safe name and whether it was delivered."""
    host, _ = served
    use_urls(monkeypatch, f"form://{host}/_sandbox/notify/${{TEAM_TOKEN}}")
    assert main(["notify", "test", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"url": f"#1 form://{host}…", "delivered": True}
    ]


def test_dry_run_checks_urls_and_sends_nothing(
    isolated: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--dry-run resolves and parses every URL and shows the notice, sending
    nothing (the port here is closed: a send would fail)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    use_urls(monkeypatch, f"json://127.0.0.1:{port}/${{TEAM_TOKEN}}")
    assert main(["notify", "test", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would send" in out
    assert "Nothing was posted." in out
    assert TOKEN not in out


def test_unset_placeholder_names_the_variable(
    isolated: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A ${NAME} without its variable is exit 2 naming it, no traceback."""
    monkeypatch.setenv("CROSSPOST_NOTIFY__URLS", '["slack://${MISSING_SLACK}"]')
    monkeypatch.delenv("MISSING_SLACK", raising=False)
    assert main(["notify", "test"]) == 2
    err = capsys.readouterr().err
    assert "MISSING_SLACK is not set" in err
    assert "Traceback" not in err
