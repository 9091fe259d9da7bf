"""Planning posts again: approved drafts whose slot passed meanwhile, and failed,
missed or cancelled posts a person retries. Each moves to the next free slots of its
platform, in its campaign's order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import PlannedPost, Status
from crosspost.schedule.campaign import CampaignPost, plan_campaign, rules_from
from crosspost.schedule.planning import calendar_of
from crosspost.settings import Settings


def replan(
    ledger: Ledger,
    rows: Sequence[PlannedPost],
    settings: Settings,
    *,
    now: datetime,
    status: Status,
    at_once: bool = False,
) -> set[int]:
    """Give `rows` the status `status`. Drafts approved before their slots keep them;
    the others (a campaign's posts on one platform together, in order) move to the
    next free slots, or are due now with `at_once`. The ids of the rows that moved."""
    rules = rules_from(settings)
    moving: dict[tuple[str, str], list[PlannedPost]] = {}
    for row in rows:
        moving.setdefault((row.summary_id, row.platform), []).append(row)
    moved: set[int] = set()
    taken = {row.id for row in rows}
    for group in moving.values():
        group.sort(key=lambda row: (row.due_at, row.id))
        if at_once:
            for row in group:
                _move(ledger, row, status, now, now.astimezone(rules.zone).isoformat())
                moved.add(row.id)
            continue
        if all(row.status == "draft" and row.due_at > now for row in group):
            # Approved in time: the drafts keep their slots.
            for row in group:
                ledger.settle(row, status, outcome=status, note=f"by {ledger.actor}")
            continue
        others = [row for row in ledger.rows() if row.id not in taken]
        posts = [CampaignPost(row.platform, row.variant, row.key) for row in group]
        slots = plan_campaign(posts, now=now, rules=rules, calendar=calendar_of(others))
        for row, slot in zip(group, slots, strict=True):
            _move(ledger, row, status, slot.due_at, slot.local_time.isoformat())
            moved.add(row.id)
    return moved


def _move(
    ledger: Ledger, row: PlannedPost, status: Status, due_at: datetime, local: str
) -> None:
    ledger.reschedule(
        row,
        status=status,
        due_at=due_at,
        local_time=local,
        outcome=f"{status}: moved",
        note=f"planned again by {ledger.actor} for {local}",
    )
