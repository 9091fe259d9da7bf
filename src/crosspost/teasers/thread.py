"""An X thread: the announce post, then each finding over as many replies as it needs,
split between sentences (a sentence too long for a reply at a clause boundary, with a
continuation mark); nothing is left out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crosspost.summaries.model import Paragraph
from crosspost.teasers.chain import (
    WIDTHS,
    Estimate,
    Unsplittable,
    number_width,
    part_item,
    split_finding,
    unsplittable,
)
from crosspost.teasers.fit import CountingRule, Fitted, measure
from crosspost.teasers.model import Teaser
from crosspost.teasers.sentences import split_sentences

if TYPE_CHECKING:
    from crosspost.teasers.compose import Composer, Draft


def thread_teaser(composer: Composer, platform: str, rule: CountingRule) -> Teaser:
    """The whole thread as one teaser; FitError if a sentence cannot be split."""
    return _Thread(composer, platform, rule).teaser()


class _Thread:
    def __init__(self, composer: Composer, platform: str, rule: CountingRule) -> None:
        self.composer = composer
        self.platform = platform
        self.rule = rule
        self.link, self.tags = composer.link(platform, "thread")
        self.template = composer.env.template(platform, "thread")
        # The width of the numbers with which some findings fit one reply, and those.
        self.one_reply: tuple[int, set[int]] = (0, set())

    def teaser(self) -> Teaser:
        composer = self.composer
        findings = composer.summary.findings
        posts = self.one_reply_each()
        if posts is not None:
            return composer.teaser(
                self.rule, posts, variant="thread", key="thread", link=self.link
            )
        bound = 9
        for _ in range(WIDTHS):
            runs = [self.runs(finding, bound) for finding in findings]
            if 1 + sum(map(len, runs)) <= bound:
                break
            bound = number_width(1 + sum(map(len, runs)))
        return self.posts(
            [
                (finding, segments, piece, len(finding_runs))
                for finding, finding_runs in zip(findings, runs, strict=True)
                for piece, segments in enumerate(finding_runs, start=1)
            ]
        )

    def one_reply_each(self) -> list[tuple[Draft, Fitted]] | None:
        """The thread when every finding fits one reply (most do): each post drawn
        once with its real numbers; None when one does not fit."""
        findings = self.composer.summary.findings
        replies = [
            (finding, tuple(split_sentences(finding.text)), 1, 1)
            for finding in findings
        ]
        drafts = self.reply_drafts(replies)
        measured = [measure(self.composer.render(d), self.rule) for d in drafts[1:]]
        fitting = [
            finding.number
            for finding, (_, count, problems) in zip(findings, measured, strict=True)
            if count <= self.rule.limit and not problems
        ]
        if len(fitting) < len(findings):
            # Numbers as wide as these fit those findings in one reply again.
            self.one_reply = (len(str(len(drafts))), set(fitting))
            return None
        head = self.fitted(drafts[:1])
        return head + [
            (draft, Fitted(wire, count, ()))
            for draft, (wire, count, _) in zip(drafts[1:], measured, strict=True)
        ]

    def posts(
        self, replies: list[tuple[Paragraph, tuple[str, ...], int, int]]
    ) -> Teaser:
        return self.composer.teaser(
            self.rule,
            self.fitted(self.reply_drafts(replies)),
            variant="thread",
            key="thread",
            link=self.link,
        )

    def reply_drafts(
        self, replies: list[tuple[Paragraph, tuple[str, ...], int, int]]
    ) -> list[Draft]:
        """The head post's draft, then each reply's, numbered."""
        composer = self.composer
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
        drafts = [head]
        for part, (finding, segments, piece, pieces) in enumerate(replies, start=2):
            draft = self.reply(finding, segments)
            draft.names.update(part=part, parts=parts, piece=piece, pieces=pieces)
            drafts.append(draft)
        return drafts

    def fitted(self, drafts: list[Draft]) -> list[tuple[Draft, Fitted]]:
        """Each post fitted: the head may shed what its template allows, replies
        never (they were split to fit)."""
        parts = len(drafts)
        return [
            (
                draft,
                self.composer.fit_post(
                    draft,
                    self.rule,
                    f"{self.platform} thread part {part}/{parts}",
                    shed=None if part == 1 else (),
                ),
            )
            for part, draft in enumerate(drafts, start=1)
        ]

    def runs(self, finding: Paragraph, bound: int) -> list[tuple[str, ...]]:
        """The finding's sentences in consecutive replies, as many per reply as fit."""

        estimate = Estimate(self.composer, self.rule)
        draft = self.reply(finding, ())  # trials reuse one draft: its finding changes

        def fits(_: int, segments: tuple[str, ...], pieces: int = bound) -> bool:
            draft.content.finding = part_item(self.composer, finding, segments)
            draft.names.update(part=bound, parts=bound, piece=pieces, pieces=pieces)
            return estimate.fits(draft, pieces, segments)

        whole = tuple(split_sentences(finding.text))
        width, fitting = self.one_reply
        if (width == len(str(bound)) and finding.number in fitting) or fits(
            0, whole, 1
        ):  # one reply, so no piece numbers
            return [whole]
        try:
            return split_finding(finding.text, fits)
        except Unsplittable as exc:
            raise unsplittable(
                f"{self.platform} thread", finding, exc.sentence, self.template.path
            ) from None

    def reply(self, finding: Paragraph, segments: tuple[str, ...]) -> Draft:
        draft = self.composer.draft(
            self.platform,
            "thread",
            key="thread",
            link=self.link,
            tags=self.tags,
            finding=finding,
        )
        draft.content.finding = part_item(self.composer, finding, segments)
        draft.names["thread"] = True
        return draft
