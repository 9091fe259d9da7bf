"""Sentence splitting for fitting: whole sentences, qualifiers kept with their claim."""

from __future__ import annotations

import re

# Terminal punctuation and closing quotes, whitespace, then what may start a sentence.
_BOUNDARY = re.compile(r"([.!?…][\"'”’)\]]*)\s+(?=[\"'“‘(\[]?(\w))")
_LAST_WORD = re.compile(r"(\S+)$")
# Words ending in a full stop that do not end a sentence (no "ms.": MS is the disease).
_ABBREVIATIONS = frozenset(
    {
        "e.g.", "i.e.", "al.", "vs.", "cf.", "approx.", "ca.", "fig.", "figs.",
        "dr.", "prof.", "mr.", "mrs.", "st.", "no.", "nos.", "vol.", "ref.", "refs.",
        "u.s.", "u.k.", "ph.d.", "jan.", "feb.", "aug.", "sept.", "oct.", "nov.",
        "dec.",
    }
)  # fmt: skip
_QUALIFIER_OPENERS = re.compile(
    r"""^["'“‘(]?(however|but|although|though|yet|still|only|nevertheless|nonetheless|
    even\s+so|even\s+though|that\s+said|instead|rather|in\s+contrast|conversely|
    unfortunately|importantly|crucially|whether|neither|nor|none|not|no\s+such|
    no\s+similar|except|unless|despite|in\s+spite)\b""",
    re.IGNORECASE | re.VERBOSE,
)
# A sentence about the claim before it ("The difference was not significant.").
_DEMONSTRATIVE = re.compile(
    r"""^["'“‘(]?(this|these|that|those|it|its|they|their|such|both|either|
    the\s+(results?|findings?|study|trial|difference|effects?|benefits?|gains?|
    changes?|reasons?|association|link|reduction|increase|improvement|analysis|data|
    evidence|authors|trend|drop|rise|fall))\b""",
    re.IGNORECASE | re.VERBOSE,
)
_HEDGE = re.compile(
    r"\b(not|no|never|cannot|may|might|could|only|unclear|uncertain|unknown|"
    r"preliminary|limited|neither|nor|none)\b|n['’]t\b",
    re.IGNORECASE,
)
# Wherever they stand, these take back some of the sentence before.
_QUALIFYING_ANYWHERE = re.compile(
    r"\b(not\s+(statistically\s+)?significant(ly)?|non-?significant|"
    r"(did\s+not|failed\s+to)\s+reach\s+(statistical\s+)?significance)\b"
    r"|,\s+though\W*$",
    re.IGNORECASE,
)


def normalise(text: str) -> str:
    """Collapse runs of whitespace (summaries often have two after a full stop)."""
    return " ".join(text.split())


def split_sentences(text: str) -> list[str]:
    """Split at sentence ends; never at e.g., i.e., et al., vs., in decimals or URLs."""
    text = normalise(text)
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        opener = match.group(2)
        if not (opener.isupper() or opener.isdigit()):
            continue
        candidate = text[start : match.end(1)]
        last = _LAST_WORD.search(candidate)
        if last and last.group(1).lstrip("\"'“‘([").lower() in _ABBREVIATIONS:
            continue
        sentences.append(candidate)
        start = match.end()
    sentences.append(text[start:])
    return sentences


def qualifies(sentence: str) -> bool:
    """Whether `sentence` qualifies the one before (both kept or dropped together)."""
    if _QUALIFIER_OPENERS.match(sentence) or _QUALIFYING_ANYWHERE.search(sentence):
        return True
    return bool(_DEMONSTRATIVE.match(sentence) and _HEDGE.search(sentence))


def sentence_groups(text: str) -> tuple[str, ...]:
    """Sentences joined with those qualifying them: the units fitting drops."""
    groups: list[str] = []
    for sentence in split_sentences(text):
        if groups and qualifies(sentence):
            groups[-1] = f"{groups[-1]} {sentence}"
        else:
            groups.append(sentence)
    return tuple(groups)


def first_sentences(text: str, count: int = 1) -> str:
    """The first `count` sentence groups of `text` (qualifiers kept with them)."""
    return " ".join(sentence_groups(text)[: max(count, 1)])
