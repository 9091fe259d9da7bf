"""Publishing to a LinkedIn organisation page through the versioned Posts API.

The teaser's text is already in little text format (escaped) and is sent as it is.
The token needs w_organization_social to post and r_organization_social to read
posts back (a duplicate's named post is checked before it is taken as this one).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn
from urllib.parse import quote

import httpx

from crosspost.platforms import listing
from crosspost.platforms.base import AccountCheck, Receipt
from crosspost.platforms.errors import (
    AuthError,
    Duplicate,
    OutcomeUnknown,
    PublishError,
    Rejected,
    Transient,
)
from crosspost.platforms.http import RetryPolicy, call
from crosspost.platforms.linkedin_errors import (
    ADMIN,
    READ,
    ROLE,
    TOKEN_HINT,
    WRITE,
    classify,
    post_url,
)
from crosspost.settings import LinkedInSettings
from crosspost.teasers.model import Card, Teaser
from crosspost.teasers.rules import unescape_little_text

__all__ = ["LinkedInAdapter", "classify", "post_url"]

POSTS = "/rest/posts"
IMAGES_INIT = "/rest/images?action=initializeUpload"
ORGANIZATION = "/rest/organizations/{id}"
PAGE_SIZE = 20
DEFAULT_POLICY = RetryPolicy()
# A duplicate answer without a URN is looked for among the posts of this period.
DUPLICATE_LOOKBACK = timedelta(days=30)
LIVE_STATES = frozenset({"PUBLISHED", "PUBLISH_REQUESTED"})


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
            await self._settle_duplicate(teaser, exc)
        urn = response.headers.get("x-restli-id", "").strip()
        if not urn:
            raise OutcomeUnknown(
                f"LinkedIn accepted the post (HTTP {response.status_code}) but named "
                "no post in x-restli-id; check the page before posting again",
                platform=self.name,
                status=response.status_code,
            )
        return Receipt(platform=self.name, post_id=urn, url=post_url(urn))

    async def _settle_duplicate(self, teaser: Teaser, exc: Duplicate) -> NoReturn:
        """Raise what LinkedIn's duplicate answer means: `Duplicate` naming a live
        post, or `Rejected` for a ghost (a deleted post LinkedIn still names)."""
        urn = exc.existing_id
        if urn is None:
            await self._find_duplicate(teaser, exc)
        try:
            path = f"{POSTS}/{quote(urn, safe='')}"
            answer = (await self._call("GET", self._base + path)).json()
            state = str(answer.get("lifecycleState") or "PUBLISHED")
        except (ValueError, AttributeError):
            state = "PUBLISHED"  # it answered 200: the post exists
        except Rejected as check:
            if check.status != 404:
                raise
            state = "deleted"
        except AuthError as check:
            raise AuthError(
                f"{exc.message}; its post could not be checked ({check.message}); "
                f"reading posts needs {READ}",
                platform=self.name,
                status=check.status,
            ) from None
        except PublishError as check:
            raise Transient(
                f"{exc.message}; its post could not be checked ({check.message}); "
                "nothing was posted, so trying again is safe",
                platform=self.name,
                status=check.status,
            ) from None
        if state in LIVE_STATES:
            raise Duplicate(
                f"{exc.message}; it is live at {post_url(urn)}",
                platform=self.name,
                status=exc.status,
                existing_id=urn,
                existing_url=post_url(urn),
            )
        raise Rejected(
            f"LinkedIn refused the post as a duplicate of {urn}, but that post is "
            f"{state.lower()}, not live (LinkedIn keeps refusing a deleted post's text "
            "for a day or two). Nothing was posted: change the text (a word or the "
            "link) and post again, or wait 48 hours",
            platform=self.name,
            status=exc.status,
        )

    async def _find_duplicate(self, teaser: Teaser, exc: Duplicate) -> NoReturn:
        """A duplicate answer naming no post: look for it, else leave it to a person."""
        since = datetime.now(UTC) - DUPLICATE_LOOKBACK
        try:
            found = await self.find(teaser, since=since)
        except PublishError as lookup:
            found, why = None, f"looking it up failed ({lookup.message})"
        else:
            why = f"it is not among the page's posts since {since:%Y-%m-%d}"
        if found is not None and found.post_id is not None:
            raise Duplicate(
                exc.message,
                platform=self.name,
                status=exc.status,
                existing_id=found.post_id,
                existing_url=found.url,
            )
        raise OutcomeUnknown(
            f"{exc.message}; LinkedIn named no post and {why}: check the page",
            platform=self.name,
            status=exc.status,
        )

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
        """Whether the token may work for the organisation, with the permissions
        publishing needs: reading its posts (r_organization_social, which comes with
        w_organization_social in the Community Management API). Its name is shown
        when the token may also look the organisation up (rw_organization_admin)."""
        try:
            self._require_account()
            params = {"q": "author", "author": self.author, "count": "1"}
            await self._call("GET", self._base + POSTS, params=params)
        except AuthError as exc:
            detail = exc.message
            if exc.status == 403:
                detail = (
                    f"LinkedIn refused reading {self.author}'s posts (HTTP 403): the "
                    f"token needs {WRITE} to post and {READ} to check what it "
                    f"posted, and {ROLE} of the organisation"
                )
            return AccountCheck(platform=self.name, ok=False, detail=detail)
        except PublishError as exc:
            return AccountCheck(platform=self.name, ok=False, detail=exc.message)
        name, note = await self._organization_name()
        account = f"{name} ({self.author})" if name else self.author
        return AccountCheck(
            platform=self.name,
            ok=True,
            account=account,
            detail=f"LinkedIn-Version {self.config.version}{note}",
        )

    async def _organization_name(self) -> tuple[str, str]:
        """The organisation's name (or "") and a note when it cannot be read."""
        path = ORGANIZATION.format(id=self.config.organization_id)
        try:
            data = (await self._call("GET", self._base + path)).json()
            return str(data.get("localizedName") or data.get("vanityName") or ""), ""
        except (ValueError, AttributeError):
            return "", ""
        except AuthError as exc:
            if exc.status != 403:
                return "", f"; organisation name not read: {exc.message}"
            return "", (
                f"; organisation name not shown: the lookup needs {ADMIN}, which "
                "publishing does not"
            )
        except PublishError as exc:
            return "", f"; organisation name not read: {exc.message}"

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
