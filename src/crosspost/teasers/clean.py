"""Public text without what a reader cannot see: control characters and bidirectional
overrides and isolates (U+202A–U+202E, U+2066–U+2069), which can reorder or hide what
a post says. Emoji, joiners (ZWJ), variation selectors, RTL scripts and CJK stay."""

from __future__ import annotations

import re

from crosspost.summaries.model import Paragraph, Summary

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


def clean_summary(summary: Summary) -> tuple[Summary, dict[str, tuple[str, ...]]]:
    """`summary` without hidden characters in any text a post may show, and what was
    removed from which passage ("FINDING #2": ("U+202E",))."""
    removed: dict[str, tuple[str, ...]] = {}
    changes: dict[str, object] = {}

    def cleaned(label: str, text: str) -> str:
        text, codes = clean(text)
        if codes:
            removed[label] = codes
        return text

    for name, label in (("title", "the title"), ("intro", "the intro")):
        value = cleaned(label, getattr(summary, name))
        if label in removed:
            changes[name] = value
    for name in ("what", "who", "where", "when"):
        value = getattr(summary, name)
        if value is not None:
            fixed = cleaned(f"{name.title()}?", value)
            if fixed != value:
                changes[name] = fixed
    for name, kind in (
        ("backgrounds", "BACKGROUND"),
        ("findings", "FINDING"),
        ("thoughts", "THOUGHT"),
    ):
        paragraphs = getattr(summary, name)
        kept = tuple(
            _cleaned(p, cleaned(f"{kind} #{p.number}", p.text)) for p in paragraphs
        )
        if kept != paragraphs:
            changes[name] = kept
    return (summary.model_copy(update=changes) if changes else summary), removed


def _cleaned(paragraph: Paragraph, text: str) -> Paragraph:
    """`paragraph` with `text`, copied only when that changes it."""
    if text == paragraph.text:
        return paragraph
    return paragraph.model_copy(update={"text": text})
