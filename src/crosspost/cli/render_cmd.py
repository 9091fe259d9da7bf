"""`crosspost render`: each teaser of a summary as it will be sent, count and limit."""

from __future__ import annotations

import argparse
from typing import Any

from crosspost.cli.common import platforms_from, print_json, settings_from
from crosspost.summaries import sources
from crosspost.teasers.model import Teaser
from crosspost.teasers.render import render_teasers


def render(args: argparse.Namespace) -> int:
    """Render, fit and count; a teaser that cannot fit is a FitError (exit 1)."""
    settings = settings_from(args)
    platforms = platforms_from(args.platform) if args.platform else None
    variants = _variants(args.variant)
    summary = sources.load_summary(args.source, settings)
    teasers = render_teasers(summary, settings, platforms=platforms, variants=variants)
    if args.json:
        print_json([teaser_json(teaser) for teaser in teasers])
    else:
        print("\n\n".join(teaser_text(teaser) for teaser in teasers))
    return 0


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
