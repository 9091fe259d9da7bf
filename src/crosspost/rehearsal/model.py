"""What a rehearsal finds: every post a set of summaries would make (rendered, placed
on the calendar, sent to the sandbox) and every problem, with what to fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from crosspost.summaries.model import Summary
from crosspost.teasers.model import Teaser

ProblemKind = Literal["source", "summary", "template", "fit", "plan", "send"]
# A post's state at the end of the rehearsal, besides what the sandbox answered
# (published, awaiting_manual, failed, unknown, retrying).
UNSENT_STATES = {
    "planned": "planned after the simulated days",
    "not_in_campaign": "rendered only: schedule.variants does not post this variant",
    "not_planned": "not planned: this summary's campaign on this platform failed",
}


@dataclass(frozen=True)
class Answer:
    """What the sandbox answered a post, as the platform would have."""

    status: str  # published, awaiting_manual, failed, unknown, retrying
    fired_at: datetime
    post_id: str | None = None
    url: str | None = None
    handoff: str | None = None  # the hand-off bundle, relative to the scratch folder
    error: str | None = None


@dataclass(frozen=True)
class RehearsedPost:
    """One post: its teaser as sent (or as it would be), its slot if planned, and the
    sandbox's answer if it fell due within the simulated days."""

    summary: Summary
    summary_id: str  # summary.id, which is computed on each access
    teaser: Teaser
    in_campaign: bool
    due_at: datetime | None = None  # UTC
    local_time: datetime | None = None  # in the zone it was planned in
    zone: str | None = None
    answer: Answer | None = None
    planned: bool = False

    @property
    def status(self) -> str:
        if self.answer is not None:
            return self.answer.status
        if not self.in_campaign:
            return "not_in_campaign"
        return "planned" if self.planned else "not_planned"


@dataclass(frozen=True)
class Problem:
    """Something that would go wrong: a summary that cannot be read, a template's
    mistake, a teaser that cannot fit, a campaign with no room, a refusal."""

    kind: ProblemKind
    message: str
    fix: str | None = None
    summary: Summary | None = None
    platform: str | None = None
    variant: str | None = None
    key: str | None = None
    file: str | None = None
    line: int | None = None
    # For a template's mistake: the summaries it stopped (none when it was found by
    # reading the template, in a branch no summary took).
    summary_ids: tuple[str, ...] = ()
    due_at: datetime | None = None

    @property
    def where(self) -> str:
        """Which post (or template), as a person names it."""
        if self.file is not None:
            return f"{self.file}:{self.line}" if self.line else self.file
        return " ".join(part for part in (self.platform, self.key) if part) or "-"


@dataclass
class Rehearsal:
    """The whole rehearsal: when it ran from and to, the summaries read, every post in
    order (summary, platform, slot), and every problem."""

    start: datetime
    until: datetime
    zone: str
    platforms: list[str]
    summaries: list[Summary] = field(default_factory=list)
    posts: list[RehearsedPost] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def posts_of(self, summary: Summary) -> list[RehearsedPost]:
        wanted = summary.id
        return [post for post in self.posts if post.summary_id == wanted]

    def problems_of(self, summary: Summary) -> list[Problem]:
        wanted = summary.id
        return [
            problem
            for problem in self.problems
            if (problem.summary is not None and problem.summary.id == wanted)
            or wanted in problem.summary_ids
        ]

    def size(self) -> str:
        """'1 summary, 26 posts': what the rehearsal covered, in words."""
        summaries, posts = len(self.summaries), len(self.posts)
        return (
            f"{summaries} {'summary' if summaries == 1 else 'summaries'}, "
            f"{posts} {'post' if posts == 1 else 'posts'}"
        )

    def counts(self) -> dict[str, int]:
        """Posts by status, and the totals a summary line shows."""
        by_status: dict[str, int] = {}
        for post in self.posts:
            by_status[post.status] = by_status.get(post.status, 0) + 1
        return {
            "summaries": len(self.summaries),
            "posts": len(self.posts),
            "sent": sum(1 for post in self.posts if post.answer is not None),
            **dict(sorted(by_status.items())),
            "problems": len(self.problems),
        }
