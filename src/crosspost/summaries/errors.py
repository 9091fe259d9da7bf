"""Errors raised while reading a summary.

Each names its source and, where known, the line.
"""

from __future__ import annotations

from crosspost.errors import CrosspostError


class ParseError(CrosspostError):
    """The input is not a readable research summary."""

    def __init__(
        self,
        source: str,
        message: str,
        *,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}", hint=hint)
        self.source = source
        self.line = line


class SourceError(CrosspostError):
    """A source could not be read or fetched (missing file, HTTP error, not a feed)."""
