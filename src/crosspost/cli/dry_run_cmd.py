"""`crosspost dry-run`: every post a set of summaries would make, rendered, planned and
sent on a virtual clock to the in-process sandbox, with reports for a person or a pull
request (JSON, Markdown, HTML). Exit 1 if anything would fail, each failure listed."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from crosspost.cli.common import settings_from
from crosspost.cli.output import Stages
from crosspost.errors import CrosspostError, UsageError
from crosspost.ledger.tables import utcnow
from crosspost.platforms import registry
from crosspost.rehearsal import Rehearsal, rehearse
from crosspost.report import accounts_from
from crosspost.report.dry_run_html import report_html_chunks
from crosspost.report.dry_run_json import report_json
from crosspost.report.dry_run_markdown import report_markdown
from crosspost.schedule.when import parse_moment
from crosspost.settings import Settings
from crosspost.summaries.sources import gather_summaries
from crosspost.teasers.model import PLATFORMS

REPORT_KINDS = (".json", ".md", ".html")


def dry_run(args: argparse.Namespace) -> int:
    reports = report_paths(args.report or [])
    if args.days <= 0:
        raise UsageError(
            f"--days {args.days:g} is not a number of days", hint="e.g. --days 30"
        )
    settings = settings_from(args)
    zone = ZoneInfo(settings.timezone)
    start = utcnow()
    if args.now:
        start = parse_moment(args.now, zone, now=start, option="--now")
    until = start + timedelta(days=args.days)

    gathered = gather_summaries(args.sources, settings)
    if not gathered.summaries and not gathered.errors:
        raise CrosspostError(
            f"no research summaries in {', '.join(args.sources)}",
            hint="give summary files (.txt, .md, .html), a folder of them, or a feed",
        )
    platforms = [name for name in PLATFORMS if registry.enabled(settings, name)]
    stages = Stages(enabled=not args.json and not args.quiet)
    with stages.shown():
        rehearsal = rehearse(
            gathered.summaries,
            settings,
            start=start,
            until=until,
            platforms=platforms,
            unread=gathered.errors,
            watcher=stages,
        )
    for path in reports:
        _write(path, _report(rehearsal, path.suffix.lower(), settings))
    if args.json:
        sys.stdout.write(report_json(rehearsal))
    elif not args.quiet:
        _show(rehearsal, reports)
    _show_problems(rehearsal)
    return 0 if rehearsal.ok else 1


def report_paths(paths: list[Path]) -> list[Path]:
    """The --report files, each a kind we write; anything else is a usage error."""
    for path in paths:
        if path.suffix.lower() not in REPORT_KINDS:
            raise UsageError(
                f"--report {path}: cannot tell what to write from its extension",
                hint="end it in .json (every post, for programs), .md (a pull-request"
                " comment) or .html (the preview page with the schedule)",
            )
    return paths


def _report(rehearsal: Rehearsal, kind: str, settings: Settings) -> Iterable[str]:
    if kind == ".json":
        return [report_json(rehearsal)]
    if kind == ".md":
        return [report_markdown(rehearsal)]
    return report_html_chunks(rehearsal, accounts=accounts_from(settings))


def _write(path: Path, chunks: Iterable[str]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as file:
            file.writelines(chunks)
    except OSError as exc:
        raise CrosspostError(
            f"{path}: cannot write the report: {exc.strerror}",
            hint="choose another place with --report",
        ) from None


def _show(rehearsal: Rehearsal, reports: list[Path]) -> None:
    counts = rehearsal.counts()
    print(
        f"dry run: {rehearsal.size()}, planned "
        f"from {rehearsal.start:%Y-%m-%d %H:%M} UTC and sent to the sandbox until "
        f"{rehearsal.until:%Y-%m-%d %H:%M} UTC ({rehearsal.zone})"
    )
    words = {
        "published": "published",
        "awaiting_manual": "handed off",
        "failed": "refused",
        "unknown": "unknown",
        "retrying": "refused (retrying)",
        "planned": "planned later",
        "not_planned": "not planned",
        "not_in_campaign": "rendered only",
    }
    print(
        "  "
        + ", ".join(
            f"{counts[status]} {word}"
            for status, word in words.items()
            if status in counts
        )
    )
    for note in rehearsal.notes:
        print(f"  note: {note}")
    for path in reports:
        print(f"  report: {path}")
    problems = len(rehearsal.problems)
    print(
        "no failures"
        if not problems
        else f"{problems} {'failure' if problems == 1 else 'failures'} (on stderr)"
    )


def _show_problems(rehearsal: Rehearsal) -> None:
    """Every failure on stderr, with what to fix."""
    for problem in rehearsal.problems:
        where = ""
        if problem.summary is not None:
            where = f" (in {problem.summary.source or problem.summary.id})"
        elif problem.summary_ids:
            count = len(problem.summary_ids)
            where = f" ({count} {'summary' if count == 1 else 'summaries'})"
        print(f"crosspost: {problem.kind}: {problem.message}{where}", file=sys.stderr)
        if problem.fix:
            print(f"  fix: {problem.fix}", file=sys.stderr)
