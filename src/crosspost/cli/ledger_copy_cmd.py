"""`crosspost ledger copy FROM_URL TO_URL`: move the ledger to another database
(SQLite to PostgreSQL, say), every row and the identity kept, checked by counting."""

from __future__ import annotations

import argparse
import sys

from crosspost.cli.common import print_json, settings_from


def copy(args: argparse.Namespace) -> int:
    from crosspost.ledger.copy import copy_ledger

    settings = settings_from(args)
    done = copy_ledger(
        args.source,
        args.target,
        force=args.force,
        marker_dir=settings.state_dir,
        timeout=settings.ledger_timeout,
    )
    for warning in done.warnings:
        print(
            f"crosspost: warning: copied anyway (--force): {warning}", file=sys.stderr
        )
    if args.json:
        print_json(done.as_dict())
        return 0
    print(f"copied {done.source} to {done.target} (identity {done.identity}):")
    for table, count in done.counts.items():
        print(f"  {table:<16} {count:>8} rows, the same in both")
    print(
        "\nnext: point crosspost at the new ledger (CROSSPOST_LEDGER_URL in .env, or "
        "ledger_url), run `crosspost status` to see it, and keep the old one as a "
        "backup; never run crosspost against both."
    )
    return 0
