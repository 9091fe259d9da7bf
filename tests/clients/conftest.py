"""The served sandbox for the platforms' own clients: started as `crosspost sandbox
serve` runs it, on 127.0.0.1 port 0, and stopped after each test.

A client whose host is a setting (xdk's `base_url`, facebook-business's `GRAPH`) is
pointed at the sandbox's prefix. A client that hard-codes its host (tweepy:
https://api.twitter.com; linkedin-api-client: https://api.linkedin.com) keeps it:
its requests session sends that host to the sandbox, as a hosts-file entry would,
with the host and scheme it addressed (the sandbox then routes by Host, and an
OAuth 1.0a signature over the real URL still verifies).
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from PIL import Image

from crosspost.cli.sandbox_cmd import bind, sandbox_server
from crosspost.sandbox import Sandbox, SandboxAccounts, SandboxConfig
from crosspost.sandbox.dryrun import (
    CARD_BASE_URL,
    dry_run_card_dir,
    make_dry_run_sandbox,
)
from crosspost.settings import Settings

ACCOUNTS = SandboxAccounts()


class Clock:
    """The served sandbox's clock: real time unless a test sets it."""

    def __init__(self) -> None:
        self.fixed: float | None = None

    def __call__(self) -> float:
        return time.time() if self.fixed is None else self.fixed


@dataclass
class Served:
    url: str
    sandbox: Sandbox
    card_dir: Path
    clock: Clock

    def card(self, name: str, width: int, height: int, fmt: str = "JPEG") -> str:
        """Write an image Instagram can "fetch"; its public URL."""
        buffer = io.BytesIO()
        Image.new("RGB", (width, height), (22, 50, 79)).save(buffer, fmt)
        self.card_dir.mkdir(parents=True, exist_ok=True)
        (self.card_dir / name).write_bytes(buffer.getvalue())
        return CARD_BASE_URL + name


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """The sandbox behind a real loopback socket, as `crosspost sandbox serve` runs
    it; stopped after the test."""
    settings = Settings(_env_file=None, state_dir=tmp_path)  # type: ignore[call-arg]
    clock = Clock()
    sandbox = make_dry_run_sandbox(
        settings, SandboxConfig(clock=clock, auth_clock=clock)
    )
    listener = bind("127.0.0.1", 0)
    server = sandbox_server(sandbox)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]})
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        port = listener.getsockname()[1]
        yield Served(
            f"http://127.0.0.1:{port}", sandbox, dry_run_card_dir(settings), clock
        )
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()


class ToSandbox(requests.adapters.HTTPAdapter):
    """Sends a request for a real API host to the served sandbox instead."""

    def __init__(self, origin: str) -> None:
        super().__init__()
        self.origin = origin

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> Any:
        assert request.url is not None
        parts = urlsplit(request.url)
        request.headers["Host"] = parts.netloc
        request.headers["X-Forwarded-Proto"] = parts.scheme
        request.url = self.origin + request.url.split(parts.netloc, 1)[1]
        return super().send(request, **kwargs)


def route_to(session: requests.Session, host: str, served: Served) -> None:
    """Make `session` send every request for https://`host` to the sandbox."""
    session.mount(f"https://{host}/", ToSandbox(served.url))
