"""Parse a research summary in text, Markdown or HTML (by media type, name or sniff)."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Literal
from urllib.parse import urlsplit

from crosspost.summaries.errors import ParseError
from crosspost.summaries.html import parse_html
from crosspost.summaries.markdown import parse_markdown
from crosspost.summaries.model import Summary
from crosspost.summaries.text import parse_text

__all__ = [
    "Format",
    "decode",
    "detect_format",
    "parse_html",
    "parse_markdown",
    "parse_summary",
    "parse_text",
]

Format = Literal["text", "markdown", "html"]

_MEDIA_TYPES: dict[str, Format] = {
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/html": "html",
    "application/xhtml+xml": "html",
}
_SUFFIXES: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
_HTML_START = re.compile(
    r"\s*<(?:!doctype\s+html|!--|(?:html|head|body|article|main|section|div|p|h[1-6]|meta|ul"
    r"|ol|strong|b|br|figure|span|a)[\s>/])",
    re.IGNORECASE,
)
_MARKDOWN_SIGNS = re.compile(
    r"\A---[ \t]*\r?\n|^ {0,3}#{1,6}[ \t]|^\s*(?:\*\*|__)[A-Za-z]"
    r"|\[[^\]\n]+\]\([^)\n]+\)",
    re.MULTILINE,
)
_PARSERS: dict[Format, Callable[[str, str], Summary]] = {
    "text": parse_text,
    "markdown": parse_markdown,
    "html": parse_html,
}


def decode(data: bytes, source: str, charset: str | None = None) -> str:
    """Decode as UTF-8 (BOM dropped) or `charset`; ParseError names the bad line."""
    encoding = "utf-8"
    if charset:
        try:
            encoding = codecs.lookup(charset).name
        except LookupError:
            encoding = "utf-8"
    if encoding == "utf-8":
        data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ParseError(
            source,
            f"not readable as {encoding} text (byte {error.start}, line {line})",
            line=line,
            hint="save the file as UTF-8",
        ) from None


def _media(media_type: str | None) -> tuple[str | None, str | None]:
    if not media_type:
        return None, None
    kind, _, rest = media_type.partition(";")
    charset = None
    for parameter in rest.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return kind.strip().lower() or None, charset


def detect_format(text: str, source: str, *, media_type: str | None = None) -> Format:
    """The reader for `text`: by media type, then `source`'s extension, then content."""
    known = _MEDIA_TYPES.get(_media(media_type)[0] or "")
    if known:
        return known
    path = urlsplit(source).path if "://" in source else source
    by_name = _SUFFIXES.get(PurePosixPath(path.replace("\\", "/")).suffix.lower())
    if by_name:
        return by_name
    head = text[:4096].removeprefix("\ufeff")
    if _HTML_START.match(head):
        return "html"
    if _MARKDOWN_SIGNS.search(head):
        return "markdown"
    return "text"


def parse_summary(
    data: bytes | str, source: str, *, media_type: str | None = None
) -> Summary:
    """Parse `data` read from `source`, or raise ParseError naming source and line."""
    if isinstance(data, bytes):
        text = decode(data, source, _media(media_type)[1])
    else:
        text = data
    text = text.removeprefix("\ufeff")
    return _PARSERS[detect_format(text, source, media_type=media_type)](text, source)
