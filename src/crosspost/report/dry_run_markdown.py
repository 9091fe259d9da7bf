"""The dry run as a pull-request comment in GitHub Markdown: a short summary, every
failure with what to fix, then a table per summary (its failures first) and the full
text of its posts, within GitHub's 65,536-character limit for a comment. What does not
fit is left out whole, from the end, and a note at the top says what.

Post text is shown in code spans and fenced blocks, where GitHub makes no mention,
issue link or formatting of it; other text is escaped."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from crosspost.rehearsal.model import Problem, Rehearsal, RehearsedPost
from crosspost.summaries.model import Summary
from crosspost.teasers.model import PLATFORM_LABELS

GITHUB_COMMENT_LIMIT = 65_536
NOTE_ROOM = 600  # kept for the note saying what was cut
EXCERPT = 100  # characters of a post shown in its table row
OUTCOME_WORDS = {
    "published": "✅ published",
    "awaiting_manual": "✅ handed off",
    "failed": "❌ refused",
    "unknown": "❌ unknown",
    "retrying": "❌ refused, retrying",
    "planned": "🕒 planned later",
    "not_in_campaign": "rendered only",
    "not_planned": "❌ not planned",
}
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~!])")
_REFERENCE = re.compile(r"([@#])(?=\w)")


def report_markdown(rehearsal: Rehearsal, *, limit: int = GITHUB_COMMENT_LIMIT) -> str:
    """The comment, at most `limit` characters (and UTF-16 units) long."""
    head = _head(rehearsal)
    failures = _failures(rehearsal.problems)
    ordered = sorted(
        rehearsal.summaries,
        key=lambda s: not rehearsal.problems_of(s),  # summaries with failures first
    )
    tables = [_table(rehearsal, summary) for summary in ordered]
    texts = [_texts(rehearsal.posts_of(summary)) for summary in ordered]
    budget = limit - NOTE_ROOM - size(head)
    cut_failures = 0
    while failures and size("".join(failures)) > budget // 2:
        failures.pop()
        cut_failures += 1
    budget -= size("".join(failures))
    shown_tables = 0
    for table in tables:
        if size(table) > budget:
            break
        budget -= size(table)
        shown_tables += 1
    shown_texts = [False] * len(ordered)
    for number in range(shown_tables):
        if texts[number] and size(texts[number]) <= budget:
            budget -= size(texts[number])
            shown_texts[number] = True
    body = [head, _cut_note(rehearsal, cut_failures, shown_tables, shown_texts)]
    body += failures
    for number in range(shown_tables):
        body.append(tables[number])
        if shown_texts[number]:
            body.append(texts[number])
    return "".join(body)


def size(text: str) -> int:
    """Characters as GitHub may count them: code points, or UTF-16 units."""
    return max(len(text), len(text.encode("utf-16-le")) // 2)


def _head(rehearsal: Rehearsal) -> str:
    counts = rehearsal.counts()
    problems = len(rehearsal.problems)
    verdict = (
        "no failures ✅"
        if not problems
        else f"{problems} {'failure' if problems == 1 else 'failures'} ❌"
    )
    lines = [
        f"## crosspost dry run: {verdict}\n\n",
        f"**{rehearsal.size()}.** Campaigns planned from "
        f"{_utc(rehearsal.start)} and run against the sandbox (fake platform APIs) "
        f"until {_utc(rehearsal.until)}, slots in {rehearsal.zone}: "
        + ", ".join(
            f"{counts.get(status, 0)} {words}"
            for status, words in (
                ("published", "published"),
                ("awaiting_manual", "handed off (YouTube)"),
                ("failed", "refused"),
                ("unknown", "unknown"),
                ("planned", "planned later"),
                ("not_planned", "not planned"),
                ("not_in_campaign", "rendered only (not in schedule.variants)"),
            )
            if counts.get(status, 0) or status in ("published", "awaiting_manual")
        )
        + ".\n\n",
    ]
    lines += [f"> {_escape(note)}\n" for note in rehearsal.notes]
    if rehearsal.notes:
        lines.append("\n")
    return "".join(lines)


def _cut_note(
    rehearsal: Rehearsal,
    cut_failures: int,
    shown_tables: int,
    shown_texts: Sequence[bool],
) -> str:
    missing_tables = len(rehearsal.summaries) - shown_tables
    missing_texts = shown_tables - sum(shown_texts)
    cuts = []
    if cut_failures:
        cuts.append(f"{cut_failures} of the failures")
    if missing_tables:
        cuts.append(
            f"the tables of {missing_tables} "
            f"{'summary' if missing_tables == 1 else 'summaries'} (the last listed)"
        )
    if missing_texts:
        cuts.append(
            f"the full texts of {missing_texts} more "
            f"{'summary' if missing_texts == 1 else 'summaries'}"
        )
    if not cuts:
        return ""
    return (
        f"> ⚠️ **Cut to fit GitHub's {GITHUB_COMMENT_LIMIT:,}-character limit for a "
        f"comment:** {', '.join(cuts)} are left out. The JSON and HTML reports of "
        "this run have everything.\n\n"
    )


def _failures(problems: Sequence[Problem]) -> list[str]:
    if not problems:
        return []
    rows = [
        f"### ❌ Failures ({len(problems)})\n\n",
        "| Kind | Failure | In | Fix |\n| --- | --- | --- | --- |\n",
    ]
    rows += [_failure_row(problem) for problem in problems]
    rows[-1] += "\n"
    return rows


def _failure_row(problem: Problem) -> str:
    where = "—"
    if problem.summary is not None:
        where = f"*{_escape(_title(problem.summary))}*"
    elif problem.summary_ids:
        count = len(problem.summary_ids)
        where = f"{count} {'summary' if count == 1 else 'summaries'}"
    if problem.due_at is not None:
        where += f", due {_utc(problem.due_at)}"
    return (
        f"| {problem.kind} | {_escape(problem.message)} | {where} | "
        f"{_escape(problem.fix or '')} |\n"
    )


def _table(rehearsal: Rehearsal, summary: Summary) -> str:
    posts = rehearsal.posts_of(summary)
    problems = rehearsal.problems_of(summary)
    lines = [
        f"### {_escape(_title(summary))}\n\n",
        f"`{summary.id}` · `{_code(summary.source or '-')}` · "
        f"{len(summary.findings)} findings · {len(posts)} posts"
        + (f" · **{len(problems)} failing**" if problems else "")
        + "\n\n",
        f"| Platform | Post | When ({_escape(rehearsal.zone)}) | Count | Outcome "
        "| Text |\n",
        "| --- | --- | --- | --- | --- | --- |\n",
    ]
    for problem in problems:
        if problem.kind == "template":
            continue  # listed once, with the failures above
        platform = problem.platform or ""
        lines.append(
            f"| ❌ {PLATFORM_LABELS.get(platform, platform)}"
            f" | {_escape(problem.key or problem.variant or '-')} | "
            f"{_when(problem.due_at, rehearsal.zone)} | — | ❌ {problem.kind} | "
            f"{_escape(problem.message)} |\n"
        )
    for post in posts:
        lines.append(_post_row(post))
    if not posts and not problems:
        lines.append("| — | no posts | | | | |\n")
    lines.append("\n")
    return "".join(lines)


def _post_row(post: RehearsedPost) -> str:
    teaser = post.teaser
    count = f"{teaser.count}/{teaser.limit}"
    if len(teaser.parts) > 1:
        count = f"{len(teaser.parts)} posts, longest {count}"
    outcome = OUTCOME_WORDS.get(post.status, post.status)
    answer = post.answer
    if answer is not None and answer.error:
        outcome += f": {_escape(answer.error)}"
    elif answer is not None and answer.post_id:
        outcome += f" `{_code(answer.post_id)}`"
    when = post.local_time.strftime("%a %d %b %Y %H:%M") if post.local_time else "—"
    text = teaser.parts[0].text
    excerpt = text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"
    return (
        f"| {PLATFORM_LABELS.get(teaser.platform, teaser.platform)} | "
        f"{_escape(teaser.key)} | {when} | {count} | {outcome} | "
        f"{_code_span(excerpt)} |\n"
    )


def _texts(posts: Sequence[RehearsedPost]) -> str:
    if not posts:
        return ""
    blocks = [f"<details><summary>Full text of the {len(posts)} posts</summary>\n\n"]
    for post in posts:
        teaser = post.teaser
        name = PLATFORM_LABELS.get(teaser.platform, teaser.platform)
        blocks.append(f"**{name} {_escape(teaser.key)}**\n\n")
        for part in teaser.parts:
            fence = "`" * max(3, _longest_run(part.text, "`") + 1)
            blocks.append(f"{fence}text\n{part.text}\n{fence}\n\n")
    blocks.append("</details>\n\n")
    return "".join(blocks)


def _title(summary: Summary) -> str:
    return summary.title.removeprefix("Research Summary: ")


def _utc(moment: datetime) -> str:
    return moment.strftime("%a %d %b %Y %H:%M UTC")


def _when(moment: datetime | None, zone: str) -> str:
    if moment is None:
        return "—"
    return moment.astimezone(ZoneInfo(zone)).strftime("%a %d %b %Y %H:%M")


def _escape(text: str) -> str:
    """Plain text for a Markdown table cell: no formatting, no HTML, no mention or
    issue link, on one line."""
    text = _SPECIAL.sub(r"\\\1", text)
    text = _REFERENCE.sub("\\1\u2060", text)  # a word joiner: no @mention, no #123
    return " ".join(text.split())


def _code(text: str) -> str:
    """Text for inside a one-backtick code span in a table cell."""
    return " ".join(text.replace("`", "'").replace("|", "\\|").split())


def _code_span(text: str) -> str:
    """`text` as a code span on one line, whatever backticks it holds."""
    flat = " ⏎ ".join(line for line in text.splitlines() if line.strip())
    flat = flat.replace("|", "\\|")
    fence = "`" * (_longest_run(flat, "`") + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(f"{re.escape(char)}+", text)
    return max((len(run) for run in runs), default=0)
