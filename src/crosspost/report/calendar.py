"""The campaign as an iCalendar file: one event per post at its local slot, so the team
sees the plan in the calendar it already uses. The same ledger gives the same bytes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event

from crosspost.errors import CrosspostError
from crosspost.ledger.wire import PART_SEPARATOR
from crosspost.teasers.model import PLATFORM_LABELS

if TYPE_CHECKING:
    from crosspost.ledger.tables import PlannedPost

PRODID = "-//crosspost//campaign calendar//EN"
DURATION = timedelta(minutes=15)
# What a calendar can say of a post; the rest (sending, failed...) did or will happen.
EVENT_STATUS = {"draft": "TENTATIVE", "cancelled": "CANCELLED"}
ATTENTION = ("failed", "unknown", "missed", "awaiting_manual")


@dataclass(frozen=True)
class CalendarEntry:
    """One planned post, as the calendar shows it."""

    summary_id: str
    summary_title: str
    platform: str
    variant: str
    key: str
    status: str
    due_at: datetime  # aware, UTC
    zone: str  # IANA
    text: str  # the post text; an X thread's parts joined with blank lines
    url: str | None = None

    @property
    def uid(self) -> str:
        """Stable across runs and machines: the post's identity in the ledger."""
        return f"{self.summary_id}.{self.platform}.{self.key}@crosspost"


def entries_from(rows: Iterable[PlannedPost]) -> list[CalendarEntry]:
    """Calendar entries for ledger rows (their wire text's parts as paragraphs)."""
    return [
        CalendarEntry(
            summary_id=row.summary_id,
            summary_title=row.summary_title,
            platform=row.platform,
            variant=row.variant,
            key=row.key,
            status=row.status,
            due_at=row.due_at,
            zone=row.zone,
            text="\n\n".join((row.wire_text or "").split(PART_SEPARATOR)),
            url=row.url,
        )
        for row in rows
    ]


def calendar_ics(entries: Sequence[CalendarEntry], *, name: str = "crosspost") -> bytes:
    """An RFC 5545 calendar: a VEVENT per entry at its local time (TZID = its zone),
    with the VTIMEZONE of every zone used, in a stable order."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    ordered = sorted(entries, key=lambda entry: (entry.due_at, entry.uid))
    for entry in ordered:
        calendar.add_component(_event(entry))
    if ordered:
        first, last = ordered[0].due_at, ordered[-1].due_at
        # Whole years around the plan: enough for clients, and the same every run.
        calendar.add_missing_timezones(
            first_date=date(first.year, 1, 1), last_date=date(last.year + 2, 1, 1)
        )
    data: bytes = calendar.to_ical()
    return data


def _event(entry: CalendarEntry) -> Event:
    try:
        zone = ZoneInfo(entry.zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise CrosspostError(
            f"post {entry.uid}: unknown time zone {entry.zone!r}",
            hint="install the tzdata package, or re-plan the post in an IANA zone",
        ) from None
    label = PLATFORM_LABELS.get(entry.platform, entry.platform)
    description = entry.text
    if entry.url:
        description += f"\n\n{entry.url}"
    if entry.status in ATTENTION:
        description += (
            f"\n\ncrosspost status: {entry.status} "
            f"(crosspost status --summary {entry.summary_id})"
        )
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", entry.due_at.astimezone(UTC))
    event.add("dtstart", entry.due_at.astimezone(zone))
    event.add("duration", DURATION)
    event.add("summary", f"{label} · {entry.key} · {entry.summary_title}")
    event.add("description", description)
    event.add("status", EVENT_STATUS.get(entry.status, "CONFIRMED"))
    event.add("categories", [label, entry.variant])
    event.add("x-crosspost-status", entry.status)
    if entry.url:
        event.add("url", entry.url)
    return event
