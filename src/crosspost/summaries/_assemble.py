"""Turn labelled blocks into a Summary (the continuation rule is told in `text`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from crosspost.summaries.errors import ParseError
from crosspost.summaries.model import Paragraph, Summary

if TYPE_CHECKING:
    from crosspost.summaries.text import Block

TITLE_PREFIX = re.compile(r"\s*research[\s\-–—]*summary\s*[:\-–—|]+\s*", re.IGNORECASE)
_KIND_WORD = re.compile(r"\W*(background|finding|thought)", re.IGNORECASE)
_LIST_ITEM = re.compile(r"(?:[-*•–]|[0-9]+[.)])\s")
_OPEN_ENDINGS = (":", ",", ";", "-", "–", "—")
_FIELDS = ("what", "who", "where", "when")
_TITLE_HINT = "start the summary with a line 'Research Summary: <paper title>'"
_PAGE_TITLE_HINT = (
    "give the post a title 'Research Summary: <paper title>'"
    ' (its <h1 class="entry-title">, <title> or the feed entry\'s title)'
)
_LABEL_HINT = "write each finding as 'FINDING #1: <text>', numbered from 1"
# Summaries have a handful of paragraphs of each kind: a larger number is a typo.
_LIKELY_MAX = 999
_GAPS_SHOWN = 5


@dataclass(slots=True)
class _Numbered:
    kind: str
    number: int
    line: int
    parts: list[str] = field(default_factory=list)
    unnumbered: bool = False

    @property
    def label(self) -> str:
        return f"{self.kind.upper()} #{self.number}"


def paper_title(title: str) -> str:
    """`title` without its `Research Summary:` prefix, whitespace normalised."""
    return " ".join(TITLE_PREFIX.sub("", title, count=1).split())


def _title(
    blocks: Sequence[Block],
    source: str,
    title: str | None,
    *,
    title_first: bool,
    notes: list[str],
) -> tuple[str, int]:
    """The paper title and the index of the first block after it."""
    first = blocks[0] if blocks else None
    start = 0
    if title_first:
        if first is None or first.kind is not None:
            found = "nothing" if first is None else "a label"
            raise ParseError(
                source,
                f"expected a title 'Research Summary: <paper title>', found {found}",
                line=first.line if first else 1,
                hint=_TITLE_HINT,
            )
        title, start = first.text, 1
        if not TITLE_PREFIX.match(title):
            notes.append(f"line {first.line}: title does not start 'Research Summary:'")
    else:
        # On a page the title line may follow site chrome: what precedes it goes.
        wanted = paper_title(title).casefold() if title is not None else None
        for index, block in enumerate(blocks):
            if block.kind is not None:
                break
            text = block.text
            if TITLE_PREFIX.match(text) or paper_title(text).casefold() == wanted:
                title, start = title or text, index + 1
                break
    bare = paper_title(title or "")
    if not bare:
        raise ParseError(
            source,
            "no paper title found (expected 'Research Summary: <paper title>')",
            line=first.line if first else 1,
            hint=_TITLE_HINT if title_first else _PAGE_TITLE_HINT,
        )
    return bare, start


def _empty(source: str, entry: _Numbered) -> ParseError:
    unnumbered = f"the unnumbered {entry.kind.upper()} (read as #{entry.number})"
    return ParseError(
        source,
        f"{unnumbered if entry.unnumbered else entry.label} has no text",
        line=entry.line,
        hint=f"write its text after the label, e.g. '{entry.label}: …'",
    )


class _Sections:
    """Collects intro, What?/Who?/Where?/When? and numbered paragraphs, in order."""

    def __init__(self, source: str, notes: list[str]) -> None:
        self.source = source
        self.notes = notes
        self.intro: list[str] = []
        self.fields: dict[str, list[str]] = {}
        self.numbered: dict[str, list[_Numbered]] = {
            "background": [],
            "finding": [],
            "thought": [],
        }
        self.seen: dict[tuple[str, int], _Numbered] = {}
        self.highest = dict.fromkeys(self.numbered, 0)
        self.target: list[str] | None = self.intro
        self.last: _Numbered | None = None
        self.latest: _Numbered | None = None
        self.pending: _Numbered | None = None
        self.near_label_line: int | None = None

    def field(self, block: Block, kind: str) -> bool:
        """Start a What?-style block; False when it repeats one, so it reads as text."""
        if kind in self.fields:
            self.notes.append(
                f"line {block.line}: a second '{kind.title()}?', read as text"
            )
            return False
        text = block.text
        self.fields[kind] = [text] if text else []
        self.target, self.last = self.fields[kind], None
        return True

    def plain(self, block: Block, text: str, next_kind: str | None) -> None:
        last = self.last
        if self.pending is not None:
            self.pending.parts.append(text)
            self.pending = None
        elif block.near_label:
            self._near_label(block, text)
        elif last is not None:
            previous = last.parts[-1]
            if (
                next_kind == last.kind
                or previous.endswith(_OPEN_ENDINGS)
                or text[:1].islower()
                or _LIST_ITEM.match(text) is not None
            ):
                last.parts.append(text)
                self.notes.append(
                    f"line {block.line}: paragraph read as part of {last.label}"
                )
            else:
                self.target = self.last = None
        elif self.target is not None:
            self.target.append(text)

    def _near_label(self, block: Block, text: str) -> None:
        """Text that starts like a label is kept, never dropped as a transition."""
        start = " ".join(text[:40].split()[:4])
        start += " …" if len(start) < len(text) else ""
        kind = _KIND_WORD.match(text)
        example = f"{kind[1].upper() if kind else 'FINDING'} #1: …"
        note = (
            f"line {block.line}: '{start}' starts like a label but is not one"
            f" (a label reads '{example}')"
        )
        self.near_label_line = self.near_label_line or block.line
        entry = self.last or (self.latest if self.target is None else None)
        if entry is not None:
            entry.parts.append(text)
            self.last = entry
            self.notes.append(f"{note}; read as part of {entry.label}")
        else:
            (self.target if self.target is not None else self.intro).append(text)
            self.notes.append(f"{note}; read as text")

    def numbered_paragraph(self, block: Block, kind: str, number: int | None) -> None:
        """Start a numbered paragraph; one without a number takes the next one."""
        unnumbered = number is None
        if number is None:
            number = self.highest[kind] + 1
            self.notes.append(
                f"line {block.line}: {kind.upper()} without a number,"
                f" read as {kind.upper()} #{number}"
            )
        key = (kind, number)
        if key in self.seen:
            first = self.seen[key]
            raise ParseError(
                self.source,
                f"{kind.upper()} #{number} appears twice"
                f" (see line {first.line}{', unnumbered' if first.unnumbered else ''})",
                line=block.line,
                hint=f"number each {kind.upper()} once: #1, #2, #3, …",
            )
        text = block.text
        entry = _Numbered(kind, number, block.line, [text] if text else [], unnumbered)
        self.seen[key] = self.latest = entry
        self.highest[kind] = max(self.highest[kind], number)
        self.numbered[kind].append(entry)
        self.pending = None if text else entry
        self.target, self.last = None, entry

    def paragraphs(self, kind: str) -> tuple[Paragraph, ...]:
        entries = self.numbered[kind]
        if entries:
            self.notes.extend(_numbering_warnings(kind, entries))
        return tuple(
            Paragraph(number=e.number, text=" ".join(e.parts)) for e in entries
        )

    def text(self, name: str) -> str | None:
        parts = self.fields.get(name)
        return "\n\n".join(parts) if parts else None


def _numbering_warnings(kind: str, entries: list[_Numbered]) -> list[str]:
    """Out of order, gaps (as ranges, below `_LIKELY_MAX`) and unlikely numbers."""
    numbers = [entry.number for entry in entries]
    label, line = kind.upper(), entries[0].line
    notes = []
    if numbers != sorted(numbers):
        order = ", ".join(map(str, numbers[:20])) + (", …" if len(numbers) > 20 else "")
        notes.append(f"line {line}: {label}s are numbered out of order ({order})")
    gaps: list[str] = []
    expected = 1
    for number in sorted({n for n in numbers if n <= _LIKELY_MAX}):
        if number == expected + 1:
            gaps.append(f"#{expected}")
        elif number > expected:
            gaps.append(f"#{expected}–#{number - 1}")
        expected = max(expected, number + 1)
    if gaps:
        more = len(gaps) - _GAPS_SHOWN
        shown = ", ".join(gaps[:_GAPS_SHOWN])
        shown += f" and {more} more" if more > 0 else ""
        kinds = "a numbering gap" if len(gaps) == 1 else "numbering gaps"
        notes.append(f"line {line}: no {label} {shown} ({kinds})")
    notes.extend(
        f"line {entry.line}: {entry.label} is an unlikely number (a typo?);"
        f" {label}s are numbered #1, #2, #3, …"
        for entry in entries
        if entry.number > _LIKELY_MAX
    )
    return notes


def assemble(
    blocks: Sequence[Block],
    source: str,
    *,
    end_line: int | None,
    title: str | None = None,
    title_first: bool = True,
    url: str | None = None,
    published: date | None = None,
    image_url: str | None = None,
    tags: Sequence[str] = (),
    warnings: Sequence[str] = (),
    expected: str = _LABEL_HINT,
) -> Summary:
    """Build the Summary; ParseError if no title, no finding, a label empty or twice."""
    notes = list(warnings)
    bare_title, start = _title(
        blocks, source, title, title_first=title_first, notes=notes
    )
    next_kind: list[str | None] = [None] * len(blocks)
    upcoming: str | None = None
    for index in range(len(blocks) - 1, -1, -1):
        next_kind[index] = upcoming
        upcoming = blocks[index].kind or upcoming

    sections = _Sections(source, notes)
    for index in range(start, len(blocks)):
        block = blocks[index]
        kind = block.kind
        if kind is not None and sections.pending is not None:
            raise _empty(source, sections.pending)
        if kind is None or (kind in _FIELDS and not sections.field(block, kind)):
            text = block.text
            if text:
                sections.plain(block, text, next_kind[index])
        elif kind in sections.numbered:
            sections.numbered_paragraph(block, kind, block.number)
    if sections.pending is not None:
        raise _empty(source, sections.pending)
    if not sections.numbered["finding"]:
        where = f" before the web boilerplate at line {end_line}" if end_line else ""
        if sections.near_label_line is not None:
            where += (
                f" (line {sections.near_label_line} starts like a label but is not one)"
            )
        last_line = end_line or (blocks[-1].line if blocks else 1)
        raise ParseError(
            source, f"no FINDING paragraph found{where}", line=last_line, hint=expected
        )
    return Summary(
        title=bare_title,
        intro="\n\n".join(sections.intro),
        what=sections.text("what"),
        who=sections.text("who"),
        where=sections.text("where"),
        when=sections.text("when"),
        backgrounds=sections.paragraphs("background"),
        findings=sections.paragraphs("finding"),
        thoughts=sections.paragraphs("thought"),
        url=url,
        published=published,
        image_url=image_url,
        tags=tuple(dict.fromkeys(tag.strip() for tag in tags if tag.strip())),
        source=source,
        warnings=tuple(notes),
    )
