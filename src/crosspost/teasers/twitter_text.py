"""X's weighted post length, counted exactly as twitter-text's parseTweet counts it.

Config v2/v3 follow twitter/twitter-text at 30e2430; URLs are found by twitter_urls.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex  # type: ignore[import-untyped, unused-ignore]

from crosspost.teasers.twitter_urls import extract_urls, utf16_len

__all__ = [
    "V2",
    "V3",
    "ParseResult",
    "TextConfig",
    "WeightedRange",
    "emoji_spans",
    "parse_tweet",
    "weighted_length",
]


@dataclass(frozen=True)
class WeightedRange:
    """Code points `start`..`end` (inclusive) weigh `weight` (in the config's scale)."""

    start: int
    end: int
    weight: int


@dataclass(frozen=True)
class TextConfig:
    """One twitter-text counting configuration (config/v2.json, config/v3.json)."""

    version: int
    max_weighted_tweet_length: int
    scale: int
    default_weight: int
    transformed_url_length: int
    ranges: tuple[WeightedRange, ...]
    emoji_parsing_enabled: bool


_LATIN_AND_PUNCTUATION = (
    WeightedRange(0x0000, 0x10FF, 100),
    WeightedRange(0x2000, 0x200D, 100),
    WeightedRange(0x2010, 0x201F, 100),
    WeightedRange(0x2032, 0x2037, 100),
)
V2 = TextConfig(2, 280, 100, 200, 23, _LATIN_AND_PUNCTUATION, False)
V3 = TextConfig(3, 280, 100, 200, 23, _LATIN_AND_PUNCTUATION, True)


@dataclass(frozen=True)
class ParseResult:
    """parseTweet's answer; ranges are inclusive UTF-16 indices into the input."""

    weighted_length: int
    valid: bool
    permillage: int
    display_range_start: int
    display_range_end: int
    valid_range_start: int
    valid_range_end: int

    def as_dict(self) -> dict[str, int | bool]:
        """The result under twitter-text's own field names (as in validate.yml)."""
        return {
            "weightedLength": self.weighted_length,
            "valid": self.valid,
            "permillage": self.permillage,
            "displayRangeStart": self.display_range_start,
            "displayRangeEnd": self.display_range_end,
            "validRangeStart": self.valid_range_start,
            "validRangeEnd": self.valid_range_end,
        }


def weighted_length(text: str, config: TextConfig = V3) -> int:
    """X's weighted length of `text` (280 is the limit for a standard account)."""
    if not text.strip(_JAVA_TRIMMED):
        return 0
    normalized = _nfc(text)
    return _weigh(normalized, _entities(normalized, config), config) // config.scale


def _nfc(text: str) -> str:
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def parse_tweet(text: str, config: TextConfig = V3) -> ParseResult:
    """Weighted length, validity and valid range of `text`, as twitter-text has them."""
    text16 = utf16_len(text)
    display_end = max(text16 - 1, 0)
    if not text.strip(_JAVA_TRIMMED):
        # Java's parser (and X) refuse an empty or blank post outright.
        return ParseResult(0, False, 0, 0, display_end, 0, 0)
    normalized = _nfc(text)
    entities = _entities(normalized, config)
    total = _weigh(normalized, entities, config)
    limit = config.max_weighted_tweet_length * config.scale
    has_invalid = not normalized.isascii() and _INVALID.search(normalized) is not None
    if total <= limit and not has_invalid:
        valid_end = utf16_len(normalized) - 1
    else:
        valid_end = _last_valid_index(normalized, entities, config)
    length = total // config.scale
    return ParseResult(
        weighted_length=length,
        valid=not has_invalid and 0 < length <= config.max_weighted_tweet_length,
        permillage=length * 1000 // config.max_weighted_tweet_length,
        display_range_start=0,
        display_range_end=display_end,
        valid_range_start=0,
        valid_range_end=valid_end + text16 - utf16_len(normalized),
    )


def emoji_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each emoji sequence that v3 counts once, as str indices."""
    return [match.span() for match in _emoji_matches(text)]


# Java's String.trim() removes every code point up to U+0020.
_JAVA_TRIMMED = "".join(chr(code) for code in range(0x21))
_INVALID = re.compile("[\ufffe\ufeff\uffff]")
_Entity = tuple[int, int, int]  # start, end, weight (scaled)
# The weight of every ASCII code point (None if they differ), the class of the code
# points outside every range, and one class per range weight.
_Classes = tuple[int | None, re.Pattern[str], tuple[tuple[int, re.Pattern[str]], ...]]


def _entities(text: str, config: TextConfig) -> list[_Entity]:
    """URLs and (v3) emoji in the order parseTweet meets them; a URL wins a tie."""
    url_weight = config.transformed_url_length * config.scale
    found = [(start, 0, end, url_weight) for start, end, _ in extract_urls(text)]
    if config.emoji_parsing_enabled:
        weight = config.default_weight
        found += [(m.start(), 1, m.end(), weight) for m in _emoji_matches(text)]
        found.sort()
    entities: list[_Entity] = []
    position = 0
    for start, _, end, weight in found:
        if start >= position:  # one that starts inside an earlier entity is never seen
            entities.append((start, end, weight))
            position = end
    return entities


def _weigh(text: str, entities: list[_Entity], config: TextConfig) -> int:
    total = 0
    position = 0
    for start, end, weight in entities:
        total += _segment_weight(text[position:start], config) + weight
        position = end
    return total + _segment_weight(text[position:], config)


def _segment_weight(segment: str, config: TextConfig) -> int:
    """Sum of per-code-point weights, counted by character class, not one by one."""
    if not segment:
        return 0
    ascii_weight, heavy, classes = _classes_of(config)
    if ascii_weight is not None and segment.isascii():
        return ascii_weight * len(segment)  # most text: weighed without a search
    rest = len(segment) - len(heavy.findall(segment))
    total = config.default_weight * (len(segment) - rest)
    for weight, pattern in classes[1:]:
        count = len(pattern.findall(segment))
        total += weight * count
        rest -= count
    return total + classes[0][0] * rest if classes else total


_CLASSES: dict[int, tuple[TextConfig, _Classes]] = {}


def _classes_of(config: TextConfig) -> _Classes:
    """`_weight_classes(config)` by the config's identity: hashing a config (its
    tuple of ranges) on every segment costs more than weighing the segment."""
    found = _CLASSES.get(id(config))
    if found is None or found[0] is not config:
        found = _CLASSES[id(config)] = (config, _weight_classes(config))
    return found[1]


@lru_cache(maxsize=8)
def _weight_classes(config: TextConfig) -> _Classes:
    """The weight of every ASCII code point (if they share one), the class of code
    points outside every range, then one class per range weight.

    The first weight's count is what is left over, so common text (nearly all in the
    first range) costs one search for its few heavy characters.
    """
    by_weight: dict[int, list[str]] = {}
    for span in config.ranges:
        by_weight.setdefault(span.weight, []).append(
            f"{_class_char(span.start)}-{_class_char(span.end)}"
        )
    every = "".join(part for parts in by_weight.values() for part in parts)
    heavy = re.compile(f"[^{every}]" if every else "(?s:.)")
    classes = tuple(
        (weight, re.compile(f"[{''.join(parts)}]"))
        for weight, parts in by_weight.items()
    )
    ascii_weights = {_weight_of(code, config) for code in range(0x80)}
    ascii_weight = ascii_weights.pop() if len(ascii_weights) == 1 else None
    return ascii_weight, heavy, classes


def _class_char(code: int) -> str:
    return f"\\U{code:08x}"


def _weight_of(code: int, config: TextConfig) -> int:
    for span in config.ranges:
        if span.start <= code <= span.end:
            return span.weight
    return config.default_weight


def _last_valid_index(text: str, entities: list[_Entity], config: TextConfig) -> int:
    """UTF-16 index of the last unit within the limit and before any invalid char."""
    limit = config.max_weighted_tweet_length * config.scale
    total = 0
    offset16 = 0
    last = 0
    index = 0
    for start, end, weight in [*entities, (len(text), len(text), 0)]:
        while index < start:
            code = ord(text[index])
            if _INVALID.match(text[index]):
                return last
            total += _weight_of(code, config)
            offset16 += 2 if code > 0xFFFF else 1
            if total > limit:
                return last
            last = offset16 - 1
            index += 1
        if start == len(text):
            break
        total += weight
        offset16 += utf16_len(text[start:end])
        if total > limit:
            return last
        last = offset16 - 1
        index = end
    return last


# --- Emoji: the sequences twemoji-parser (v3) counts once -------------------------
# Built from Unicode properties rather than twemoji's list: every RGI sequence
# matches alike; a non-RGI ZWJ or flag pair counts once here, where twemoji splits it.

_TEXT_STYLE_BASE = r"[\p{Emoji_Modifier_Base}--\p{Emoji_Presentation}]"
_EMOJI_STYLE_BASE = r"[\p{Emoji_Modifier_Base}&&\p{Emoji_Presentation}]"
_TEXT_STYLE = r"[\p{Emoji}--\p{Emoji_Presentation}--[#*0-9\u00a9\u00ae\u2122\u265f]]"
_SHOWN_AS_EMOJI = r"(?:\ufe0f|(?!\ufe0e))"
_ELEMENT = (
    r"(?:[#*0-9]\ufe0f?\u20e3"
    r"|\p{Regional_Indicator}{2}"
    r"|\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
    rf"|{_EMOJI_STYLE_BASE}\p{{Emoji_Modifier}}?"
    rf"|{_TEXT_STYLE_BASE}{_SHOWN_AS_EMOJI}\p{{Emoji_Modifier}}?"
    r"|[\u00a9\u00ae\u2122\u265f]\ufe0f"
    rf"|{_TEXT_STYLE}{_SHOWN_AS_EMOJI}"
    r"|\p{Emoji_Presentation})"
)
# regex has no type stubs; its compiled patterns answer like re's.
_EMOJI: re.Pattern[str] = regex.compile(rf"{_ELEMENT}(?:\u200d{_ELEMENT})*", regex.V1)
# Every emoji holds a code point from U+203C up, or starts with "©" or "®"; a keycap's
# digit sits just before its U+FE0F or U+20E3. So the scan starts one before the first.
_EMOJI_HINT = re.compile("[\u00a9\u00ae\u203c-\U0010ffff]")


def _emoji_matches(text: str) -> list[re.Match[str]]:
    hint = None if text.isascii() else _EMOJI_HINT.search(text)
    if hint is None:
        return []
    return list(_EMOJI.finditer(text, max(hint.start() - 1, 0)))
