"""The Facebook Page adapter: a text or link post on the Page feed, or a photo post
with its card."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

import httpx

from crosspost.errors import ConfigError
from crosspost.platforms import listing
from crosspost.platforms.base import AccountCheck, Receipt
from crosspost.platforms.errors import OutcomeUnknown, PublishError
from crosspost.platforms.graph import GraphSession
from crosspost.platforms.http import RetryPolicy
from crosspost.settings import FacebookSettings
from crosspost.teasers.model import Card, Teaser

TOKEN_SETTING = "CROSSPOST_FACEBOOK__PAGE_ACCESS_TOKEN"
DEFAULT_POLICY = RetryPolicy()
PERMALINK_POLICY = RetryPolicy(attempts=2)


class FacebookAdapter:
    """Publishes to one Facebook Page with a Page access token."""

    name = "facebook"

    def __init__(
        self,
        config: FacebookSettings,
        client: httpx.AsyncClient,
        *,
        policy: RetryPolicy = DEFAULT_POLICY,
        sleep: Callable[[float], object] = asyncio.sleep,
    ) -> None:
        self.config = config
        self.graph = GraphSession(
            platform=self.name,
            base_url=config.base_url,
            api_version=config.api_version,
            token=config.page_access_token,
            token_setting=TOKEN_SETTING,
            client=client,
            policy=policy,
            sleep=sleep,
        )

    def _page_id(self) -> str:
        if not self.config.page_id:
            raise ConfigError(
                "facebook: no Page id is set",
                hint="set facebook.page_id in config/crosspost.toml "
                "(or CROSSPOST_FACEBOOK__PAGE_ID)",
            )
        return self.config.page_id

    async def publish(self, teaser: Teaser) -> Receipt:
        """Post `teaser` on the Page: a photo post with its card, else a feed post."""
        page_id = self._page_id()
        self.graph.require_token()
        if teaser.card is not None:
            post_id = await self._post_photo(page_id, teaser.text, teaser.card)
        else:
            post_id = await self._post_feed(page_id, teaser.text, teaser.link)
        return Receipt(
            platform=self.name, post_id=post_id, url=await self._permalink(post_id)
        )

    async def find(self, teaser: Teaser, *, since: datetime) -> Receipt | None:
        """The teaser's post on the Page feed since `since`, or None when absent."""
        page_id = self._page_id()
        found = await listing.graph_find(
            self.graph,
            f"{page_id}/feed",
            teaser.text,
            since=since,
            text_field="message",
            url_field="permalink_url",
            time_field="created_time",
        )
        if found is None:
            return None
        url = found.url or f"https://www.facebook.com/{found.id}"
        return Receipt(platform=self.name, post_id=found.id, url=url)

    async def _post_feed(self, page_id: str, message: str, link: str | None) -> str:
        fields = {"message": message} | ({"link": link} if link else {})
        body = await self.graph.post(f"{page_id}/feed", fields)
        post_id = body.get("id")
        if not isinstance(post_id, str) or not post_id:
            raise OutcomeUnknown(
                "facebook answered the feed post without a post id; it may be live",
                platform=self.name,
            )
        return post_id

    async def _post_photo(self, page_id: str, caption: str, card: Card) -> str:
        extension = "jpg" if card.format == "JPEG" else "png"
        body = await self.graph.post(
            f"{page_id}/photos",
            {"caption": caption, "alt_text_custom": card.alt_text, "published": "true"},
            files={"source": (f"card.{extension}", card.data, card.media_type)},
        )
        # The photo's `id` is not the post: only `post_id` finds the post on the Page.
        post_id = body.get("post_id")
        if not isinstance(post_id, str) or not post_id:
            photo = body.get("id")
            raise OutcomeUnknown(
                f"facebook took the photo (id {photo}) but did not name its post; "
                "find the post on the Page before posting again"
                if isinstance(photo, str)
                else "facebook answered the photo post without ids; it may be live",
                platform=self.name,
            )
        return post_id

    async def _permalink(self, post_id: str) -> str:
        """The post's public URL; the post is live, so a failed read falls back."""
        fallback = f"https://www.facebook.com/{post_id}"
        try:
            body = await self.graph.get(
                post_id, {"fields": "permalink_url"}, policy=PERMALINK_POLICY
            )
        except PublishError:
            return fallback
        url = body.get("permalink_url")
        return url if isinstance(url, str) and url.startswith("https://") else fallback

    async def check(self) -> AccountCheck:
        """Read the Page's id and name with the configured token."""
        if not self.config.page_id or self.config.page_access_token is None:
            missing = "page_id" if not self.config.page_id else TOKEN_SETTING
            return AccountCheck(
                platform=self.name, ok=False, detail=f"{missing} is not set"
            )
        try:
            body = await self.graph.get(self.config.page_id, {"fields": "id,name"})
        except PublishError as exc:
            return AccountCheck(platform=self.name, ok=False, detail=exc.message)
        name = body.get("name")
        return AccountCheck(
            platform=self.name,
            ok=True,
            account=f"{name} ({body.get('id', self.config.page_id)})" if name else None,
            detail="Page token accepted",
        )
