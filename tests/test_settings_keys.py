"""Unknown settings at any depth, in the file, the environment and .env, each refused
with the nearest known key."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosspost.errors import ConfigError
from crosspost.settings import Settings, load_settings
from crosspost.settings_keys import known_keys, line_of, nearest


def _toml(folder: Path, text: str) -> Path:
    path = folder / "crosspost.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _refusal(path: Path | None = None) -> str:
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert caught.value.exit_code == 2
    return str(caught.value)


def test_misspelt_nested_key_is_refused_with_the_key_meant(isolated: Path) -> None:
    """`[x] enabeld = false` no longer leaves X on: it is refused, naming x.enabled
    and the line."""
    path = _toml(isolated, '[x]\nbase_url = "https://api.x.com"\nenabeld = false\n')
    message = _refusal(path)
    assert "unknown setting 'x.enabeld' — did you mean 'x.enabled'?" in message
    assert "line 3" in message


def test_misspelt_key_two_levels_down_is_refused(isolated: Path) -> None:
    """A typo inside [schedule] is caught too."""
    path = _toml(isolated, "[schedule]\ngap_dayz = 3\n")
    assert "did you mean 'schedule.gap_days'" in _refusal(path)


def test_misspelt_section_is_refused(isolated: Path) -> None:
    """A misspelt table header is named with the section meant."""
    path = _toml(isolated, "[linkdin]\nversion = '202601'\n")
    message = _refusal(path)
    assert "unknown setting 'linkdin' — did you mean 'linkedin'?" in message
    assert "line 1" in message


def test_top_level_key_below_a_section_header_is_explained(isolated: Path) -> None:
    """A top-level key written under [youtube] says where it belongs."""
    path = _toml(isolated, '[youtube]\nchannel_id = ""\ntimezone = "Europe/Paris"\n')
    message = _refusal(path)
    assert "'youtube.timezone' — did you mean 'timezone'?" in message
    assert "belongs to that section" in message


def test_unknown_key_in_an_inline_table_is_refused(isolated: Path) -> None:
    """`x = { enabeld = false }` is the same mistake written inline."""
    path = _toml(isolated, "x = { enabeld = false }\n")
    message = _refusal(path)
    assert "'x.enabeld' — did you mean 'x.enabled'?" in message
    assert "line 1" in message


def test_misspelt_nested_variable_is_refused(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CROSSPOST_X__ENABELD=false is refused, naming the variable meant."""
    monkeypatch.setenv("CROSSPOST_X__ENABELD", "false")
    message = _refusal()
    assert "unknown variable CROSSPOST_X__ENABELD" in message
    assert "did you mean CROSSPOST_X__ENABLED?" in message
    assert "the environment" in message


def test_misspelt_top_level_variable_is_refused(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A top-level typo in a variable, silently ignored before, is refused."""
    monkeypatch.setenv("CROSSPOST_TIMEZONES", "Europe/Paris")
    assert "did you mean CROSSPOST_TIMEZONE?" in _refusal()


def test_lower_case_variable_is_read_like_its_upper_case_form(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Variables are case-insensitive, as pydantic-settings reads them."""
    monkeypatch.setenv("crosspost_x__enabled", "false")
    assert load_settings().x.enabled is False


def test_misspelt_variable_in_dotenv_is_refused(isolated: Path) -> None:
    """A typo in .env is named with the file."""
    (isolated / ".env").write_text("CROSSPOST_LINKEDIN__VERSOIN=202601\n")
    message = _refusal()
    assert "unknown variable CROSSPOST_LINKEDIN__VERSOIN" in message
    assert "CROSSPOST_LINKEDIN__VERSION" in message
    assert ".env" in message


def test_dotenv_lines_of_other_tools_are_left_alone(isolated: Path) -> None:
    """A .env shared with other tools: their variables are not crosspost's business."""
    (isolated / ".env").write_text(
        "DATABASE_URL=postgres://elsewhere\nCROSSPOST_LINKEDIN__VERSION=202603\n"
    )
    assert load_settings().linkedin.version == "202603"


def test_variables_that_are_not_settings_are_allowed(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CROSSPOST_CONFIG (the CLI's) and CROSSPOST_TEST_* (the test suite's) pass."""
    monkeypatch.setenv("CROSSPOST_CONFIG", "config/crosspost.toml")
    monkeypatch.setenv("CROSSPOST_TEST_POSTGRES_URL", "postgresql://u@h/db")
    assert load_settings().timezone == "Europe/London"


def test_table_entry_variable_names_a_setting(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One level below a table (a platform's slots) is a setting of its own."""
    monkeypatch.setenv("CROSSPOST_SCHEDULE__SLOTS__LINKEDIN", '["Wed 08:00"]')
    assert load_settings().schedule.slots["linkedin"] == ["Wed 08:00"]


def test_whole_section_as_json_with_a_typo_is_refused(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A section given whole as JSON is checked by the model, with the same hint."""
    monkeypatch.setenv("CROSSPOST_X", '{"enabeld": false}')
    assert "unknown setting 'x.enabeld' — did you mean 'x.enabled'?" in _refusal()


def test_unknown_key_passed_in_code_is_refused(isolated: Path) -> None:
    """Every section forbids extra keys, whoever passes them."""
    with pytest.raises(ConfigError, match=r"did you mean 'youtube\.handoff_dir'"):
        load_settings(youtube={"handof_dir": "x"})


def test_nearest_prefers_a_sibling_then_the_same_name_elsewhere() -> None:
    """The suggestion is the closest sibling, else the same leaf in another section."""
    known = known_keys(Settings)
    assert nearest("instagram.card_dri", known) == "instagram.card_dir"
    assert nearest("instagam.card_dir", known) == "instagram.card_dir"
    assert nearest("zzzz", known) is None


def test_line_of_finds_tables_dotted_keys_and_quoted_keys() -> None:
    """Lines are found under headers, for dotted keys and for quoted keys."""
    text = (
        '# c\n[x]\nenabled = true\n\n[schedule.slots]\n"x" = []\nbranding.logo = "l"\n'
    )
    assert line_of(text, "x") == 2
    assert line_of(text, "x.enabled") == 3
    assert line_of(text, "schedule.slots.x") == 6
    assert line_of(text, "schedule.slots.branding.logo") == 7
    assert line_of(text, "nowhere") is None
