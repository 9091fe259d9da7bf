"""Read a summary from the site's HTML: a WordPress post page or a feed entry's content.

A page gives title (`h1.entry-title` or a block theme's `h1.wp-block-post-title`, else
`og:title` or `<title>` without the site's name), canonical URL, date, image and tags;
the text comes from `.entry-content` (else an older theme's `div.entry`,
`.post-content` and the like, else the whole fragment), without comments, forms,
scripts and page chrome. Block elements and `<br>` break lines, so labels in
`<strong>`, `<b>` or headings read like the plain-text labels; list items are lines of
one paragraph; digits in `<sup>` and `<sub>` become superscript and subscript digits
(`10<sup>9</sup>` is 10⁹, not 109).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from html.parser import HTMLParser

from crosspost.summaries._assemble import assemble
from crosspost.summaries.errors import ParseError
from crosspost.summaries.model import Summary
from crosspost.summaries.text import split_blocks

_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
    | {"param", "source", "track", "wbr"}
)
_BLOCK = frozenset(
    {"address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption"}
    | {"figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr"}
    | {"main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"}
)
_SKIP = frozenset(
    {"aside", "button", "footer", "form", "head", "header", "iframe", "nav", "noscript"}
    | {"script", "select", "style", "svg", "template", "textarea"}
)
_TITLE_CLASSES = frozenset({"entry-title", "wp-block-post-title", "post-title"})
# Older themes name the post body otherwise; used only when no `.entry-content` exists.
_OTHER_CONTENT = frozenset(
    {"entry", "post-content", "post-body", "postentry", "post-entry", "storycontent"}
    | {"article-content", "single-content", "td-post-content"}
)
_SCRIPTS = {
    "sup": str.maketrans("0123456789+-−=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾"),
    "sub": str.maketrans("0123456789+-−=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎"),
}
_SCRIPT_TEXT = re.compile(r"[0-9+\-−=()]+")
_SEPARATORS = ("|", "»", "–", "—", "-", "·", "::")
_PREFIX_AFTER_SEPARATOR = re.compile(
    r".*?\s(?:[|»–—·-]|::)\s+(?=research[\s\-–—]*summary\s*[:\-–—|])", re.IGNORECASE
)
_TRAILING_SITE = re.compile(r"\s+[|»]\s+[^|»]*$")
_HINT = (
    "expected a research summary: a WordPress post (or feed entry) whose content has"
    " 'FINDING #1:' paragraphs"
)


class _Lines:
    """Text lines with the source line each starts on; a blank one breaks paragraphs."""

    def __init__(self) -> None:
        self.lines: list[tuple[int, str]] = []
        self._buffer: list[str] = []
        self._line = 0

    def text(self, data: str, line: int) -> None:
        if not self._buffer:
            if not data.strip():
                return
            self._line = line
        self._buffer.append(data)

    def newline(self) -> None:
        if self._buffer:
            self.lines.append((self._line, "".join(self._buffer)))
            self._buffer = []

    def paragraph(self) -> None:
        self.newline()
        self.lines.append((self._line, ""))


class _PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.body = _Lines()
        self.content = _Lines()
        self.other_content = _Lines()
        self.has_content = False
        self.has_other_content = False
        self.meta: dict[str, list[str]] = {}
        self.canonical: str | None = None
        self.times: list[str] = []
        self.images: list[str] = []
        self.other_images: list[str] = []
        self.tag_links: list[str] = []
        self.heading_title: str | None = None
        self.page_title: str | None = None
        self._stack: list[tuple[str, bool, bool, bool, str | None]] = []
        self._skip = 0
        self._inside = 0
        self._inside_other = 0
        self._script: list[str] = []
        self._capture: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        classes = found.get("class", "").split()
        element_id = found.get("id", "")
        if tag == "meta":
            key = (found.get("property") or found.get("name") or "").lower()
            self.meta.setdefault(key, []).append(found.get("content", "").strip())
        elif tag == "link" and "canonical" in found.get("rel", "").lower().split():
            self.canonical = found.get("href", "").strip() or None
        elif tag == "time" and found.get("datetime"):
            self.times.append(found["datetime"])
        elif tag == "img" and found.get("src") and not self._skip:
            (self.images if self._inside else self.other_images).append(found["src"])
        if tag == "br":
            self._sinks("newline")
        if tag in _VOID:
            return
        top = self._stack[-1][0] if self._stack else None
        if (tag in _BLOCK and top in ("p", "li")) or (tag == "li" and top == "li"):
            self._pop(len(self._stack) - 1)
        capture = None
        if tag == "title":
            capture = "title"
        elif tag in ("h1", "h2") and _TITLE_CLASSES.intersection(classes):
            capture = "heading"
        elif tag == "a":
            rel = found.get("rel", "").lower().split()
            wanted = "tag" in rel and "category" not in rel and not self._skip
            capture = "tag" if wanted else None
        skip = (
            tag in _SKIP
            or element_id.startswith(("comment", "respond"))
            or any(
                name.startswith(("comment", "sharedaddy", "jp-relatedposts"))
                for name in classes
            )
        )
        inside = "entry-content" in classes
        other = not inside and not _OTHER_CONTENT.isdisjoint(classes)
        self._stack.append((tag, skip, inside, other, capture))
        self._skip += skip
        self._inside += inside
        self._inside_other += other
        self.has_content = self.has_content or inside
        self.has_other_content = self.has_other_content or other
        if tag in _SCRIPTS:
            self._script.append(tag)
        if capture:
            self._capture[capture] = []
        if tag in _BLOCK:
            self._sinks("paragraph")
        elif tag == "li":
            self._sinks("newline")

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                self._pop(index)
                return

    def handle_data(self, data: str) -> None:
        if self._script and _SCRIPT_TEXT.fullmatch(data):
            # 10<sup>9</sup> must not read as 109.
            data = data.translate(_SCRIPTS[self._script[-1]])
        for parts in self._capture.values():
            parts.append(data)
        if self._skip:
            return
        line = self.getpos()[0]
        self.body.text(data, line)
        if self._inside:
            self.content.text(data, line)
        if self._inside_other:
            self.other_content.text(data, line)

    def _pop(self, index: int) -> None:
        while len(self._stack) > index:
            tag, skip, inside, other, capture = self._stack.pop()
            self._skip -= skip
            self._inside -= inside
            self._inside_other -= other
            if tag in _SCRIPTS and self._script:
                self._script.pop()
            if capture and capture in self._capture:
                text = " ".join("".join(self._capture.pop(capture)).split())
                if capture == "title":
                    self.page_title = self.page_title or text or None
                elif capture == "heading":
                    self.heading_title = self.heading_title or text or None
                elif text:
                    self.tag_links.append(text)
            if tag in _BLOCK:
                self._sinks("paragraph")
            elif tag == "li":
                self._sinks("newline")

    def _sinks(self, action: str) -> None:
        getattr(self.body, action)()
        getattr(self.content, action)()
        getattr(self.other_content, action)()

    def close(self) -> None:
        super().close()
        self._sinks("newline")  # the last line has no tag after it to end it

    def first_meta(self, key: str) -> str | None:
        return next((value for value in self.meta.get(key, []) if value), None)

    def lines(self) -> list[tuple[int, str]]:
        """The post's text: `.entry-content`, else an older theme's body, else all."""
        if self.has_content:
            return self.content.lines
        if self.has_other_content:
            return self.other_content.lines
        return self.body.lines

    def title(self) -> str | None:
        """The post heading, else the page title without the site's name around it."""
        if self.heading_title:
            return self.heading_title
        page = self.first_meta("og:title") or self.page_title
        return (
            _without_site_name(page, self.first_meta("og:site_name")) if page else None
        )


