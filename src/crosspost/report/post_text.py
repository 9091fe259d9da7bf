"""How a post's text shows on a page: LinkedIn's little text as readers see it, where
a feed folds long text, how near the limit a post is, and the short names of things.

Where a feed folds long text behind "…see more", the page marks the fold at the length
a phone shows (posttruncate.com/en/platform-limits, 2026): LinkedIn about 140
characters (210 on a desktop), Instagram about 125, a Facebook Page post about 110
(480 on a desktop). X shows a post of up to 280 characters whole; YouTube publishes no
fold for community posts, so none is drawn there.
"""

from __future__ import annotations

import re
from datetime import datetime

from crosspost.teasers.rules import unescape_little_text

NEAR_LIMIT = 0.9
# Characters shown before "…see more" on a phone (see the module docstring).
FOLDS: dict[str, int] = {"linkedin": 140, "instagram": 125, "facebook": 110}
FOLD_WORDS = {"linkedin": "…see more", "instagram": "… more", "facebook": "See more"}
_LITTLE_HASHTAG = re.compile(r"\{hashtag\|\\?#\|([^}]*)\}")
_LITTLE_MENTION = re.compile(r"@\[([^\]]*)\]\(urn:li:[^)]*\)")
_SLUG = re.compile(r"[^a-z0-9]+")


def linkedin_reader_text(wire: str) -> str:
    """LinkedIn's little-text `commentary` as readers see it: escapes, hashtag and
    mention templates turned back into plain text."""
    text = _LITTLE_HASHTAG.sub(lambda m: "#" + m.group(1), wire)
    text = _LITTLE_MENTION.sub(lambda m: m.group(1), text)
    return unescape_little_text(text)


def fold_at(text: str, length: int | None) -> int:
    """Where a feed folds `text` shown `length` characters deep: the last space at or
    before it (the whole text when it is short enough, or there is no fold)."""
    if length is None or len(text) <= length:
        return len(text)
    cut = max(text.rfind(" ", 0, length + 1), text.rfind("\n", 0, length + 1))
    return cut if cut > 0 else length


def heading(variant: str, key: str) -> str:
    """A post's name on the page: "announce", "finding #2"."""
    if key == variant:
        return variant
    if key.startswith("finding-"):
        return f"finding #{key.removeprefix('finding-')}"
    return key


def when(planned: datetime | None) -> str | None:
    if planned is None:
        return None
    zone = planned.tzname() or ""
    return f"{planned:%a %d %b %Y, %H:%M} {zone}".strip()


def slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-") or "post"


def count_status(count: int, limit: int) -> str:
    if count > limit:
        return "over"
    return "near" if count >= limit * NEAR_LIMIT else "ok"


def count_label(count: int, limit: int) -> str:
    if count > limit:
        return f"over the limit by {count - limit}"
    if count >= limit * NEAR_LIMIT:
        return f"close to the limit: {limit - count} left"
    return f"{limit - count} left"
