"""Slots: parsing, occurrences, and the wall clock on both sides of a clock change."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosspost.schedule.slots import Slot, local_instant, occurrences

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")


def _utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def _first(
    slots: list[str], zone: ZoneInfo, after: dt.datetime, count: int = 1
) -> list[dt.datetime]:
    parsed = [Slot.parse(text) for text in slots]
    return list(itertools.islice(occurrences(parsed, zone, after), count))


@pytest.mark.parametrize(
    ("text", "weekday", "time"),
    [
        ("Tue 10:00", 1, dt.time(10, 0)),
        ("tuesday 9:30", 1, dt.time(9, 30)),
        ("  SUN   23:59 ", 6, dt.time(23, 59)),
        ("Daily 00:00", None, dt.time(0, 0)),
        ("Mon 07:05", 0, dt.time(7, 5)),
    ],
)
def test_parse_reads_days_in_any_case_and_full_names(
    text: str, weekday: int | None, time: dt.time
) -> None:
    """Short or full day names in any case, or `daily`, then HH:MM."""
    assert Slot.parse(text) == Slot(weekday, time)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Tue", "is not a slot"),
        ("Tue 10:00 UTC", "is not a slot"),
        ("Tues 10:00", "unknown day 'Tues'"),
        ("Tue 24:00", "'24:00' is not a time"),
        ("Tue 10:60", "'10:60' is not a time"),
        ("Tue 10.00", "'10.00' is not a time"),
        ("Tue 100:00", "'100:00' is not a time"),
        ("Tue -1:00", "'-1:00' is not a time"),
        ("", "is not a slot"),
    ],
)
def test_parse_refuses_with_the_entry_and_the_form(text: str, reason: str) -> None:
    """A bad slot is a ValueError naming the entry, the fault and the form."""
    with pytest.raises(ValueError, match="is not a slot") as caught:
        Slot.parse(text)
    assert reason in str(caught.value)
    assert "'Day HH:MM'" in str(caught.value)


def test_slot_text_round_trips() -> None:
    """A slot prints in the form it is read in."""
    for text in ("Tue 10:00", "daily 08:30", "Sun 23:59"):
        assert str(Slot.parse(text)) == text


def test_occurrences_ascend_strictly_after_the_start() -> None:
    """Occurrences come in order; one exactly at `after` is not included."""
    after = _utc(2027, 6, 1, 9, 0)  # a Tuesday, 10:00 BST
    got = _first(["Thu 13:00", "Tue 10:00"], LONDON, after, 4)
    assert [o.isoformat() for o in got] == [
        "2027-06-03T13:00:00+01:00",
        "2027-06-08T10:00:00+01:00",
        "2027-06-10T13:00:00+01:00",
        "2027-06-15T10:00:00+01:00",
    ]


def test_occurrences_are_in_the_zone() -> None:
    """Each occurrence is aware, in the zone asked for."""
    [first] = _first(["daily 12:00"], NEW_YORK, _utc(2027, 1, 1))
    assert first.tzinfo == NEW_YORK
    assert first.isoformat() == "2027-01-01T12:00:00-05:00"


def test_the_same_instant_from_two_slots_is_yielded_once() -> None:
    """`daily 10:00` and `Tue 10:00` on a Tuesday are one occurrence."""
    got = _first(["daily 10:00", "Tue 10:00"], LONDON, _utc(2027, 6, 1), 3)
    assert len(set(got)) == 3
    assert [o.day for o in got] == [1, 2, 3]


def test_no_slots_no_occurrences() -> None:
    """An empty slot list yields nothing rather than looping forever."""
    assert list(occurrences([], LONDON, _utc(2027, 1, 1))) == []


def test_naive_start_is_refused() -> None:
    """A naive `after` is a programming error."""
    with pytest.raises(ValueError, match="aware"):
        next(occurrences([Slot.parse("daily 10:00")], LONDON, dt.datetime(2027, 1, 1)))


@pytest.mark.parametrize(
    ("zone", "before", "after", "utc_before", "utc_after"),
    [
        # Spring: 10:00 GMT = 10:00 UTC, then 10:00 BST = 09:00 UTC.
        (LONDON, (2027, 3, 27), (2027, 3, 29), (10, 0), (9, 0)),
        # Autumn: 10:00 BST = 09:00 UTC, then 10:00 GMT = 10:00 UTC.
        (LONDON, (2027, 10, 30), (2027, 11, 1), (9, 0), (10, 0)),
        (NEW_YORK, (2027, 3, 13), (2027, 3, 15), (15, 0), (14, 0)),
        (NEW_YORK, (2027, 11, 6), (2027, 11, 8), (14, 0), (15, 0)),
        # Lord Howe moves by 30 minutes: +11 in summer, +10:30 in winter.
        (LORD_HOWE, (2027, 4, 3), (2027, 4, 5), (23, 0), (23, 30)),
        (LORD_HOWE, (2027, 10, 2), (2027, 10, 4), (23, 30), (23, 0)),
    ],
)
def test_ten_oclock_stays_ten_oclock_across_the_change(
    zone: ZoneInfo,
    before: tuple[int, int, int],
    after: tuple[int, int, int],
    utc_before: tuple[int, int],
    utc_after: tuple[int, int],
) -> None:
    """A daily 10:00 is 10:00 local on both sides; only its UTC time moves."""
    start = dt.datetime(*before, 0, 0, tzinfo=zone)
    got = _first(["daily 10:00"], zone, start, 3)
    assert [o.date() for o in got] == [
        dt.date(*before),
        dt.date(*before) + dt.timedelta(days=1),
        dt.date(*after),
    ]
    assert all(o.time() == dt.time(10, 0) for o in got)
    first, last = got[0].astimezone(UTC), got[-1].astimezone(UTC)
    # Lord Howe's 10:00 is the previous UTC day.
    assert (first.hour, first.minute) == utc_before
    assert (last.hour, last.minute) == utc_after


@pytest.mark.parametrize(
    ("zone", "day", "wall", "expected_utc", "expected_local"),
    [
        # London, 2027-03-28: 01:00-02:00 does not exist; 01:30 -> 02:00 BST.
        (LONDON, (2027, 3, 28), (1, 30), (2027, 3, 28, 1, 0), "02:00:00+01:00"),
        # New York, 2027-03-14: 02:00-03:00 does not exist; 02:30 -> 03:00 EDT.
        (NEW_YORK, (2027, 3, 14), (2, 30), (2027, 3, 14, 7, 0), "03:00:00-04:00"),
        # Lord Howe, 2027-10-03: 02:00-02:30 does not exist; 02:10 -> 02:30 (+11).
        (LORD_HOWE, (2027, 10, 3), (2, 10), (2027, 10, 2, 15, 30), "02:30:00+11:00"),
    ],
)
def test_a_time_that_does_not_exist_moves_to_the_next_valid_instant(
    zone: ZoneInfo,
    day: tuple[int, int, int],
    wall: tuple[int, int],
    expected_utc: tuple[int, ...],
    expected_local: str,
) -> None:
    """A slot in the spring gap fires at the end of the gap, the first valid instant."""
    instant = local_instant(dt.date(*day), dt.time(*wall), zone)
    assert instant.astimezone(UTC) == _utc(*expected_utc)
    assert instant.isoformat().endswith(expected_local)


@pytest.mark.parametrize(
    ("zone", "day", "wall", "expected_utc"),
    [
        # London, 2027-10-31: 01:00-02:00 happens twice; 01:30 BST comes first.
        (LONDON, (2027, 10, 31), (1, 30), (2027, 10, 31, 0, 30)),
        # New York, 2027-11-07: 01:30 EDT (-4) comes first.
        (NEW_YORK, (2027, 11, 7), (1, 30), (2027, 11, 7, 5, 30)),
        # Lord Howe, 2027-04-04: 01:30-02:00 happens twice; 01:45 at +11 first.
        (LORD_HOWE, (2027, 4, 4), (1, 45), (2027, 4, 3, 14, 45)),
    ],
)
def test_a_doubled_time_takes_its_first_occurrence(
    zone: ZoneInfo,
    day: tuple[int, int, int],
    wall: tuple[int, int],
    expected_utc: tuple[int, ...],
) -> None:
    """A slot in the autumn overlap fires once, at its first occurrence (fold=0)."""
    start = dt.datetime(*day, tzinfo=zone) - dt.timedelta(hours=1)
    got = _first([f"daily {wall[0]:02}:{wall[1]:02}"], zone, start, 2)
    assert got[0].astimezone(UTC) == _utc(*expected_utc)
    assert got[0].fold == 0
    assert got[1].date() == dt.date(*day) + dt.timedelta(days=1)


def test_a_gap_slot_and_the_gap_end_slot_are_one_occurrence() -> None:
    """01:30 (moved to 02:00 BST) and 02:00 on the spring day are one instant."""
    start = _utc(2027, 3, 27, 12)
    got = _first(["Sun 01:30", "Sun 02:00"], LONDON, start, 2)
    assert got[0].astimezone(UTC) == _utc(2027, 3, 28, 1, 0)
    assert got[1].date() == dt.date(2027, 4, 4)


ZONES = [
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",
    "UTC",
    "Asia/Kolkata",
    "America/Sao_Paulo",
    "Pacific/Chatham",
]


@settings(max_examples=150, deadline=None)
@given(
    zone_name=st.sampled_from(ZONES),
    slots=st.lists(
        st.builds(
            Slot,
            st.one_of(st.none(), st.integers(0, 6)),
            st.times().map(lambda t: t.replace(second=0, microsecond=0)),
        ),
        min_size=1,
        max_size=5,
    ),
    after=st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2029, 1, 1)).map(
        lambda d: d.replace(tzinfo=UTC)
    ),
)
def test_every_occurrence_is_a_configured_local_slot(
    zone_name: str, slots: list[Slot], after: dt.datetime
) -> None:
    """Occurrences ascend strictly after `after`, each on a slot's day at the slot's
    wall time, or at the first valid instant after it when that time does not
    exist."""
    zone = ZoneInfo(zone_name)
    got = list(itertools.islice(occurrences(slots, zone, after), 20))
    assert got[0] > after
    assert all(a < b for a, b in itertools.pairwise(got))
    for instant in got:
        local = instant.astimezone(zone)
        matching = [s for s in slots if s.falls_on(local.date())]
        assert matching
        if any(s.time == local.time() for s in matching):
            continue
        # Moved out of a gap: the wall clock just before it read earlier than a slot
        # that the wall clock skipped.
        # In UTC: arithmetic on a local aware time is wall-clock arithmetic.
        before = (instant.astimezone(UTC) - dt.timedelta(seconds=1)).astimezone(zone)
        assert any(before.time() < s.time < local.time() for s in matching)
