"""The command frame: help, version, exit codes and error printing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crosspost import __version__
from crosspost.cli.main import main


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    """`--help` names each command and shows examples."""
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    for command in (
        "summaries",
        "render",
        "preview",
        "post",
        "check",
        "status",
        "resolve",
        "calendar",
        "notify",
    ):
        assert command in out
    assert "examples:" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """`--version` prints the package version."""
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"crosspost {__version__}"


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """Running with no command is a usage error that shows the help."""
    assert main([]) == 2
    assert "commands:" in capsys.readouterr().out


def test_help_does_not_import_heavy_modules() -> None:
    """`--help` imports neither pydantic, httpx, Pillow, SQLAlchemy, Apprise nor
    icalendar (start-up stays fast)."""
    code = (
        "import sys\n"
        "from crosspost.cli.main import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pydantic', 'httpx', 'PIL', 'sqlalchemy', 'jinja2', "
        "'apprise', 'icalendar') if m in sys.modules]\n"
        "print('HEAVY:' + ','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "HEAVY:"


def test_user_error_is_one_line_without_traceback(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing file gives a short error and exit 1, never a traceback."""
    assert main(["summaries", "show", "missing.txt"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("crosspost: error: missing.txt: no such file")
    assert "Traceback" not in err


def test_bad_setting_exits_2(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad setting is a usage-level error (exit 2) naming the key."""
    (isolated / "bad.toml").write_text('http_timeout = "soon"\n')
    assert main(["--config", "bad.toml", "summaries", "show", "x.txt"]) == 2
    assert "http_timeout" in capsys.readouterr().err
