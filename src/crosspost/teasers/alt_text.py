"""Alt text for image cards, in the card's own words, within X's 1,000 characters."""

from __future__ import annotations

import re

ALT_TEXT_LIMIT = 1000
ELLIPSIS = "…"

_SPACE = re.compile(r"\s+")


def shorten_words(text: str, limit: int) -> str:
    """`text` with whitespace collapsed, cut at a word boundary with an ellipsis if
    longer than `limit`; a first word that alone is too long is dropped, not cut."""
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    if limit < len(ELLIPSIS):
        return ""
    head = text[: limit - len(ELLIPSIS) + 1]
    cut = head.rfind(" ")
    if cut <= 0:
        return ELLIPSIS
    return head[:cut].rstrip(" ,;:–—-") + ELLIPSIS


def card_alt_text(
    *,
    title: str,
    finding: str | None,
    finding_number: int | None,
    organisation: str,
    limit: int = ALT_TEXT_LIMIT,
) -> str:
    """Describe a card as it reads: who it is from, its title, its finding.

    At most `limit` characters: the finding is shortened first, then the title, always
    at a word boundary."""
    intro = (
        f"Research summary card from {organisation}."
        if organisation.strip()
        else ("Research summary card.")
    )
    intro = shorten_words(intro, limit)
    title_text = _sentence(title)
    label = f"Finding {finding_number}: " if finding_number is not None else "Finding: "
    finding_text = _sentence(finding) if finding else ""

    def joined(title_part: str, finding_part: str) -> str:
        parts = [intro, f"Title: {title_part}" if title_part else ""]
        if finding_part:
            parts.append(label + finding_part)
        return " ".join(part for part in parts if part)

    full = joined(title_text, finding_text)
    if len(full) <= limit:
        return full
    if finding_text:
        room = limit - len(joined(title_text, "")) - 1 - len(label)
        if room > len(ELLIPSIS) + 8:
            return joined(title_text, shorten_words(finding_text, room))
    room = limit - len(joined("", "")) - len(" Title: ")
    return joined(shorten_words(title_text, max(room, 0)), "")


def _sentence(text: str) -> str:
    text = _SPACE.sub(" ", text).strip()
    if text and text[-1] not in ".!?…":
        text += "."
    return text
