"""`crosspost render`: each teaser of a summary as it will be sent, count and limit.

Teasers that fit go to stdout (with --json: always one JSON list); each one that cannot
fit is reported on stderr (with --json: one JSON object per line), and the exit is 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from crosspost.cli.common import platforms_from, print_json, settings_from
from crosspost.summaries import sources
from crosspost.teasers.fit import FitError
from crosspost.teasers.model import Teaser
from crosspost.teasers.render import render_all


def render(args: argparse.Namespace) -> int:
    """Render, fit and count every teaser; print those that fit, report the rest."""
    settings = settings_from(args)
    platforms = platforms_from(args.platform) if args.platform else None
    variants = _variants(args.variant)
    summary = sources.load_summary(args.source, settings)
    rendered = render_all(summary, settings, platforms=platforms, variants=variants)
    teasers, failures = rendered.teasers, rendered.failures
    if args.json:
        print_json([teaser_json(teaser) for teaser in teasers])
    elif teasers:
        print("\n\n".join(teaser_text(teaser) for teaser in teasers))
    sys.stdout.flush()
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
    return 1 if failures else 0


def _variants(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    names = [name.strip().lower() for value in values for name in value.split(",")]
    return [name for name in names if name] or None


def teaser_json(teaser: Teaser) -> dict[str, Any]:
    """The teaser for programs: everything but the card's bytes."""
    return {
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
