"""Settings and a sandbox for a dry run: the sandbox's own accounts, cards served."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

from pydantic import SecretStr

from crosspost.sandbox.app import Sandbox, create_sandbox
from crosspost.sandbox.config import ImageFetcher, SandboxAccounts, SandboxConfig
from crosspost.sandbox.notify import receiver_url
from crosspost.settings import Settings

CARD_BASE_URL = "https://cards.sandbox.test/"
DRY_RUN_POLL_INTERVAL = 0.05


def dry_run_card_dir(settings: Settings) -> Path:
    return settings.state_dir / "dry-run-cards"


def dry_run_token_file(settings: Settings) -> Path:
    return settings.state_dir / "dry-run-x-oauth2-tokens.json"


def dry_run_settings(settings: Settings, *, base_url: str | None = None) -> Settings:
    """A copy of `settings` whose accounts are the sandbox's own; with `base_url` (a
    served sandbox), each platform's base_url points at its prefix there.

    Notifications never reach the team's URLs: they go to the served sandbox's
    receiver, or nowhere in process (Apprise cannot use an in-process transport).
    """
    a = SandboxAccounts()
    root = base_url.rstrip("/") if base_url else None
    state = settings.state_dir
    x = settings.x.model_copy(
        update={
            "base_url": f"{root}/x" if root else "https://api.x.com",
            "username": a.x_username,
            "consumer_key": SecretStr(a.x_consumer_key),
            "consumer_secret": SecretStr(a.x_consumer_secret),
            "access_token": SecretStr(a.x_access_token),
            "access_token_secret": SecretStr(a.x_access_token_secret),
            "client_id": a.x_client_id,
            "client_secret": SecretStr(a.x_client_secret),
            "oauth2_access_token": SecretStr(a.x_oauth2_access_token),
            "oauth2_refresh_token": SecretStr(a.x_oauth2_refresh_token),
            "token_file": dry_run_token_file(settings),
        }
    )
    graph = f"{root}/facebook" if root else "https://graph.facebook.com"
    facebook = settings.facebook.model_copy(
        update={
            "base_url": graph,
            "page_id": a.facebook_page_id,
            "page_access_token": SecretStr(a.facebook_page_token),
        }
    )
    instagram = settings.instagram.model_copy(
        update={
            "base_url": graph,
            "user_id": a.instagram_user_id,
            "access_token": SecretStr(a.instagram_token),
            "card_base_url": CARD_BASE_URL,
            "card_dir": dry_run_card_dir(settings),
            "poll_interval": DRY_RUN_POLL_INTERVAL,
        }
    )
    linkedin = settings.linkedin.model_copy(
        update={
            "base_url": f"{root}/linkedin" if root else "https://api.linkedin.com",
            "organization_id": a.linkedin_organization_id,
            "access_token": SecretStr(a.linkedin_token),
        }
    )
    youtube = settings.youtube.model_copy(
        update={
            "channel_id": "UCsandboxMSResearch0000",
            "handoff_dir": state / "dry-run-handoff",
        }
    )
    notify = settings.notify.model_copy(
        update={"urls": [receiver_url(root)] if root else []}
    )
    return settings.model_copy(
        update={
            "x": x,
            "facebook": facebook,
            "instagram": instagram,
            "linkedin": linkedin,
            "youtube": youtube,
            "notify": notify,
        }
    )


def card_fetcher(card_dir: Path, base_url: str = CARD_BASE_URL) -> ImageFetcher:
    """An image fetcher serving the files in `card_dir` at `base_url`, nothing else."""
    root = card_dir.resolve()

    def fetch(url: str) -> bytes | None:
        if not url.startswith(base_url):
            return None
        name = unquote(url[len(base_url) :].split("?", 1)[0])
        path = (root / name).resolve()
        if root not in path.parents:
            return None
        try:
            return path.read_bytes()
        except OSError:
            return None

    return fetch


def make_dry_run_sandbox(
    settings: Settings, config: SandboxConfig | None = None
) -> Sandbox:
    """A sandbox for `settings` in a dry run: it serves the dry-run cards to Instagram.

    The dry-run X token file is removed: a new sandbox knows only its first token pair.
    """
    config = replace(
        config or SandboxConfig(),
        image_fetcher=card_fetcher(dry_run_card_dir(settings)),
    )
    dry_run_token_file(settings).unlink(missing_ok=True)
    return create_sandbox(config)
