"""X chains: a finding too long for one post goes on over numbered self-replies (the
`finding` variant), and a thread is the announce post, then each finding over as many
replies as it needs. Both split between sentences, a sentence too long for a post at a
clause boundary with a continuation mark; nothing is left out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from crosspost.summaries.model import Paragraph
from crosspost.teasers.chain import Unsplittable, number_width, split_finding
from crosspost.teasers.content import Item
from crosspost.teasers.fit import CountingRule, FitError, Fitted, measure, quote
from crosspost.teasers.model import Teaser
from crosspost.teasers.sentences import split_sentences

if TYPE_CHECKING:
    from crosspost.teasers.compose import Composer, Draft

# Attempts at packing with wider numbers before giving up (9, 99, 999, … posts).
_WIDTHS = 4


def thread_teaser(composer: Composer, platform: str, rule: CountingRule) -> Teaser:
    """The whole thread as one teaser; FitError if a sentence cannot be split."""
    return _Thread(composer, platform, rule).teaser()


def finding_chain(
    composer: Composer, rule: CountingRule, key: str, finding: Paragraph
) -> Teaser:
    """One finding as a post, or a numbered chain of self-replies when it does not fit
    one: the first post has the heading, link and hashtags, each reply goes on."""
    platform = rule.platform
    link, tags = composer.link(platform, key)

    def draft(segments: tuple[str, ...] | None, piece: int, pieces: int) -> Draft:
        made = composer.draft(
            platform, "finding", key=key, link=link, tags=tags, finding=finding
        )
        if segments is not None:
            made.content.finding = _part_item(composer, finding, segments)
        made.names.update(
            thread=False, part=piece, parts=pieces, piece=piece, pieces=pieces
        )
        return made

    label = f"{platform} {key}"
    template = composer.env.template(platform, "finding")
    # Whole in one post, giving up only what the template sheds besides the finding
    # (not even tried when the finding alone is over the limit).
    keep_finding = tuple(s for s in template.shed if s != "later_sentences")
    whole = draft(None, 1, 1)
    estimate = _Estimate(composer, rule)
    if estimate.may_fit_whole(whole, keep_finding, finding):
        try:
            fitted = composer.fit_post(whole, rule, label, shed=keep_finding)
            return composer.teaser(
                rule, [(whole, fitted)], variant="finding", key=key, link=link
            )
        except FitError:
            pass

    scratch = draft((), 1, 1)  # trials reuse one draft: only its finding changes

    def fits(bound: int) -> Callable[[int, tuple[str, ...]], bool]:
        def check(part: int, segments: tuple[str, ...]) -> bool:
            # Measured as a post before the last (the link closes the last one), with
            # numbers as wide as the chain's could be.
            piece = min(part + 1, bound - 1)
            made = scratch
            made.content.finding = _part_item(composer, finding, segments)
            made.names.update(part=piece, parts=bound, piece=piece, pieces=bound)
            return estimate.fits(made, min(piece, 2), segments)

        return check

    parts = _packed(finding, fits=fits, label=label, template_path=template.path)
    last = draft(parts[-1], len(parts), len(parts))
    try:
        composer.fit_post(last, rule, label, shed=keep_finding)
    except FitError:
        parts.append(())  # no room left for the link: it gets a post of its own
    posts: list[tuple[Draft, Fitted]] = []
    for piece, segments in enumerate(parts, start=1):
        made = draft(segments, piece, len(parts))
        shed = keep_finding if piece == len(parts) else ()
        posts.append(
            (made, composer.fit_post(made, rule, f"{label} part {piece}", shed=shed))
        )
    return composer.teaser(rule, posts, variant="finding", key=key, link=link)


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
        for _ in range(_WIDTHS):
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

        estimate = _Estimate(self.composer, self.rule)
        draft = self.reply(finding, ())  # trials reuse one draft: its finding changes

        def fits(_: int, segments: tuple[str, ...], pieces: int = bound) -> bool:
            draft.content.finding = _part_item(self.composer, finding, segments)
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
            raise _unsplittable(
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
        draft.content.finding = _part_item(self.composer, finding, segments)
        draft.names["thread"] = True
        return draft


def _packed(
    finding: Paragraph,
    *,
    fits: Callable[[int], Callable[[int, tuple[str, ...]], bool]],
    label: str,
    template_path: str,
) -> list[tuple[str, ...]]:
    """Pack with numbers 9 wide, then 99, … until the chain's length fits them."""
    bound = 9
    for _ in range(_WIDTHS):
        try:
            parts = split_finding(finding.text, fits(bound))
        except Unsplittable as exc:
            raise _unsplittable(label, finding, exc.sentence, template_path) from None
        if len(parts) < bound:  # room for a post of its own for the link
            return parts
        bound = number_width(len(parts))
    raise FitError(
        f"{label}: FINDING #{finding.number} would take more than {bound} posts",
        hint="shorten the finding in the summary",
    )


