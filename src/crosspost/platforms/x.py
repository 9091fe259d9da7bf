"""Publishing to X (API v2): a post, a self-reply thread, an image card with alt text.

Read only `data.id` from answers: ids are strings of up to 19 digits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from crosspost.platforms import x_find
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
from crosspost.platforms.http import RetryPolicy, call, pause, server_error
from crosspost.platforms.x_auth import CREDENTIALS_HINT, XAuth
from crosspost.settings import XSettings
from crosspost.teasers.model import Card, Teaser

TWEETS = "/2/tweets"
MEDIA_UPLOAD = "/2/media/upload"
MEDIA_METADATA = "/2/media/metadata"
MAX_ALT_TEXT = 1000
MAX_IMAGE_BYTES = 5 * 1024 * 1024
REPLY_SETTLE_SECONDS = 2.0
DEFAULT_POLICY = RetryPolicy()


def problem_detail(response: httpx.Response) -> str:
    """The platform's own words from a v2 problem or v1.1-style error body."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        for key in ("detail", "title"):
            if isinstance(body.get(key), str) and body[key]:
                return str(body[key])
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            return str(errors[0].get("message") or errors[0].get("detail") or "")
    return response.text[:200].strip() or response.reason_phrase


def rate_limit_reset(response: httpx.Response) -> datetime | None:
    """When the rate-limit window ends, from `x-rate-limit-reset` (epoch seconds)."""
    try:
        return datetime.fromtimestamp(int(response.headers["x-rate-limit-reset"]), UTC)
    except (KeyError, ValueError, OverflowError, OSError):
        return None


def classify(response: httpx.Response) -> PublishError | None:
    """Map an X answer to the typed error it means, or None when it succeeded."""
    status = response.status_code
    if status < 400:
        return None
    if status >= 500:
        return server_error(response, "x")
    detail = problem_detail(response)
    message = f"X answered HTTP {status}: {detail}"
    if status == 401:
        return AuthError(
            f"{message}; the credentials were refused ({CREDENTIALS_HINT})",
            status=status,
        )
    if status == 429:
        return RateLimited(message, status=status, retry_at=rate_limit_reset(response))
    if status == 403 and "duplicate" in detail.lower():
        return Duplicate(message, status=status)
    if status == 403 and _lacks_permission(response, detail):
        return AuthError(
            f"{message}; the app or token lacks a permission: it needs Read and Write "
            "(OAuth 1.0a) or the scopes tweet.write users.read media.write "
            "offline.access (OAuth 2.0)",
            status=status,
        )
    return Rejected(message, status=status)


_PERMISSION_PROBLEMS = ("client-forbidden", "not-authorized-for-resource")
_PERMISSION_WORDS = ("not permitted", "permission", "scope", "oauth1-permissions")


def _lacks_permission(response: httpx.Response, detail: str) -> bool:
    """A 403 about the app's access level or the token's scopes, not about the post."""
    try:
        kind = str(response.json().get("type", ""))
    except (ValueError, AttributeError):
        kind = ""
    lowered = detail.lower()
    return kind.endswith(_PERMISSION_PROBLEMS) or any(
        word in lowered for word in _PERMISSION_WORDS
    )


def _data_id(response: httpx.Response) -> str | None:
    try:
        value = response.json()["data"]["id"]
    except (ValueError, KeyError, TypeError):
        return None
    return str(value) if isinstance(value, str | int) and str(value) else None


