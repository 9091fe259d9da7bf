"""Unknown settings, wherever they are written: a key at any depth of the TOML file,
or a `CROSSPOST_*` variable in the environment or `.env`; each is named with the
nearest known key, so a typo is never silently ignored."""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterable, Mapping
from difflib import get_close_matches
from typing import Any

from pydantic import BaseModel

ENV_PREFIX = "CROSSPOST_"
# CROSSPOST_* variables that are not settings: the CLI's config path, and the test
# suite's own (CROSSPOST_TEST_POSTGRES_URL in CI).
OTHER_VARIABLES = frozenset({"CROSSPOST_CONFIG"})
OTHER_PREFIXES = ("CROSSPOST_TEST_",)

_HEADER = re.compile(r"\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_ASSIGNMENT = re.compile(r"\s*([A-Za-z0-9_\-.\"' ]+?)\s*=")


def section(annotation: Any) -> type[BaseModel] | None:
    """The model of a settings section (`x: XSettings`), or None for a plain value."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _is_table(annotation: Any) -> bool:
    """Whether a value is a free-keyed table (`schedule.slots`), whose keys the model
    itself validates."""
    origin = typing.get_origin(annotation)
    if origin is dict:
        return True
    if origin in (typing.Union, types.UnionType):
        return any(_is_table(arg) for arg in typing.get_args(annotation))
    return False


def known_keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every setting's dotted key, sections included (`x`, `x.enabled`, ...)."""
    keys: list[str] = []
    for name, field in model.model_fields.items():
        keys.append(prefix + name)
        inner = section(field.annotation)
        if inner is not None:
            keys += known_keys(inner, f"{prefix}{name}.")
    return keys


def nearest(key: str, known: list[str]) -> str | None:
    """The known key `key` was most likely meant to be: a close sibling, the same
    name in another section, or the closest dotted key overall."""
    parent, _, leaf = key.rpartition(".")
    siblings = {
        k.rpartition(".")[2]: k for k in known if k.rpartition(".")[0] == parent
    }
    close = get_close_matches(leaf.lower(), list(siblings), n=1, cutoff=0.6)
    if close:
        return siblings[close[0]]
    elsewhere = [k for k in known if k.rpartition(".")[2] == leaf.lower()]
    if elsewhere:
        return elsewhere[0]
    close = get_close_matches(key.lower(), known, n=1, cutoff=0.6)
    return close[0] if close else None


def unknown_in_file(
    data: Mapping[str, Any], model: type[BaseModel], text: str, origin: str
) -> list[str]:
    """A line per unknown key in the parsed TOML `data` (its source `text`)."""
    known = known_keys(model)
    lines = []
    for key in _unknown_keys(data, model):
        where = origin
        number = line_of(text, key)
        if number is not None:
            where += f", line {number}"
        lines.append(f"unknown setting {key!r}{_suggestion(key, known)} [{where}]")
    return lines


def _unknown_keys(
    data: Mapping[str, Any], model: type[BaseModel], prefix: str = ""
) -> list[str]:
    found = []
    for name, value in data.items():
        field = model.model_fields.get(name)
        if field is None:
            found.append(prefix + name)
            continue
        inner = section(field.annotation)
        if inner is not None and isinstance(value, Mapping):
            found += _unknown_keys(value, inner, f"{prefix}{name}.")
    return found


def _suggestion(key: str, known: list[str]) -> str:
    match = nearest(key, known)
    if match is None:
        return ""
    text = f" — did you mean {match!r}?"
    if "." in key and "." not in match:
        text += " (a key below a [section] header belongs to that section)"
    return text


def unknown_in_variables(
    names: Iterable[str], model: type[BaseModel], origin: str
) -> list[str]:
    """A line per `CROSSPOST_*` variable in `names` that names no setting."""
    known = known_keys(model)
    lines = []
    for name in names:
        upper = name.upper()
        if not upper.startswith(ENV_PREFIX) or _is_other(upper):
            continue
        key = ".".join(upper[len(ENV_PREFIX) :].lower().split("__"))
        if _names_a_setting(key, model):
            continue
        match = nearest(key, known)
        hint = f" — did you mean {variable(match)}?" if match else ""
        lines.append(f"unknown variable {name} (setting {key!r}){hint} [{origin}]")
    return lines


def _is_other(name: str) -> bool:
    return name in OTHER_VARIABLES or name.startswith(OTHER_PREFIXES)


def _names_a_setting(key: str, model: type[BaseModel]) -> bool:
    parts = key.split(".")
    for index, part in enumerate(parts):
        field = model.model_fields.get(part)
        if field is None:
            return False
        inner = section(field.annotation)
        if inner is not None:
            model = inner
            continue
        last = index == len(parts) - 1
        # One level below a table names its key: CROSSPOST_SCHEDULE__SLOTS__X.
        return last or (_is_table(field.annotation) and index == len(parts) - 2)
    return True  # a whole section as JSON: CROSSPOST_X='{"enabled": false}'


def variable(key: str) -> str:
    """The environment variable of a dotted key: `x.enabled` -> CROSSPOST_X__ENABLED."""
    return ENV_PREFIX + key.upper().replace(".", "__")


def line_of(text: str, key: str) -> int | None:
    """The line of TOML `text` where dotted `key` is set or its table opens."""
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            table = _dotted(header.group(1))
            if table == key:
                return number
            continue
        assignment = _ASSIGNMENT.match(line)
        if assignment:
            name = _dotted(assignment.group(1))
            full = f"{table}.{name}" if table else name
            if full == key or key.startswith(full + "."):
                return number
    return None


def _dotted(text: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in text.split("."))
