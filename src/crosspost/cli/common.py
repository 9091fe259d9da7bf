"""What every command shares: loading settings and sources, and printing JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crosspost.errors import UsageError
from crosspost.settings import Settings, load_settings
from crosspost.teasers.model import PLATFORMS, choose

if TYPE_CHECKING:
    from crosspost.ledger.store import Ledger


def settings_from(args: argparse.Namespace) -> Settings:
    config = args.config or (
        Path(os.environ["CROSSPOST_CONFIG"])
        if os.environ.get("CROSSPOST_CONFIG")
        else None
    )
    return load_settings(config)


def platforms_from(
    value: str | list[str] | None, *, option: str = "--platforms"
) -> list[str]:
    """Parse `x,linkedin` (or repeated options); None means every platform.

    Unknown names are refused before any work, and so is an empty or blank list (a
    CI variable left empty must never mean "everywhere")."""
    if value is None:
        return list(PLATFORMS)
    raw = value if isinstance(value, list) else [value]
    names = [
        name.strip().lower() for item in raw for name in item.split(",") if name.strip()
    ]
    if not names:
        raise UsageError(
            f"{option} is empty",
            hint=f"name the platforms, e.g. {option} x,linkedin (choose from "
            f"{', '.join(PLATFORMS)}), or leave the option out for every enabled one",
        )
    return choose(names, PLATFORMS, "platform")


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def open_ledger(
    settings: Settings, *, dry_run: bool, allow_new: bool = False
) -> Ledger:
    """The ledger (or the dry-run ledger), guarded by its identity marker and with
    every secret of the settings scrubbed from what it stores."""
    from crosspost.ledger.store import Ledger

    return Ledger(
        settings.ledger(dry_run=dry_run),
        secrets=settings.secrets(),
        timeout=settings.ledger_timeout,
        marker_dir=settings.state_dir,
        allow_new=allow_new,
    )
