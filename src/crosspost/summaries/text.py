"""Read the house format from plain text; split any reader's lines into labelled blocks.

The grammar shared by the text, Markdown and HTML readers (case, spacing, `#` optional):

- the first paragraph is the title, `Research Summary: <paper title>` (or `-`, `–`,
  `—`), possibly wrapped over lines or in bold (`**…**`); when that paragraph ends a
  sentence, only its first line is the title and the rest is intro;
- intro paragraphs, then `What?`, `Who?`, `Where?`, `When?` blocks in any order, each
  label alone on its line (its text in the paragraph below) or followed by its text;
- numbered paragraphs `BACKGROUND #n:`, `FINDING #n:`, `THOUGHT #n:`; the number may
  be written `#n`, `n`, `No. n`, `Nr. n` or `(n)`; after it comes `:`, `.`, `)`, ` -`,
  `–` or `—`, or nothing when the label stands alone on its line (a heading; the text
  is then the next paragraph); after `#n` or `(n)` a space is enough (`FINDING #2 The
  …`), but inside a paragraph only after a line that ends a sentence ("… seen in
  the / FINDING #2 above" is prose). `FINDING:` without a number takes the next number
  of its kind, with a warning. A label may be in bold as copied from the web
  (`**FINDING #1:**`, `**FINDING #1**:`), and invisible characters (zero-width space,
  word joiner, soft hyphen) are dropped everywhere. "Finding 2 was confirmed" is prose:
  no `#` and no separator after the number; numbers over nine digits are never labels;
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
paragraph that starts like a label but is not one ("Finding 2 was…", "FINDING #2.5")
is never dropped: it continues the last numbered paragraph (else it is intro or field
text). A continuation is reported in `Summary.warnings`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from crosspost.summaries._assemble import assemble, paper_title
from crosspost.summaries.model import Summary

_COUNT = r"(?:[0-9]+|no|one|two|three|four|five|six|seven|eight|nine|ten)"
# Nine digits at most: a longer number is not a label number (and int() of thousands
# of digits fails); the `near` group keeps such a paragraph as text, with a warning.
_NUMBER = r"[0-9]{1,9}(?![0-9])"
# Possessive `\s*+` where whitespace runs meet: a long run must not backtrack.
_LINE = re.compile(
    rf"""\s*(?P<bold>\*\*|__|\*|_)?\s*(?:
        (?P<kind>background|finding|thought)(?:
            s?\s*+(?:
                \#\s*+(?P<hash>{_NUMBER})
              | \(\s*+(?P<paren>{_NUMBER})\s*+\)
              | (?:n[or]\.?\s*+)?(?P<number>{_NUMBER})
            )
            \s*+(?(bold)(?P=bold)?)\s*+
            (?:[:–—)]|[-.](?=[\s*_]|$)|$
              | (?P<spaced>(?(hash)(?<=\s)|(?(paren)(?<=\s)|(?!)))))
            \s*+(?(bold)(?P=bold)?)\s*+
          | (?P<unnumbered>)\s*+(?(bold)(?P=bold)?)\s*+:\s*+(?(bold)(?P=bold)?)\s*+
        )
      | (?P<field>what|who|where|when)\s*+(?(bold)(?P=bold)?)\s*+(?:\?\s*+:?|:)
            \s*+(?(bold)(?P=bold)?)\s*+
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
      | (?P<near>(?:background|finding|thought)s?
            \s*(?:[\#:0-9]|(?:\(|n[or]\b\.?)\s*[0-9]))
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
_LINE_END = (".", "!", "?", ":", ";", ")", "”", '"')


@dataclass(slots=True)
class Block:
    """A paragraph as read: first line, label (None for plain text) and lines."""

    line: int
    kind: str | None
    number: int | None
    parts: list[str] = field(default_factory=list)
    # Plain text that starts like a label ("Finding 2 was…"): never dropped silently.
    near_label: bool = False

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
        near = found is not None and found["near"] is not None
        if found is not None and (
            near
            or (current is not None and found["weak_end"] is not None)
            or (
                # A loose label inside a paragraph only after a sentence ends:
                # "… seen in the\nFINDING #2 above" is prose.
                (found["spaced"] is not None or found["unnumbered"] is not None)
                and current is not None
                and current.parts
                and not current.parts[-1].endswith(_LINE_END)
            )
        ):
            found = None
        if found is None:
            if want_title:
                title = current = Block(number, None, None, [line])
                blocks.append(current)
                want_title = False
            elif current is None:
                current = Block(number, None, None, [line], near_label=near)
                blocks.append(current)
            else:
                current.parts.append(line)
            continue
        want_title = False
        if found["end"] is not None or found["weak_end"] is not None:
            return _title_split(blocks, title), number
        rest = line[found.end() :]
        if found["kind"] is not None:
            digits = found["hash"] or found["paren"] or found["number"]
            current = Block(
                number,
                found["kind"].lower(),
                int(digits) if digits else None,
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
