"""Each platform's limit and exact counting rule, in one place.

`wire(text)` is the text as sent; `count` and `problems` measure that wire text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from crosspost.errors import UsageError
from crosspost.teasers.twitter_text import V3, weighted_length
from crosspost.teasers.twitter_urls import utf16_len

__all__ = [
    "RULES",
    "InstagramRule",
    "LinkedInRule",
    "PlatformRule",
    "XRule",
    "escape_little_text",
    "rule_for",
    "unescape_little_text",
]


@dataclass(frozen=True)
class PlatformRule:
    """A platform's limit in its own unit; plain text, counted in UTF-16 code units.

    UTF-16 is the safe unit where a platform does not say: it is never below the count
    in code points, and an emoji outside the BMP counts 2 rather than 1.
    """

    platform: str
    limit: int

    def wire(self, text: str) -> str:
        """The text exactly as it is sent."""
        return text

    def count(self, text: str) -> int:
        """The platform's count of `text`, which is already the wire text."""
        return utf16_len(text)

    def problems(self, text: str) -> list[str]:
        """Limits other than length that the wire `text` breaks."""
        return []


@dataclass(frozen=True)
class XRule(PlatformRule):
    """X: twitter-text's weighted length (v3: URLs 23, emoji and CJK 2), limit 280."""

    def count(self, text: str) -> int:
        return _x_count(text)

    def problems(self, text: str) -> list[str]:
        found: list[str] = []
        if not text.isascii():
            refused = sorted({f"U+{ord(ch):04X}" for ch in _X_REFUSED.findall(text)})
            if refused:
                found.append(f"contains {', '.join(refused)}, which X refuses")
        if "$" not in text:
            return found
        cashtags = _CASHTAG.findall(text)
        if len(cashtags) > 1:
            # Self-serve API access allows one cashtag per post (X changelog, 2025-10).
            found.append(
                f"{len(cashtags)} cashtags ({', '.join(cashtags)}); X allows 1"
            )
        return found


@dataclass(frozen=True)
class LinkedInRule(PlatformRule):
    """LinkedIn `commentary`: little text format, escaped, limit 3,000."""

    def wire(self, text: str) -> str:
        return escape_little_text(text)

    def unescape(self, wire: str) -> str:
        """The plain text behind little-text `wire` (for tests and the sandbox)."""
        return unescape_little_text(wire)

    # count: UTF-16 units of the escaped wire text. LinkedIn does not say whether its
    # 3,000 counts before or after escaping, nor code points or UTF-16 units; counting
    # the escaped text in UTF-16 is the larger of every reading, so never over.


@dataclass(frozen=True)
class InstagramRule(PlatformRule):
    """Instagram caption: 2,200 characters, at most 30 hashtags and 20 @mentions."""

    max_hashtags: int = 30
    max_mentions: int = 20

    def problems(self, text: str) -> list[str]:
        found: list[str] = []
        # Each hashtag has a "#" and each mention an "@": most captions need no search.
        hashtags = (
            len(_IG_HASHTAG.findall(text)) if text.count("#") > self.max_hashtags else 0
        )
        if hashtags > self.max_hashtags:
            found.append(
                f"{hashtags} hashtags; Instagram allows at most {self.max_hashtags}"
            )
        mentions = (
            len(_IG_MENTION.findall(text)) if text.count("@") > self.max_mentions else 0
        )
        if mentions > self.max_mentions:
            found.append(
                f"{mentions} @mentions; Instagram allows at most {self.max_mentions}"
            )
        return found


@lru_cache(maxsize=8192)
def _x_count(text: str) -> int:
    """Weighted length, remembered: fitting measures the same texts again and again."""
    return weighted_length(text, V3)


# twitter-text's cashtag: "$" and 1-6 letters (".xx" or "_xx" may follow) after a space.
_CASHTAG = re.compile(
    r"(?<!\S)\$[a-z]{1,6}(?:[._][a-z]{1,2})?(?=\Z|\s|[!'#%&()*+,\\\-./:;<=>?@\[\]^_{|}~$])",
    re.IGNORECASE,
)
_X_REFUSED = re.compile("[\ufffe\ufeff\uffff]")
_IG_HASHTAG = re.compile(r"(?<![\w#&])#\w+")
_IG_MENTION = re.compile(r"(?<![\w@])@[\w.]+")

