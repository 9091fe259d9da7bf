"""Fixtures for the sandbox tests: a fresh sandbox, a client wired to it, images."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import httpx
import pytest
from PIL import Image

from crosspost.sandbox import Sandbox, SandboxConfig, create_sandbox

NOW = 1_790_000_000.0  # a fixed clock: 2026-09-21 UTC


def image_bytes(width: int = 1080, height: int = 1080, fmt: str = "JPEG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (22, 50, 79)).save(buffer, fmt)
    return buffer.getvalue()


class Clock:
    """A settable clock for the sandbox."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def images() -> dict[str, bytes]:
    """Public images the sandbox can fetch, by URL."""
    return {}


@pytest.fixture
def sandbox(clock: Clock, images: dict[str, bytes]) -> Sandbox:
    return create_sandbox(
        SandboxConfig(clock=clock, auth_clock=clock, image_fetcher=images.get)
    )


@pytest.fixture
async def client(sandbox: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=sandbox.transport()) as http:
        yield http
