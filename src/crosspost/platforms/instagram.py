"""The Instagram adapter: host the card as a public JPEG, create a media container, wait
until Instagram has processed it, then publish it (Instagram has no text-only posts)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime

import httpx

from crosspost.errors import ConfigError
from crosspost.platforms import listing
from crosspost.platforms.base import AccountCheck, Receipt
from crosspost.platforms.errors import (
    OutcomeUnknown,
    PublishError,
    RateLimited,
    Rejected,
    Transient,
)
from crosspost.platforms.graph import GraphSession
from crosspost.platforms.graph_errors import GraphError
from crosspost.platforms.graph_usage import DEFAULT_THROTTLE_WAIT
from crosspost.platforms.http import RetryPolicy, pause
from crosspost.platforms.instagram_card import host_card
from crosspost.settings import InstagramSettings
from crosspost.teasers.model import Teaser

TOKEN_SETTING = "CROSSPOST_INSTAGRAM__ACCESS_TOKEN"
MAX_POLL_WAIT = 60.0  # Meta suggests checking a container about once a minute
MAX_PUBLISH_ATTEMPTS = 3
NOT_READY_CODE, NOT_READY_SUBCODE = 9007, 2207027
FETCH_FAILED_SUBCODE = 2207052
DEFAULT_POLICY = RetryPolicy()
PERMALINK_POLICY = RetryPolicy(attempts=2)
logger = logging.getLogger(__name__)
Progress = Callable[[str], None]


class _NotReady(Rejected):
    """media_publish said the container is not ready: nothing was published."""


class InstagramAdapter:
    """Publishes image posts to one Instagram professional account.

    While a container is processing (up to `poll_timeout`, 5 minutes by default),
    each status is logged at INFO and told to `on_progress`, if given, as one line.
    """

    name = "instagram"

    def __init__(
        self,
        config: InstagramSettings,
        client: httpx.AsyncClient,
        *,
        policy: RetryPolicy = DEFAULT_POLICY,
        sleep: Callable[[float], object] = asyncio.sleep,
        on_progress: Progress | None = None,
    ) -> None:
        self.config = config
        self.sleep = sleep
        self.on_progress = on_progress
        self.graph = GraphSession(
            platform=self.name,
            base_url=config.base_url,
            api_version=config.api_version,
            token=config.access_token,
            token_setting=TOKEN_SETTING,
            client=client,
            policy=policy,
            sleep=sleep,
        )

    def _user_id(self) -> str:
        if not self.config.user_id:
            raise ConfigError(
                "instagram: no Instagram user id is set",
                hint="set instagram.user_id in config/crosspost.toml "
                "(or CROSSPOST_INSTAGRAM__USER_ID)",
            )
        return self.config.user_id

    async def publish(self, teaser: Teaser) -> Receipt:
        """Publish `teaser` as an image post; its card is required."""
        user_id = self._user_id()
        self.graph.require_token()
        image_url = host_card(teaser, self.config)
        await self._check_quota(user_id)
        container = await self._create_container(user_id, image_url, teaser)
        self._progress(f"instagram: media container {container} created")
        budget = _PollBudget(
            self.config.poll_interval, self.config.poll_timeout, self.sleep
        )
        await self._wait_until_finished(container, budget)
        for attempt in range(MAX_PUBLISH_ATTEMPTS):
            try:
                media_id = await self._publish_container(user_id, container)
                break
            except _NotReady:
                if attempt + 1 == MAX_PUBLISH_ATTEMPTS:
                    raise Rejected(
                        f"instagram: container {container} was still not ready after "
                        f"{MAX_PUBLISH_ATTEMPTS} publish attempts; nothing was "
                        "published",
                        platform=self.name,
                    ) from None
                await budget.wait(container)
                await self._wait_until_finished(container, budget)
        return Receipt(
            platform=self.name, post_id=media_id, url=await self._permalink(media_id)
        )

    async def find(self, teaser: Teaser, *, since: datetime) -> Receipt | None:
        """The teaser's post among the account's media since `since`, or None."""
        found = await listing.graph_find(
            self.graph,
            f"{self._user_id()}/media",
            teaser.text,
            since=since,
            text_field="caption",
            url_field="permalink",
            time_field="timestamp",
        )
        if found is None:
            return None
        return Receipt(platform=self.name, post_id=found.id, url=found.url)

    async def _check_quota(self, user_id: str) -> None:
        body = await self.graph.get(
            f"{user_id}/content_publishing_limit", {"fields": "quota_usage,config"}
        )
        data = body.get("data")
        entry = data[0] if isinstance(data, list) and data else None
        if not isinstance(entry, dict) or not isinstance(entry.get("config"), dict):
            return  # no figures: media_publish itself refuses when the quota is used up
        used, total = entry.get("quota_usage"), entry["config"].get("quota_total")
        if isinstance(used, int) and isinstance(total, int) and used >= total:
            raise RateLimited(
                f"instagram: the publishing quota is used up ({used} of {total} "
                "posts in 24 hours)",
                platform=self.name,
                retry_at=datetime.now(UTC) + DEFAULT_THROTTLE_WAIT,
            )

    async def _create_container(
        self, user_id: str, image_url: str, teaser: Teaser
    ) -> str:
        assert teaser.card is not None
        fields = {"image_url": image_url, "caption": teaser.text}
        if teaser.card.alt_text:
            fields["alt_text"] = teaser.card.alt_text
        try:
            body = await self.graph.post(
                f"{user_id}/media", fields, special=_fetch_failed
            )
        except OutcomeUnknown as exc:
            # A container is not a post: an orphan expires unseen, so retrying is safe.
            raise Transient(
                f"{exc.message} (creating the media container; nothing was published)",
                platform=self.name,
                status=exc.status,
            ) from None
        container = body.get("id")
        if not isinstance(container, str) or not container:
            raise Transient(
                "instagram answered the media container request without an id; "
                "nothing was published",
                platform=self.name,
            )
        return container

    async def _wait_until_finished(self, container: str, budget: _PollBudget) -> None:
        while True:
            body = await self.graph.get(container, {"fields": "status_code,status"})
            state = str(body.get("status_code") or "").upper()
            if state == "FINISHED":
                return
            if state in ("ERROR", "EXPIRED"):
                raise Rejected(
                    f"instagram: media container {container} is {state}: "
                    f"{body.get('status') or 'no reason given'}",
                    platform=self.name,
                )
            if state == "PUBLISHED":
                raise OutcomeUnknown(
                    f"instagram: media container {container} is already published; "
                    "find the post before publishing again",
                    platform=self.name,
                )
            self._progress(
                f"instagram: media container {container} is "
                f"{state.lower().replace('_', ' ') or 'not ready'}; checking again "
                f"in {budget.next_wait:.0f} s ({budget.left:.0f} s left)"
            )
            await budget.wait(container)

    def _progress(self, line: str) -> None:
        logger.info("%s", line)
        if self.on_progress is not None:
            self.on_progress(line)

    async def _publish_container(self, user_id: str, container: str) -> str:
        body = await self.graph.post(
            f"{user_id}/media_publish", {"creation_id": container}, special=_not_ready
        )
        media_id = body.get("id")
        if not isinstance(media_id, str) or not media_id:
            raise OutcomeUnknown(
                "instagram answered media_publish without a media id; the post may "
                "be live",
                platform=self.name,
            )
        return media_id

    async def _permalink(self, media_id: str) -> str | None:
        """The post's public URL, or None when it cannot be read (it is live anyway)."""
        try:
            body = await self.graph.get(
                media_id, {"fields": "permalink"}, policy=PERMALINK_POLICY
            )
        except PublishError:
            return None
        url = body.get("permalink")
        return (
            url
            if isinstance(url, str) and url.startswith(("https://", "http://"))
            else None
        )

    async def check(self) -> AccountCheck:
        """Read the account's username with the configured token."""
        if not self.config.user_id or self.config.access_token is None:
            missing = "user_id" if not self.config.user_id else TOKEN_SETTING
            return AccountCheck(
                platform=self.name, ok=False, detail=f"{missing} is not set"
            )
        try:
            body = await self.graph.get(self.config.user_id, {"fields": "id,username"})
        except PublishError as exc:
            return AccountCheck(platform=self.name, ok=False, detail=exc.message)
        username = body.get("username")
        detail = "token accepted"
        if not self.config.card_base_url:
            detail += "; card_base_url is not set, so nothing can be published"
        return AccountCheck(
            platform=self.name,
            ok=bool(self.config.card_base_url),
            account=f"@{username}" if isinstance(username, str) else None,
            detail=detail,
        )


