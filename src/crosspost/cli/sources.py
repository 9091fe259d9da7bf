"""Summaries named on the command line, for commands that act on them: all readable,
or nothing is done."""

from __future__ import annotations

from collections.abc import Sequence

from crosspost.errors import CrosspostError
from crosspost.settings import Settings
from crosspost.summaries.model import Summary
from crosspost.summaries.sources import gather_summaries


def load_summaries(sources: Sequence[str], settings: Settings) -> list[Summary]:
    """Every summary in `sources` (files, folders, feeds, post URLs), each once. Any
    that cannot be read stops the command before anything is done, naming each."""
    gathered = gather_summaries(sources, settings)
    problems = gathered.errors
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise CrosspostError(
            f"{len(problems)} summaries cannot be read, so nothing was done:\n  "
            + "\n  ".join(str(problem) for problem in problems),
            # 2 when every one is a mistake in the command (a malformed address).
            exit_code=min(problem.exit_code for problem in problems),
        )
    if not gathered.summaries:
        raise CrosspostError(
            f"no research summaries in {', '.join(sources)}",
            hint="give summary files (.txt, .md, .html), a folder of them, or a feed",
        )
    return gathered.summaries
