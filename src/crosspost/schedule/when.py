"""Moments a person types (`--at`, `--now`, `--simulate-until`): an ISO 8601 instant,
a local date and time in the team's zone, or the next `Tue 10:00` or `10:00`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from crosspost.errors import UsageError
from crosspost.schedule.slots import Slot, local_instant, occurrences

FORMS = (
    "an ISO 8601 instant (2027-03-30T09:00:00Z, 2027-03-30T10:00+01:00), a local "
    "date and time in the configured timezone (2027-03-30 10:00), or the next "
    "'Tue 10:00' or '10:00'"
)

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def parse_moment(
    text: str, zone: ZoneInfo, *, now: datetime, option: str = "--at"
) -> datetime:
    """The aware UTC instant `text` means; a local time that does not exist moves to
    the next valid instant, a doubled one takes the first."""
    value = text.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is not None:
        # Planning adds days and weeks to it: the year 9999 (or 1) would overflow.
        if not EARLIEST.year <= parsed.year < LATEST.year:
            raise UsageError(
                f"{option} {text!r} is out of range",
                hint=f"give a moment from {EARLIEST.year} to {LATEST.year - 1}",
            )
        if parsed.tzinfo is not None:
            return parsed.astimezone(UTC)
        return local_instant(parsed.date(), parsed.time(), zone).astimezone(UTC)
    try:
        day_only = date.fromisoformat(value)
    except ValueError:
        day_only = None
    if day_only is not None:
        raise UsageError(
            f"{option} {text!r} has a date but no time", hint=f"give {FORMS}"
        )
    words = value.split()
    try:
        slot = Slot.parse(value if len(words) == 2 else f"daily {value}")
    except ValueError:
        raise UsageError(
            f"{option} {text!r} is not a time", hint=f"give {FORMS}"
        ) from None
    start = now - timedelta(microseconds=1)
    return next(occurrences([slot], zone, start)).astimezone(UTC)
