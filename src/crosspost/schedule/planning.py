"""A summary's campaign, planned against what the ledger has booked: which posts, at
which slots on the team's calendar, and what each will say.

`plan_summary` only reads; `apply_plan` stores the campaign and its rows. Planning a
summary again adds only the posts it lacks (an edited summary may gain a finding)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from crosspost.ledger.campaigns import campaign, save_campaign
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import PlannedPost
from crosspost.schedule.campaign import (
    Calendar,
    CampaignPost,
    PlannedSlot,
    ScheduleRules,
    campaign_posts,
    plan_campaign,
    rules_from,
)
from crosspost.schedule.slots import local_instant
from crosspost.settings import Settings
from crosspost.summaries.model import Summary
from crosspost.teasers.model import Teaser

# Rows that hold a slot on the calendar (a cancelled or missed post frees it).
BOOKED = ("draft", "planned", "sending", "published", "unknown", "awaiting_manual")


@dataclass(frozen=True)
class PlanEntry:
    """One post of a campaign: its slot, its text, and its row once stored."""

    summary_id: str
    summary_title: str
    platform: str
    variant: str
    key: str
    status: str
    due_at: datetime
    local_time: datetime
    zone: str
    teaser: Teaser | None = None
    error: str | None = None
    id: int | None = None
    url: str | None = None
    new: bool = True  # not in the ledger before this plan

    def as_dict(self) -> dict[str, Any]:
        """The fields `plan --json` and `status --json` share, and the text."""
        data: dict[str, Any] = {
            "id": self.id,
            "summary_id": self.summary_id,
            "summary_title": self.summary_title,
            "platform": self.platform,
            "variant": self.variant,
            "key": self.key,
            "status": self.status,
            "due_at": iso_utc(self.due_at),
            "local_time": self.local_time.isoformat(),
            "zone": self.zone,
        }
        if self.teaser is not None:
            data.update(text_fields(self.teaser))
        if self.error is not None:
            data["error"] = self.error
        if self.url is not None:
            data["url"] = self.url
        return data


def text_fields(teaser: Teaser) -> dict[str, Any]:
    """A post's text as sent, its count against the limit, and its warnings."""
    return {
        "text": [part.text for part in teaser.parts],
        "count": teaser.count,
        "limit": teaser.limit,
        "warnings": list(teaser.warnings),
    }


@dataclass
class CampaignPlan:
    """A summary's campaign: every post, the ones already stored included."""

    summary: Summary
    entries: list[PlanEntry] = field(default_factory=list)
    headline: int | None = None
    order: tuple[int, ...] | None = None

    @property
    def new(self) -> list[PlanEntry]:
        return [entry for entry in self.entries if entry.new]


