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
# A sentence with any of these cues may take back some of the sentence before it
# (negation, hedge, contrast, comparison with placebo, fading, limitation, statistics),
# so it is kept or dropped with it. Erring on the side of keeping is deliberate: a
# plain detail bound to its claim costs only room; a caveat dropped changes the claim.
_QUALIFIER = re.compile(
    r"""\b(?:
    # negation
    not|no|never|neither|nor|none|nothing|nobody|without|cannot|lack\w*|absen\w*|
    unable|fail\w*|
    # hedges and uncertainty
    only|may|might|could|unclear|uncertain\w*|unknown|unproven|unconfirmed|
    possib\w*|perhaps|likely|unlikely|suggest\w*|seem\w*|appear(?:s|ed)?\s+to|
    inconclusive|inconsistent|conflicting|mixed|confirm\w*|replicat\w*|needed|
    # contrast
    however|but|although|though|yet|still|whereas|while|unlike|despite|except|
    unless|whether|instead|rather|conversely|contrast\w*|nevertheless|nonetheless|
    otherwise|unfortunately|importantly|crucially|even\s+so|that\s+said|in\s+spite|
    # as good as the comparison: placebo, controls, both groups alike
    similar\w*|just\s+as|equally|the\s+same|placebo|sham|control\s+groups?|
    controls|comparator|both\s+(?:groups|arms)|either\s+(?:group|arm)|
    # an effect that faded or was explained away
    vanish\w*|disappear\w*|fade[ds]?|fading|wane[ds]?|waning|wore\s+off|
    revers\w*|attenuat\w*|diminish\w*|lost|returned\s+to|temporar\w*|
    transient\w*|short[-\s]lived|adjust\w*|confound\w*|bias\w*|chance|
    # a small, early or limited study; association rather than cause
    small(?:er|est)?|few|limit\w*|preliminar\w*|early|pilot|exploratory|post[-\s]hoc|
    subgroups?|observational|retrospective|uncontrolled|unblinded|open[-\s]label|
    underpowered|self[-\s]reported|modest\w*|slight\w*|marginal\w*|weak(?:er|ly|ened)?|
    mice|mouse|rats?|animals?|in\s+vitro|caution\w*|cautious\w*|
    significan\w*|insignificant|non-?significant|associat\w*|correlat\w*|linked
    )\b|n['’]t\b""",
    re.IGNORECASE | re.VERBOSE,
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
    """Whether `sentence` may qualify the one before (both kept or dropped together):
    a negation, hedge, contrast or limitation cue anywhere in it."""
    return _QUALIFIER.search(sentence) is not None


def sentence_groups(text: str) -> tuple[str, ...]:
    """Sentences joined with those qualifying them: the units fitting drops. Binding
    chains: a claim, its caveat and the caveat's own caveat make one group."""
    groups: list[str] = []
    for sentence in split_sentences(text):
        if groups and qualifies(sentence):
            groups[-1] = f"{groups[-1]} {sentence}"
        else:
            groups.append(sentence)
    return tuple(groups)


def first_sentences(text: str, count: int = 1) -> str:
    """The first `count` sentence groups of `text` (qualifiers kept with them).

    Lossy: the rest is dropped whatever the room, with no warning. Teasers show whole
    passages and let fitting shed `later_sentences` only when over the limit."""
    return " ".join(sentence_groups(text)[: max(count, 1)])
