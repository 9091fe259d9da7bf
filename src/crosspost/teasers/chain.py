"""Splitting a finding over a chain of posts (an X self-reply chain): between sentences,
and a sentence too long for one post at a clause boundary, with continuation marks.

Nothing is dropped, so nothing is distorted: binding a caveat to its claim matters when
shedding, not when splitting, so every sentence is a unit of its own here."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from crosspost.teasers.sentences import clauses, split_sentences

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
