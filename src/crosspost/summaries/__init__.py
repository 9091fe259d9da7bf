"""Ingest: research summaries from text, Markdown and HTML, read from files, folders,
feeds and URLs."""

from crosspost.summaries.errors import ParseError, SourceError
from crosspost.summaries.model import Paragraph, Summary, summary_id

__all__ = ["Paragraph", "ParseError", "SourceError", "Summary", "summary_id"]
