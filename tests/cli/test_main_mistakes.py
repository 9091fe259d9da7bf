"""User mistakes, each tried through the command frame: a clear message and the exit
code the README documents (1 did not do what was asked, 2 usage or configuration
error), never a traceback. A few also run as real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES

from crosspost.cli.main import main

from .conftest import TEMPLATES

SUMMARY = str(EXAMPLES / "stem-cells.txt")


@dataclass(frozen=True)
class Mistake:
    """A command line, the settings around it, and what it must say."""

    args: list[str]
    code: int
    says: str
    env: dict[str, str] = field(default_factory=dict)
    config: str | None = None  # written to crosspost.toml and passed as --config
    subprocess: bool = False  # also run as `python -m crosspost`


MISTAKES = {
    "empty platforms (post)": Mistake(
        ["post", SUMMARY, "--platforms", "", "--dry-run"], 2, "--platforms is empty"
    ),
    "blank platforms (post)": Mistake(
        ["post", SUMMARY, "--platforms", " , ", "--dry-run"], 2, "--platforms is empty"
    ),
    "empty platforms (check)": Mistake(
        ["check", "--platforms", ""], 2, "--platforms is empty"
    ),
    "blank platforms (plan)": Mistake(
        ["plan", SUMMARY, "--platforms", " , "], 2, "--platforms is empty"
    ),
    "empty platform (render)": Mistake(
        ["render", SUMMARY, "--platform", ""], 2, "--platform is empty"
    ),
    "blank variant (render)": Mistake(
        ["render", SUMMARY, "--variant", " , "], 2, "--variant is empty"
    ),
    "empty variant (preview)": Mistake(
        ["preview", SUMMARY, "--variant", ""], 2, "--variant is empty"
    ),
    "empty variant (post)": Mistake(
        ["post", SUMMARY, "--variant", "", "--dry-run"], 2, "unknown variant ''"
    ),
    "unknown platform": Mistake(
        ["post", SUMMARY, "--platforms", "x,mastodon", "--dry-run"],
        2,
        "unknown platform 'mastodon'",
    ),
    "sandbox port out of range": Mistake(
        ["sandbox", "serve", "--port", "99999"],
        2,
        "--port 99999 is not a port number",
        subprocess=True,
    ),
    "sandbox on a public address": Mistake(
        ["sandbox", "serve", "--host", "0.0.0.0"], 2, "not a loopback address"
    ),
    "feed URL with a port out of range": Mistake(
        ["summaries", "list", "http://example.org:99999/feed"],
        2,
        "not a valid address",
        subprocess=True,
    ),
    "feed URL with a port that is no number": Mistake(
        ["post", "http://example.org:abc/feed", "--dry-run"], 2, "not a valid address"
    ),
    "ledger URL with a port that is no number": Mistake(
        ["status"],
        2,
        "setting 'ledger_url'",
        env={"CROSSPOST_LEDGER_URL": "postgresql+psycopg://crosspost@localhost:abc/db"},
        subprocess=True,
    ),
    "ledger URL without its driver": Mistake(
        ["status"],
        2,
        "mysql://u@h/db cannot be used",
        env={"CROSSPOST_LEDGER_URL": "mysql://u@h/db"},
    ),
    "misspelt nested setting": Mistake(
        ["post", SUMMARY, "--dry-run"],
        2,
        "did you mean 'x.enabled'",
        config="[x]\nenabeld = false\n",
        subprocess=True,
    ),
    "platform base URL with a bad port": Mistake(
        ["check", "--platforms", "x"],
        2,
        "setting 'x.base_url'",
        env={"CROSSPOST_X__BASE_URL": "http://127.0.0.1:abc"},
    ),
    "platform base URL that is no web address": Mistake(
        ["post", SUMMARY, "--platforms", "linkedin"],
        2,
        "setting 'linkedin.base_url'",
        config='[linkedin]\nbase_url = "api.linkedin.com"\n',
    ),
    "a section given as broken JSON": Mistake(
        ["status"], 2, "must be JSON", env={"CROSSPOST_X": "{bad json"}
    ),
    "config file that does not exist": Mistake(
        ["--config", "missing.toml", "status"], 2, "missing.toml does not exist"
    ),
    "state folder that is a file": Mistake(
        ["status"],
        2,
        "cannot create the ledger's folder",
        env={"CROSSPOST_STATE_DIR": "a-file"},
    ),
    "platform without posting slots": Mistake(
        ["plan", SUMMARY, "--platforms", "x"],
        2,
        "x has no posting slots",
        config="[schedule.slots]\nx = []\n",
    ),
    "post without credentials": Mistake(
        ["post", SUMMARY, "--platforms", "x,linkedin"], 2, "not configured"
    ),
    "NaN seconds": Mistake(
        ["reconcile", "--min-age", "nan"],
        2,
        "--min-age nan is not a number of seconds",
        subprocess=True,
    ),
    "days past any calendar": Mistake(
        ["reconcile", "--rebuild", SUMMARY, "--since-days", "1e308", "--dry-run"],
        2,
        "--since-days 1e+308 is not a number of days",
    ),
    "a moment in the year 9999": Mistake(
        ["plan", SUMMARY, "--now", "9999-12-31T23:59Z"],
        2,
        "is out of range",
        subprocess=True,
    ),
    "a moment that is no time": Mistake(
        ["post", SUMMARY, "--at", "yesterday", "--dry-run"], 2, "is not a time"
    ),
    "unknown variant": Mistake(
        ["post", SUMMARY, "--variant", "teaser", "--dry-run"], 2, "unknown variant"
    ),
    "headline finding that does not exist": Mistake(
        ["post", SUMMARY, "--headline", "99", "--dry-run"], 2, "no FINDING #99"
    ),
    "finding order naming a stranger": Mistake(
        ["plan", SUMMARY, "--order", "9"], 2, "names 9, which the summary does not have"
    ),
    "ledger id past any integer": Mistake(
        ["resolve", "99999999999999999999", "--not-posted", "--dry-run"],
        1,
        "no post with id 99999999999999999999",
    ),
    "summary that does not exist": Mistake(
        ["post", "missing.txt", "--dry-run"], 1, "missing.txt: no such file"
    ),
}


@pytest.fixture
def project(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder with the project's templates and a file named `a-file`."""
    monkeypatch.setenv("CROSSPOST_TEMPLATES_DIR", str(TEMPLATES))
    (isolated / "a-file").write_text("not a folder\n", encoding="utf-8")
    return isolated


