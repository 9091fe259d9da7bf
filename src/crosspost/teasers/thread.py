"""An X thread: the announce post, then each finding over as many replies as it needs,
split between sentence groups (a qualifier stays with its claim), never inside one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crosspost.summaries.model import Paragraph
from crosspost.teasers.content import Item
from crosspost.teasers.fit import CountingRule, FitError, Fitted, quote
from crosspost.teasers.model import Teaser
from crosspost.teasers.sentences import split_sentences

if TYPE_CHECKING:
    from crosspost.teasers.compose import Composer, Draft


def thread_teaser(composer: Composer, platform: str, rule: CountingRule) -> Teaser:
    """The whole thread as one teaser; FitError if a sentence cannot fit a reply."""
    return _Thread(composer, platform, rule).teaser()


class _Thread:
    def __init__(self, composer: Composer, platform: str, rule: CountingRule) -> None:
        self.composer = composer
        self.platform = platform
        self.rule = rule
        self.link, self.tags = composer.link(platform, "thread")
        self.template = composer.env.template(platform, "thread")
        # A finding is split over replies, not shortened.
        self.shed = tuple(s for s in self.template.shed if s != "later_sentences")

    def teaser(self) -> Teaser:
        composer = self.composer
        # Measured with the widest numbers the thread could have, so that the real
        # numbers, never wider, cannot push a reply over.
        bound = 1 + sum(len(item.all_groups) for item in composer.content.findings)
        replies = [
            (finding, run, piece, len(runs))
            for finding in composer.summary.findings
            for runs in [self.runs(finding, bound)]
            for piece, run in enumerate(runs, start=1)
        ]
        parts = 1 + len(replies)
        head = composer.draft(
            self.platform,
            "announce",
            key="thread",
            link=self.link,
            tags=self.tags,
            finding=None,
        )
        head.names.update(thread=True, part=1, parts=parts, piece=1, pieces=1)
        label = f"{self.platform} thread part 1/{parts}"
        posts: list[tuple[Draft, Fitted]] = [
            (head, composer.fit_post(head, self.rule, label))
        ]
        for part, (finding, run, piece, pieces) in enumerate(replies, start=2):
            draft = self.reply(finding, run)
            draft.names.update(part=part, parts=parts, piece=piece, pieces=pieces)
            label = f"{self.platform} thread part {part}/{parts}"
            posts.append(
                (draft, composer.fit_post(draft, self.rule, label, shed=self.shed))
            )
        return composer.teaser(
            self.rule, posts, variant="thread", key="thread", link=self.link
        )

    def runs(self, finding: Paragraph, bound: int) -> list[tuple[int, int]]:
        """The finding's sentence groups in consecutive runs, each fitting a reply."""
        groups = self.composer.by_number[finding.number].all_groups

        def failure(start: int, end: int) -> FitError | None:
            draft = self.reply(finding, (start, end))
            piece = 1 if (start, end) == (0, len(groups)) else bound
            draft.names.update(part=bound, parts=bound, piece=piece, pieces=piece)
            try:
                self.composer.fit_post(draft, self.rule, "thread", shed=self.shed)
            except FitError as exc:
                return exc
            return None

        if failure(0, len(groups)) is None:
            return [(0, len(groups))]
        runs: list[tuple[int, int]] = []
        start = 0
        while start < len(groups):
            alone = failure(start, start + 1)
            if alone is not None:
                raise self.sentence_error(finding, groups[start], alone)
            end = start + 1
            while end < len(groups) and failure(start, end + 1) is None:
                end += 1
            runs.append((start, end))
            start = end
        return runs

    def reply(self, finding: Paragraph, run: tuple[int, int]) -> Draft:
        draft = self.composer.draft(
            self.platform,
            "thread",
            key="thread",
            link=self.link,
            tags=self.tags,
            finding=finding,
        )
        whole, (start, end) = self.composer.by_number[finding.number], run
        draft.content.finding = Item(
            whole.label,
            whole.number,
            whole.all_groups[start:end],
            end - start,
            whole.summary_number,
        )
        draft.names["thread"] = True
        return draft

    def sentence_error(
        self, finding: Paragraph, group: str, alone: FitError
    ) -> FitError:
        what = f"a sentence of FINDING #{finding.number}"
        if len(split_sentences(group)) > 1:
            what += " (with the qualifier that stays with it)"
        limit, over = self.rule.limit, alone.over
        why = alone.message.partition(": ")[2]
        if over is not None:
            why = f"{over} over the {self.platform} limit ({over + limit}/{limit})"
        by = f" by at least {over}" if over is not None else ""
        return FitError(
            f"{self.platform} thread: {what} does not fit in one reply: {why}",
            hint=f"shorten that sentence ({quote(group)}){by} or split it in two, "
            f"or the wording of {self.template.path}",
            over=over,
        )
