"""Public text without what a reader cannot see: control characters and bidirectional
overrides and isolates (U+202A–U+202E, U+2066–U+2069), which can reorder or hide what
a post says. Emoji, joiners (ZWJ), variation selectors, RTL scripts and CJK stay."""

from __future__ import annotations

import re

# C0 controls but tab and line breaks, DEL and C1 controls; bidi embeddings, overrides
# and isolates; the byte-order mark and noncharacters X refuses.
_HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]"
)


def clean(text: str) -> tuple[str, tuple[str, ...]]:
    """`text` without hidden characters, and which were removed ("U+202E", …)."""
    if text.isascii() and text.isprintable():
        return text, ()
    found = _HIDDEN.findall(text)
    if not found:
        return text, ()
    codes = tuple(sorted({f"U+{ord(char):04X}" for char in found}))
    return _HIDDEN.sub("", text), codes


def removal_warning(label: str, codes: tuple[str, ...]) -> str:
    """The warning a teaser carries for a passage that lost hidden characters."""
    return (
        f"removed hidden control or bidirectional characters ({', '.join(codes)}) "
        f"from {label}"
    )