def command_line(mistake: Mistake, folder: Path) -> list[str]:
    if mistake.config is None:
        return mistake.args
    (folder / "crosspost.toml").write_text(mistake.config, encoding="utf-8")
    return ["--config", str(folder / "crosspost.toml"), *mistake.args]


@pytest.mark.parametrize("mistake", MISTAKES.values(), ids=list(MISTAKES))
def test_mistake_is_a_clear_error_with_the_documented_exit_code(
    mistake: Mistake,
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Each mistake exits with its documented code and a message saying what is
    wrong; nothing on stdout, no traceback, no ledger written for a usage or
    configuration error; some also as a real process."""
    for name, value in mistake.env.items():
        monkeypatch.setenv(name, value)
    args = command_line(mistake, project)
    assert main(args) == mistake.code
    captured = capsys.readouterr()
    assert captured.err.startswith("crosspost: error: "), captured.err
    assert mistake.says in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""
    if mistake.code == 2:  # the README: nothing was done
        assert not list(project.glob("var/*ledger.db"))
    if mistake.subprocess:
        done = subprocess.run(
            [sys.executable, "-m", "crosspost", *args],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
            check=False,
            timeout=60,
        )
        assert done.returncode == mistake.code, done.stderr
        assert mistake.says in done.stderr
        assert "Traceback" not in done.stderr
