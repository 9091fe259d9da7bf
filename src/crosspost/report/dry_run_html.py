"""The dry run as the preview page: each post drawn as its platform shows it, with its
slot and the sandbox's answer, the schedule in time order, and every problem."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from crosspost.rehearsal.model import UNSENT_STATES, Problem, Rehearsal, RehearsedPost
from crosspost.report.card_images import CardImages
from crosspost.report.entries import Account, Entry, Failure, Section
from crosspost.report.preview import page_chunks

CARD_WIDTH = 400  # pixels across a card is reduced to on the page


def report_html(
    rehearsal: Rehearsal, *, accounts: Mapping[str, Account] | None = None
) -> str:
    return "".join(report_html_chunks(rehearsal, accounts=accounts))


def report_html_chunks(
    rehearsal: Rehearsal, *, accounts: Mapping[str, Account] | None = None
) -> Iterator[str]:
    """The page piece by piece: a hundred summaries make a page of tens of MB."""
    sections = []
    for summary in rehearsal.summaries:
        entries = [
            Entry(post.teaser, planned=post.local_time, outcome=outcome(post))
            for post in rehearsal.posts_of(summary)
        ]
        failures = [
            Failure(
                problem.platform or "?",
                problem.variant or "?",
                problem.key or problem.variant or "?",
                problem_text(problem),
                kind=problem.kind,
            )
            for problem in rehearsal.problems_of(summary)
            if problem.summary is not None
        ]
        sections.append(Section(summary, entries, failures))
    shared = [problem_text(p) for p in rehearsal.problems if p.summary is None]
    problems = len(rehearsal.problems)
    return page_chunks(
        sections,
        accounts=accounts,
        title=f"Dry run: {rehearsal.size()}, {problems} "
        f"{'failure' if problems == 1 else 'failures'}",
        kind="dry run",
        problems=shared,
        notes=[
            f"Campaigns planned from {rehearsal.start:%Y-%m-%d %H:%M} UTC and run "
            f"against the sandbox until {rehearsal.until:%Y-%m-%d %H:%M} UTC; "
            f"times in {rehearsal.zone}. Cards are shown reduced.",
            *rehearsal.notes,
        ],
        schedule=True,
        cards=CardImages(CARD_WIDTH),
    )


def outcome(post: RehearsedPost) -> str:
    """What became of the post, in a few words: the sandbox's answer, or why none."""
    answer = post.answer
    if answer is None:
        return UNSENT_STATES.get(post.status, post.status)
    if answer.status == "published":
        return f"published (id {answer.post_id})" if answer.post_id else "published"
    if answer.status == "awaiting_manual":
        return "handed off to a person"
    return f"{answer.status}: {answer.error}" if answer.error else answer.status


def problem_text(problem: Problem) -> str:
    """A problem and its fix, on the page."""
    head = f"[{problem.kind}] {problem.message}"
    if problem.summary_ids:
        head += f" ({len(problem.summary_ids)} summaries)"
    return head + (f"\n  fix: {problem.fix}" if problem.fix else "")
