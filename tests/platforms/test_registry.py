"""Tests for the platform registry: the explicit mapping and building adapters."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from crosspost.errors import UsageError
from crosspost.platforms import registry
from crosspost.settings import Settings
from crosspost.teasers.model import PLATFORMS

pytestmark = pytest.mark.anyio


@pytest.fixture(autouse=True)
def _no_local_config(isolated: Path) -> None:
    """Settings are built in an empty folder, away from any real config or secret."""


def no_network(request: httpx.Request) -> httpx.Response:
    raise AssertionError("no request may leave while building adapters")


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_registry_names_exactly_the_five_platforms() -> None:
    """Every platform has an entry, and nothing else does."""
    assert tuple(registry.REGISTRY) == PLATFORMS


async def test_build_adapters_builds_each_requested_platform() -> None:
    """Each requested platform gets its own adapter, named after it."""
    async with httpx.AsyncClient(transport=httpx.MockTransport(no_network)) as client:
        adapters = registry.build_adapters(
            settings(), client, ["youtube", "x", "youtube"]
        )
    assert list(adapters) == ["youtube", "x"]
    assert all(adapter.name == name for name, adapter in adapters.items())


async def test_all_five_adapters_can_be_built() -> None:
    """The whole registry resolves to adapter classes without any request."""
    async with httpx.AsyncClient(transport=httpx.MockTransport(no_network)) as client:
        adapters = registry.build_adapters(settings(), client, PLATFORMS)
    assert sorted(adapters) == sorted(PLATFORMS)


async def test_progress_reaches_the_adapters_that_wait() -> None:
    """on_progress goes to Instagram, the adapter that waits for minutes; the others
    are built as before."""
    lines: list[str] = []
    async with httpx.AsyncClient(transport=httpx.MockTransport(no_network)) as client:
        adapters = registry.build_adapters(
            settings(), client, PLATFORMS, on_progress=lines.append
        )
    assert getattr(adapters["instagram"], "on_progress", None) == lines.append
    assert not hasattr(adapters["x"], "on_progress")


async def test_unknown_name_is_refused_before_anything_is_built() -> None:
    """An unknown platform is a usage error, even after known ones."""
    async with httpx.AsyncClient(transport=httpx.MockTransport(no_network)) as client:
        with pytest.raises(UsageError, match="unknown platform 'mastodon'"):
            registry.build_adapters(settings(), client, ["x", "mastodon"])


def test_missing_settings_name_the_environment_variables() -> None:
    """An unconfigured platform lists the variables to set; a configured one none."""
    bare = settings()
    assert registry.missing_settings(bare, "linkedin") == [
        "CROSSPOST_LINKEDIN__ORGANIZATION_ID",
        "CROSSPOST_LINKEDIN__ACCESS_TOKEN",
    ]
    configured = settings(
        linkedin={"organization_id": "123", "access_token": SecretStr("token-abc")}
    )
    assert registry.missing_settings(configured, "linkedin") == []
    assert registry.missing_settings(bare, "youtube") == []


def test_x_accepts_either_oauth_flavour() -> None:
    """X is configured by an OAuth 2.0 access token alone or by the OAuth 1.0a four."""
    oauth2 = settings(x={"oauth2_access_token": SecretStr("bearer-value")})
    assert registry.missing_settings(oauth2, "x") == []
    oauth1 = settings(
        x={
            "consumer_key": SecretStr("ck-value"),
            "consumer_secret": SecretStr("cs-value"),
            "access_token": SecretStr("at-value"),
        }
    )
    assert registry.missing_settings(oauth1, "x") == [
        "CROSSPOST_X__ACCESS_TOKEN_SECRET"
    ]


def test_enabled_follows_the_settings() -> None:
    """A platform switched off in the settings reports itself disabled."""
    assert registry.enabled(settings(), "facebook")
    assert not registry.enabled(settings(facebook={"enabled": False}), "facebook")


def test_missing_alternatives_name_every_way_to_configure_x() -> None:
    """X can be set up with OAuth 1.0a or OAuth 2.0; both ways are named."""
    options = registry.missing_alternatives(settings(), "x")
    flat = [name for option in options for name in option]
    assert "CROSSPOST_X__CONSUMER_KEY" in flat
    assert "CROSSPOST_X__OAUTH2_ACCESS_TOKEN" in flat
    assert len(options) >= 2
    configured = settings(x={"oauth2_access_token": SecretStr("token-abc")})
    assert registry.missing_alternatives(configured, "x") == []
