"""Tests for `crosspost init`: the starter project it writes, its refusals, and the
project working from another folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crosspost.cli.main import main

from ..conftest import EXAMPLES, ROOT
from .conftest import run_json

pytestmark = pytest.mark.usefixtures("isolated")


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_init_writes_the_shipped_files_with_sources_at_the_summaries(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The config is the shipped one but for `sources`; the secrets list, every
    template and the example summary are the shipped files, byte for byte."""
    assert main(["init", "project"]) == 0
    out = capsys.readouterr().out
    assert "project/config/crosspost.toml" in out
    assert "--config project/config/crosspost.toml plan project/summaries" in out
    written = tree(isolated / "project")
    shipped = (ROOT / "config" / "crosspost.toml").read_text(encoding="utf-8")
    config = written.pop("config/crosspost.toml").decode("utf-8")
    assert config.splitlines() == [
        'sources = ["../summaries"]' if line == "sources = []" else line
        for line in shipped.splitlines()
    ]
    assert (
        written.pop("config/.env.example")
        == (ROOT / "config" / ".env.example").read_bytes()
    )
    assert (
        written.pop("summaries/example-vitamin-d.md")
        == (EXAMPLES / "vitamin-d.md").read_bytes()
    )
    assert written == {
        f"templates/{name}": data for name, data in tree(ROOT / "templates").items()
    }
    assert "templates/README.md" in written


def test_init_defaults_to_the_current_folder_and_reports_json(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without DIR the current folder gets the project; --json lists every file."""
    code, report = run_json(["init"], capsys)
    assert code == 0
    assert report["folder"] == "."
    assert set(report["written"]) == {
        path.relative_to(isolated).as_posix()
        for path in isolated.rglob("*")
        if path.is_file()
    }
    assert (isolated / "config" / "crosspost.toml").is_file()


def test_init_writes_into_an_existing_empty_config_folder(isolated: Path) -> None:
    """An empty config/ (or a project folder holding other things) is not in the
    way."""
    (isolated / "config").mkdir()
    (isolated / "README.txt").write_text("ours\n")
    assert main(["init"]) == 0
    assert (isolated / "config" / ".env.example").is_file()
    assert (isolated / "README.txt").read_text() == "ours\n"


def test_init_refuses_to_overwrite_and_writes_nothing(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A template of the team's own and an existing config are listed; nothing is
    written, not even the parts that were free, and no scratch folder is left."""
    ours = isolated / "templates" / "x" / "announce.j2"
    ours.parent.mkdir(parents=True)
    ours.write_text("our wording\n")
    (isolated / "config").mkdir()
    (isolated / "config" / "crosspost.toml").write_text("timezone = 'UTC'\n")
    before = tree(isolated)
    assert main(["init"]) == 1
    err = capsys.readouterr().err
    assert "nothing was written" in err
    assert "templates" in err
    assert "config/crosspost.toml" in err
    assert "summaries" not in err.split("hint:")[0]
    assert tree(isolated) == before
    assert sorted(os.listdir(isolated)) == ["config", "templates"]


def test_init_refuses_a_file_where_a_folder_must_go(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file named config, or DIR itself being a file, is refused."""
    (isolated / "config").write_text("not a folder\n")
    assert main(["init"]) == 1
    assert "config" in capsys.readouterr().err
    (isolated / "notes").write_text("a file\n")
    assert main(["init", "notes"]) == 1
    assert "not a folder" in capsys.readouterr().err
    assert sorted(os.listdir(isolated)) == ["config", "notes"]


def test_init_leaves_nothing_when_a_move_fails(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A write failing half-way undoes what was moved in and removes the folder it
    created: all or nothing."""
    real = os.rename
    calls: list[str] = []

    def failing(source: str | Path, target: str | Path) -> None:
        calls.append(str(target))
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(target))
        real(source, target)

    monkeypatch.setattr(os, "rename", failing)
    assert main(["init", "project"]) == 1
    assert "nothing was written" in capsys.readouterr().err
    assert not (isolated / "project").exists()


def test_the_project_works_from_another_folder(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After init, plan and post --dry-run run from elsewhere with --config: the
    templates, state and summaries are the project's, the current folder stays
    empty, and run --dry-run finds the example through schedule.sources."""
    assert main(["init", "project"]) == 0
    elsewhere = isolated / "elsewhere"
    elsewhere.mkdir()
    os.chdir(elsewhere)
    config = ["--config", "../project/config/crosspost.toml"]
    capsys.readouterr()
    code, plan = run_json(
        [*config, "plan", "../project/summaries", "--now", "2027-03-24T09:00Z"],
        capsys,
    )
    assert code == 0
    assert {post["platform"] for post in plan} == {
        "x",
        "facebook",
        "instagram",
        "linkedin",
        "youtube",
    }
    code, sent = run_json(
        [*config, "post", "../project/summaries", "--dry-run"], capsys
    )
    assert code == 0
    assert sorted(outcome["status"] for outcome in sent) == [
        "awaiting_manual",
        *["published"] * 4,
    ]
    code, fired = run_json(
        [
            *config,
            "run",
            "--dry-run",
            "--now",
            "2027-03-24T09:00Z",
            "--simulate-until",
            "2027-03-25T00:00Z",
        ],
        capsys,
    )
    assert code == 0
    assert fired
    assert os.listdir(elsewhere) == []
    assert (isolated / "project" / "var" / "dry-run-ledger.db").is_file()


def test_init_help_names_what_it_writes(capsys: pytest.CaptureFixture[str]) -> None:
    """`crosspost init --help` lists the parts and the no-overwrite rule."""
    with pytest.raises(SystemExit):
        main(["init", "--help"])
    out = capsys.readouterr().out
    assert "config/.env.example" in out
    assert "Nothing is overwritten" in out
