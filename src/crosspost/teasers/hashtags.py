"""Hashtags in CamelCase (read aloud as words), without duplicates, and capped."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# The most a platform accepts, and how many we use when a template does not say.
PLATFORM_MAXIMUM = {"instagram": 30}
DEFAULT_COUNT = {"x": 3, "facebook": 3, "instagram": 10, "linkedin": 3, "youtube": 3}

_WORD = re.compile(r"[^\W_]+")
_TAG_IN_TEXT = re.compile(r"(?<![\w&])[#＃](\w+)")


def camel_case(phrase: str) -> str | None:
    """`multiple sclerosis` → `#MultipleSclerosis`; inner capitals stay (MSResearch).

    None when nothing taggable is left (a tag of digits only is not a hashtag)."""
    words = _WORD.findall(unicodedata.normalize("NFC", phrase))
    tag = "".join(word[:1].upper() + word[1:] for word in words)
    if not tag or tag.isdigit():
        return None
    return "#" + tag


def tags_in(text: str) -> set[str]:
    """The hashtags already written in `text`, casefolded and without '#'."""
    return {match.casefold() for match in _TAG_IN_TEXT.findall(text)}


def select_hashtags(
    phrases: Iterable[str], *, platform: str, limit: int | None = None, text: str = ""
) -> list[str]:
    """CamelCase tags from `phrases`, in order: no duplicates (ignoring case),
    none already tagged in `text`, at most `limit` and the platform's maximum."""
    wanted = hashtag_count(platform, limit)
    seen = tags_in(text)
    chosen: list[str] = []
    for phrase in phrases:
        tag = camel_case(phrase)
        if tag is None or tag[1:].casefold() in seen:
            continue
        seen.add(tag[1:].casefold())
        chosen.append(tag)
    return chosen[: max(wanted, 0)]


def hashtag_count(platform: str, limit: int | None) -> int:
    """How many tags a post offers: the template's `limit` (default: the platform's
    usual count), never more than the platform accepts."""
    wanted = DEFAULT_COUNT.get(platform, 3) if limit is None else limit
    return max(min(wanted, PLATFORM_MAXIMUM.get(platform, wanted)), 0)
