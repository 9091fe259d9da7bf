"""Tests for the YouTube hand-off: the paste-ready bundle and the check."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from crosspost.platforms.errors import Rejected
from crosspost.platforms.http import NO_RETRY
from crosspost.platforms.youtube import YouTubeAdapter, post_text
from crosspost.settings import YouTubeSettings
from crosspost.teasers.model import Card, Teaser, TeaserPart

pytestmark = pytest.mark.anyio

TEXT = (
    "New: cooling vests eased heat-linked fatigue in 58 people with MS (a small trial)."
)


def teaser(card: bool = True) -> Teaser:
    return Teaser(
        summary_id="rs-aaaaaaaaaaaa",
        summary_title="Cooling vests and heat sensitivity in MS",
        platform="youtube",
        variant="announce",
        key="announce",
        parts=(TeaserPart(text=TEXT, count=len(TEXT)),),
        limit=5000,
        card=Card(
            width=1080,
            height=1080,
            format="JPEG",
            data=b"\xff\xd8fake-jpeg",
            alt_text="Card: cooling vests and MS fatigue, white text on navy.",
        )
        if card
        else None,
    )


def refuse_network(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"unexpected request to {request.url.host}")


def adapter(
    tmp_path: Path,
    handler: httpx.MockTransport | None = None,
    **config: object,
) -> YouTubeAdapter:
    settings = YouTubeSettings(handoff_dir=tmp_path / "handoff", **config)  # type: ignore[arg-type]
    client = httpx.AsyncClient(transport=handler or httpx.MockTransport(refuse_network))
    return YouTubeAdapter(settings, client, policy=NO_RETRY, sleep=print)


async def test_bundle_holds_text_card_alt_and_instructions(tmp_path: Path) -> None:
    """The bundle has the exact text, the card, its alt text and a Studio link."""
    receipt = await adapter(tmp_path, channel_id="UCms123").publish(
        teaser(), ledger_id=7
    )
    assert receipt.status == "awaiting_manual"
    assert receipt.post_id is None
    folder = Path(receipt.handoff_path or "")
    assert (folder / "post.txt").read_text(encoding="utf-8") == TEXT
    assert (folder / "card.jpg").read_bytes() == b"\xff\xd8fake-jpeg"
    assert (folder / "alt.txt").read_text().startswith("Card: cooling vests")
    guide = (folder / "handoff.md").read_text()
    assert "https://studio.youtube.com/channel/UCms123/community" in guide
    assert "https://www.youtube.com/channel/UCms123/community" in guide
    assert "crosspost resolve 7 --posted URL" in guide
    assert "crosspost resolve 7 --not-posted" in guide


async def test_bundle_without_channel_or_id_still_says_how_to_close(
    tmp_path: Path,
) -> None:
    """Without channel or ledger id the guide links Studio and names `status`."""
    receipt = await adapter(tmp_path).publish(teaser(card=False))
    folder = Path(receipt.handoff_path or "")
    guide = (folder / "handoff.md").read_text()
    assert "https://studio.youtube.com" in guide
    assert "crosspost resolve ID --posted URL" in guide
    assert "crosspost status" in guide
    assert "no image" in guide
    assert sorted(p.name for p in folder.iterdir()) == ["handoff.md", "post.txt"]


async def test_bundle_is_replaced_whole_and_leaves_no_partial(tmp_path: Path) -> None:
    """Handing off again replaces the bundle; no staging folder is left behind."""
    youtube = adapter(tmp_path)
    first = await youtube.publish(teaser())
    second = await youtube.publish(teaser(card=False))
    assert first.handoff_path == second.handoff_path
    assert not (Path(second.handoff_path or "") / "card.jpg").exists()
    assert [p.name for p in (tmp_path / "handoff").iterdir()] == [
        Path(second.handoff_path or "").name
    ]


async def test_unwritable_folder_is_refused(tmp_path: Path) -> None:
    """A hand-off folder that cannot be created is a refusal naming the folder."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    youtube = YouTubeAdapter(
        YouTubeSettings(handoff_dir=blocker / "handoff"),
        httpx.AsyncClient(transport=httpx.MockTransport(refuse_network)),
    )
    with pytest.raises(Rejected, match="cannot write the hand-off bundle"):
        await youtube.publish(teaser())


async def test_hand_off_makes_no_request(tmp_path: Path) -> None:
    """Publishing only writes the bundle: telling the team is crosspost.notify's."""
    receipt = await adapter(tmp_path).publish(teaser(), ledger_id=3)
    assert receipt.status == "awaiting_manual"


async def test_check_needs_no_credentials(tmp_path: Path) -> None:
    """check() is always ok and says the hand-off is manual."""
    result = await adapter(tmp_path, channel_id="UCms123").check()
    assert result.ok
    assert result.account == "UCms123"
    assert result.detail.startswith("manual hand-off; no credentials needed")
    bare = await adapter(tmp_path).check()
    assert "channel_id" in bare.detail


def test_post_text_joins_parts_as_paragraphs() -> None:
    """Several parts become paragraphs of one pasteable text."""
    two = teaser().model_copy(
        update={
            "parts": (
                TeaserPart(text="One.", count=4),
                TeaserPart(text="Two.", count=4),
            )
        }
    )
    assert post_text(two) == "One.\n\nTwo."
