"""What a person sees while posts go out: one table of outcomes on stdout, and, on a
terminal only, a progress line on stderr while requests are in flight."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crosspost.publish.outcome import Outcome


def outcome_line(outcome: Outcome) -> str:
    """One row of the outcome table: platform, key, ledger id, status, where or why."""
    where = outcome.url or outcome.handoff_path or ""
    if outcome.status == "awaiting_manual" and outcome.ledger_id is not None:
        where += f"  (once posted: crosspost resolve {outcome.ledger_id} --posted URL)"
    if outcome.error and outcome.status != "awaiting_manual":
        where = f"{where}  {outcome.error}".strip()
    if outcome.reconciled == "found":
        where += "  (reconcile found it live on the platform)"
    elif outcome.reconciled == "absent":
        where += "  (reconcile found it absent on the platform: sent now)"
    ref = f"#{outcome.ledger_id}" if outcome.ledger_id is not None else "-"
    head = f"{outcome.platform:<10} {outcome.key:<12} {ref:>5}"
    return f"{head}  {outcome.status:<17} {where}".rstrip()


def outcome_table(outcomes: Iterable[Outcome]) -> str:
    rows = list(outcomes)
    header = f"{'platform':<10} {'post':<12} {'id':>5}  {'status':<17} where / why"
    return "\n".join([header, *(outcome_line(o) for o in rows)])


class Progress:
    """A transient progress line on stderr (rich), shown only on a terminal."""

    def __init__(self, total: int, label: str, *, enabled: bool) -> None:
        self._total = total
        self._label = label
        self._done = 0
        self._bar: Any = None
        self._task: Any = None
        self._enabled = enabled and total > 0 and sys.stderr.isatty()

    def advance(self, outcome: Outcome) -> None:
        self._done += 1
        self._update(f"{outcome.platform} {outcome.key}: {outcome.status}")

    def note(self, text: str) -> None:
        """A word on what is slow (an Instagram container still processing)."""
        self._update(text)

    def _update(self, text: str) -> None:
        if self._bar is not None:
            self._bar.update(self._task, completed=self._done, description=text)

    @contextmanager
    def shown(self) -> Iterator[Progress]:
        if not self._enabled:
            yield self
            return
        with _bar(f"{self._label} ", "{task.description}") as bar:
            self._bar = bar
            self._task = bar.add_task("", total=self._total)
            yield self
        self._bar = None


class Stages:
    """A transient progress bar per stage on stderr (rich), shown only on a terminal:
    `stage(label, total)` starts one, `step(text)` moves it on."""

    def __init__(self, *, enabled: bool) -> None:
        self._enabled = enabled and sys.stderr.isatty()
        self._bar: Any = None
        self._task: Any = None

    def stage(self, label: str, total: int) -> None:
        if self._bar is None:
            return
        if self._task is not None:
            self._bar.remove_task(self._task)
        self._task = self._bar.add_task(label, total=total, note="")

    def step(self, text: str) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, advance=1, note=text)

    @contextmanager
    def shown(self) -> Iterator[Stages]:
        if not self._enabled:
            yield self
            return
        with _bar("{task.description}", "{task.fields[note]}") as bar:
            self._bar = bar
            yield self
        self._bar = self._task = None


def _bar(before: str, after: str) -> Any:
    """A transient rich progress bar on stderr: a spinner, the `before` column, the
    bar, done of total, the `after` column and the time taken (columns in rich's
    markup, filled from the task)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import Progress as Bar

    return Bar(
        SpinnerColumn(),
        TextColumn(before),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(after),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