def _without_site_name(title: str, site: str | None) -> str:
    """`Site » Blog Archive » Research Summary: X | Site` → `Research Summary: X`."""
    if site:
        for separator in _SEPARATORS:
            title = title.removesuffix(f" {separator} {site}")
            title = title.removeprefix(f"{site} {separator} ")
    before = _PREFIX_AFTER_SEPARATOR.match(title)
    if before:
        title = title[before.end() :]
    # Without the site's name only `|` and `»` are taken as its separator: paper
    # titles use dashes.
    return _TRAILING_SITE.sub("", title).strip() if not site else title.strip()


def _page_date(reader: _PageReader, notes: list[str]) -> date | None:
    candidates = [*reader.meta.get("article:published_time", []), *reader.times]
    for value in candidates:
        try:
            return datetime.fromisoformat(value.strip()).date()
        except ValueError:
            notes.append(f"unreadable publication date {value.strip()[:40]!r} ignored")
    return None


def parse_html(
    html: str,
    source: str,
    *,
    title: str | None = None,
    url: str | None = None,
    published: date | None = None,
    tags: Sequence[str] = (),
) -> Summary:
    """Parse a post page or a feed entry's content; the arguments (a feed's) win."""
    reader = _PageReader()
    try:
        reader.feed(html)
        reader.close()
    except AssertionError:
        # html.parser asserts on some malformed markup, e.g. an unknown `<![word[`.
        raise ParseError(source, "the HTML could not be read", hint=_HINT) from None
    notes: list[str] = []
    blocks, end_line = split_blocks(reader.lines(), title_line=False)
    return assemble(
        blocks,
        source,
        end_line=end_line,
        title=title or reader.title(),
        title_first=False,
        url=url or reader.canonical or reader.first_meta("og:url"),
        published=published or _page_date(reader, notes),
        image_url=reader.first_meta("og:image")
        or next(iter(reader.images), None)
        or (None if reader.has_content else next(iter(reader.other_images), None)),
        tags=list(tags)
        or [tag for tag in reader.meta.get("article:tag", []) if tag]
        or reader.tag_links,
        warnings=notes,
        expected=_HINT,
    )
