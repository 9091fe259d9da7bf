"""The runner's intake: which summary files changed since the last poll, reading them,
and planning a summary's campaign (or re-rendering an edited one's unsent posts)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import datetime

from crosspost.errors import CrosspostError
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import PlannedPost
from crosspost.ledger.wire import text_hash, wire_text
from crosspost.schedule.planning import CampaignPlan, plan_summary
from crosspost.settings import Settings
from crosspost.summaries.errors import ParseError
from crosspost.summaries.model import Summary
from crosspost.summaries.sources import (
    SUMMARY_SUFFIXES,
    Skipped,
    is_url,
    iter_summaries,
)
from crosspost.teasers.fit import FitError
from crosspost.teasers.render import render_all

# Posts an edit may still change: not sent, not on their way.
UNSENT = ("planned", "draft", "failed", "missed")


def changed_files(source: str, seen: dict[str, tuple[int, int]]) -> list[str]:
    """The files of `source` new or changed since the last poll, by size and
    modification time as kept in `seen` (updated); a feed URL is always asked
    (conditional GET)."""
    if is_url(source):
        return [source]
    try:
        with os.scandir(source) as entries:
            files = sorted(
                entry.path
                for entry in entries
                if entry.name.lower().endswith(SUMMARY_SUFFIXES)
            )
    except NotADirectoryError:
        files = [source]
    except OSError:
        return [source]  # iter_summaries says what is wrong
    changed: list[str] = []
    for file in files:
        try:
            status = os.stat(file)
        except OSError:
            changed.append(file)
            continue
        stamp = (status.st_size, status.st_mtime_ns)
        if seen.get(file) != stamp:
            seen[file] = stamp
            changed.append(file)
    return changed


def read_sources(
    targets: list[str], settings: Settings, on_note: Callable[[str], None]
) -> list[Summary]:
    """Every summary in `targets` (files changed since the last poll; feeds, which
    answer an unchanged poll with a 304); what cannot be read is noted."""
    found: list[Summary] = []
    for target in targets:
        try:
            for item in iter_summaries(target, settings):
                if isinstance(item, ParseError):
                    on_note(f"cannot read {item}")
                elif not isinstance(item, Skipped):
                    found.append(item)
        except CrosspostError as exc:
            on_note(f"cannot read {target}: {exc.message}")
    return found


def rerender_unsent(ledger: Ledger, summary_id: str, stored: CampaignPlan) -> int:
    """Bring an edited summary's unsent posts in line with its new campaign: a post it
    no longer has is cancelled, one whose text changed is rendered again (a failed one
    planned again); how many changed."""
    changed = 0
    by_key = {(e.platform, e.key): e for e in stored.entries}
    for row in ledger.rows(summary_id=summary_id, statuses=UNSENT):
        entry = by_key.get((row.platform, row.key))
        if entry is None:
            ledger.settle(
                row,
                "cancelled",
                outcome="cancelled",
                note="the edited summary no longer has this post",
            )
            changed += 1
        elif entry.teaser is not None and text_hash(entry.teaser) != row.text_hash:
            ledger.reschedule(
                row,
                status="planned" if row.status == "failed" else row.status,  # type: ignore[arg-type]
                due_at=row.due_at,
                local_time=row.local_time or row.due_at.isoformat(),
                outcome="re-rendered",
                note="the summary was edited; the post was rendered again",
                text_hash=text_hash(entry.teaser),
                wire_text=wire_text(entry.teaser),
            )
            changed += 1
    return changed


def plan_for(
    summary: Summary,
    settings: Settings,
    ledger: Ledger | None,
    *,
    now: datetime,
    platforms: Sequence[str],
    headline: int | None = None,
    order: Sequence[int] | None = None,
    extra: Sequence[PlannedPost] = (),
) -> CampaignPlan:
    """Render `summary` for its campaign and plan it against the ledger's bookings
    (none without a ledger) and the `extra` ones not stored yet."""
    rendered = render_all(
        summary,
        settings,
        platforms=list(platforms),
        variants=sorted(
            {v for p in platforms for v in settings.schedule.variants.get(p, [])}
            or {"announce", "finding", "recap"}
        ),
        headline=headline,
    )
    failures = {
        (f.platform or "", f.key or ""): _fit_message(f) for f in rendered.failures
    }
    rows = [*(ledger.rows() if ledger is not None else []), *extra]
    order = order or summary.finding_order
    return plan_summary(
        summary,
        settings,
        rendered.teasers,
        failures,
        now=now,
        platforms=platforms,
        rows=rows,
        headline=headline,
        order=order,
    )


def _fit_message(error: FitError) -> str:
    return error.message + (f"; {error.hint}" if error.hint else "")
