"""Tests for what a person sees: the progress line on a terminal only, the outcome
table on stdout."""

from __future__ import annotations

import os
import select
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES

from .conftest import TEMPLATES

pty = pytest.importorskip("pty")


def post_on_a_terminal(folder: Path, *options: str) -> tuple[str, str, int]:
    """`crosspost post --dry-run` with stderr on a pseudo-terminal and stdout a pipe:
    (what the terminal showed, stdout, exit code)."""
    master, child = pty.openpty()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CROSSPOST_")},
        "CROSSPOST_TEMPLATES_DIR": str(TEMPLATES),
        "TERM": "xterm",
        "COLUMNS": "120",
    }
    source = str(EXAMPLES / "stem-cells.txt")
    process = subprocess.Popen(
        [sys.executable, "-m", "crosspost", "post", source, "--dry-run", *options],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=child,
    )
    os.close(child)
    shown = b""
    while select.select([master], [], [], 30)[0]:
        try:
            data = os.read(master, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not data:
            break
        shown += data
    os.close(master)
    out, _ = process.communicate(timeout=30)
    return shown.decode(errors="replace"), out.decode(), process.returncode


def test_progress_line_on_a_terminal_then_the_table_on_stdout(isolated: Path) -> None:
    """On a terminal a progress line counts the posts as they finish and is cleared
    at the end; the outcomes are the table on stdout, said once."""
    shown, out, code = post_on_a_terminal(isolated)
    assert code == 0
    assert "posting" in shown
    assert "0/5" in shown
    assert "5/5" in shown
    assert shown.endswith("\x1b[2K")  # the line is erased, not left behind
    rows = out.splitlines()
    assert rows[0].split()[:4] == ["platform", "post", "id", "status"]
    assert len(rows) == 6


@pytest.mark.parametrize("option", ["-q", "--json"])
def test_no_progress_line_when_quiet_or_for_programs(
    isolated: Path, option: str
) -> None:
    """-q and --json leave the terminal untouched."""
    shown, out, code = post_on_a_terminal(isolated, option)
    assert (code, shown) == (0, "")
    assert out == "" if option == "-q" else out.startswith("[")
