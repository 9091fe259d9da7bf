"""What every command shares: loading settings and sources, and printing JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from crosspost.settings import Settings, load_settings
from crosspost.teasers.model import PLATFORMS, choose


def settings_from(args: argparse.Namespace) -> Settings:
    config = args.config or (
        Path(os.environ["CROSSPOST_CONFIG"])
        if os.environ.get("CROSSPOST_CONFIG")
        else None
    )
    return load_settings(config)


def platforms_from(value: str | list[str] | None) -> list[str]:
    """Parse `x,linkedin` (or repeated options).

    Unknown names are refused before any work.
    """
    if not value:
        return list(PLATFORMS)
    raw = value if isinstance(value, list) else [value]
    names = [
        name.strip().lower() for item in raw for name in item.split(",") if name.strip()
    ]
    return choose(names, PLATFORMS, "platform")


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
