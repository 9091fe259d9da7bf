"""Read the house format from plain text; split any reader's lines into labelled blocks.

The grammar shared by the text, Markdown and HTML readers (case, spacing, `#` optional):

- the first line is the title, `Research Summary: <paper title>` (or `-`, `–`, `—`);
- intro paragraphs, then `What?`, `Who?`, `Where?`, `When?` blocks in any order, each
  label alone on its line (its text in the paragraph below) or followed by its text;
- numbered paragraphs `BACKGROUND #n:`, `FINDING #n:`, `THOUGHT #n:`; after the number
  comes `:`, ` -`, `–` or `—`, or nothing when the label stands alone on its line (a
  heading; the text is then the next paragraph);
- paragraphs are separated by blank lines; a label at the start of a line starts one;
- the content ends at the first line of web boilerplate: the sign-off ("As always, if
  you have any questions…"), "You can find us on…", "N Responses", "Leave a Reply", the
  comment form, sharing blocks. Nothing after it is read, so a reader comment quoting
  "FINDING #2:" is never a finding.

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

from crosspost.summaries._assemble import assemble
from crosspost.summaries.model import Summary

_LINE = re.compile(
    r"""\s*(?:
        (?P<kind>background|finding|thought)s?\s*\#?\s*(?P<number>[0-9]+)
            (?:\s*[:–—]|\s*-(?=\s|$)|\s*$)\s*
      | (?P<field>what|who|where|when)\s*(?:\?\s*:?|:)\s*
      | (?P<end>
            as\s+always,?\s+if\s+you\s+have\s+(?:any\s+)?questions
          | you\s+can\s+find\s+us\s+on
          | leave\s+a\s+(?:reply|comment)
          | your\s+email\s+address\s+will\s+not\s+be\s+published
          | this\s+site\s+uses\s+akismet
          | (?:[0-9]+|no|one|two|three|four|five|six|seven|eight|nine|ten)\s+
            (?:responses?|comments?|replies)(?:\s+(?:to|on)\b.*)?\s*$
          | (?:[0-9]+|one|two|three|four|five|six|seven|eight|nine|ten)\s+
            thoughts?\s+on\s+["“'‘]
          | (?:share|like)\s+this:?\s*$
          | related(?:\s+posts)?:?\s*$
        )
    )""",
    re.IGNORECASE | re.VERBOSE,
)


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
    want_title = title_line
    match = _LINE.match
    for number, raw in lines:
        line = raw.strip()
        if not line:
            current = None
            continue
        found = match(line)
        if found is None:
            if want_title:
                blocks.append(Block(number, None, None, [line]))
                want_title = False
            elif current is None:
                current = Block(number, None, None, [line])
                blocks.append(current)
            else:
                current.parts.append(line)
            continue
        want_title = False
        if found["end"] is not None:
            return blocks, number
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
    return blocks, None


def parse_text(text: str, source: str) -> Summary:
    """Parse a summary in the house plain-text format (the website's text, copied)."""
    blocks, end_line = split_blocks(enumerate(text.splitlines(), 1), title_line=True)
    return assemble(blocks, source, end_line=end_line)
