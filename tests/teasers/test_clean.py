"""Hidden characters: control and bidi override/isolate characters leave public text,
with a warning naming the passage; emoji, ZWJ, RTL and CJK stay as written."""

from __future__ import annotations

import pytest

from crosspost.settings import Settings
from crosspost.summaries.model import Paragraph, Summary
from crosspost.teasers.clean import clean
from crosspost.teasers.render import render_teasers


@pytest.mark.parametrize(
    ("text", "expected", "codes"),
    [
        ("Relapses \u202efell\u202c by a third.", "Relapses fell by a third.",
         ("U+202C", "U+202E")),
        ("Walking \u2066improved\u2069.", "Walking improved.", ("U+2066", "U+2069")),
        ("Bell\x07 and\x1b escape\x7f.", "Bell and escape.", ("U+0007", "U+001B",
         "U+007F")),
        ("A\ufeffB", "AB", ("U+FEFF",)),
    ],
)  # fmt: skip
def test_hidden_characters_are_removed_and_named(
    text: str, expected: str, codes: tuple[str, ...]
) -> None:
    """Each removed character is named by its code point."""
    assert clean(text) == (expected, codes)


@pytest.mark.parametrize(
    "text",
    [
        "Families 👨\u200d👩\u200d👧 said it helped 👍🏽.",
        "Keycap 1\ufe0f\u20e3 and flag 🇳🇴.",
        "التصلب المتعدد \u200fنتائج\u200e جديدة",
        "多発性硬化症の再発率は低下した。",
        "Η αναπηρία παρέμεινε σταθερή.",
        "Tabs\tand\nlines stay.",
    ],
)
def test_emoji_joiners_rtl_and_cjk_are_untouched(text: str) -> None:
    """Emoji sequences, ZWJ, variation selectors, RTL marks and CJK pass through."""
    assert clean(text) == (text, ())


def test_posts_lose_hidden_characters_with_a_warning_naming_the_finding(
    settings: Settings,
) -> None:
    """A bidi override in FINDING #2 never reaches a post; each teaser showing that
    finding says which characters were removed from it."""
    summary = Summary(
        title="Research Summary: Cooling vests in MS",
        findings=(
            Paragraph(number=1, text="Walking improved by 8%."),
            Paragraph(number=2, text="Fatigue \u202efell\u202c too 🧠."),
        ),
        url="https://example.org/s",
    )
    teasers = render_teasers(summary, settings)
    assert teasers
    for teaser in teasers:
        for part in teaser.parts:
            assert "\u202e" not in part.text
            assert "\u202c" not in part.text
    by_key = {(t.platform, t.key): t for t in teasers}
    warning = (
        "removed hidden control or bidirectional characters (U+202C, U+202E) "
        "from FINDING #2"
    )
    assert warning in by_key[("facebook", "finding-2")].warnings
    assert "Fatigue fell too 🧠." in by_key[("facebook", "finding-2")].text
    assert warning not in by_key[("facebook", "finding-1")].warnings
