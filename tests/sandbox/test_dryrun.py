"""Dry-run settings and sandbox: the sandbox's accounts, cards served from a folder."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from crosspost.sandbox import SandboxAccounts
from crosspost.sandbox.dryrun import (
    CARD_BASE_URL,
    card_fetcher,
    dry_run_settings,
    make_dry_run_sandbox,
)
from crosspost.settings import NotifySettings, Settings

from .conftest import image_bytes

A = SandboxAccounts()


def real_settings(tmp_path: Path) -> Settings:
    return Settings(
        state_dir=tmp_path / "var",
        x={"access_token": SecretStr("real-x-token"), "username": "realaccount"},
        linkedin={"organization_id": "555", "version": "202605"},
    )


def test_dry_run_settings_use_the_sandbox_accounts(tmp_path: Path) -> None:
    """Every credential and id is the sandbox's own; real values are gone."""
    dry = dry_run_settings(real_settings(tmp_path))
    assert dry.x.access_token is not None
    assert dry.x.access_token.get_secret_value() == A.x_access_token
    assert dry.x.username == A.x_username
    assert dry.x.token_file == tmp_path / "var" / "dry-run-x-oauth2-tokens.json"
    assert dry.facebook.page_id == A.facebook_page_id
    assert dry.instagram.user_id == A.instagram_user_id
    assert dry.instagram.card_base_url == CARD_BASE_URL
    assert dry.instagram.card_dir == tmp_path / "var" / "dry-run-cards"
    assert dry.linkedin.organization_id == A.linkedin_organization_id
    assert dry.linkedin.version == "202605"
    assert dry.x.base_url == "https://api.x.com"


def test_served_base_url_points_each_platform_at_its_prefix(tmp_path: Path) -> None:
    """With base_url, X, Graph (Facebook, Instagram) and LinkedIn use their prefixes."""
    dry = dry_run_settings(real_settings(tmp_path), base_url="http://127.0.0.1:8765/")
    assert dry.x.base_url == "http://127.0.0.1:8765/x"
    assert dry.facebook.base_url == "http://127.0.0.1:8765/facebook"
    assert dry.instagram.base_url == "http://127.0.0.1:8765/facebook"
    assert dry.linkedin.base_url == "http://127.0.0.1:8765/linkedin"
    assert dry.notify.urls == ["json://127.0.0.1:8765/_sandbox/notify"]


def test_dry_runs_never_notify_the_team(tmp_path: Path) -> None:
    """In process, a dry run notifies nobody; served, only the sandbox's receiver."""
    real = real_settings(tmp_path).model_copy(
        update={"notify": NotifySettings(urls=["mailto://team.example.org"])}
    )
    assert dry_run_settings(real).notify.urls == []
    served = dry_run_settings(real, base_url="https://127.0.0.1:9/")
    assert served.notify.urls == ["jsons://127.0.0.1:9/_sandbox/notify"]


def test_card_fetcher_serves_only_the_card_folder(tmp_path: Path) -> None:
    """Files under the card base URL are served; other URLs and escapes are not."""
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "a.jpg").write_bytes(b"jpeg")
    (tmp_path / "secret.txt").write_text("no")
    fetch = card_fetcher(tmp_path / "cards")
    assert fetch(CARD_BASE_URL + "a.jpg") == b"jpeg"
    assert fetch(CARD_BASE_URL + "missing.jpg") is None
    assert fetch(CARD_BASE_URL + "../secret.txt") is None
    assert fetch("https://elsewhere.example/a.jpg") is None


@pytest.mark.anyio
async def test_dry_run_sandbox_publishes_a_card_to_instagram(tmp_path: Path) -> None:
    """A card written to the dry-run card folder is fetched by the fake Instagram."""
    dry = dry_run_settings(real_settings(tmp_path))
    dry.instagram.card_dir.mkdir(parents=True)
    (dry.instagram.card_dir / "s1.jpg").write_bytes(image_bytes(1080, 1080))
    dry.x.token_file.write_text("{}")
    sandbox = make_dry_run_sandbox(dry)
    assert not dry.x.token_file.exists()
    sandbox.config.instagram_polls_in_progress = 0
    token = dry.instagram.access_token
    assert token is not None
    graph = f"{dry.instagram.base_url}/{dry.instagram.api_version}"
    form = {
        "image_url": dry.instagram.card_base_url + "s1.jpg",
        "caption": "Dry run",
        "access_token": token.get_secret_value(),
    }
    async with httpx.AsyncClient(transport=sandbox.transport()) as client:
        created = await client.post(f"{graph}/{dry.instagram.user_id}/media", data=form)
        container = created.json()["id"]
        params = {"fields": "status_code", "access_token": form["access_token"]}
        await client.get(f"{graph}/{container}", params=params)
        published = await client.post(
            f"{graph}/{dry.instagram.user_id}/media_publish",
            data={"creation_id": container, "access_token": form["access_token"]},
        )
    assert published.status_code == 200
    assert sandbox.posts[0].text == "Dry run"
