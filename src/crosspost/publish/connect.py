"""Connecting to the platforms: one HTTP client, the adapters, and where each
platform's requests go (the real API, or the in-process sandbox in a dry run)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx

from crosspost.platforms import registry
from crosspost.platforms.base import Adapter
from crosspost.settings import Settings


@dataclass(frozen=True)
class Connection:
    """The settings the adapters run with, their shared client, the adapters, and
    each platform's endpoint as the ledger records it."""

    settings: Settings
    client: httpx.AsyncClient
    adapters: dict[str, Adapter]
    endpoints: dict[str, str]


def endpoint(settings: Settings, platform: str, *, dry_run: bool) -> str:
    """Where `platform`'s posts go: its API base URL (`sandbox:` first in a dry run);
    YouTube's go to a person, through the hand-off folder."""
    section = registry.section(settings, platform)
    where = getattr(section, "base_url", None) or f"handoff:{platform}"
    where = str(where).rstrip("/").lower()
    return f"sandbox:{where}" if dry_run else where


@asynccontextmanager
async def connect(
    settings: Settings,
    platforms: Sequence[str],
    *,
    dry_run: bool,
    sleep: Callable[[float], object] = asyncio.sleep,
    sandbox_clock: Callable[[], float] | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> AsyncIterator[Connection]:
    """Adapters for `platforms`, sharing one client (the sandbox's in a dry run)."""
    transport: httpx.AsyncBaseTransport | None = None
    run_settings = settings
    if dry_run:
        from crosspost.sandbox.config import SandboxConfig
        from crosspost.sandbox.dryrun import dry_run_settings, make_dry_run_sandbox

        run_settings = dry_run_settings(settings)
        config = SandboxConfig()
        if sandbox_clock is not None:
            config.clock = sandbox_clock
        transport = make_dry_run_sandbox(run_settings, config).transport()
    async with httpx.AsyncClient(
        transport=transport, timeout=settings.http_timeout
    ) as client:
        adapters = registry.build_adapters(
            run_settings, client, platforms, sleep=sleep, on_progress=on_progress
        )
        endpoints = {
            name: endpoint(run_settings, name, dry_run=dry_run) for name in adapters
        }
        yield Connection(run_settings, client, adapters, endpoints)
