"""`crosspost render`: each teaser of one or more summaries as it will be sent, with
its count and limit.

Teasers that fit go to stdout (with --json: always one JSON list); each one that cannot
fit is reported on stderr (with --json: one JSON object per line), and the exit is 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from crosspost.cli.common import platforms_from, print_json, settings_from
from crosspost.errors import UsageError
from crosspost.summaries import sources
from crosspost.teasers.fit import FitError
from crosspost.teasers.model import Teaser
from crosspost.teasers.render import render_all


def render(args: argparse.Namespace) -> int:
    """Render, fit and count every teaser of each summary; print those that fit,
    report the rest (and each source that cannot be read)."""
    settings = settings_from(args)
    platforms, variants = chosen(args)
    gathered = sources.gather_summaries(args.source, settings)
    several = len(args.source) > 1 or len(gathered.summaries) > 1
    teasers: list[Teaser] = []
    failures: list[FitError] = []
    blocks: list[str] = []
    for summary in gathered.summaries:
        rendered = render_all(
            summary,
            settings,
            platforms=platforms,
            variants=variants,
            headline=args.headline,
        )
        teasers += rendered.teasers
        failures += rendered.failures
        if rendered.teasers:
            heading = f"#### {summary.source}: {summary.title}\n\n" if several else ""
            blocks.append(
                heading + "\n\n".join(teaser_text(t) for t in rendered.teasers)
            )
    if args.json:
        print_json([teaser_json(teaser) for teaser in teasers])
    elif blocks:
        print("\n\n".join(blocks))
    sys.stdout.flush()
    report_unread(gathered, as_json=args.json)
    for failure in failures:
        if args.json:
            print(json.dumps(error_json(failure), ensure_ascii=False), file=sys.stderr)
        else:
            print(f"crosspost: error: {failure}", file=sys.stderr)
    if failures and not args.json:
        total = len(teasers) + len(failures)
        print(
            f"crosspost: {len(failures)} of {total} teasers do not fit "
            "(the others are printed above)",
            file=sys.stderr,
        )
    return 1 if failures or gathered.errors else 0


def chosen(args: argparse.Namespace) -> tuple[list[str] | None, list[str] | None]:
    """The platforms and variants `--platform` and `--variant` choose (None: all)."""
    platforms = (
        None
        if args.platform is None
        else platforms_from(args.platform, option="--platform")
    )
    return platforms, variants_from(args.variant)


def variants_from(values: list[str] | None) -> list[str] | None:
    """`--variant finding,recap` (or repeated), lower-cased; None when not given."""
    if values is None:
        return None
    names = [name.strip().lower() for value in values for name in value.split(",")]
    chosen = [name for name in names if name]
    if not chosen:
        # As with --platform: an empty CI variable must not mean "every variant".
        raise UsageError(
            "--variant is empty",
            hint="name a variant, e.g. --variant finding (announce, finding, recap, "
            "thread), or leave the option out for every one",
        )
    return chosen


def report_unread(gathered: sources.Gathered, *, as_json: bool) -> None:
    """Each source or summary that could not be read, on stderr; none read at all is
    the first one's error."""
    if gathered.errors and not gathered.summaries:
        raise gathered.errors[0]
    for skipped in gathered.skipped:
        print(f"crosspost: skipped {skipped.source}: {skipped.reason}", file=sys.stderr)
    for error in gathered.errors:
        if as_json:
            line = {"error": "source", "message": error.message, "hint": error.hint}
            print(json.dumps(line, ensure_ascii=False), file=sys.stderr)
        else:
            print(f"crosspost: error: {error}", file=sys.stderr)


def teaser_json(teaser: Teaser) -> dict[str, Any]:
    """The teaser for programs: everything but the card's bytes."""
    return {
        "summary_id": teaser.summary_id,
        "platform": teaser.platform,
        "variant": teaser.variant,
        "key": teaser.key,
        "parts": [{"text": part.text, "count": part.count} for part in teaser.parts],
        "text": teaser.text,
        "count": teaser.count,
        "limit": teaser.limit,
        "link": teaser.link,
        "hashtags": list(teaser.hashtags),
        "warnings": list(teaser.warnings),
    }


def error_json(error: FitError) -> dict[str, Any]:
    """A teaser that does not fit, for programs: which one, by how much, the fix."""
    return {
        "error": "fit",
        "platform": error.platform,
        "variant": error.variant,
        "key": error.key,
        "over": error.over,
        "message": error.message,
        "hint": error.hint,
    }


def teaser_text(teaser: Teaser) -> str:
    """The teaser for people: a heading line, then the text as sent, indented."""
    name = (
        teaser.variant
        if teaser.key == teaser.variant
        else f"{teaser.variant} ({teaser.key})"
    )
    lines = [f"== {teaser.platform} · {name} · {teaser.count}/{teaser.limit}"]
    for number, part in enumerate(teaser.parts, start=1):
        if len(teaser.parts) > 1:
            lines.append(
                f"  -- part {number}/{len(teaser.parts)} · {part.count}/{teaser.limit}"
            )
        lines += [f"  {line}" if line else "" for line in part.text.splitlines()]
    lines += [f"  ! {warning}" for warning in teaser.warnings]
    return "\n".join(lines)
