"""Publishing to a LinkedIn organisation page through the versioned Posts API.

The teaser's text is already in little text format (escaped) and is sent as it is.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

import httpx

from crosspost.platforms import listing
from crosspost.platforms.base import AccountCheck, Receipt
from crosspost.platforms.errors import (
    AuthError,
    Duplicate,
    OutcomeUnknown,
    PublishError,
    RateLimited,
    Rejected,
    Transient,
)
from crosspost.platforms.http import RetryPolicy, call, server_error
from crosspost.settings import LinkedInSettings
from crosspost.teasers.model import Card, Teaser
from crosspost.teasers.rules import unescape_little_text

POSTS = "/rest/posts"
IMAGES_INIT = "/rest/images?action=initializeUpload"
ORGANIZATION = "/rest/organizations/{id}"
PAGE_SIZE = 20
DEFAULT_POLICY = RetryPolicy()
TOKEN_HINT = "set CROSSPOST_LINKEDIN__ACCESS_TOKEN in the environment or .env"
DUPLICATE_OF = re.compile(r"duplicate of (urn:li:(?:share|ugcPost):[0-9A-Za-z_-]+)")


def post_url(urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/{urn}/"


def error_message(response: httpx.Response) -> str:
    """The `message` of a LinkedIn error body, or the start of the body."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return str(body["message"])
    return response.text[:200].strip() or response.reason_phrase


def classify(response: httpx.Response) -> PublishError | None:
    """Map a LinkedIn answer to the typed error it means, or None when it succeeded."""
    status = response.status_code
    if status < 400:
        return None
    if status >= 500:
        return server_error(response, "linkedin")
    detail = error_message(response)
    message = f"LinkedIn answered HTTP {status}: {detail}"
    if status == 401:
        return AuthError(
            f"{message}; the access token was refused ({TOKEN_HINT})", status=status
        )
    if status == 403:
        return AuthError(
            f"{message}; the token lacks a permission (w_organization_social) or its "
            "member is not an administrator of the organisation",
            status=status,
        )
    if status == 426:
        version = response.request.headers.get("LinkedIn-Version", "")
        return Rejected(
            f"LinkedIn-Version {version} is sunset (HTTP 426); set linkedin.version in "
            "config/crosspost.toml to a current YYYYMM",
            status=status,
        )
    if status == 429:
        # No reset header, but LinkedIn's limits are daily (reset 00:00 UTC): retrying
        # in-run is pointless, so retry_at tells the caller to wait for the reset.
        now = datetime.now(UTC)
        midnight = datetime.combine(now.date() + timedelta(days=1), time(), tzinfo=UTC)
        return RateLimited(
            f"{message}; LinkedIn's daily limit resets at 00:00 UTC",
            status=status,
            retry_at=midnight,
        )
    existing = DUPLICATE_OF.search(detail) if status == 422 else None
    if existing:
        urn = existing.group(1)
        return Duplicate(
            message, status=status, existing_id=urn, existing_url=post_url(urn)
        )
    return Rejected(message, status=status)


