"""Where summaries come from: a file, a folder, an RSS/Atom feed (URL or file), a post URL."""

from __future__ import annotations

from pathlib import Path

from crosspost.settings import Settings
from crosspost.summaries.errors import SourceError
from crosspost.summaries.model import Summary
from crosspost.summaries.parse import parse_summary


def load_summary(source: str, settings: Settings) -> Summary:
    """Read exactly one summary from a file or post URL."""
    path = Path(source)
    if not path.is_file():
        raise SourceError(f"{source}: no such file", hint="give a summary file (.txt, .md, .html)")
    return parse_summary(path.read_bytes(), source)
