"""Sentence splitting for fitting: whole sentences, qualifiers kept with their claim."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

ELLIPSIS = "…"

# Terminal punctuation and closing quotes, whitespace, then what may start a sentence.
_BOUNDARY = re.compile(r"([.!?…][\"'”’)\]]*)\s+(?=[\"'“‘(\[]?(\w))")
# Words ending in a full stop that do not end a sentence (no "ms.": MS is the disease).
_ABBREVIATIONS = frozenset(
    {
        "e.g.", "i.e.", "al.", "vs.", "cf.", "approx.", "ca.", "fig.", "figs.",
        "dr.", "prof.", "mr.", "mrs.", "st.", "no.", "nos.", "vol.", "ref.", "refs.",
        "u.s.", "u.k.", "ph.d.", "jan.", "feb.", "aug.", "sept.", "oct.", "nov.",
        "dec.",
    }
)  # fmt: skip
# A sentence that limits what came before it binds everything before it in its finding:
# the finding is quoted up to and including its last such sentence, or not at all.
# It limits what came before when it opens with a contrast or limitation ...
_OPENS_WITH_LIMIT = re.compile(
    r"""[\"'“‘(\[]*(?:
    however|but|although|though|yet|still|nevertheless|nonetheless|even\s+so|
    that\s+said|in\s+contrast|by\s+contrast|on\s+the\s+other\s+hand|despite|
    in\s+spite|unlike|whereas|conversely|unfortunately|instead|only|not|neither|
    whether|caution\w*|importantly|crucially|notably,\s+(?:no|not)
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
# ... or takes the claim back wherever the words stand: the comparison did as well, the
# effect faded or was explained away, or was not significant, or was seen in animals.
_TAKES_BACK = re.compile(
    r"""\b(?:
    however|,\s+though|
    placebo\b[^.]*?\b(?:as\s+well|as\s+much|also|too|similar\w*)|
    (?:did|fared|improved|worked)\s+(?:just\s+|about\s+)?as\s+(?:well|much)|
    sham|control\s+groups?|controls\s+(?:did|improved|also)|
    (?:both|either)\s+(?:groups?|arms?)\s+(?:\w+\s+)?(?:improved|did|fared|changed|showed|had)|
    just\s+as|equally|similar(?:ly)?\b.*\b(?:placebo|control|both|untreated)|
    vanish\w*|disappear\w*|fade[ds]?|fading|wane[ds]?|waning|wore\s+off|revers\w*|
    attenuat\w*|diminish\w*|no\s+longer|did\s+not\s+last|returned\s+to|
    short[-\s]lived|temporar\w*|transient\w*|
    after\s+adjust\w*|adjust\w*\s+for|confound\w*|by\s+chance|
    not\s+(?:statistically\s+)?significant\w*|non-?significant|insignificant|
    (?:did\s+not|didn[’']t|failed\s+to)\s+reach\s+(?:statistical\s+)?significance|
    in\s+(?:mice|rats|animals|vitro)|mouse|mice|
    (?:confirm|replicat)\w*\s+(?:this|these|that|it|them)
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
# Every take-back holds one of these (lower case, anywhere): a sentence without any is
# settled without the slower search above.
_TAKES_BACK_HINT = re.compile(
    "however|though|as well|as much|similar|sham|control|both|either|just as|equal"
    "|vanish|disappear|fad|wan|wore off|revers|attenuat|diminish|no longer|not last"
    "|returned to|short|temporar|transient|adjust|confound|chance|significan|mice"
    "|rats|animal|vitro|mouse|confirm|replicat"
)
# ... or points back at it ("These results may not apply …", "The trial was small.")
# and carries a negation, hedge or limitation of its own.
_POINTS_BACK = re.compile(
    r"""[\"'“‘(\[]*(?:this|these|that|those|it|such|they|the\s+(?:
    effects?|differences?|benefits?|results?|findings?|gains?|improvements?|changes?|
    associations?|links?|trends?|reductions?|increases?|study|trial|sample|analys[ie]s|
    work|data|evidence|cohort|numbers?|groups?
    ))\b""",
    re.IGNORECASE | re.VERBOSE,
)
_HEDGE = re.compile(
    r"""\b(?:
    not|no|never|none|nothing|cannot|unclear|uncertain\w*|unknown|unproven|
    may|might|could|only|possib\w*|perhaps|likely|unlikely|suggest\w*|seem\w*|
    small(?:er|est)?|few|limit\w*|preliminar\w*|early|pilot|exploratory|post[-\s]hoc|
    observational|retrospective|uncontrolled|unblinded|open[-\s]label|underpowered|
    self[-\s]reported|modest\w*|slight\w*|marginal\w*|weak\w*|caution\w*|needed
    )\b|n['’]t\b""",
    re.IGNORECASE | re.VERBOSE,
)
_CLAUSE_BREAKS = (
    # Strongest first: a too-long sentence is cut at the farthest break of the
    # strongest kind that fits, and only at a space, so never inside a word, number,
    # URL, hashtag or mention.
    re.compile(r"(?<=[;])\s+"),
    re.compile(r"(?<=[:])\s+|\s+(?=[-–—]\s)"),
    re.compile(
        r"(?<=,)\s+(?=(?:and|but|or|while|whereas|which|who|so|yet|although|though|"
        r"because|with|compared|rather|as|when|where|after|before|since|until)\b)"
    ),
    re.compile(r"(?<=,)\s+"),
)
_OPENERS = "([{"
_CLOSERS = ")]}"


def normalise(text: str) -> str:
    """Collapse runs of whitespace (summaries often have two after a full stop)."""
    return " ".join(text.split())


def split_sentences(text: str) -> list[str]:
    """Split at sentence ends; never at e.g., i.e., et al., vs., in decimals or URLs."""
    return list(_sentences(text))


@lru_cache(maxsize=64)
def _sentences(text: str) -> tuple[str, ...]:
    """split_sentences, remembered: one finding is split for its teaser's content, for
    the thread, for its own post, and again for each width of numbers a chain tries."""
    text = normalise(text)
    if not text:
        return ()
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        opener = match.group(2)
        if not (opener.isupper() or opener.isdigit()):
            continue
        end = match.end(1)
        last = text[max(text.rfind(" ", start, end) + 1, start) : end]
        if last.lstrip("\"'“‘([").lower() in _ABBREVIATIONS:
            continue
        sentences.append(text[start:end])
        start = match.end()
    sentences.append(text[start:])
    return tuple(sentences)


def qualifies(sentence: str) -> bool:
    """Whether `sentence` limits what came before it in its finding (so everything
    before it is quoted with it or not at all): it opens with a contrast or limitation
    ("However, …", "But …", "That said, …"), takes the claim back ("Placebo did just as
    well.", "The effect had disappeared …"), or points back at it with a hedge of its
    own ("These results may not apply …"). A sentence whose hedge is its own ("A post
    hoc analysis suggested …") does not: it is a unit of its own."""
    if _OPENS_WITH_LIMIT.match(sentence):
        return True
    if _TAKES_BACK_HINT.search(sentence.lower()) and _TAKES_BACK.search(sentence):
        return True
    return bool(_POINTS_BACK.match(sentence) and _HEDGE.search(sentence))


def sentence_groups(text: str) -> tuple[str, ...]:
    """The units shedding gives up, last first: the sentences up to and including the
    last one that limits what came before (one unit: a finding is quoted up to its
    last caveat or not at all), then each later sentence on its own."""
    sentences = split_sentences(text)
    last = max(
        (index for index, sentence in enumerate(sentences) if qualifies(sentence)),
        default=0,
    )
    head = " ".join(sentences[: last + 1])
    return (head, *sentences[last + 1 :]) if sentences else ()


def first_sentences(text: str, count: int = 1) -> str:
    """The first `count` sentence groups of `text` (a finding's caveats kept with it).

    Lossy: the rest is dropped whatever the room, with no warning. Teasers show whole
    passages and let fitting shed `later_sentences` only when over the limit."""
    return " ".join(sentence_groups(text)[: max(count, 1)])


def clauses(sentence: str, fits: Callable[[str, int], bool]) -> list[str] | None:
    """`sentence` cut at clause boundaries into pieces that each `fits` (given the
    piece and its index: a chain's first post may have less room) (a piece is
    given with its continuation marks: "… " before a piece that continues a cut, " …"
    after one that is continued), or None if no honest cut makes every piece fit.

    Cuts are made only at a space outside brackets, after ";", ":" or a comma, or
    before a dash, so never inside a word, number, URL, hashtag, mention or bracketed
    span; each piece ends at the farthest break of the strongest kind that fits."""
    breaks = [_cuts(sentence, pattern) for pattern in _CLAUSE_BREAKS]
    whole = (len(sentence), len(sentence))
    pieces: list[str] = []
    start = 0
    while True:
        lead = ELLIPSIS + " " if start else ""

        def piece(cut: tuple[int, int], lead: str = lead, start: int = start) -> str:
            tail = "" if cut == whole else " " + ELLIPSIS
            return lead + sentence[start : cut[0]] + tail

        def fitting(
            cut: tuple[int, int],
            piece: Callable[..., str] = piece,
            index: int = len(pieces),
        ) -> bool:
            return fits(piece(cut), index)

        later = [[c for c in cuts if c[0] > start] for cuts in breaks]
        if not any(later):
            return [*pieces, piece(whole)] if fitting(whole) else None
        # The rest is tried whole only after every break of a kind fits before it.
        found = next(
            (
                cut
                for cuts in later
                if cuts
                for cut in [_farthest([*cuts, whole], fitting)]
                if cut is not None
            ),
            None,
        )
        if found is None:
            return None
        pieces.append(piece(found))
        if found == whole:
            return pieces
        start = found[1]


def _farthest(
    cuts: list[tuple[int, int]], fits: Callable[[tuple[int, int]], bool]
) -> tuple[int, int] | None:
    """The last of `cuts` (in order, fitting less as they go) that fits: galloping
    then halving, so a long sentence costs few trials of short pieces."""
    if not cuts or not fits(cuts[0]):
        return None
    good, step = 0, 1
    while good + step < len(cuts) and fits(cuts[good + step]):
        good += step
        step *= 2
    bad = min(good + step, len(cuts))
    while bad - good > 1:
        middle = (good + bad) // 2
        if fits(cuts[middle]):
            good = middle
        else:
            bad = middle
    return cuts[good]


def _cuts(sentence: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """(end of the piece before, start of the piece after) of each break outside
    brackets, in order."""
    depth = [0] * (len(sentence) + 1)
    level = 0
    for index, char in enumerate(sentence):
        if char in _OPENERS:
            level += 1
        elif char in _CLOSERS:
            level = max(level - 1, 0)
        depth[index + 1] = level
    return [
        (match.start(), match.end())
        for match in pattern.finditer(sentence)
        if depth[match.start()] == 0 and 0 < match.start() < match.end() < len(sentence)
    ]
