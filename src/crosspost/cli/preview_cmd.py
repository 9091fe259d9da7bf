"""`crosspost preview`: one HTML page showing each post of a summary as it will look."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from crosspost.cli.common import settings_from
from crosspost.errors import CrosspostError
from crosspost.settings import Settings
from crosspost.summaries import sources
from crosspost.summaries.model import Summary
from crosspost.teasers.fit import FitError
from crosspost.teasers.model import PLATFORMS, VARIANTS, Teaser
from crosspost.teasers.preview import preview_html
from crosspost.teasers.render import offers, render_teasers

Render = Callable[..., list[Teaser]]


def preview(args: argparse.Namespace) -> int:
    """Render every enabled platform's teasers with cards and write the page.

    A teaser that cannot fit is shown on the page as a problem; the page is still
    written, and the exit status is then 1."""
    settings = settings_from(args)
    summary = sources.load_summary(args.source, settings)
    teasers, problems = collect_teasers(summary, settings)
    write_page(args.output, preview_html(summary, teasers, problems=problems))
    print(args.output)
    if problems:
        print(
            f"crosspost: {len(problems)} of the posts do not fit: see the page",
            file=sys.stderr,
        )
        return 1
    return 0


def collect_teasers(
    summary: Summary,
    settings: Settings,
    *,
    platforms: Sequence[str] | None = None,
    render: Render = render_teasers,
) -> tuple[list[Teaser], list[str]]:
    """Render platform by platform and variant by variant, so one teaser that does not
    fit costs only its own place on the page; its FitError becomes a problem line."""
    chosen = platforms or [
        name for name in PLATFORMS if getattr(settings, name).enabled
    ]
    teasers: list[Teaser] = []
    problems: list[str] = []
    for platform in chosen:
        for variant in VARIANTS:
            if not offers(platform, variant):
                continue
            try:
                teasers += render(
                    summary,
                    settings,
                    platforms=[platform],
                    variants=[variant],
                    cards=True,
                )
            except FitError as exc:
                problems.append(str(exc))
    return teasers, problems


def write_page(path: Path, html: str) -> None:
    """Write the page, creating its folder; an unwritable path is a user error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise CrosspostError(
            f"{path}: cannot write the preview: {exc.strerror}",
            hint="choose another place with -o/--output",
        ) from None
