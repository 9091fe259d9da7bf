"""Fixtures for the notification tests: the sandbox's receiver served on loopback,
and addresses where nothing answers."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import uvicorn

from crosspost.cli.sandbox_cmd import bind
from crosspost.sandbox import Sandbox, create_sandbox


@dataclass
class Receiver:
    """A served sandbox: `host` is 127.0.0.1:port, `sandbox` what it received."""

    host: str
    sandbox: Sandbox

    @property
    def notifications(self) -> list[dict[str, object]]:
        return self.sandbox.notifications


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """The sandbox served by uvicorn on a free loopback port; stopped afterwards."""
    sandbox = create_sandbox()
    listener = bind("127.0.0.1", 0)
    server = uvicorn.Server(
        uvicorn.Config(sandbox.app, log_config=None, access_log=False, lifespan="off")
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield Receiver(f"127.0.0.1:{listener.getsockname()[1]}", sandbox)
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (connections are refused)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port: int = probe.getsockname()[1]
    probe.close()
    return port


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback port that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()
