"""The [notify] settings: URLs with ${NAME} from the environment or .env, secrets
refused in the config file, never shown, and handed to redaction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crosspost.errors import ConfigError
from crosspost.settings import load_settings

TOKEN = "T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ"


def _toml(folder: Path, text: str) -> Path:
    path = folder / "crosspost.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_placeholders_fill_from_environment_then_dotenv(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """${NAME} takes the environment's value, else .env's (any name, unprefixed)."""
    path = _toml(
        isolated,
        '[notify]\nurls = ["slack://${SLACK_TOKENS}", '
        '"mailto://team:${SMTP_PASSWORD}@smtp.example.org"]\ntimeout = 3\n',
    )
    (isolated / ".env").write_text(
        "SLACK_TOKENS=from-dotenv\nSMTP_PASSWORD=pw-9f2c\n"
        "CROSSPOST_LINKEDIN__VERSION=202603\n"
    )
    monkeypatch.setenv("SLACK_TOKENS", TOKEN)
    settings = load_settings(path)
    assert settings.notify.timeout == 3
    assert [url.get_secret_value() for url in settings.notify.resolved_urls()] == [
        f"slack://{TOKEN}",
        "mailto://team:pw-9f2c@smtp.example.org",
    ]
    assert settings.linkedin.version == "202603"
    secrets = settings.secrets()
    assert TOKEN in secrets
    assert "pw-9f2c" in secrets
    assert f"slack://{TOKEN}" in secrets


def test_unset_placeholder_fails_only_when_used(isolated: Path) -> None:
    """Settings load without the variable (a CI dry run needs no token); resolving
    the URL names the variable."""
    path = _toml(isolated, '[notify]\nurls = ["slack://${SLACK_TOKENS}"]\n')
    settings = load_settings(path)
    assert settings.secrets() == []
    with pytest.raises(ConfigError, match=r"#1 uses \$\{SLACK_TOKENS\}") as caught:
        settings.notify.resolved_urls()
    assert "set SLACK_TOKENS in the environment or .env" in str(caught.value)


@pytest.mark.parametrize(
    ("url", "what"),
    [
        ("mailto://team:hunter2@smtp.example.org", "a password"),
        (f"slack://{TOKEN}", "a token-like part"),
        (
            "json://hooks.example.org/notify?-token=abc123secret",
            "a literal '-token' value",
        ),
    ],
)
def test_literal_credential_in_toml_is_refused(
    isolated: Path, url: str, what: str
) -> None:
    """A URL holding a credential in the file is refused, saying how to fix it and
    without repeating it."""
    path = _toml(isolated, f'[notify]\nurls = ["json://127.0.0.1:9/x", "{url}"]\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert f"notify.urls #2 holds {what}" in message
    assert "${NAME}" in message
    assert "CROSSPOST_NOTIFY__URLS" in message
    for secret in ("hunter2", "TIiajkdnlazkcOXrIdevi7FQ", "abc123secret"):
        assert secret not in message


def test_whole_list_from_the_environment(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CROSSPOST_NOTIFY__URLS gives the list as JSON; its literal tokens are
    secrets (never in repr)."""
    monkeypatch.setenv("CROSSPOST_NOTIFY__URLS", json.dumps([f"slack://{TOKEN}"]))
    settings = load_settings()
    assert settings.notify.urls == [f"slack://{TOKEN}"]
    assert "TIiajkdnlazkcOXrIdevi7FQ" in settings.secrets()
    assert "TIiajkdnlazkcOXrIdevi7FQ" not in repr(settings)


def test_invalid_urls_value_is_not_shown(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wrong type for notify.urls names the key and hides the value."""
    monkeypatch.setenv("CROSSPOST_NOTIFY__URLS", json.dumps(f"slack://{TOKEN}"))
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert "setting 'notify.urls'" in str(caught.value)
    assert "its value is not shown" in str(caught.value)
    assert "TIiajkdnlazkcOXrIdevi7FQ" not in str(caught.value)


def test_unknown_prefixed_variable_in_dotenv_is_still_refused(isolated: Path) -> None:
    """Unprefixed .env variables are ignored; a CROSSPOST_ one we lack is not."""
    (isolated / ".env").write_text("SOMETHING_ELSE=1\nCROSSPOST_NOTIFY_URLS=x\n")
    with pytest.raises(ConfigError, match="unknown variable CROSSPOST_NOTIFY_URLS"):
        load_settings()
