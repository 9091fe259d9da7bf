"""Relative paths: from the config file's folder when written there, from the project
folder by default, from the current folder when given as a variable or option."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crosspost.settings import load_settings
from crosspost.settings_paths import project_folder, sqlite_anchored


@pytest.fixture
def site(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project in `site/` with its config in `site/config/`; the test runs from
    elsewhere (`isolated/elsewhere`), as cron or CI would."""
    (isolated / "site" / "config").mkdir(parents=True)
    elsewhere = isolated / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return isolated / "site"


def _config(site: Path, text: str) -> Path:
    path = site / "config" / "crosspost.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_paths_in_the_file_are_read_from_its_folder(site: Path) -> None:
    """Every path setting written in the file is read from the file's folder."""
    path = _config(
        site,
        'templates_dir = "../templates"\nstate_dir = "../var"\n'
        '[x]\ntoken_file = "tokens/x.json"\n'
        '[instagram]\ncard_dir = "../public/cards"\n'
        '[youtube]\nhandoff_dir = "../handoff"\n'
        '[branding]\nfont = "fonts/Brand.ttf"\nlogo = "logo.png"\n',
    )
    settings = load_settings(path)
    assert settings.templates_dir == site / "templates"
    assert settings.state_dir == site / "var"
    assert settings.x.token_file == site / "config" / "tokens" / "x.json"
    assert settings.instagram.card_dir == site / "public" / "cards"
    assert settings.youtube.handoff_dir == site / "handoff"
    assert settings.branding.font == site / "config" / "fonts" / "Brand.ttf"
    assert settings.branding.logo == site / "config" / "logo.png"


def test_works_with_a_relative_config_path_from_another_folder(site: Path) -> None:
    """`--config ../site/config/crosspost.toml` from another folder finds the same
    files."""
    _config(site, 'templates_dir = "../templates"\n')
    settings = load_settings(Path("../site/config/crosspost.toml"))
    assert settings.templates_dir == site / "templates"


def test_absolute_and_home_paths_in_the_file_are_kept(site: Path) -> None:
    """An absolute path stays; `~` is the user's home."""
    path = _config(site, 'state_dir = "/srv/crosspost"\ntemplates_dir = "~/t"\n')
    settings = load_settings(path)
    assert settings.state_dir == Path("/srv/crosspost")
    assert settings.templates_dir == Path.home() / "t"


def test_defaults_are_read_from_the_project_folder(site: Path) -> None:
    """A path not set anywhere is read from the folder holding config/."""
    settings = load_settings(_config(site, ""))
    assert settings.templates_dir == site / "templates"
    assert settings.state_dir == site / "var"
    assert settings.x.token_file == site / "var" / "x-oauth2-tokens.json"
    assert settings.ledger(dry_run=False) == f"sqlite:///{site}/var/ledger.db"


def test_defaults_beside_a_config_outside_a_config_folder(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A config file not in a `config/` folder: defaults are read beside it."""
    (isolated / "ops").mkdir()
    path = isolated / "ops" / "crosspost.toml"
    path.write_text("")
    monkeypatch.chdir("/")
    assert load_settings(path).state_dir == isolated / "ops" / "var"


def test_defaults_without_a_config_file_are_the_current_folder(isolated: Path) -> None:
    """No config file: defaults stay relative to the current folder."""
    settings = load_settings()
    assert settings.state_dir == Path("var")
    assert settings.templates_dir == Path("templates")


def test_paths_from_variables_stay_relative_to_the_current_folder(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A path given as a variable or option is the shell user's: the current folder."""
    monkeypatch.setenv("CROSSPOST_STATE_DIR", "state")
    monkeypatch.setenv("CROSSPOST_X__TOKEN_FILE", "tokens.json")
    path = _config(site, 'state_dir = "../var"\n[x]\ntoken_file = "t.json"\n')
    settings = load_settings(path, templates_dir=Path("mine"))
    assert settings.state_dir == Path("state")
    assert settings.x.token_file == Path("tokens.json")
    assert settings.templates_dir == Path("mine")


def test_sqlite_ledger_urls_in_the_file_are_read_from_its_folder(site: Path) -> None:
    """`sqlite:///relative.db` in the file is the file's folder's; others are kept."""
    path = _config(
        site,
        'ledger_url = "sqlite:///../var/ledger.db"\n'
        'dry_run_ledger_url = "sqlite:////tmp/dry.db"\n',
    )
    settings = load_settings(path)
    assert settings.ledger(dry_run=False) == f"sqlite:///{site}/var/ledger.db"
    assert settings.ledger(dry_run=True) == "sqlite:////tmp/dry.db"


def test_sources_in_the_file_are_read_from_its_folder(site: Path) -> None:
    """Source paths are anchored; feed URLs are left as written."""
    path = _config(
        site, '[schedule]\nsources = ["../summaries", "https://example.org/feed/"]\n'
    )
    assert load_settings(path).schedule.sources == [
        str(site / "summaries"),
        "https://example.org/feed/",
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///var/l.db", "sqlite:////base/var/l.db"),
        (
            "sqlite+pysqlite:///l.db?timeout=5",
            "sqlite+pysqlite:////base/l.db?timeout=5",
        ),
        ("sqlite:////abs/l.db", "sqlite:////abs/l.db"),
        ("sqlite://", "sqlite://"),
        ("sqlite:///:memory:", "sqlite:///:memory:"),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
    ],
)
def test_sqlite_anchoring(url: str, expected: str) -> None:
    """Only a relative SQLite file is anchored."""
    assert sqlite_anchored(url, Path("/base")) == expected


def test_project_folder_rule(tmp_path: Path) -> None:
    """`<project>/config/x.toml` -> project; anything else -> the file's folder."""
    assert project_folder(tmp_path / "config" / "a.toml") == tmp_path
    assert project_folder(tmp_path / "ops" / "a.toml") == tmp_path / "ops"


def test_shipped_config_finds_the_project_from_any_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The project's own config, read from another folder, points into the project."""
    for name in list(os.environ):
        if name.startswith("CROSSPOST_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    root = Path(__file__).resolve().parent.parent
    settings = load_settings(root / "config" / "crosspost.toml", env_file=None)
    assert settings.templates_dir == root / "templates"
    assert (settings.templates_dir / "x").is_dir()
    assert settings.state_dir == root / "var"
    assert settings.youtube.handoff_dir == root / "var" / "handoff"
