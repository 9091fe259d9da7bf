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


def test_scrub_keeps_the_words_after_token() -> None:
    """ "access token: Session has expired." is prose: it stays readable."""
    message = "instagram: access token: Session has expired. Renew the token."
    assert scrub(message) == message
    assert scrub("Basic authentication failed") == "Basic authentication failed"


def test_scrub_removes_credential_values_in_every_form() -> None:
    """A query field, a JSON field, a stated value that looks like a token and a
    scheme-prefixed header value are each removed, and only the value."""
    text = scrub(
        'token=abc refresh_token: rt-0042-xyz {"client_secret": "plain words"} '
        "Authorization: Bearer EAAB.abc-123_def password: hunter22"
    )
    assert text == (
        'token=[redacted] refresh_token: [redacted] {"client_secret": "[redacted]"} '
        "Authorization: Bearer [redacted] password: [redacted]"
    )