def iso_utc(value: datetime) -> str:
    """ISO 8601 in UTC with a `Z`."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def entry_of(row: PlannedPost, teaser: Teaser | None = None) -> PlanEntry:
    """A ledger row as a plan entry (local time from the row's zone)."""
    zone = ZoneInfo(row.zone) if row.zone else UTC
    local = row.due_at.astimezone(zone)
    return PlanEntry(
        summary_id=row.summary_id,
        summary_title=row.summary_title,
        platform=row.platform,
        variant=row.variant,
        key=row.key,
        status=row.status,
        due_at=row.due_at,
        local_time=local,
        zone=row.zone,
        teaser=teaser,
        error=row.last_error if row.status == "failed" else None,
        id=row.id,
        url=row.url,
        new=False,
    )


def calendar_of(rows: Sequence[PlannedPost]) -> Calendar:
    """What is booked, per platform, from ledger rows."""
    booked: dict[str, list[datetime]] = {}
    for row in rows:
        if row.status in BOOKED:
            booked.setdefault(row.platform, []).append(row.due_at)
    return Calendar(booked=booked)


def wanted_posts(
    summary: Summary,
    settings: Settings,
    platforms: Sequence[str],
    order: Sequence[int] | None,
) -> dict[str, list[CampaignPost]]:
    """The campaign's posts per platform, in cadence order."""
    numbers = [finding.number for finding in summary.findings]
    return {
        platform: campaign_posts(
            numbers,
            settings.schedule.variants.get(platform, list(DEFAULT_VARIANTS)),
            platform,
            settings.schedule.recap,
            order,
        )
        for platform in platforms
    }


DEFAULT_VARIANTS = ("announce", "finding", "recap")


def plan_summary(
    summary: Summary,
    settings: Settings,
    teasers: Sequence[Teaser],
    failures: dict[tuple[str, str], str],
    *,
    now: datetime,
    platforms: Sequence[str],
    rows: Sequence[PlannedPost] = (),
    headline: int | None = None,
    order: Sequence[int] | None = None,
    rules: ScheduleRules | None = None,
) -> CampaignPlan:
    """The campaign of `summary` on `platforms` (rendered into `teasers`, with the
    keys that cannot fit in `failures`), against the booked `rows` of the ledger.

    Posts the ledger already holds keep their rows; the others get the free slots the
    cadence gives, each platform continuing after its latest post of this campaign."""
    rules = rules or rules_from(settings)
    zone = str(rules.zone.key)
    by_key = {(t.platform, t.key): t for t in teasers}
    summary_id = summary.id  # computed on each access: once, not once per row
    mine = [row for row in rows if row.summary_id == summary_id]
    have = {(row.platform, row.key): row for row in mine}
    calendar = calendar_of(rows)
    plan = CampaignPlan(
        summary=summary,
        headline=headline,
        order=tuple(order) if order else None,
    )
    status = "draft" if settings.schedule.approval else "planned"
    for platform, posts in wanted_posts(summary, settings, platforms, order).items():
        missing = [p for p in posts if (platform, p.key) not in have]
        start = _continue_after(
            [row.due_at for row in mine if row.platform == platform], now, rules
        )
        slots: list[PlannedSlot] = (
            plan_campaign(missing, now=start, rules=rules, calendar=calendar)
            if missing
            else []
        )
        at = {slot.key: slot for slot in slots}
        for post in posts:
            row = have.get((platform, post.key))
            teaser = by_key.get((platform, post.key))
            if row is not None:
                plan.entries.append(entry_of(row, teaser))
                continue
            slot = at[post.key]
            error = failures.get((platform, post.key))
            plan.entries.append(
                PlanEntry(
                    summary_id=summary_id,
                    summary_title=summary.title,
                    platform=platform,
                    variant=post.variant,
                    key=post.key,
                    status="failed" if error else status,
                    due_at=slot.due_at,
                    local_time=slot.local_time,
                    zone=zone,
                    teaser=teaser,
                    error=error,
                )
            )
    plan.entries.sort(key=lambda e: (e.due_at, e.platform, e.key))
    return plan


def _continue_after(
    booked: Sequence[datetime], now: datetime, rules: ScheduleRules
) -> datetime:
    """Where a platform's remaining posts start: after `now`, and the gap after the
    campaign's latest post there (its local date plus `gap_days`)."""
    if not booked:
        return now
    latest = max(booked)
    if rules.gap_days == 0:
        return max(now, latest)
    day = latest.astimezone(rules.zone).date() + timedelta(days=rules.gap_days)
    midnight = local_instant(day, time(0, 0), rules.zone) - timedelta(microseconds=1)
    return max(now, latest, midnight)


def apply_plan(
    plan: CampaignPlan, ledger: Ledger, *, now: datetime, zone: str
) -> CampaignPlan:
    """Store the campaign and its new rows; the plan with their ledger ids."""
    existing = campaign(ledger, plan.summary.id)
    status = "draft" if any(e.status == "draft" for e in plan.new) else "active"
    if existing is not None and existing.status != "oneoff":
        status = existing.status
    save_campaign(
        ledger,
        plan.summary,
        found_at=existing.found_at if existing else now,
        zone=zone,
        status=status,
        headline=plan.headline,
        finding_order=plan.order,
    )
    stored: list[PlanEntry] = []
    fresh: list[tuple[int, PlannedPost]] = []
    for entry in plan.entries:
        if entry.id is not None or (entry.teaser is None and entry.error is None):
            stored.append(entry)
            continue
        teaser = entry.teaser or placeholder(plan.summary, entry)
        row = ledger.new_row(
            teaser,
            due_at=entry.due_at,
            zone=entry.zone,
            local_time=entry.local_time.isoformat(),
            status=entry.status,  # type: ignore[arg-type]
            last_error=f"does not fit: {entry.error}" if entry.error else None,
        )
        fresh.append((len(stored), row))
        stored.append(entry)
    rows = ledger.plan_rows([row for _, row in fresh])
    for (index, _), row in zip(fresh, rows, strict=True):
        stored[index] = replace(stored[index], id=row.id, status=row.status)
    plan.entries = stored
    return plan


def placeholder(summary: Summary, entry: PlanEntry) -> Teaser:
    """A stand-in for a post that cannot be rendered yet, so its slot is held and its
    failure shown; it is rendered again before it is ever sent."""
    from crosspost.teasers.model import TeaserPart

    return Teaser(
        summary_id=summary.id,
        summary_title=summary.title,
        platform=entry.platform,
        variant=entry.variant,
        key=entry.key,
        parts=(TeaserPart(text="", count=0),),
        limit=0,
    )
