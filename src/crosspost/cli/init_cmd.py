"""`crosspost init [DIR]`: write a starter project (settings, secrets list, templates,
an example summary) that works from any folder, never overwriting anything."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

from crosspost.starter_project import CONFIG, SUMMARIES, write_starter


def init(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    written = write_starter(folder)
    if args.json:
        report = {"folder": str(folder), "written": [str(p) for p in written]}
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    example = next(p for p in written if p.parent == folder / SUMMARIES)
    print(f"wrote a starter project in {folder}:")
    for path, what in (
        (folder / CONFIG, "every setting, with its comment"),
        (folder / "config" / ".env.example", "the secrets: copy it to .env, fill in"),
        (folder / "templates", "each platform's wording (templates/README.md)"),
        (example, "an example: delete it before the first real run"),
    ):
        shown = f"{path}/" if path.is_dir() else str(path)
        print(f"  {shown:<44} {what}")
    config = shlex.quote(str(folder / CONFIG))
    summaries = shlex.quote(str(folder / SUMMARIES))
    print(
        "\nnext, from any folder:\n"
        f"  crosspost --config {config} plan {summaries}\n"
        f"  crosspost --config {config} post {summaries} --dry-run\n"
        f"  crosspost --config {config} check\n"
        "then each platform's account: crosspost's docs/index.md"
    )
    return 0