# Little text format: these characters are markup; a stray one makes LinkedIn drop
# the rest of the post without an error.
_RESERVED = r"[\\|{}@\[\]()<>#*_~]"
_RESERVED_CHAR = re.compile(_RESERVED)
# An escaped "#" not after a non-space, before a letter or digit: a hashtag's, to bare.
# (The lookbehind comes after the literal "\#", which lets the search skip ahead.)
_BARE_HASHTAG = re.compile(r"\\#(?<!\S\\#)(?=[^\W_])")
_LITTLE_TEXT_ESCAPE = re.compile(rf"\\({_RESERVED})")
_URL_IN_PLAIN = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
_URL_TAIL = ".,;:!?'\""
_URL_HOST = re.compile(r"[a-z][a-z0-9+.-]*://[^/?#]*", re.IGNORECASE)
_URL_ENCODED = {ord(c): f"%{ord(c):02X}" for c in "\\|{}@[]()<>*_~#"}
_URL_CLOSERS = {")": "(", "]": "[", "}": "{"}


def escape_little_text(text: str) -> str:
    """`text` as LinkedIn little text: each reserved character escaped with `\\`,
    except the `#` that starts a word and is followed by a letter or digit, which is
    left bare so that the hashtag stays a hashtag.

    Inside a link, reserved characters are percent-encoded instead (`utm_source` is
    sent as `utm%5Fsource`), so the link needs no escape under either reading of the
    format: whether LinkedIn's auto-linker reads escapes is undocumented and tools
    disagree (crossposter leaves links bare, Postiz escapes them). `%5F` and `%7E`
    are equivalent to `_` and `~` (RFC 3986, 2.3); the others are not allowed bare in
    a URL or mean the same to servers. A fragment's `#` stays escaped: encoding it
    would change the link."""
    escaped: list[str] = []
    start = 0
    for url in _URL_IN_PLAIN.finditer(text):
        escaped += [_escape_plain(text[start : url.start()]), _escape_url(url.group())]
        start = url.end()
    escaped.append(_escape_plain(text[start:]))
    # Bared in the whole text, where what follows a "#" can be a link. A link's own
    # escaped "#" follows a character of it, not a space, so it stays escaped.
    return _BARE_HASHTAG.sub("#", "".join(escaped))


def _escape_url(url: str) -> str:
    """A link found in the text, and what trails it that is not part of it."""
    end = len(url)
    while end and (
        url[end - 1] in _URL_TAIL
        or (
            url[end - 1] in _URL_CLOSERS
            and url.count(_URL_CLOSERS[url[end - 1]], 0, end)
            < url.count(url[end - 1], 0, end)
        )
    ):
        end -= 1
    return _little_text_url(url[:end]) + _escape_plain(url[end:])


def _escape_plain(text: str) -> str:
    """Every reserved character escaped (a hashtag's "#" is bared afterwards)."""
    return _RESERVED_CHAR.sub(lambda match: "\\" + match.group(), text)


def _little_text_url(url: str) -> str:
    """`url` with reserved characters after its host percent-encoded (a fragment's
    `#` escaped); its scheme and host escaped as any text."""
    host = _URL_HOST.match(url)
    host_end = host.end() if host else len(url)
    rest, hash_mark, fragment = url[host_end:].partition("#")
    return (
        _escape_plain(url[:host_end])
        + rest.translate(_URL_ENCODED)
        + ("\\#" if hash_mark else "")
        + fragment.translate(_URL_ENCODED)
    )


def unescape_little_text(wire: str) -> str:
    """The plain text that `escape_little_text` was given (for tests, the sandbox):
    escapes undone, and in links the characters it percent-encoded decoded again."""
    plain = _LITTLE_TEXT_ESCAPE.sub(r"\1", wire)
    return _URL_IN_PLAIN.sub(lambda m: _URL_DECODED.sub(_decode, m.group(0)), plain)


_URL_DECODED = re.compile("|".join(_URL_ENCODED.values()), re.IGNORECASE)


def _decode(match: re.Match[str]) -> str:
    return chr(int(match.group(0)[1:], 16))


RULES: dict[str, PlatformRule] = {
    "x": XRule("x", 280),
    # Page post `message`: the commonly cited 63,206 (platforms.md §2.2, unverified).
    "facebook": PlatformRule("facebook", 63_206),
    "instagram": InstagramRule("instagram", 2_200),
    "linkedin": LinkedInRule("linkedin", 3_000),
    # Community posts have no API and YouTube publishes no text limit (Help Center,
    # "Create community posts"). Third-party figures run from 5,000 to over 7,700;
    # the lowest of them is the safe one for a hand-off that a person pastes.
    "youtube": PlatformRule("youtube", 5_000),
}


def rule_for(platform: str) -> PlatformRule:
    """The counting rule of `platform` (one of x, facebook, instagram, linkedin,
    youtube); an unknown name is a usage error."""
    try:
        return RULES[platform]
    except KeyError:
        raise UsageError(
            f"unknown platform {platform!r}",
            hint=f"use one of: {', '.join(RULES)}",
        ) from None
