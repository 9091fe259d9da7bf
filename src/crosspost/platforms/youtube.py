"""YouTube community posts: an honest hand-off, since no public API can create them.

Publishing writes a paste-ready bundle (post.txt, card, alt.txt, handoff.md) and tells
the team by webhook if one is set; a person posts it and runs `crosspost resolve`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import httpx

from crosspost.platforms.base import AccountCheck, Receipt
from crosspost.platforms.errors import PublishError, Rejected
from crosspost.platforms.http import RetryPolicy, call, server_error
from crosspost.settings import YouTubeSettings
from crosspost.teasers.model import Teaser

log = logging.getLogger(__name__)

STUDIO_URL = "https://studio.youtube.com/channel/{channel_id}/community"
CHANNEL_URL = "https://www.youtube.com/channel/{channel_id}/community"
CHECK_DETAIL = "manual hand-off; no credentials needed"
DEFAULT_POLICY = RetryPolicy(attempts=2)


class YouTubeAdapter:
    """Hands a community post to a person: a bundle on disk, optionally a webhook."""

    name = "youtube"

    def __init__(
        self,
        config: YouTubeSettings,
        client: httpx.AsyncClient,
        *,
        policy: RetryPolicy = DEFAULT_POLICY,
        sleep: Callable[[float], object] = asyncio.sleep,
    ) -> None:
        self.config = config
        self.client = client
        self.policy = policy
        self.sleep = sleep

    async def publish(self, teaser: Teaser, *, ledger_id: int | None = None) -> Receipt:
        """Write the bundle; with `ledger_id` it names the exact resolve command."""
        folder = self.write_bundle(teaser, ledger_id=ledger_id)
        if self.config.webhook_url is not None:
            await self._notify(teaser, folder, ledger_id)
        return Receipt(
            platform=self.name, status="awaiting_manual", handoff_path=str(folder)
        )

    async def check(self) -> AccountCheck:
        detail = CHECK_DETAIL
        if not self.config.channel_id:
            detail += " (set youtube.channel_id for a direct YouTube Studio link)"
        return AccountCheck(
            platform=self.name,
            ok=True,
            account=self.config.channel_id or None,
            detail=detail,
        )

    def studio_url(self) -> str:
        if self.config.channel_id:
            return STUDIO_URL.format(channel_id=self.config.channel_id)
        return "https://studio.youtube.com"

    def write_bundle(self, teaser: Teaser, *, ledger_id: int | None = None) -> Path:
        """Write the bundle whole (built aside, then renamed); return its path."""
        base = Path(self.config.handoff_dir)
        folder = base / f"{teaser.summary_id}-{teaser.key}"
        staging = base / f".{folder.name}.{os.getpid()}.partial"
        try:
            base.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir()
            (staging / "post.txt").write_text(post_text(teaser), encoding="utf-8")
            image = None
            if teaser.card is not None:
                image = "card.jpg" if teaser.card.format == "JPEG" else "card.png"
                (staging / image).write_bytes(teaser.card.data)
                (staging / "alt.txt").write_text(teaser.card.alt_text + "\n", "utf-8")
            (staging / "handoff.md").write_text(
                self._instructions(teaser, image, ledger_id), encoding="utf-8"
            )
            shutil.rmtree(folder, ignore_errors=True)
            staging.rename(folder)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise Rejected(
                f"cannot write the hand-off bundle in {base}: {exc.strerror}",
                platform=self.name,
            ) from None
        return folder.resolve()

    def _instructions(
        self, teaser: Teaser, image: str | None, ledger_id: int | None
    ) -> str:
        post_ref = str(ledger_id) if ledger_id is not None else "ID"
        steps = [
            f"# YouTube community post: {teaser.summary_title}",
            "",
            "YouTube has no public API for community posts: this is posted by hand.",
            "",
            f"1. Open YouTube Studio: {self.studio_url()}",
        ]
        if self.config.channel_id:
            channel = CHANNEL_URL.format(channel_id=self.config.channel_id)
            steps.append(f"   (or the channel's community tab: {channel})")
        steps.append(
            "2. Create a post and paste the text of `post.txt` exactly as it is."
        )
        if image is not None:
            steps.append(f"3. Attach `{image}`; its alt text is in `alt.txt`.")
        else:
            steps.append("3. This post has no image.")
        steps += [
            "4. Publish, then copy the post's link (… menu → Copy link).",
            "",
            "Then close the hand-off so the ledger knows:",
            "",
            f"    crosspost resolve {post_ref} --posted URL",
            "",
            "or, if it will not be posted:",
            "",
            f"    crosspost resolve {post_ref} --not-posted",
            "",
        ]
        if ledger_id is None:
            steps.append("(`crosspost status` lists the ID of this youtube post.)")
        steps.append(
            f"Summary: {teaser.summary_id}, variant {teaser.variant}, {teaser.key}."
        )
        return "\n".join(steps) + "\n"

    async def _notify(
        self, teaser: Teaser, folder: Path, ledger_id: int | None
    ) -> None:
        assert self.config.webhook_url is not None
        secret = self.config.webhook_url.get_secret_value()
        ref = str(ledger_id) if ledger_id is not None else "ID"
        message = (
            f"YouTube community post ready to paste: {teaser.summary_title}\n"
            f"Bundle: {folder}\nStudio: {self.studio_url()}\n"
            f"When posted: crosspost resolve {ref} --posted URL"
        )
        payload = {
            "text": message,
            "platform": self.name,
            "summary_id": teaser.summary_id,
            "summary_title": teaser.summary_title,
            "key": teaser.key,
            "ledger_id": ledger_id,
            "handoff_path": str(folder),
            "studio_url": self.studio_url(),
        }
        try:
            await call(
                self.client,
                "POST",
                secret,
                platform=self.name,
                classify=_classify_webhook,
                policy=self.policy,
                secrets=[secret],
                sleep=self.sleep,
                json=payload,
            )
        except PublishError as exc:
            # The bundle on disk is the hand-off; a lost notification is only a warning.
            log.warning("youtube hand-off notification failed: %s", exc.message)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError):
            log.warning(
                "youtube hand-off notification failed: webhook_url is not a URL"
            )


def post_text(teaser: Teaser) -> str:
    """The text exactly as it is to be pasted (parts, if several, as paragraphs)."""
    return "\n\n".join(part.text for part in teaser.parts)


def _classify_webhook(response: httpx.Response) -> PublishError | None:
    if response.status_code < 300:
        return None
    error = server_error(response, "youtube")
    return error or Rejected(
        f"the notification webhook answered HTTP {response.status_code}",
        platform="youtube",
    )
