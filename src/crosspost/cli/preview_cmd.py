"""`crosspost preview`: one HTML page showing each post of one or more summaries as it
will look, with an index of every post's status."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crosspost.cli.common import settings_from
from crosspost.cli.render_cmd import chosen, report_unread
from crosspost.errors import CrosspostError
from crosspost.report import Entry, Failure, Section, accounts_from, build_page
from crosspost.summaries import sources
from crosspost.teasers.card_cache import CardCache
from crosspost.teasers.render import render_all


def preview(args: argparse.Namespace) -> int:
    """Render each summary's teasers with cards (each distinct card drawn once, and
    kept for `post`) and write the page.

    A teaser that cannot fit is shown on the page as a problem; the page is still
    written, and the exit status is then 1."""
    settings = settings_from(args)
    platforms, variants = chosen(args)
    gathered = sources.gather_summaries(args.source, settings)
    report_unread(gathered, as_json=False)
    cards = CardCache(settings.branding, settings.state_dir / "cards")
    sections: list[Section] = []
    failed = 0
    for summary in gathered.summaries:
        rendered = render_all(
            summary,
            settings,
            platforms=platforms,
            variants=variants,
            cards=True,
            headline=args.headline,
            card_maker=cards.card,
        )
        failures = [
            Failure(e.platform or "?", e.variant or "?", e.key or "?", str(e))
            for e in rendered.failures
        ]
        failed += len(failures)
        entries = [Entry(teaser) for teaser in rendered.teasers]
        sections.append(Section(summary, entries, failures))
    write_page(args.output, build_page(sections, accounts=accounts_from(settings)))
    print(args.output)
    print(
        f"crosspost: {cards.drawn} cards drawn, {cards.reused} reused",
        file=sys.stderr,
    )
    if failed:
        print(
            f"crosspost: {failed} of the posts do not fit: see the page",
            file=sys.stderr,
        )
    return 1 if failed or gathered.errors else 0


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
