"""`crosspost calendar`: the ledger's posts as an iCalendar file (or on stdout)."""

from __future__ import annotations

import argparse
import sys

from crosspost.cli.common import settings_from
from crosspost.errors import CrosspostError


def calendar(args: argparse.Namespace) -> int:
    from crosspost.ledger.store import Ledger
    from crosspost.report.calendar import calendar_ics, entries_from

    settings = settings_from(args)
    url = settings.ledger(dry_run=args.dry_run)
    with Ledger(url, secrets=settings.secrets()) as ledger:
        rows = ledger.posts()
        where = ledger.url
    if args.summary:
        rows = [row for row in rows if row.summary_id == args.summary]
    entries = entries_from(rows)
    name = "crosspost (dry run)" if args.dry_run else "crosspost"
    data = calendar_ics(
        entries, name=f"{name} · {args.summary}" if args.summary else name
    )
    if not entries:
        scope = f" of summary {args.summary}" if args.summary else ""
        print(f"crosspost: no posts{scope} in the ledger {where}", file=sys.stderr)
    if args.output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    try:
        args.output.write_bytes(data)
    except OSError as exc:
        raise CrosspostError(
            f"cannot write {args.output}: {exc.strerror}",
            hint="choose another -o path, in a folder that exists and is writable",
        ) from None
    print(f"wrote {len(entries)} events to {args.output}", file=sys.stderr)
    return 0