class XAdapter:
    """Publishes teasers to one X account; a thread is a chain of self-replies."""

    name = "x"

    def __init__(
        self,
        config: XSettings,
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
        self.auth = XAuth(config, client, policy=policy, sleep=sleep)
        self._user_id: str | None = None

    def post_url(self, post_id: str) -> str:
        username = self.config.username.lstrip("@")
        if username:
            return f"https://x.com/{username}/status/{post_id}"
        return f"https://x.com/i/web/status/{post_id}"

    def _receipt(self, ids: list[str]) -> Receipt:
        """A receipt naming every part by id and URL, in order."""
        urls = tuple(self.post_url(post_id) for post_id in ids)
        return Receipt(
            platform=self.name,
            post_id=ids[0],
            url=urls[0],
            part_ids=tuple(ids),
            part_urls=urls,
        )

    async def publish(self, teaser: Teaser) -> Receipt:
        """Post every part in order; a failure after part 1 names the live parts."""
        media_id = await self._upload(teaser.card) if teaser.card else None
        ids: list[str] = []
        for index, part in enumerate(teaser.parts):
            body: dict[str, Any] = {"text": part.text}
            if index == 0 and media_id is not None:
                body["media"] = {"media_ids": [media_id]}
            if ids:
                body["reply"] = {"in_reply_to_tweet_id": ids[-1]}
            try:
                ids.append(await self._create(body))
            except PublishError as exc:
                if ids:
                    self._mark_partial(exc, ids, len(teaser.parts))
                raise
        return self._receipt(ids)

    async def find(self, teaser: Teaser, *, since: datetime) -> Receipt | None:
        """The teaser's post(s) among the account's posts since `since`, or None; for
        a thread, the receipt names the parts found, in order, from part 1."""
        if self._user_id is None:
            self._user_id = await x_find.account_id(self._send)
        listed = await x_find.recent_posts(self._send, self._user_id, since)
        ids = x_find.match_parts(teaser, listed, since)
        if not ids:
            return None
        return self._receipt(ids)

    async def check(self) -> AccountCheck:
        """Who the credentials belong to, from GET /2/users/me."""
        try:
            response = await self._send("GET", x_find.USERS_ME)
        except PublishError as exc:
            return AccountCheck(platform=self.name, ok=False, detail=exc.message)
        try:
            username = str(response.json()["data"]["username"])
        except (ValueError, KeyError, TypeError):
            detail = "X answered /2/users/me without a username"
            return AccountCheck(platform=self.name, ok=False, detail=detail)
        method = "OAuth 2.0 user token" if self.auth.refreshable else "OAuth 1.0a user"
        configured = self.config.username.lstrip("@")
        if configured and configured.lower() != username.lower():
            return AccountCheck(
                platform=self.name,
                ok=False,
                account=f"@{username}",
                detail=f"the credentials belong to @{username}, but x.username is "
                f"@{configured}, so post links would be wrong: fix x.username",
            )
        return AccountCheck(
            platform=self.name,
            ok=True,
            account=f"@{username}",
            expires_at=self.auth.expires_at,
            detail=method,
        )

    async def _create(self, body: dict[str, Any]) -> str:
        try:
            response = await self._send("POST", TWEETS, json=body)
        except Rejected as exc:
            # A reply sent right after its parent can be refused as "deleted or not
            # visible" until the parent propagates; a 403 posted nothing: wait, retry.
            if "reply" not in body or "not visible" not in exc.message:
                raise
            await pause(self._sleep, REPLY_SETTLE_SECONDS)
            response = await self._send("POST", TWEETS, json=body)
        post_id = _data_id(response)
        if post_id is None:
            raise OutcomeUnknown(
                f"X accepted a post (HTTP {response.status_code}) but its answer had "
                "no post id; check the account before posting again",
                platform=self.name,
                status=response.status_code,
            )
        return post_id

    async def _upload(self, card: Card) -> str:
        """Upload the card and its alt text; nothing is public yet, so a lost answer is
        only Transient."""
        if len(card.alt_text) > MAX_ALT_TEXT:
            raise Rejected(
                f"the card's alt text is {len(card.alt_text)} characters; X allows "
                f"{MAX_ALT_TEXT}",
                platform=self.name,
            )
        if len(card.data) > MAX_IMAGE_BYTES:
            raise Rejected(
                f"the card is {len(card.data)} bytes; X allows {MAX_IMAGE_BYTES}",
                platform=self.name,
            )
        extension = "jpg" if card.format == "JPEG" else "png"
        try:
            response = await self._send(
                "POST",
                MEDIA_UPLOAD,
                files={"media": (f"card.{extension}", card.data, card.media_type)},
                data={"media_category": "tweet_image", "media_type": card.media_type},
            )
            media_id = _data_id(response)
            if media_id is None:
                raise Transient(
                    "X answered the image upload without a media id; "
                    "nothing was posted",
                    platform=self.name,
                    status=response.status_code,
                )
            metadata = {
                "id": media_id,
                "metadata": {"alt_text": {"text": card.alt_text}},
            }
            await self._send("POST", MEDIA_METADATA, json=metadata)
        except OutcomeUnknown as exc:
            raise Transient(
                f"{exc.message} while uploading the card; nothing was posted",
                platform=self.name,
                status=exc.status,
            ) from None
        return media_id

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One authorised call; an OAuth 2.0 token refused (401) is refreshed once."""
        options = await self.auth.request_options()
        used = self.auth.bearer()
        try:
            return await self._call(method, path, options, kwargs)
        except AuthError as exc:
            if exc.status != 401 or not self.auth.refreshable:
                raise
        await self.auth.refresh(used)
        return await self._call(method, path, await self.auth.request_options(), kwargs)

    async def _call(
        self, method: str, path: str, options: dict[str, Any], kwargs: dict[str, Any]
    ) -> httpx.Response:
        return await call(
            self._client,
            method,
            self._base + path,
            platform=self.name,
            classify=classify,
            policy=self._policy,
            secrets=self.auth.secrets(),
            sleep=self._sleep,
            **options,
            **kwargs,
        )

    def _mark_partial(self, exc: PublishError, ids: list[str], total: int) -> None:
        exc.live_part_ids = tuple(ids)
        exc.live_part_urls = tuple(self.post_url(post_id) for post_id in ids)
        live = "part 1" if len(ids) == 1 else f"parts 1–{len(ids)}"
        failed = f"part {len(ids) + 1} of {total} failed"
        exc.message = f"{exc.message} (thread: {live} live, {failed})"
        exc.args = (exc.message,)
