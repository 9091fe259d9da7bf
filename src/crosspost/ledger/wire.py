"""What the ledger keeps of a teaser's text: exactly what is sent, and its hash."""

from __future__ import annotations

import hashlib

from crosspost.teasers.model import Teaser

PART_SEPARATOR = "\x1e"


def wire_text(teaser: Teaser) -> str:
    """Exactly what is sent: every part's wire text, in order, joined by U+001E."""
    return PART_SEPARATOR.join(part.text for part in teaser.parts)


def text_hash(teaser: Teaser | str) -> str:
    """A hash of exactly what is sent (a teaser, or its `wire_text`)."""
    blob = teaser if isinstance(teaser, str) else wire_text(teaser)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]