class LinkedInAdapter:
    """Publishes teasers as posts of one LinkedIn organisation page."""

    name = "linkedin"

    def __init__(
        self,
        config: LinkedInSettings,
        client: httpx.AsyncClient,
        *,
        policy: RetryPolicy = DEFAULT_POLICY,
        sleep: Callable[[float], object] = asyncio.sleep,
    ) -> None:
        self.config = config
        self._client = client
        self._policy = policy
        self._sleep = sleep
        self._base = config.base_url.rstrip("/")

    @property
    def author(self) -> str:
        return f"urn:li:organization:{self.config.organization_id}"

    async def publish(self, teaser: Teaser) -> Receipt:
        """Create the post; a duplicate answer names the live post: return that."""
        if len(teaser.parts) != 1:
            raise Rejected(
                f"LinkedIn has no threads; this teaser has {len(teaser.parts)} parts",
                platform=self.name,
            )
        self._require_account()
        body: dict[str, Any] = {
            "author": self.author,
            "commentary": teaser.text,
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if teaser.card is not None:
            image = await self._upload(teaser.card)
            body["content"] = {"media": {"id": image, "altText": teaser.card.alt_text}}
        elif teaser.link:
            body["content"] = {
                "article": {"source": teaser.link, "title": teaser.summary_title}
            }
        try:
            response = await self._call("POST", self._base + POSTS, json=body)
        except Duplicate as exc:
            if exc.existing_id is None:
                raise
            return Receipt(
                platform=self.name, post_id=exc.existing_id, url=exc.existing_url
            )
        urn = response.headers.get("x-restli-id", "").strip()
        if not urn:
            raise OutcomeUnknown(
                f"LinkedIn accepted the post (HTTP {response.status_code}) but named "
                "no post in x-restli-id; check the page before posting again",
                platform=self.name,
                status=response.status_code,
            )
        return Receipt(platform=self.name, post_id=urn, url=post_url(urn))

    async def find(self, teaser: Teaser, *, since: datetime) -> Receipt | None:
        """The teaser's post among the organisation's posts since `since`, or None.

        Commentary is compared with its little-text escapes undone (LinkedIn may list
        it escaped, as sent, or as shown)."""
        self._require_account()

        async def page(start: int) -> httpx.Response:
            params = {"author": self.author, "q": "author", "count": str(PAGE_SIZE)}
            params["start"] = str(start)
            return await self._call("GET", self._base + POSTS, params=params)

        posts = await listing.restli_posts(page, PAGE_SIZE, since)
        sent = unescape_little_text(teaser.text)
        found = listing.first_match(reversed(posts), sent, since=since)
        if found is None:
            return None
        return Receipt(platform=self.name, post_id=found.id, url=post_url(found.id))

    async def check(self) -> AccountCheck:
        """The organisation the token posts as, from GET /rest/organizations/{id}."""
        try:
            self._require_account()
            path = ORGANIZATION.format(id=self.config.organization_id)
            response = await self._call("GET", self._base + path)
        except PublishError as exc:
            return AccountCheck(platform=self.name, ok=False, detail=exc.message)
        try:
            data = response.json()
            name = data.get("localizedName") or data.get("vanityName") or ""
        except (ValueError, AttributeError):
            name = ""
        account = f"{name} ({self.author})" if name else self.author
        return AccountCheck(
            platform=self.name,
            ok=True,
            account=account,
            detail=f"LinkedIn-Version {self.config.version}",
        )

    def _require_account(self) -> None:
        if (
            self.config.access_token is None
            or not self.config.access_token.get_secret_value()
        ):
            raise AuthError(
                f"no LinkedIn access token is set; {TOKEN_HINT}", platform=self.name
            )
        if not self.config.organization_id.strip():
            raise AuthError(
                "no LinkedIn organisation is set; set linkedin.organization_id in "
                "config/crosspost.toml (or CROSSPOST_LINKEDIN__ORGANIZATION_ID)",
                platform=self.name,
            )

    async def _upload(self, card: Card) -> str:
        """Register and upload the card; nothing is public yet, so a lost answer is
        only Transient."""
        request = {"initializeUploadRequest": {"owner": self.author}}
        try:
            response = await self._call("POST", self._base + IMAGES_INIT, json=request)
            try:
                value = response.json()["value"]
                upload_url, image = str(value["uploadUrl"]), str(value["image"])
            except (ValueError, KeyError, TypeError):
                raise Transient(
                    "LinkedIn answered the image upload request without an upload URL; "
                    "nothing was posted",
                    platform=self.name,
                    status=response.status_code,
                ) from None
            await self._call(
                "PUT",
                upload_url,
                content=card.data,
                headers={"Content-Type": card.media_type},
                versioned=False,
            )
        except OutcomeUnknown as exc:
            raise Transient(
                f"{exc.message} while uploading the card; nothing was posted",
                platform=self.name,
                status=exc.status,
            ) from None
        return image

    async def _call(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        versioned: bool = True,
        **kwargs: Any,
    ) -> httpx.Response:
        token = (
            self.config.access_token.get_secret_value()
            if self.config.access_token
            else ""
        )
        sent = {"Authorization": f"Bearer {token}"}
        if versioned:
            sent["LinkedIn-Version"] = self.config.version
            sent["X-Restli-Protocol-Version"] = "2.0.0"
        return await call(
            self._client,
            method,
            url,
            platform=self.name,
            classify=classify,
            policy=self._policy,
            secrets=[token],
            sleep=self._sleep,
            headers=sent | (headers or {}),
            **kwargs,
        )
