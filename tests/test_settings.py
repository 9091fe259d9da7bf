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
    url = "postgresql+psycopg://crosspost@db.example.org:5432/crosspost"
    path = _toml(isolated, f'ledger_url = "{url}"\n')
    assert load_settings(path).ledger(dry_run=False) == url


def test_ledger_url_with_a_bad_port_names_the_key(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A non-numeric port is a ConfigError at load naming the key, never a traceback,
    and a password in the URL is not shown."""
    monkeypatch.setenv(
        "CROSSPOST_LEDGER_URL", "postgresql+psycopg://u:pw-canary@db:abc/crosspost"
    )
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert "setting 'ledger_url'" in message
    assert "'db:abc'" in message
    assert "CROSSPOST_LEDGER_URL" in message
    assert "pw-canary" not in message


def test_ledger_url_that_is_no_url_is_refused(isolated: Path) -> None:
    """A dry-run ledger URL without a scheme is refused with the form to use."""
    path = _toml(isolated, 'dry_run_ledger_url = "var/ledger.db"\n')
    with pytest.raises(ConfigError, match=r"dry_run_ledger_url.*dialect\[\+driver\]"):
        load_settings(path)


def test_ledger_port_out_of_range_is_refused(isolated: Path) -> None:
    """A port above 65535 is refused at load."""
    path = _toml(isolated, 'ledger_url = "postgresql://u@db:99999/c"\n')
    with pytest.raises(ConfigError, match="0 to 65535"):
        load_settings(path)


def test_timezone_is_checked_with_the_nearest_zone(isolated: Path) -> None:
    """A misspelt zone names the key, the variable and the zone meant."""
    path = _toml(isolated, 'timezone = "Europe/Londn"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert "setting 'timezone'" in message
    assert "CROSSPOST_TIMEZONE" in message
    assert "did you mean 'Europe/London'" in message
    assert "line 1" in message


def test_timezone_in_the_wrong_case_suggests_the_right_one(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`america/new_york` is not a zone name; the error offers the spelling that is."""
    monkeypatch.setenv("CROSSPOST_TIMEZONE", "america/new_york")
    with pytest.raises(ConfigError, match="did you mean 'America/New_York'"):
        load_settings()


def test_timezone_far_from_any_zone_still_says_the_form(isolated: Path) -> None:
    """Nonsense gets no suggestion, only the form an IANA name takes."""
    path = _toml(isolated, 'timezone = "qqqqqq"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert "did you mean" not in str(caught.value)
    assert "IANA" in str(caught.value)


@pytest.mark.parametrize("zone", ["UTC", "Australia/Lord_Howe", "America/New_York"])
def test_valid_timezones_load(isolated: Path, zone: str) -> None:
    """Every IANA zone is accepted as written."""
    assert load_settings(timezone=zone).timezone == zone


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
