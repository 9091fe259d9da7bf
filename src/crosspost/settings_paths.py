"""Where relative paths point, so `crosspost --config site/config/crosspost.toml` works
from any folder (cron, CI).

- A relative path written in a config file is read from that file's folder.
- A default path (not set anywhere) is read from the project folder: the config file's
  parent's parent when the file sits in a folder named `config` (the usual
  `<project>/config/crosspost.toml`), else the config file's own folder.
- A path from the environment, `.env` or the command line stays relative to the
  current folder, as a shell user expects; so do defaults when there is no config file.
"""

from __future__ import annotations

import os
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from crosspost.settings_keys import section

LEDGER_KEYS = ("ledger_url", "dry_run_ledger_url")


def project_folder(config: Path) -> Path:
    """The folder defaults are read from, for a config file at `config`."""
    folder = config.resolve().parent
    return folder.parent if folder.name == "config" else folder


def _is_path(annotation: Any) -> bool:
    if annotation is Path:
        return True
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return Path in typing.get_args(annotation)
    return False


def _join(folder: Path, value: str) -> str:
    path = Path(value).expanduser()
    if path.is_absolute():
        return str(path)
    return os.path.normpath(folder / path)


def anchor_file_values(
    data: dict[str, Any], model: type[BaseModel], folder: Path
) -> dict[str, Any]:
    """`data` read from a config file in `folder`, its relative paths made absolute:
    path settings, `schedule.sources` entries that are not URLs, and SQLite ledger
    URLs."""
    anchored = dict(data)
    for name, value in data.items():
        field = model.model_fields.get(name)
        if field is None:
            continue
        inner = section(field.annotation)
        if inner is not None and isinstance(value, dict):
            anchored[name] = anchor_file_values(value, inner, folder)
        elif _is_path(field.annotation) and isinstance(value, str) and value:
            anchored[name] = _join(folder, value)
        elif name == "sources" and isinstance(value, list):
            anchored[name] = [_source(folder, item) for item in value]
        elif name in LEDGER_KEYS and isinstance(value, str):
            anchored[name] = sqlite_anchored(value, folder)
    return anchored


def _source(folder: Path, item: object) -> object:
    if isinstance(item, str) and item and "://" not in item:
        return _join(folder, item)
    return item


def sqlite_anchored(url: str, folder: Path) -> str:
    """A relative SQLite URL (`sqlite:///var/ledger.db`) made absolute from `folder`;
    any other URL, an absolute path or an in-memory database as it is."""
    scheme, separator, rest = url.partition(":///")
    if not separator or not scheme.lower().startswith("sqlite"):
        return url
    file, query, arguments = rest.partition("?")
    if not file or file.startswith(("/", ":memory:", "file:")):
        return url
    return f"{scheme}:///{_join(folder, file)}{query}{arguments}"


def anchored_defaults(model: type[BaseModel], folder: Path) -> dict[str, Any]:
    """The defaults of every relative path setting, read from `folder`, as nested
    settings data (the lowest-precedence source)."""
    data: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        inner = section(field.annotation)
        if inner is not None:
            nested = anchored_defaults(inner, folder)
            if nested:
                data[name] = nested
        elif (
            _is_path(field.annotation)
            and isinstance(field.default, Path)
            and not field.default.is_absolute()
        ):
            data[name] = Path(_join(folder, str(field.default)))
    return data
