"""Publishing to X (API v2): a post, a self-reply thread, an image card with alt text.

Read only `data.id` from answers: ids are strings of up to 19 digits.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from crosspost.platforms import x_find
from crosspost.platforms.base import AccountCheck, Receipt
from crosspost.platforms.errors import (
    AuthError,
    Duplicate,
    OutcomeUnknown,
    PublishError,
    Rejected,
    Transient,
)
from crosspost.platforms.http import RetryPolicy, call, pause
from crosspost.platforms.x_auth import XAuth
from crosspost.platforms.x_errors import ReplyRestricted, classify
from crosspost.settings import XSettings
from crosspost.teasers.model import Card, Teaser

__all__ = ["XAdapter", "classify"]

TWEETS = "/2/tweets"
MEDIA_UPLOAD = "/2/media/upload"
MEDIA_METADATA = "/2/media/metadata"
MAX_ALT_TEXT = 1000
MAX_IMAGE_BYTES = 5 * 1024 * 1024
REPLY_SETTLE_SECONDS = 2.0
# How far back a duplicate refusal's live post is looked for. X documents no window
# for its duplicate rule; a post not found here is left for a person.
DUPLICATE_LOOKBACK = timedelta(days=30)
DEFAULT_POLICY = RetryPolicy()
logger = logging.getLogger(__name__)


def _data_id(response: httpx.Response) -> str | None:
    try:
        value = response.json()["data"]["id"]
    except (ValueError, KeyError, TypeError):
        return None
    return str(value) if isinstance(value, str | int) and str(value) else None


def _parts(first: int, last: int) -> str:
    """ "part 2" or "parts 2–4" (1-based, inclusive)."""
    return f"part {first}" if first == last else f"parts {first}–{last}"


def _standalone(first: int, last: int) -> str:
    """ "part 3 as a standalone post" or "parts 2–3 as standalone posts"."""
    what = "a standalone post" if first == last else "standalone posts"
    return f"{_parts(first, last)} as {what}"


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

    def _receipt(self, ids: list[str], detail: str = "") -> Receipt:
        """A receipt naming every part by id and URL, in order."""
        urls = tuple(self.post_url(post_id) for post_id in ids)
        return Receipt(
            platform=self.name,
            post_id=ids[0],
            url=urls[0],
            part_ids=tuple(ids),
            part_urls=urls,
            detail=detail,
        )

    async def publish(self, teaser: Teaser) -> Receipt:
        """Post every part in order; a failure after part 1 names the live parts.

        X's duplicate refusal of part 1 means the post is live: it is looked up and
        reported as a `Duplicate` naming it (or `OutcomeUnknown` when it cannot be
        found). A reply refused under X's 2026 reply restriction is posted again as a
        standalone post, and so are the parts after it; the receipt says so."""
        media_id = await self._upload(teaser.card) if teaser.card else None
        try:
            return await self._post_parts(teaser, [], media_id)
        except Duplicate as exc:
            if exc.live_part_ids:
                raise
            refused = exc
        found = await self._find_duplicate(teaser, refused)
        if len(found) == len(teaser.parts):
            raise Duplicate(
                f"{refused.message}; the post is live at {self.post_url(found[0])}",
                platform=self.name,
                status=refused.status,
                existing_id=found[0],
                existing_url=self.post_url(found[0]),
            )
        # An earlier run left the thread unfinished: finish it, never repost part 1.
        already = f"{_parts(1, len(found))} were already live (X refused a repost)"
        return await self._post_parts(teaser, found, None, already)

    async def _post_parts(
        self, teaser: Teaser, ids: list[str], media_id: str | None, note: str = ""
    ) -> Receipt:
        """Post the parts after `ids` (the live ones), each replying to the one
        before while X allows replies."""
        total = len(teaser.parts)
        standalone: int | None = None  # the first part posted without a reply
        for index in range(len(ids), total):
            body: dict[str, Any] = {"text": teaser.parts[index].text}
            if index == 0 and media_id is not None:
                body["media"] = {"media_ids": [media_id]}
            if ids and standalone is None:
                body["reply"] = {"in_reply_to_tweet_id": ids[-1]}
            try:
                try:
                    ids.append(await self._create(body))
                except ReplyRestricted as exc:
                    standalone = index + 1
                    # INFO: the receipt says it too; a command's stderr stays empty.
                    logger.info(
                        "x: %s; posting %s without replying",
                        exc.message,
                        _parts(standalone, total),
                    )
                    del body["reply"]
                    ids.append(await self._create(body))
            except PublishError as exc:
                if ids:
                    self._mark_partial(exc, ids, total, standalone)
                raise
        notes = [note] if note else []
        if standalone is not None:
            notes.append(self._standalone_note(standalone, total))
        return self._receipt(ids, "; ".join(notes))

    async def _find_duplicate(self, teaser: Teaser, exc: Duplicate) -> list[str]:
        """The live parts X's duplicate refusal points to, from part 1 on; raise
        OutcomeUnknown when they cannot be found (a person settles it)."""
        since = datetime.now(UTC) - DUPLICATE_LOOKBACK
        try:
            found = await self.find(teaser, since=since)
        except PublishError as lookup:
            raise OutcomeUnknown(
                f"{exc.message}; the post is probably live, but looking it up "
                f"failed ({lookup.message}): check the account",
                platform=self.name,
                status=exc.status,
            ) from None
        if found is None:
            raise OutcomeUnknown(
                f"{exc.message}; the post is probably live, but it is not among the "
                f"account's posts since {since:%Y-%m-%d}: check the account",
                platform=self.name,
                status=exc.status,
            )
        return list(found.part_ids)

    @staticmethod
    def _standalone_note(first: int, total: int) -> str:
        went = _standalone(first, total).replace(" as ", " went out as ", 1)
        replies = "a reply" if first == total else "replies"
        return (
            f"X refused replies (its reply restriction), so {went}, not as "
            f"{replies} to part {first - 1}"
        )

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
                # OpenAPI 2.167 dropped media_type (and shared) from this request
                # and allows no other field (platforms.md 1.3).
                data={"media_category": "tweet_image"},
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

    def _mark_partial(
        self, exc: PublishError, ids: list[str], total: int, standalone: int | None
    ) -> None:
        exc.live_part_ids = tuple(ids)
        exc.live_part_urls = tuple(self.post_url(post_id) for post_id in ids)
        failed = f"part {len(ids) + 1} of {total} failed"
        exc.message = f"{exc.message} (thread: {_parts(1, len(ids))} live, {failed}"
        if standalone is not None and standalone <= len(ids):
            exc.message += f"; {_standalone(standalone, len(ids))}"
        exc.message += ")"
        exc.args = (exc.message,)
