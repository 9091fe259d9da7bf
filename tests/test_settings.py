"""Settings precedence, one test per step, and the errors a bad setting gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crosspost.errors import ConfigError
from crosspost.settings import load_settings


def _toml(folder: Path, text: str) -> Path:
    path = folder / "crosspost.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_apply_without_any_source(isolated: Path) -> None:
    """With no file, .env or variable, the built-in default is used."""
    assert load_settings().linkedin.version == "202605"


def test_toml_overrides_default(isolated: Path) -> None:
    """The TOML file overrides the default."""
    path = _toml(isolated, '[linkedin]\nversion = "202601"\n')
    assert load_settings(path).linkedin.version == "202601"


def test_dotenv_overrides_toml(isolated: Path) -> None:
    """.env overrides the TOML file."""
    path = _toml(isolated, '[linkedin]\nversion = "202601"\n')
    (isolated / ".env").write_text("CROSSPOST_LINKEDIN__VERSION=202603\n")
    assert load_settings(path).linkedin.version == "202603"


def test_environment_overrides_dotenv(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An environment variable overrides .env."""
    path = _toml(isolated, '[linkedin]\nversion = "202601"\n')
    (isolated / ".env").write_text("CROSSPOST_LINKEDIN__VERSION=202603\n")
    monkeypatch.setenv("CROSSPOST_LINKEDIN__VERSION", "202604")
    assert load_settings(path).linkedin.version == "202604"


def test_explicit_values_override_environment(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Values passed in code (the CLI's options) override everything."""
    monkeypatch.setenv("CROSSPOST_STATE_DIR", "from-env")
    assert load_settings(state_dir=Path("from-cli")).state_dir == Path("from-cli")


def test_default_config_file_is_read_from_the_working_folder(isolated: Path) -> None:
    """Without --config, config/crosspost.toml in the working folder is read."""
    (isolated / "config").mkdir()
    _toml(isolated / "config", 'timezone = "Europe/Paris"\n')
    assert load_settings().timezone == "Europe/Paris"


def test_secret_in_toml_is_refused_with_the_variable_to_use(isolated: Path) -> None:
    """A token written into the TOML file is refused, naming the variable to set
    instead."""
    path = _toml(isolated, '[linkedin]\naccess_token = "abc123secret"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert "linkedin.access_token" in message
    assert "CROSSPOST_LINKEDIN__ACCESS_TOKEN" in message
    assert "abc123secret" not in message


def test_secret_from_environment_is_hidden_in_repr(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A secret read from the environment is a SecretStr that never shows in repr."""
    monkeypatch.setenv("CROSSPOST_FACEBOOK__PAGE_ACCESS_TOKEN", "EAAGcanary999")
    settings = load_settings()
    token = settings.facebook.page_access_token
    assert token is not None
    assert token.get_secret_value() == "EAAGcanary999"
    assert "EAAGcanary999" not in repr(settings)


def test_bad_value_names_key_and_what_is_allowed(isolated: Path) -> None:
    """A bad value names its key, the variable and what is allowed."""
    path = _toml(isolated, '[linkedin]\nversion = "May 2026"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert "linkedin.version" in message
    assert "YYYYMM" in message
    assert "CROSSPOST_LINKEDIN__VERSION" in message


def test_unknown_key_is_named(isolated: Path) -> None:
    """A misspelt setting is reported rather than silently ignored."""
    path = _toml(isolated, 'templates_folder = "t"\n')
    with pytest.raises(ConfigError, match="unknown setting 'templates_folder'"):
        load_settings(path)


def test_invalid_toml_names_the_file(isolated: Path) -> None:
    """A TOML syntax error names the file and the line."""
    path = _toml(isolated, "[x\nbase_url = 1\n")
    with pytest.raises(ConfigError, match=r"crosspost\.toml: not valid TOML.*line 1"):
        load_settings(path)


def test_missing_explicit_config_file_is_an_error(isolated: Path) -> None:
    """--config pointing nowhere is an error, not a silent fall-back to defaults."""
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(isolated / "nope.toml")


def test_dry_run_ledger_is_separate(isolated: Path) -> None:
    """Dry runs get a ledger of their own, so they never block a real post."""
    settings = load_settings()
    assert settings.ledger(dry_run=True) != settings.ledger(dry_run=False)


def test_ledger_password_in_toml_is_refused(isolated: Path) -> None:
    """A database password in the config file is refused, naming the variable."""
    path = _toml(isolated, 'ledger_url = "postgresql://u:pw-canary@db/crosspost"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert "CROSSPOST_LEDGER_URL" in str(caught.value)
    assert "pw-canary" not in str(caught.value)


def test_ledger_url_without_password_is_fine_in_toml(isolated: Path) -> None:
    """A SQLite or password-less ledger URL may live in the config file."""
    path = _toml(isolated, 'ledger_url = "sqlite:///var/ledger.db"\n')
    assert load_settings(path).ledger(dry_run=False) == "sqlite:///var/ledger.db"


def test_list_setting_that_is_not_json_is_a_config_error(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A list given as a variable that is not JSON is a clear error, not a traceback."""
    monkeypatch.setenv("CROSSPOST_TEASERS__HASHTAGS", "notjson")
    with pytest.raises(ConfigError, match="TEASERS__HASHTAGS"):
        load_settings()


def test_shipped_config_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    """The project's own config/crosspost.toml is valid."""
    for name in list(os.environ):
        if name.startswith("CROSSPOST_"):
            monkeypatch.delenv(name)
    root = Path(__file__).resolve().parent.parent
    settings = load_settings(root / "config" / "crosspost.toml", env_file=None)
    assert settings.linkedin.version.isdigit()
