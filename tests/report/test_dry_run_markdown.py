"""The dry run as a pull-request comment: summary first, failures, a table per summary
with its failures first, text GitHub cannot turn into markup or mentions, and never
over GitHub's 65,536 characters, saying what was cut."""

from __future__ import annotations

import re

from crosspost.report.dry_run_markdown import (
    GITHUB_COMMENT_LIMIT,
    report_markdown,
    size,
)

from .conftest import HOSTILE, rehearsal


def test_summary_then_failures_then_a_table_per_summary() -> None:
    """The head counts posts and failures; the failures come next with their fixes;
    each summary's table lists its failures before its posts."""
    made = rehearsal()
    text = report_markdown(made)
    assert text.startswith("## crosspost dry run: 3 failures ❌\n")
    assert "**2 summaries, 10 posts.**" in text
    assert "4 published" in text
    assert "2 handed off (YouTube)" in text
    assert "2 planned later" in text
    assert text.index("### ❌ Failures (3)") < text.index("### Naps")
    assert "| template | templates/x/thread.j2:3: 'lnk' is not a name" in text
    assert "| 2 summaries | did you mean 'link'? |" in text
    table = text[text.index("### Naps") :]
    assert (
        "| Platform | Post | When (Europe/London) | Count | Outcome | Text |" in table
    )
    first_rows = [line for line in table.splitlines() if line.startswith("| ")][2:]
    assert first_rows[0].startswith("| ❌ X | finding-2 |")  # its failure first
    assert "| X | announce | Mon 03 May 2027 10:00 | " in table
    assert "✅ published `1861000000000000001`" in table
    assert "| X | thread | — | 2 posts, longest 6/280 | rendered only |" in table
    assert "<details><summary>Full text of the 5 posts</summary>" in text
    assert "Cut to fit" not in text


def test_no_failures_says_so() -> None:
    """A clean run says so in its head line and has no failures section."""
    text = report_markdown(rehearsal(problems=False))
    assert text.startswith("## crosspost dry run: no failures ✅")
    assert "Failures" not in text


def test_text_cannot_become_markup_mentions_or_links() -> None:
    """Titles and messages are escaped (no HTML, no table break, no @mention, no #12
    issue link); post text is in code spans and fences longer than its backticks."""
    text = report_markdown(rehearsal())
    outside = re.sub(r"```text\n.*?\n```", "", text, flags=re.DOTALL)
    outside = re.sub(r"(`+).+?\1", "", outside)
    assert "<script>" not in outside
    assert "@maintainer" not in outside
    assert "\\<script\\>" in outside
    assert "@\u2060maintainer" in text
    assert "#\u206012" in text
    assert "\\| @" in text  # a pipe in a title or message does not end the cell
    excerpt = "``<script>alert('x')</script> \\| @maintainer #12 `code` *bold* 0``"
    assert excerpt in text
    fenced = f"```text\n{HOSTILE} 0\n```"
    assert fenced in text


def test_many_summaries_are_cut_to_githubs_limit_with_a_note() -> None:
    """120 summaries: the comment stays within 65,536 characters (and UTF-16 units),
    keeps the head and the failures, and says what it left out."""
    made = rehearsal(120, text="Long post 🧠 " * 40)
    text = report_markdown(made)
    assert size(text) <= GITHUB_COMMENT_LIMIT
    assert len(text.encode("utf-16-le")) // 2 <= GITHUB_COMMENT_LIMIT
    assert text.startswith("## crosspost dry run: 3 failures ❌")
    assert "### ❌ Failures (3)" in text
    note = text[text.index("> ⚠️ **Cut to fit") :].split("\n", 1)[0]
    assert "GitHub's 65,536-character limit" in note
    assert "the tables of " in note
    assert "JSON and HTML reports" in note
    shown = text.count("\n### Naps")
    assert 0 < shown < 120
    assert f"the tables of {120 - shown} summaries" in note


def test_full_texts_go_before_tables_when_room_is_short() -> None:
    """With little room, every table that fits is kept and the full texts are left
    out first, and the note says so."""
    made = rehearsal(3)
    full = report_markdown(made)
    tables_only = re.sub(r"<details>.*?</details>\n\n", "", full, flags=re.DOTALL)
    limit = len(tables_only) + 700
    text = report_markdown(made, limit=limit)
    assert size(text) <= limit
    assert text.count("\n### Naps") == 3
    assert "the full texts of" in text
    assert "Cut to fit" in text


def test_one_summary_and_one_failure_are_said_in_the_singular() -> None:
    """'1 summary, 5 posts' and '1 failure' in the Markdown head, as in the HTML title
    and the command's own line (all read Rehearsal.size)."""
    made = rehearsal(1)
    made.problems = made.problems[:1]
    text = report_markdown(made)
    assert text.startswith("## crosspost dry run: 1 failure ❌\n")
    assert "**1 summary, 5 posts.**" in text
