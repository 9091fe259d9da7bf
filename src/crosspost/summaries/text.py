"""Read the house format from plain text; split any reader's lines into labelled blocks.

The grammar shared by the text, Markdown and HTML readers (case, spacing, `#` optional):

- the first paragraph is the title, `Research Summary: <paper title>` (or `-`, `–`,
  `—`), possibly wrapped over lines or in bold (`**…**`); when that paragraph ends a
  sentence, only its first line is the title and the rest is intro;
- intro paragraphs, then `What?`, `Who?`, `Where?`, `When?` blocks in any order, each
  label alone on its line (its text in the paragraph below) or followed by its text;
- numbered paragraphs `BACKGROUND #n:`, `FINDING #n:`, `THOUGHT #n:`; after the number
  comes `:`, ` -`, `–` or `—`, or nothing when the label stands alone on its line (a
  heading; the text is then the next paragraph); a label may be in bold as copied from
  the web (`**FINDING #1:**`, `**FINDING #1**:`), and invisible characters (zero-width
  space, word joiner, soft hyphen) are dropped everywhere;
- paragraphs are separated by blank lines; a label at the start of a line starts one;
- the content ends at the first line of web boilerplate: the sign-off ("As always, if
  you have any questions…"), "You can find us on…", "N Responses", "Leave a Reply", the
  comment form, sharing blocks. Looser sign-offs ("If you have any questions… comment
  below", "As ever, …", "Follow us on…") end it only when they start a paragraph.
  Nothing after it is read: a reader comment quoting "FINDING #2:" is never a finding.

An unlabelled paragraph after a numbered one continues it (joined with a space) when
the numbered paragraph ends with `:`, `,`, `;` or a dash, when the paragraph starts in
lower case or as a list item, or when the next label is of the same kind (it sits
inside a run of FINDINGs). Otherwise it is a transition, like the lead-in before the
THOUGHTs, and is dropped with any paragraphs that follow it up to the next label. A
continuation is reported in `Summary.warnings`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from crosspost.summaries._assemble import assemble, paper_title
from crosspost.summaries.model import Summary

_COUNT = r"(?:[0-9]+|no|one|two|three|four|five|six|seven|eight|nine|ten)"
_LINE = re.compile(
    rf"""\s*(?P<bold>\*\*|__|\*|_)?\s*(?:
        (?P<kind>background|finding|thought)s?\s*\#?\s*(?P<number>[0-9]+)
            \s*(?(bold)(?P=bold)?)(?:\s*[:–—]|\s*-(?=[\s*_]|$)|\s*$)\s*(?(bold)(?P=bold)?)\s*
      | (?P<field>what|who|where|when)\s*(?(bold)(?P=bold)?)\s*(?:\?\s*:?|:)
            \s*(?(bold)(?P=bold)?)\s*
      | (?P<end>
            as\s+(?:always|ever),?\s+if\s+you(?:\s+have|'ve|’ve)\s+(?:got\s+)?
            (?:any\s+)?questions
          | you\s+can\s+find\s+us\s+on
          | leave\s+a\s+(?:reply|comment)
          | your\s+email\s+address\s+will\s+not\s+be\s+published
          | this\s+site\s+uses\s+akismet
          | {_COUNT}\s+(?:responses?|comments?|replies)
            (?:\s+(?:to|on)\s+(?:["“'‘]|research\s+summary).*)?\s*$
          | {_COUNT}\s+thoughts?\s+on\s+["“'‘]
          | (?:share|like)\s+this:?\s*$
          | related(?:\s+posts)?:?\s*$
        )
      | (?P<weak_end>
            (?:as\s+(?:always|ever)\b|if\s+you(?:\s+have|'ve|’ve)?\b)
            (?=.*\b(?:comment|let\s+us\s+know|get\s+in\s+touch|contact\s+us
                |social\s+(?:media|channels)|reach\s+out))
          | (?:find|follow|join|connect\s+with)\s+us\s+on\b
        )
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Invisible characters pasted from web pages; they would hide a label at a line start.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")
_BOLD_TITLE = re.compile(
    r"(\*\*|__)(\s*research[\s\-–—]*summary\b.*?)\1(.*)|(\*\*|__)(.+)\4",
    re.IGNORECASE,
)
_SENTENCE_END = (".", "!", ".”", '."', ".)", "!”")


@dataclass(slots=True)
class Block:
    """A paragraph as read: first line, label (None for plain text) and lines."""

    line: int
    kind: str | None
    number: int | None
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def split_blocks(
    lines: Iterable[tuple[int, str]], *, title_line: bool
) -> tuple[list[Block], int | None]:
    """Group numbered lines into blocks in one pass; also give boilerplate's line."""
    blocks: list[Block] = []
    current: Block | None = None
    title: Block | None = None
    want_title = title_line
    match = _LINE.match
    for number, raw in lines:
        line = (_INVISIBLE.sub("", raw) if not raw.isascii() else raw).strip()
        if not line:
            current = None
            continue
        found = match(line)
        if found is not None and found["weak_end"] is not None and current is not None:
            found = None
        if found is None:
            if want_title:
                title = current = Block(number, None, None, [line])
                blocks.append(current)
                want_title = False
            elif current is None:
                current = Block(number, None, None, [line])
                blocks.append(current)
            else:
                current.parts.append(line)
            continue
        want_title = False
        if found["end"] is not None or found["weak_end"] is not None:
            return _title_split(blocks, title), number
        rest = line[found.end() :]
        if found["kind"] is not None:
            current = Block(
                number,
                found["kind"].lower(),
                int(found["number"]),
                [rest] if rest else [],
            )
        else:
            current = Block(
                number, found["field"].lower(), None, [rest] if rest else []
            )
        blocks.append(current)
    return _title_split(blocks, title), None


def _title_split(blocks: list[Block], title: Block | None) -> list[Block]:
    """A title wraps over lines, unless its paragraph ends a sentence: then it is
    the first line (the second too after a bare prefix) and the rest is intro."""
    if title is None:
        return blocks
    parts = title.parts
    bold = _BOLD_TITLE.fullmatch(parts[0])
    if bold:
        parts[0] = bold[2] + bold[3] if bold[2] is not None else bold[5]
    if len(parts) == 1 or not parts[-1].endswith(_SENTENCE_END):
        return blocks
    keep = 2 if paper_title(parts[0]) == "" else 1
    if keep >= len(parts):
        return blocks
    intro = Block(title.line + keep, None, None, parts[keep:])
    del parts[keep:]
    index = blocks.index(title)
    return [*blocks[: index + 1], intro, *blocks[index + 1 :]]


def parse_text(text: str, source: str) -> Summary:
    """Parse a summary in the house plain-text format (the website's text, copied)."""
    blocks, end_line = split_blocks(enumerate(text.splitlines(), 1), title_line=True)
    return assemble(blocks, source, end_line=end_line)
