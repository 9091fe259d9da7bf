"""`crosspost summaries show` and `crosspost summaries list`."""

from __future__ import annotations

import argparse
import sys
import textwrap

from crosspost.cli.common import print_json, settings_from
from crosspost.summaries.errors import ParseError
from crosspost.summaries.model import Paragraph, Summary
from crosspost.summaries.sources import Skipped, iter_summaries, load_summary


def show(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    summary = load_summary(args.source, settings)
    for warning in summary.warnings:
        print(f"crosspost: warning: {summary.source}: {warning}", file=sys.stderr)
    if args.json:
        print_json(summary.model_dump(mode="json"))
    else:
        print(readable(summary))
    return 0


def list_(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    rows: list[dict[str, object]] = []
    failed = 0
    for item in iter_summaries(args.source, settings):
        if isinstance(item, Skipped):
            print(f"crosspost: skipped {item.source}: {item.reason}", file=sys.stderr)
            continue
        if isinstance(item, ParseError):
            failed += 1
            print(f"crosspost: error: {item}", file=sys.stderr)
            continue
        rows.append(
            {
                "id": item.id,
                "published": item.published.isoformat() if item.published else None,
                "title": item.title,
                "findings": len(item.findings),
                "source": item.source,
                "url": item.url,
            }
        )
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            date = row["published"] or "----------"
            count = row["findings"]
            noun = "finding " if count == 1 else "findings"
            print(f"{row['id']}  {date}  {count} {noun}  {row['title']}")
        print(f"{len(rows)} summaries" + (f", {failed} unreadable" if failed else ""))
    return 1 if failed else 0


def readable(summary: Summary) -> str:
    wrap = textwrap.TextWrapper(width=96, initial_indent="  ", subsequent_indent="  ")
    lines = [summary.title, "=" * min(len(summary.title), 96)]
    facts = [
        ("id", summary.id),
        ("content hash", summary.content_hash),
        ("source", summary.source),
        ("url", summary.url),
        ("published", summary.published.isoformat() if summary.published else None),
        ("image", summary.image_url),
        ("tags", ", ".join(summary.tags) or None),
    ]
    lines += [f"{name:>12}: {value}" for name, value in facts if value]
    if summary.intro:
        lines += ["", *wrap.wrap(summary.intro)]
    for label, text in (
        ("What?", summary.what),
        ("Who?", summary.who),
        ("Where?", summary.where),
        ("When?", summary.when),
    ):
        if text:
            lines += ["", label, *wrap.wrap(text)]
    for label, paragraphs in (
        ("BACKGROUND", summary.backgrounds),
        ("FINDING", summary.findings),
        ("THOUGHT", summary.thoughts),
    ):
        lines += _numbered(label, paragraphs, wrap)
    return "\n".join(lines)


def _numbered(
    label: str, paragraphs: tuple[Paragraph, ...], wrap: textwrap.TextWrapper
) -> list[str]:
    lines: list[str] = []
    for paragraph in paragraphs:
        lines += ["", f"{label} #{paragraph.number}", *wrap.wrap(paragraph.text)]
    return lines
