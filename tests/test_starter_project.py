"""Tests for the starter project's files: one source in the repository, packaged in
the wheel as they are, and found by an installed crosspost."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from crosspost.errors import CrosspostError
from crosspost.starter_project import (
    PACKAGED,
    STARTER_PARTS,
    starter_config,
    starter_files,
)

from .conftest import ROOT


def repository_files() -> dict[str, bytes]:
    """What the starter must hold, read straight from the repository."""
    found: dict[str, bytes] = {}
    for part, source in STARTER_PARTS.items():
        path = ROOT / source
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                found[(Path(part) / file.relative_to(path)).as_posix()] = (
                    file.read_bytes()
                )
    return found


def test_the_wheel_packs_exactly_the_starter_parts() -> None:
    """pyproject.toml's force-include table names the parts the code reads, and
    nothing else: a part added on one side only fails here."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    included = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert included == {
        source: f"crosspost/{PACKAGED}/{part}" for part, source in STARTER_PARTS.items()
    }


def test_the_starter_is_the_shipped_files_in_a_checkout() -> None:
    """From the source checkout, the starter is the repository's files, only the
    config's `sources` pointed at the summaries."""
    shipped = repository_files()
    starter = {item.path.as_posix(): item.data for item in starter_files()}
    config = "config/crosspost.toml"
    assert starter.pop(config) == starter_config(shipped.pop(config))
    assert starter == shipped


def test_starter_config_refuses_a_config_without_one_sources_line() -> None:
    """A shipped config that lost its `sources` line stops init instead of writing
    a project that polls nothing."""
    with pytest.raises(CrosspostError, match="sources"):
        starter_config(b'timezone = "UTC"\n')


def test_a_built_wheel_carries_the_starter_and_init_uses_it(tmp_path: Path) -> None:
    """`pip wheel` packs the repository's files under crosspost/starter/, and
    `crosspost init` run from that wheel (not the checkout) writes them."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = wheels.glob("crosspost-*.whl")
    prefix = f"crosspost/{PACKAGED}/"
    with zipfile.ZipFile(wheel) as archive:
        packed = {
            name.removeprefix(prefix): archive.read(name)
            for name in archive.namelist()
            if name.startswith(prefix)
        }
        archive.extractall(tmp_path / "installed")
    assert packed == repository_files()

    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = (
        "import sys, crosspost.starter_project as s; from crosspost.cli.main import "
        "main; print(s.starter_sources()['templates']); sys.exit(main(sys.argv[1:]))"
    )
    environment = {**os.environ, "PYTHONPATH": str(tmp_path / "installed")}
    done = subprocess.run(
        [sys.executable, "-c", script, "init", str(project)],
        cwd=elsewhere,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == str(
        tmp_path / "installed" / "crosspost" / PACKAGED / "templates"
    )
    assert (project / "templates" / "x" / "thread.j2").read_bytes() == (
        ROOT / "templates" / "x" / "thread.j2"
    ).read_bytes()
