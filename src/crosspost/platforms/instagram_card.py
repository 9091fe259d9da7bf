"""The Instagram card as a public JPEG: held to Instagram's limits, written into the
card folder, and addressed by the public URL Instagram fetches it from."""

from __future__ import annotations

import hashlib
import io
import os
import re
from pathlib import Path
from urllib.parse import quote

from PIL import Image

from crosspost.errors import ConfigError
from crosspost.platforms.errors import Rejected
from crosspost.settings import InstagramSettings
from crosspost.teasers.model import Card, Teaser

MAX_IMAGE_BYTES = 8 * 1024 * 1024
MIN_ASPECT, MAX_ASPECT = 0.8, 1.91


def host_card(teaser: Teaser, config: InstagramSettings) -> str:
    """Write the card as JPEG into `card_dir` (reused if there); return its URL."""
    if teaser.card is None:
        raise Rejected(
            f"instagram: teaser {teaser.summary_id}/{teaser.key} has no image "
            "card; Instagram has no text-only posts",
            platform="instagram",
        )
    if not config.card_base_url:
        raise ConfigError(
            "instagram: no public URL is set for the card folder "
            f"{config.card_dir}; Instagram fetches images from a public URL",
            hint="set CROSSPOST_INSTAGRAM__CARD_BASE_URL (or instagram."
            "card_base_url) to the address where the website serves that folder",
        )
    data = instagram_jpeg(teaser.card)
    digest = hashlib.sha256(data).hexdigest()[:12]
    name = f"{_slug(teaser.summary_id)}-{_slug(teaser.key)}-{digest}.jpg"
    path = config.card_dir / name
    if not path.is_file():
        _write_atomically(path, data)
    return f"{config.card_base_url.rstrip('/')}/{quote(name)}"


def instagram_jpeg(card: Card) -> bytes:
    """The card as JPEG within Instagram's limits, or Rejected naming the limit."""
    with Image.open(io.BytesIO(card.data)) as image:
        width, height = image.size
        aspect = width / height if height else 0.0
        if not MIN_ASPECT <= aspect <= MAX_ASPECT:
            raise Rejected(
                f"instagram: the card is {width}x{height} (aspect {aspect:.2f}); "
                f"Instagram takes {MIN_ASPECT} (4:5) to {MAX_ASPECT}:1",
                platform="instagram",
            )
        if image.format == "JPEG":
            data = card.data
        else:
            out = io.BytesIO()
            image.convert("RGB").save(out, format="JPEG", quality=90)
            data = out.getvalue()
    if len(data) > MAX_IMAGE_BYTES:
        raise Rejected(
            f"instagram: the card is {len(data)} bytes; Instagram takes at most 8 MB",
            platform="instagram",
        )
    return data


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "card"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    partial.write_bytes(data)
    partial.replace(path)
