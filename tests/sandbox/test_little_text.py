"""LinkedIn's little text format as the sandbox displays it."""

from __future__ import annotations

import pytest

from crosspost.sandbox.little_text import displayed


@pytest.mark.parametrize(
    ("commentary", "shown"),
    [
        ("Relapses fell (by a third) in the trial.", "Relapses fell "),
        (
            "Relapses fell \\(by a third\\) in the trial.",
            "Relapses fell (by a third) in the trial.",
        ),
        ("Read more #MSResearch today", "Read more #MSResearch today"),
        ("Score # 3 of 5", "Score "),
        (
            "Thanks @[Neuro Team](urn:li:organization:123) for this",
            "Thanks Neuro Team for this",
        ),
        ("Thanks @team for this", "Thanks "),
        ("Tagged {hashtag|\\#|Neurology} post", "Tagged #Neurology post"),
        ("a_b", "a"),
        ("a\\_b \\\\ c", "a_b \\ c"),
        ("https://example.org/a-b?x=1", "https://example.org/a-b?x=1"),
        ("Ends with a backslash \\", "Ends with a backslash "),
    ],
)
def test_displayed_text(commentary: str, shown: str) -> None:
    """Escapes are undone; the first unescaped reserved character cuts the rest."""
    assert displayed(commentary) == shown
