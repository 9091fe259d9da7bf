"""Weekly posting slots in local wall time, and their occurrences as instants.

Each occurrence is built as a local date and time in the zone and only then converted:
never by adding 24-hour steps in UTC, so 10:00 stays 10:00 across a clock change.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FULL_NAMES = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
_DAYS: dict[str, int | None] = {
    **{name.lower(): number for number, name in enumerate(DAY_NAMES)},
    **{name: number for number, name in enumerate(_FULL_NAMES)},
    "daily": None,
}
SLOT_FORM = (
    "'Day HH:MM' in local time, Day one of Mon Tue Wed Thu Fri Sat Sun "
    "(or the full name) or 'daily', e.g. 'Tue 10:00'"
)
_UTC = dt.UTC


@dataclass(frozen=True)
class Slot:
    """A recurring weekly slot in local time: `weekday` 0=Mon..6=Sun, None = daily."""

    weekday: int | None
    time: dt.time

    @classmethod
    def parse(cls, text: str) -> Slot:
        """`"Tue 10:00"`, `"tuesday 9:30"` or `"daily 08:00"`; ValueError otherwise."""
        parts = str(text).split()
        if len(parts) != 2:
            raise ValueError(f"{text!r} is not a slot: write {SLOT_FORM}")
        day, clock = parts
        if day.lower() not in _DAYS:
            raise ValueError(
                f"{text!r} is not a slot: unknown day {day!r}; write {SLOT_FORM}"
            )
        hour, _, minute = clock.partition(":")
        if not (
            hour.isdigit()
            and minute.isdigit()
            and len(hour) <= 2
            and len(minute) == 2
            and int(hour) < 24
            and int(minute) < 60
        ):
            raise ValueError(
                f"{text!r} is not a slot: {clock!r} is not a time from 00:00 to 23:59; "
                f"write {SLOT_FORM}"
            )
        return cls(_DAYS[day.lower()], dt.time(int(hour), int(minute)))

    def __str__(self) -> str:
        day = "daily" if self.weekday is None else DAY_NAMES[self.weekday]
        return f"{day} {self.time:%H:%M}"

    def falls_on(self, day: dt.date) -> bool:
        return self.weekday is None or self.weekday == day.weekday()


def local_instant(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The instant (aware, in `zone`) of wall time `time` on `day`.

    A wall time that does not exist (the spring gap) moves to the next valid instant,
    the end of the gap; a doubled one (autumn) takes its first occurrence (fold=0).
    """
    wall = dt.datetime.combine(day, time, tzinfo=zone)
    instant = wall.astimezone(_UTC)
    back = instant.astimezone(zone)
    if back.replace(tzinfo=None) == wall.replace(tzinfo=None):
        return back
    return _gap_end(wall, zone)


def _gap_end(wall: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The first instant after the gap that swallowed `wall`: the transition itself.

    fold=0 reads a gap time with the offset before the change (a later instant), fold=1
    with the offset after it (an earlier one); the transition lies between the two, so
    a bisection to the second finds it (zoneinfo does not expose transitions).
    """
    early = wall.replace(fold=1).astimezone(_UTC)
    late = wall.replace(fold=0).astimezone(_UTC)
    if early > late:
        early, late = late, early
    before = early.astimezone(zone).utcoffset()
    one_second = dt.timedelta(seconds=1)
    while late - early > one_second:
        middle = early + (late - early) // 2
        middle -= dt.timedelta(microseconds=middle.microsecond)
        if middle.astimezone(zone).utcoffset() == before:
            early = middle
        else:
            late = middle
    return late.astimezone(zone)


def occurrences(
    slots: Sequence[Slot], zone: ZoneInfo, after: dt.datetime
) -> Iterator[dt.datetime]:
    """Aware datetimes (in `zone`) of every slot occurrence strictly after `after`
    (aware), ascending, endless; two slots landing on one instant yield it once."""
    if after.tzinfo is None or after.utcoffset() is None:
        raise ValueError("occurrences() needs an aware 'after' datetime")
    table = day_table(tuple(dict.fromkeys(slots)), zone)
    if not table.slots:
        return
    # A day earlier than `after`'s local date: cheap, and safe however the zone moves.
    day = after.astimezone(zone).date() - dt.timedelta(days=1)
    while True:
        for local, _ in table.on(day):
            if local > after:
                yield local
        day += dt.timedelta(days=1)


class DayTable:
    """The instants of some slots in a zone, day by day, each day computed once.

    Wall order is instant order (a gap moves forward, a fold takes the first), so the
    days in turn give one ascending stream.
    """

    def __init__(self, slots: tuple[Slot, ...], zone: ZoneInfo) -> None:
        self.slots = slots
        self.zone = zone
        self._days: dict[dt.date, tuple[tuple[dt.datetime, dt.datetime], ...]] = {}

    def on(self, day: dt.date) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
        """The slots falling on local `day` as (local, UTC) instants, ascending, each
        once."""
        found = self._days.get(day)
        if found is None:
            instants = sorted(
                {
                    local_instant(day, slot.time, self.zone)
                    for slot in self.slots
                    if slot.falls_on(day)
                }
            )
            found = tuple((local, local.astimezone(_UTC)) for local in instants)
            if len(self._days) < _DAYS_KEPT:
                self._days[day] = found
        return found


_DAYS_KEPT = 20_000  # about 55 years of days per table: a bound, never reached in use


@functools.lru_cache(maxsize=64)
def day_table(slots: tuple[Slot, ...], zone: ZoneInfo) -> DayTable:
    """The shared table of `slots` in `zone`: planning many campaigns walks the same
    days again and again."""
    return DayTable(slots, zone)
