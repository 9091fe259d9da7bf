"""Splitting a finding over a chain of posts (an X self-reply chain): between sentences,
and a sentence too long for one post at a clause boundary, with continuation marks;
and measuring the posts of a chain, most trials settled by an estimate.

Nothing is dropped, so nothing is distorted: binding a caveat to its claim matters when
shedding, not when splitting, so every sentence is a unit of its own here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from crosspost.summaries.model import Paragraph
from crosspost.teasers.content import Item
from crosspost.teasers.fit import CountingRule, FitError, measure, quote
from crosspost.teasers.sentences import clauses, split_sentences

if TYPE_CHECKING:
    from crosspost.teasers.compose import Composer, Draft

# Attempts at packing with wider numbers before giving up (9, 99, 999, … posts).
WIDTHS = 4

# fits(part, segments): whether the `part`-th post (from 0) holds these segments.
Fits = Callable[[int, tuple[str, ...]], bool]


class Unsplittable(Exception):
    """A sentence with no clause boundary that makes every piece fit one post."""

    def __init__(self, sentence: str) -> None:
        super().__init__(sentence)
        self.sentence = sentence


def split_finding(text: str, fits: Fits) -> list[tuple[str, ...]]:
    """The finding's sentences in consecutive posts, as many per post as fit.

    Raise Unsplittable when a sentence cannot go over several posts honestly."""
    return pack(split_sentences(text), fits)


def pack(sentences: Sequence[str], fits: Fits) -> list[tuple[str, ...]]:
    """Greedy: each sentence joins the current post if it fits, else starts the next;
    one too long for a post of its own is cut at clause boundaries."""
    parts: list[tuple[str, ...]] = []
    current: tuple[str, ...] = ()
    for sentence in sentences:
        if fits(len(parts), (*current, sentence)):
            current = (*current, sentence)
            continue
        if current:
            parts.append(current)
            current = ()
            if fits(len(parts), (sentence,)):
                current = (sentence,)
                continue
        pieces = clauses(sentence, _from_part(fits, len(parts)))
        if pieces is None:
            raise Unsplittable(sentence)
        parts += [(piece,) for piece in pieces[:-1]]
        current = (pieces[-1],)
    if current:
        parts.append(current)
    return parts


def _from_part(fits: Fits, first: int) -> Callable[[str, int], bool]:
    """Whether the `index`-th piece of a cut sentence fits post `first + index`."""
    return lambda piece, index: fits(first + index, (piece,))


def number_width(parts: int) -> int:
    """The widest number of `parts` digits: posts are measured with it, so the real
    numbers, never wider, cannot push a post over."""
    return int("9" * len(str(max(parts, 1))))


def packed(
    finding: Paragraph,
    *,
    fits: Callable[[int], Callable[[int, tuple[str, ...]], bool]],
    label: str,
    template_path: str,
) -> list[tuple[str, ...]]:
    """Pack with numbers 9 wide, then 99, … until the chain's length fits them."""
    bound = 9
    for _ in range(WIDTHS):
        try:
            parts = split_finding(finding.text, fits(bound))
        except Unsplittable as exc:
            raise unsplittable(label, finding, exc.sentence, template_path) from None
        if len(parts) < bound:  # room for a post of its own for the link
            return parts
        bound = number_width(len(parts))
    raise FitError(
        f"{label}: FINDING #{finding.number} would take more than {bound} posts",
        hint="shorten the finding in the summary",
    )


def part_item(
    composer: Composer, finding: Paragraph, segments: tuple[str, ...]
) -> Item:
    whole = composer.by_number[finding.number]
    return Item(
        whole.label, whole.number, segments, len(segments), whole.summary_number
    )


class Estimate:
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
            label = whole.content.finding.label if whole.content.finding else ""
            bare.finding = Item(label, finding.number, (), 0)
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
        return fits_as_is(self.composer, draft, self.rule)


def fits_as_is(composer: Composer, draft: Draft, rule: CountingRule) -> bool:
    _, count, problems = measure(composer.render(draft), rule)
    return count <= rule.limit and not problems


def unsplittable(
    label: str, finding: Paragraph, sentence: str, template_path: str
) -> FitError:
    return FitError(
        f"{label}: a sentence of FINDING #{finding.number} does not fit one post and "
        f"has no clause boundary (; : , or a dash) to go on from",
        hint=f"shorten that sentence ({quote(sentence)}) or split it in two, "
        f"or the wording of {template_path}",
    )
