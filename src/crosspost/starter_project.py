"""The starter project `crosspost init` writes: the shipped settings, the list of
secrets, the templates and an example summary.

The repository's `config/`, `templates/` and `examples/` are their one source: a built
wheel carries copies under `crosspost/starter/` (hatch `force-include` in
pyproject.toml), and a source checkout (`pip install -e .`) reads them in place.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from crosspost.errors import CrosspostError

# Where each part goes in the new project: where it is in the repository. The wheel's
# force-include table in pyproject.toml maps the same paths (a test holds them equal).
STARTER_PARTS: dict[str, str] = {
    "config/crosspost.toml": "config/crosspost.toml",
    "config/.env.example": "config/.env.example",
    "templates": "templates",
    "summaries/example-vitamin-d.md": "examples/summaries/vitamin-d.md",
}
PACKAGED = "starter"
CONFIG = PurePosixPath("config/crosspost.toml")
SUMMARIES = "summaries"
# The shipped config polls nothing; the starter's runner polls its summaries folder.
SOURCES_LINE = re.compile(r"^sources\s*=.*$", re.MULTILINE)
STARTER_SOURCES = f'sources = ["../{SUMMARIES}"]'


class StarterExists(CrosspostError):
    """`crosspost init` would overwrite something: nothing was written."""


@dataclass(frozen=True)
class StarterFile:
    """One file of the starter project: its path in the project, and its bytes."""

    path: PurePosixPath
    data: bytes


def starter_sources() -> dict[str, Traversable]:
    """Each starter part, from the installed package or else the source checkout."""
    packaged = files("crosspost") / PACKAGED
    if packaged.is_dir():
        return {part: _at(packaged, part) for part in STARTER_PARTS}
    repository = Path(__file__).resolve().parents[2]
    if (repository / "pyproject.toml").is_file():
        found = {part: _at(repository, STARTER_PARTS[part]) for part in STARTER_PARTS}
        if all(source.is_file() or source.is_dir() for source in found.values()):
            return found
    raise CrosspostError(
        "this crosspost installation lacks its starter files (crosspost/starter/)",
        hint="reinstall crosspost (pip install --force-reinstall crosspost), or run "
        "it from a clone of its repository",
    )


def _at(root: Traversable, relative: str) -> Traversable:
    found = root
    for part in relative.split("/"):
        found = found / part
    return found


def starter_files() -> list[StarterFile]:
    """Every file `crosspost init` writes, with the config's sources pointed at the
    example summary's folder."""
    found: list[StarterFile] = []
    for part, source in starter_sources().items():
        for relative, data in _walk(source, PurePosixPath(part)):
            found.append(
                StarterFile(
                    relative, starter_config(data) if relative == CONFIG else data
                )
            )
    return found


def _walk(
    source: Traversable, relative: PurePosixPath
) -> Iterator[tuple[PurePosixPath, bytes]]:
    if source.is_dir():
        for child in sorted(source.iterdir(), key=lambda entry: entry.name):
            if child.name != "__pycache__":
                yield from _walk(child, relative / child.name)
    else:
        yield relative, source.read_bytes()


def starter_config(shipped: bytes) -> bytes:
    """The shipped config with `schedule.sources` set to the project's summaries."""
    text, found = SOURCES_LINE.subn(STARTER_SOURCES, shipped.decode("utf-8"))
    if found != 1:
        raise CrosspostError(
            "the shipped config/crosspost.toml has no single `sources = ...` line "
            "for crosspost init to point at the summaries folder",
            hint="restore config/crosspost.toml's [schedule] sources line",
        )
    return text.encode("utf-8")


def conflicts(folder: Path, starter: list[StarterFile]) -> list[Path]:
    """What already exists where the starter would write: each top-level folder it
    creates whole, each file it adds, and any file standing where a folder must be."""
    wanted: set[PurePosixPath] = set()
    for item in starter:
        top = PurePosixPath(item.path.parts[0])
        wanted.add(top if top.name != "config" else item.path)
    found = [folder / path for path in sorted(wanted) if _exists(folder / path)]
    config = folder / "config"
    if _exists(config) and not config.is_dir():
        found.append(config)
    return found


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def write_starter(folder: Path) -> list[Path]:
    """Write the starter project into `folder` (created if missing): all of it, or,
    when anything is in the way or a write fails, nothing."""
    starter = starter_files()
    if _exists(folder) and not folder.is_dir():
        raise StarterExists(
            f"{folder} exists and is not a folder",
            hint="name a new or existing folder: crosspost init my-project",
        )
    in_the_way = conflicts(folder, starter)
    if in_the_way:
        raise StarterExists(
            "crosspost init would overwrite what is there; nothing was written:\n  "
            + "\n  ".join(str(path) for path in in_the_way),
            hint="run it in an empty folder (crosspost init NEW-FOLDER), or move "
            "these away first",
        )
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".crosspost-init-", dir=folder))
    except OSError as exc:
        raise CrosspostError(
            f"cannot write into {folder}: {exc.strerror}",
            hint="choose a folder you can write to",
        ) from None
    try:
        for item in starter:
            target = staging.joinpath(*item.path.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(item.data)
        return _move_in(staging, folder, starter)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        raise CrosspostError(
            f"cannot write the starter project into {folder}: {exc.strerror} "
            f"({exc.filename}); nothing was written",
            hint="choose a folder you can write to, with space left",
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _move_in(staging: Path, folder: Path, starter: list[StarterFile]) -> list[Path]:
    """Move the staged parts into `folder`, undoing every move if one fails."""
    moves: list[tuple[Path, Path]] = []
    for top in sorted({item.path.parts[0] for item in starter}):
        if top == "config" and (folder / top).is_dir():
            moves += [
                (staging / item.path, folder / item.path)
                for item in starter
                if item.path.parts[0] == top
            ]
        else:
            moves.append((staging / top, folder / top))
    done: list[tuple[Path, Path]] = []
    try:
        for source, target in moves:
            if _exists(target):
                raise FileExistsError(17, "it appeared meanwhile", str(target))
            os.rename(source, target)
            done.append((source, target))
    except OSError:
        for source, target in reversed(done):
            os.rename(target, source)
        raise
    return [folder / item.path for item in starter]
