"""Apprise URLs: placeholders, credentials written literally, secret parts, and the
name a URL is shown by."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from crosspost.errors import ConfigError
from crosspost.notify.urls import (
    fill,
    literal_credential,
    placeholders,
    secret_parts,
    shown,
)


def test_placeholders_are_filled_and_their_values_returned() -> None:
    """Each ${NAME} takes its value; the values used come back for redaction."""
    url, used = fill(
        "slack://${A}/${B}/x?to=${A}", {"A": "T0AB", "B": "B0CD"}, where="w"
    )
    assert url == "slack://T0AB/B0CD/x?to=T0AB"
    assert used == ["T0AB", "B0CD", "T0AB"]
    assert placeholders("mailto://${USER}:${PW}@host") == ["USER", "PW"]
    assert fill("json://host/$HOME/{x}", {}, where="w")[0] == "json://host/$HOME/{x}"


@pytest.mark.parametrize("values", [{}, {"SLACK_TOKENS": ""}])
def test_unset_or_empty_variable_is_named(values: dict[str, str]) -> None:
    """A variable that is missing or empty is a ConfigError naming it and where."""
    with pytest.raises(ConfigError, match=r"notify.urls #3 uses \$\{SLACK_TOKENS\}"):
        fill("slack://${SLACK_TOKENS}", values, where="notify.urls #3")


@pytest.mark.parametrize(
    ("url", "found"),
    [
        ("mailto://team:hunter2@example.org", "a password"),
        ("json://hooks.example.org/x?token=abc", "a literal 'token' value"),
        ("json://hooks.example.org/x?-apikey=abc", "a literal '-apikey' value"),
        ("discord://1234567890/aB3dE6gH9jK2mN5pQ8", "a token-like part"),
        ("tgram://123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/", "a token-like part"),
        ("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ", "a token-like part"),
        ("slack://${SLACK_TOKENS}", None),
        ("mailto://team:${SMTP_PASSWORD}@example.org?to=a@example.org", None),
        ("json://127.0.0.1:8765/_sandbox/notify", None),
        ("ntfy://ntfy.example.org/crosspost-team-2026", None),
    ],
)
def test_literal_credentials_are_found(url: str, found: str | None) -> None:
    """A password, a secret-named parameter or a long token-shaped part is found;
    placeholders, hosts, ports and topic names are not."""
    assert literal_credential(url) == found


def test_secret_parts_hold_values_password_and_encoded_forms() -> None:
    """The URL, each filled value, the password, a -token parameter and token-shaped
    parts are secrets, URL-encoded forms too; hosts and plain words are not."""
    resolved = "form://team:pw+x9@hooks.example.org:8080/notify/T0KEN9abcd?-token=qq"
    parts = secret_parts(resolved, ["filled-1"])
    for secret in (
        resolved,
        "filled-1",
        "pw+x9",
        "T0KEN9abcd",
        "qq",
        quote("pw+x9", ""),
    ):
        assert secret in parts
    for public in ("hooks.example.org", "notify", "8080", "team"):
        assert public not in parts


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("json://127.0.0.1:8765/_sandbox/notify/tok", "#1 json://127.0.0.1:8765…"),
        ("mailto://team:pw@smtp.example.org", "#1 mailto://smtp.example.org…"),
        ("slack://T01ABC/B01ABC/secretsecret", "#1 slack://…"),
        ("tgram://123456:AAHdq-secret/", "#1 tgram://…"),
        ("json://[::1]:9/x", "#1 json://[::1]:9…"),
    ],
)
def test_shown_names_the_service_and_host_only(url: str, name: str) -> None:
    """A URL is shown by number, service and host; a token in the host is not."""
    assert shown(url, 1) == name
