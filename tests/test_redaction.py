"""Tests for removing secrets from text before the ledger keeps it."""

from __future__ import annotations

from crosspost.redaction import scrub


def test_scrub_leaves_ordinary_text_alone() -> None:
    """Scrubbing keeps an error without secrets as it is."""
    assert (
        scrub("caption is too long (2301 > 2200)")
        == "caption is too long (2301 > 2200)"
    )
    assert scrub(None) is None


def test_scrub_removes_known_and_credential_shaped_values() -> None:
    """A known secret, a token parameter and a bearer header are all redacted."""
    text = scrub(
        "sent pw-0123456789 with access_token=EAAB99887766 and Bearer abcdefghijklmn",
        ["pw-0123456789"],
    )
    assert text is not None
    assert "pw-0123456789" not in text
    assert "EAAB99887766" not in text
    assert "abcdefghijklmn" not in text
    assert text.count("[redacted]") == 3
