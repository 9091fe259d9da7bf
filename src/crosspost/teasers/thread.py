"""X chains: a finding too long for one post goes on over numbered self-replies (the
`finding` variant), and a thread is the announce post, then each finding over as many
replies as it needs. Both split between sentences, a sentence too long for a post at a
clause boundary with a continuation mark; nothing is left out."""

from __future__ import annotations

from collections.abc import Callable
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
    # Whole in one post, giving up only what the template sheds besides the finding.
    keep_finding = tuple(s for s in template.shed if s != "later_sentences")
    whole = draft(None, 1, 1)
    try:
        fitted = composer.fit_post(whole, rule, label, shed=keep_finding)
        return composer.teaser(
            rule, [(whole, fitted)], variant="finding", key=key, link=link
        )
    except FitError:
        pass

    def fits(bound: int) -> Callable[[int, tuple[str, ...]], bool]:
        def check(part: int, segments: tuple[str, ...]) -> bool:
            made = draft(segments, min(part + 1, bound), bound)
            if _fits_as_is(composer, made, rule):
                return True
            # The first post may give up hashtags or the title for its first piece.
            return (
                part == 0
                and len(segments) == 1
                and _fits_shedding(composer, made, rule, keep_finding)
            )

        return check

    parts = _packed(finding, fits=fits, label=label, template_path=template.path)
    posts: list[tuple[Draft, Fitted]] = []
    for piece, segments in enumerate(parts, start=1):
        made = draft(segments, piece, len(parts))
        shed = keep_finding if piece == 1 else ()
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

    def teaser(self) -> Teaser:
        composer = self.composer
        findings = composer.summary.findings
        bound = 9
        for _ in range(_WIDTHS):
            runs = [self.runs(finding, bound) for finding in findings]
            if 1 + sum(map(len, runs)) <= bound:
                break
            bound = number_width(1 + sum(map(len, runs)))
        replies = [
            (finding, segments, piece, len(finding_runs))
            for finding, finding_runs in zip(findings, runs, strict=True)
            for piece, segments in enumerate(finding_runs, start=1)
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
        for part, (finding, segments, piece, pieces) in enumerate(replies, start=2):
            draft = self.reply(finding, segments)
            draft.names.update(part=part, parts=parts, piece=piece, pieces=pieces)
            label = f"{self.platform} thread part {part}/{parts}"
            posts.append((draft, composer.fit_post(draft, self.rule, label, shed=())))
        return composer.teaser(
            self.rule, posts, variant="thread", key="thread", link=self.link
        )

    def runs(self, finding: Paragraph, bound: int) -> list[tuple[str, ...]]:
        """The finding's sentences in consecutive replies, as many per reply as fit."""

        def fits(_: int, segments: tuple[str, ...], pieces: int = bound) -> bool:
            draft = self.reply(finding, segments)
            draft.names.update(part=bound, parts=bound, piece=pieces, pieces=pieces)
            return _fits_as_is(self.composer, draft, self.rule)

        whole = tuple(split_sentences(finding.text))
        if fits(0, whole, 1):  # one reply, so no piece numbers
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
        if len(parts) <= bound:
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


def _fits_as_is(composer: Composer, draft: Draft, rule: CountingRule) -> bool:
    _, count, problems = measure(composer.render(draft), rule)
    return count <= rule.limit and not problems


def _fits_shedding(
    composer: Composer, draft: Draft, rule: CountingRule, shed: tuple[str, ...]
) -> bool:
    try:
        composer.fit_post(draft, rule, "chain", shed=shed)
    except FitError:
        return False
    return True


def _unsplittable(
    label: str, finding: Paragraph, sentence: str, template_path: str
) -> FitError:
    return FitError(
        f"{label}: a sentence of FINDING #{finding.number} does not fit one post and "
        f"has no clause boundary (; : , or a dash) to go on from",
        hint=f"shorten that sentence ({quote(sentence)}) or split it in two, "
        f"or the wording of {template_path}",
    )
