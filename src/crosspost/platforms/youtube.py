"""YouTube community posts: an honest hand-off, since no public API can create them.

Publishing writes a paste-ready bundle (post.txt, card, alt.txt, handoff.md); the
publish stage tells the team (crosspost.notify), a person posts it and runs
`crosspost resolve`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import httpx

from crosspost.platforms.base import AccountCheck, Receipt
from crosspost.platforms.errors import Rejected
from crosspost.settings import YouTubeSettings
from crosspost.teasers.model import Teaser

STUDIO_URL = "https://studio.youtube.com/channel/{channel_id}/community"
CHANNEL_URL = "https://www.youtube.com/channel/{channel_id}/community"
CHECK_DETAIL = "manual hand-off; no credentials needed"


class YouTubeAdapter:
    """Hands a community post to a person: a paste-ready bundle on disk."""

    name = "youtube"

    def __init__(
        self,
        config: YouTubeSettings,
        client: httpx.AsyncClient | None = None,
        **options: object,
    ) -> None:
        """Built like every adapter; the client and options (policy, sleep) go
        unused, as a hand-off makes no request."""
        self.config = config

    async def publish(self, teaser: Teaser, *, ledger_id: int | None = None) -> Receipt:
        """Write the bundle; with `ledger_id` it names the exact resolve command."""
        folder = self.write_bundle(teaser, ledger_id=ledger_id)
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


def post_text(teaser: Teaser) -> str:
    """The text exactly as it is to be pasted (parts, if several, as paragraphs)."""
    return "\n\n".join(part.text for part in teaser.parts)
