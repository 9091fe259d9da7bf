"""The five platforms, named explicitly: each one's adapter and settings."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpx
from pydantic import BaseModel

from crosspost.errors import ConfigError, UsageError
from crosspost.platforms.base import Adapter
from crosspost.platforms.http import RetryPolicy
from crosspost.settings import ENV_PREFIX, Settings


@dataclass(frozen=True)
class PlatformEntry:
    """Where a platform's adapter lives, its settings section, and what it needs.

    `needs` lists alternatives: the platform is configured when every field of at least
    one alternative is set (X takes OAuth 1.0a user tokens or an OAuth 2.0 token).
    `reports_progress`: the adapter takes `on_progress` (lines while it waits).
    """

    name: str
    adapter: str  # "module:Class", imported only when the platform is used
    section: str
    needs: tuple[tuple[str, ...], ...] = ()
    reports_progress: bool = False


REGISTRY: dict[str, PlatformEntry] = {
    "x": PlatformEntry(
        "x",
        "crosspost.platforms.x:XAdapter",
        "x",
        (
            ("consumer_key", "consumer_secret", "access_token", "access_token_secret"),
            ("client_id", "oauth2_refresh_token"),
            ("oauth2_access_token",),
        ),
    ),
    "facebook": PlatformEntry(
        "facebook",
        "crosspost.platforms.facebook:FacebookAdapter",
        "facebook",
        (("page_id", "page_access_token"),),
    ),
    "instagram": PlatformEntry(
        "instagram",
        "crosspost.platforms.instagram:InstagramAdapter",
        "instagram",
        (("user_id", "access_token", "card_base_url"),),
        reports_progress=True,
    ),
    "linkedin": PlatformEntry(
        "linkedin",
        "crosspost.platforms.linkedin:LinkedInAdapter",
        "linkedin",
        (("organization_id", "access_token"),),
    ),
    "youtube": PlatformEntry(
        "youtube", "crosspost.platforms.youtube:YouTubeAdapter", "youtube"
    ),
}


def entry(name: str) -> PlatformEntry:
    """The registry entry for `name`; an unknown name is a usage error."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise UsageError(
            f"unknown platform {name!r}", hint=f"choose from {', '.join(REGISTRY)}"
        ) from None


def section(settings: Settings, name: str) -> BaseModel:
    """The settings section an adapter is built with (e.g. `settings.linkedin`)."""
    value: BaseModel = getattr(settings, entry(name).section)
    return value


def enabled(settings: Settings, name: str) -> bool:
    return bool(getattr(section(settings, name), "enabled", True))


def missing_settings(settings: Settings, name: str) -> list[str]:
    """Environment variables to set before `name` can publish (none when configured)."""
    options = missing_alternatives(settings, name)
    return options[0] if options else []


def missing_alternatives(settings: Settings, name: str) -> list[list[str]]:
    """Each way of configuring `name` (X: OAuth 1.0a or OAuth 2.0), as the variables
    still unset for it, fewest first; empty when `name` is configured."""
    config = section(settings, name)
    prefix = f"{ENV_PREFIX}{entry(name).section.upper()}__"
    options = [
        [prefix + field.upper() for field in option if not getattr(config, field, None)]
        for option in entry(name).needs
    ]
    if not all(options):
        return []
    return sorted(options, key=len)


def adapter_class(name: str) -> Callable[..., Adapter]:
    module_name, _, class_name = entry(name).adapter.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        raise ConfigError(
            f"the {name} adapter is not available in this crosspost build",
            hint=f"leave {name} out of --platforms",
        ) from None
    cls: Callable[..., Adapter] = getattr(module, class_name)
    return cls


def build_adapters(
    settings: Settings,
    client: httpx.AsyncClient,
    platforms: Iterable[str],
    *,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], object] = asyncio.sleep,
    on_progress: Callable[[str], None] | None = None,
) -> dict[str, Adapter]:
    """One adapter per named platform, sharing `client`; every name is checked first.

    `on_progress` gets one line at a time from adapters that wait a long time
    (Instagram's container processing), for a progress display."""
    names = list(dict.fromkeys(platforms))
    for name in names:
        entry(name)
    options: dict[str, Any] = {"sleep": sleep}
    if policy is not None:
        options["policy"] = policy
    adapters: dict[str, Adapter] = {}
    for name in names:
        extra = {"on_progress": on_progress} if entry(name).reports_progress else {}
        adapters[name] = adapter_class(name)(
            section(settings, name), client, **options, **extra
        )
    return adapters