def _part_item(
    composer: Composer, finding: Paragraph, segments: tuple[str, ...]
) -> Item:
    whole = composer.by_number[finding.number]
    return Item(
        whole.label, whole.number, segments, len(segments), whole.summary_number
    )


class _Estimate:
    """Whether a chain post fits, most trials settled without drawing the post: the
    post with no finding, plus the finding's own count, is within a few of the post's
    count, so a trial clearly over the limit is never rendered."""

    # What joining the finding to the rest may add or take away (spaces, line breaks
    # that tidying would otherwise remove): well within it, the estimate decides.
    MARGIN = 4

    def __init__(self, composer: Composer, rule: CountingRule) -> None:
        self.composer = composer
        self.rule = rule
        # Shared by every chain of the summary: the numbers in a post ("Finding 2 of
        # 3") change its count by less than the margin.
        self.base = composer.chain_bases

    def may_fit_whole(
        self, whole: Draft, shed: tuple[str, ...], finding: Paragraph
    ) -> bool:
        """False when, with all but the finding given up, the post would still be
        clearly over the limit (so fitting the finding whole is not tried)."""
        text_count = self.rule.count(finding.text)
        if text_count > self.rule.limit:
            return False
        kind = (whole.template.path, "bare", shed)
        if kind not in self.base:
            bare = whole.content.shallow()
            bare.hashtags = []
            if "title" in shed:
                bare.title, bare.subtitle = "", None
            bare.finding = Item("FINDING", finding.number, (), 0)
            self.base[kind] = self.rule.count(
                self.composer.render(replace(whole, content=bare))
            )
        return self.base[kind] + text_count - self.MARGIN <= self.rule.limit

    def fits(self, draft: Draft, kind: object, segments: tuple[str, ...]) -> bool:
        kind = (draft.template.path, kind)
        if kind not in self.base:
            content = draft.content.shallow()
            finding = content.finding
            assert finding is not None
            content.finding = Item(finding.label, finding.number, (), 0)
            empty = replace(draft, content=content)
            self.base[kind] = self.rule.count(self.composer.render(empty))
        text = " ".join(segments)
        if self.base[kind] + self.rule.count(text) - self.MARGIN > self.rule.limit:
            return False
        return _fits_as_is(self.composer, draft, self.rule)


def _fits_as_is(composer: Composer, draft: Draft, rule: CountingRule) -> bool:
    _, count, problems = measure(composer.render(draft), rule)
    return count <= rule.limit and not problems


def _unsplittable(
    label: str, finding: Paragraph, sentence: str, template_path: str
) -> FitError:
    return FitError(
        f"{label}: a sentence of FINDING #{finding.number} does not fit one post and "
        f"has no clause boundary (; : , or a dash) to go on from",
        hint=f"shorten that sentence ({quote(sentence)}) or split it in two, "
        f"or the wording of {template_path}",
    )
