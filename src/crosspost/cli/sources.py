"""Summaries named on the command line: files, folders, feeds or post URLs."""

from __future__ import annotations

from collections.abc import Sequence

from crosspost.errors import CrosspostError
from crosspost.settings import Settings
from crosspost.summaries.errors import ParseError
from crosspost.summaries.model import Summary
from crosspost.summaries.sources import iter_summaries


def load_summaries(sources: Sequence[str], settings: Settings) -> list[Summary]:
    """Every summary in `sources`, each once (by id), in order. Any that cannot be
    read stops the command before anything is done, naming every one."""
    found: dict[str, Summary] = {}
    problems: list[ParseError] = []
    for source in sources:
        for item in iter_summaries(source, settings):
            if isinstance(item, ParseError):
                problems.append(item)
            elif isinstance(item, Summary):
                found.setdefault(item.id, item)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise CrosspostError(
            f"{len(problems)} summaries cannot be read, so nothing was done:\n  "
            + "\n  ".join(str(problem) for problem in problems)
        )
    if not found:
        raise CrosspostError(
            f"no research summaries in {', '.join(sources)}",
            hint="give summary files (.txt, .md, .html), a folder of them, or a feed",
        )
    return list(found.values())
