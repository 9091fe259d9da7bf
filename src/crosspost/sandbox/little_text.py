"""LinkedIn's "little text format" as LinkedIn reads it, silent truncation included."""

from __future__ import annotations

import re

RESERVED = frozenset("\\|{}@[]()<>#*_~")
_MENTION = re.compile(
    r"@\[([^\]\\]*)\]\((urn:li:(?:person|organization):[A-Za-z0-9_-]+)\)"
)
_HASHTAG_TEMPLATE = re.compile(r"\{hashtag\|\\#\|([^{}|]+)\}")
_HASHTAG = re.compile(r"#[^\W_]+")


def displayed(commentary: str) -> str:
    """The text LinkedIn shows for `commentary`: escapes undone, mentions by name,
    and everything from the first unescaped reserved character on silently dropped."""
    out: list[str] = []
    i = 0
    while i < len(commentary):
        char = commentary[i]
        if char == "\\" and i + 1 < len(commentary) and commentary[i + 1] in RESERVED:
            out.append(commentary[i + 1])
            i += 2
            continue
        element = (
            _HASHTAG.match(commentary, i)
            or _MENTION.match(commentary, i)
            or _HASHTAG_TEMPLATE.match(commentary, i)
        )
        if element is not None:
            text = element.group(0) if char == "#" else element.group(1)
            out.append(f"#{text}" if char == "{" else text)
            i = element.end()
            continue
        if char in RESERVED:
            break
        out.append(char)
        i += 1
    return "".join(out)