class _PollBudget:
    """Backing-off waits: `start`, doubling, capped at MAX_POLL_WAIT, `total` in all."""

    def __init__(
        self, start: float, total: float, sleep: Callable[[float], object]
    ) -> None:
        self.next, self.left, self.sleep = start, total, sleep

    @property
    def next_wait(self) -> float:
        return min(self.next, self.left)

    async def wait(self, container: str) -> None:
        if self.left <= 0:
            raise Rejected(
                f"instagram: media container {container} never finished processing; "
                "nothing was published, so publishing again is safe",
                platform="instagram",
            )
        wait = self.next_wait
        self.left -= wait
        self.next = min(self.next * 2, MAX_POLL_WAIT)
        await pause(self.sleep, wait)


def _not_ready(error: GraphError, response: httpx.Response) -> PublishError | None:
    if error.code == NOT_READY_CODE or error.subcode == NOT_READY_SUBCODE:
        return _NotReady(
            f"instagram: the container is not ready yet: {error.describe()}",
            platform="instagram",
            status=response.status_code,
        )
    return None


def _fetch_failed(error: GraphError, response: httpx.Response) -> PublishError | None:
    # Often the website has not served the new card yet: a later try may well succeed.
    if error.subcode == FETCH_FAILED_SUBCODE:
        return Transient(
            f"instagram could not fetch the card: {error.describe()}; check that "
            "instagram.card_base_url serves instagram.card_dir publicly",
            platform="instagram",
            status=response.status_code,
        )
    return None
