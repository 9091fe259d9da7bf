"""The written forms of time a team puts in the config: blackout dates and ranges, and
durations such as `90m` or `1h30m`."""

from __future__ import annotations

import datetime as dt
import re

BLACKOUT_FORM = "'YYYY-MM-DD' or an inclusive range 'YYYY-MM-DD..YYYY-MM-DD'"
DURATION_FORM = (
    "a duration such as '45s', '90m', '2h', '1h30m' or '1d', or a number of minutes"
)
_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")


def parse_blackout(text: str) -> tuple[dt.date, dt.date]:
    """`"2027-12-24"` or `"2027-12-24..2028-01-02"` as an inclusive (first, last)."""
    first_text, dots, last_text = str(text).strip().partition("..")
    try:
        first = dt.date.fromisoformat(first_text.strip())
        last = dt.date.fromisoformat(last_text.strip()) if dots else first
    except ValueError:
        raise ValueError(f"{text!r} is not a blackout: write {BLACKOUT_FORM}") from None
    if last < first:
        raise ValueError(f"{text!r} is not a blackout: the range ends before it starts")
    return first, last


def blackout_text(value: object) -> str:
    """A TOML date (`2027-12-25` unquoted) as its ISO text; other text as is."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        return value
    raise ValueError(f"{value!r} is not a blackout: write {BLACKOUT_FORM}")


def parse_duration(value: object) -> dt.timedelta:
    """`"90m"`, `"2h"`, `"45s"`, `"1h30m"`, `"1d"`, or a number of minutes; > 0."""
    try:
        if isinstance(value, dt.timedelta):
            duration = value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            duration = dt.timedelta(minutes=value)
        elif isinstance(value, str):
            duration = _duration_text(value)
        else:
            raise ValueError(f"{value!r} is not {DURATION_FORM}")
    except OverflowError:
        raise ValueError(f"{value!r} is too long a duration") from None
    if duration <= dt.timedelta(0):
        raise ValueError(f"{value!r} must be longer than zero")
    return duration


def _duration_text(text: str) -> dt.timedelta:
    compact = text.strip().lower().replace(" ", "")
    try:
        return dt.timedelta(minutes=float(compact))
    except (ValueError, OverflowError):  # not a number: read the units below
        pass
    match = _DURATION.fullmatch(compact)
    if not compact or match is None:
        raise ValueError(f"{text!r} is not {DURATION_FORM}")
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def duration_text(duration: dt.timedelta) -> str:
    """The short form of `duration`, as `parse_duration` reads it: `1h30m`."""
    seconds = int(duration.total_seconds())
    parts = []
    for unit, size in (("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"
