"""`crosspost sandbox serve`: loopback only, busy ports named, clean Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from crosspost.cli.main import main
from crosspost.cli.sandbox_cmd import bind, is_loopback
from crosspost.errors import CrosspostError
from crosspost.sandbox import SandboxAccounts


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("localhost", True),
     ("0.0.0.0", False), ("192.168.1.4", False), ("example.org", False)],
)  # fmt: skip
def test_is_loopback(host: str, loopback: bool) -> None:
    """Only loopback addresses (and localhost) count as loopback."""
    assert is_loopback(host) is loopback


def test_non_loopback_host_is_refused(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--host 0.0.0.0 exits 2 with a message and a hint, no traceback."""
    assert main(["sandbox", "serve", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "0.0.0.0 is not a loopback address" in err
    assert "hint:" in err
    assert "Traceback" not in err


def test_busy_port_is_a_clear_error() -> None:
    """A port already in use is a CrosspostError naming it."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CrosspostError, match=f"127.0.0.1:{port}"):
            bind("127.0.0.1", port)


def test_serve_prints_base_urls_serves_and_stops_on_ctrl_c(isolated: Path) -> None:
    """The served sandbox prints its base URLs, accepts a post, and Ctrl-C exits 0."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CROSSPOST_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "crosspost", "sandbox", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=isolated,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        url = first.split(" at ")[1].split("/ ")[0]
        lines: list[str] = []
        while not lines or not lines[-1].startswith("Ctrl-C"):
            lines.append(process.stdout.readline().strip())
        assert f"CROSSPOST_LINKEDIN__BASE_URL={url}/linkedin" in lines
        assert "CROSSPOST_INSTAGRAM__CARD_BASE_URL=https://cards.sandbox.test/" in lines
        assert any(line.startswith("CROSSPOST_INSTAGRAM__CARD_DIR=/") for line in lines)
        receiver = f"json://{url.removeprefix('http://')}/_sandbox/notify"
        assert f"notification receiver (Apprise URL): {receiver}" in lines
        token = {"Authorization": f"Bearer {SandboxAccounts().linkedin_token}"}
        me = httpx.get(f"{url}/linkedin/v2/userinfo", headers=token, timeout=5)
        assert me.status_code == 200
        values = dict(line.partition("=")[::2] for line in lines if "=" in line)
        state = Path(values["CROSSPOST_STATE_DIR"])
        assert state.is_dir()
        assert state.resolve() != (isolated / "var").resolve()
        assert not (isolated / "var").exists()
        assert values["CROSSPOST_LEDGER_URL"] == f"sqlite:///{state / 'ledger.db'}"
        assert values["CROSSPOST_INSTAGRAM__CARD_DIR"].startswith(str(state))
        assert values["CROSSPOST_YOUTUBE__HANDOFF_DIR"].startswith(str(state))
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "stopped" in out
    assert not state.exists()


@pytest.mark.parametrize("port", ["99999", "-1"])
def test_invalid_port_is_a_usage_error(
    isolated: Path, capsys: pytest.CaptureFixture[str], port: str
) -> None:
    """--port outside 0-65535 exits 2 with a message and a hint, no traceback."""
    assert main(["sandbox", "serve", "--port", port]) == 2
    err = capsys.readouterr().err
    assert f"--port {port} is not a port number" in err
    assert "hint:" in err
    assert "Traceback" not in err
