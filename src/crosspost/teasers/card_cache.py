"""Cards drawn once: each distinct card (summary text, finding, size, branding) is drawn
once per run and kept on disk under `<state_dir>/cards/`, so `preview` and a later
`post` send the very bytes that were looked at, without drawing them again."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from crosspost.settings import BrandingSettings
from crosspost.summaries.model import Paragraph, Summary
from crosspost.teasers import cards
from crosspost.teasers.cards import SIZES, short_address
from crosspost.teasers.model import Card

# Bump when drawing changes, so cards drawn by an older crosspost are drawn again.
DRAWING_VERSION = "2"


class CardCache:
    """Cards by content: in memory for this run, on disk (if a folder is given) across
    runs. `drawn` and `reused` count what was drawn and what was found."""

    def __init__(self, branding: BrandingSettings, folder: Path | None) -> None:
        self.branding = branding
        self.folder = folder
        self.drawn = 0
        self.reused = 0
        self._cards: dict[str, Card] = {}
        self._branding_key = _branding_key(branding)

    def card(self, summary: Summary, platform: str, finding: Paragraph | None) -> Card:
        """The card of `summary` for `platform` showing `finding`, drawn if new."""
        finding = finding or (summary.findings[0] if summary.findings else None)
        key = self.key(summary, platform, finding)
        card = self._cards.get(key) or self._read(key)
        if card is None:
            card = cards.make_card(
                summary, platform, finding=finding, branding=self.branding
            )
            self.drawn += 1
            self._write(key, card)
        else:
            self.reused += 1
        self._cards[key] = card
        return card

    def key(self, summary: Summary, platform: str, finding: Paragraph | None) -> str:
        """What the card shows and how it is drawn, hashed: equal keys, equal bytes."""
        size = SIZES.get(platform)
        shown = {
            "version": DRAWING_VERSION,
            "size": [size.width, size.height, size.format] if size else platform,
            "title": summary.title,
            "address": short_address(summary),
            "finding": [finding.number, finding.text] if finding else None,
            "branding": self._branding_key,
        }
        blob = json.dumps(shown, sort_keys=True, ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()[:32]

    def _read(self, key: str) -> Card | None:
        if self.folder is None:
            return None
        try:
            meta = json.loads((self.folder / f"{key}.json").read_text("utf-8"))
            data = (self.folder / f"{key}.{_suffix(meta['format'])}").read_bytes()
            return Card(
                width=meta["width"],
                height=meta["height"],
                format=meta["format"],
                data=data,
                alt_text=meta["alt_text"],
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None  # absent or damaged: drawn again

    def _write(self, key: str, card: Card) -> None:
        if self.folder is None:
            return
        meta = {
            "width": card.width,
            "height": card.height,
            "format": card.format,
            "alt_text": card.alt_text,
        }
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_atomic(self.folder / f"{key}.{_suffix(card.format)}", card.data)
            _write_atomic(self.folder / f"{key}.json", json.dumps(meta).encode("utf-8"))
        except OSError:
            pass  # a cache that cannot be written is only slower


def _suffix(format: str) -> str:
    return "jpg" if format == "JPEG" else "png"


def _branding_key(branding: BrandingSettings) -> list[object]:
    """Branding as drawn: colours, organisation, and the font and logo files by
    content, so a replaced logo at the same path draws new cards."""
    files = []
    for path in (branding.font, branding.logo):
        files.append(_file_hash(path) if path else None)
    return [
        branding.organisation,
        branding.background,
        branding.foreground,
        branding.accent,
        *files,
    ]


def _file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return f"unreadable:{path}"  # make_card reports it as a ConfigError


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
