"""Parse one research summary from text, Markdown or HTML (choosing by name, media type or content)."""

from __future__ import annotations

from crosspost.summaries.model import Summary


def parse_summary(data: bytes | str, source: str, *, media_type: str | None = None) -> Summary:
    """Parse `data` read from `source` into a Summary, or raise ParseError naming source and line."""
    raise NotImplementedError
