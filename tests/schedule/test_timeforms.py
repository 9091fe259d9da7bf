"""Blackout dates and ranges, and durations, as a team writes them."""

from __future__ import annotations

import datetime as dt

import pytest

from crosspost.schedule.timeforms import (
    blackout_text,
    duration_text,
    parse_blackout,
    parse_duration,
)


def test_blackout_day_and_inclusive_range() -> None:
    """One date is a one-day range; a range keeps both ends."""
    assert parse_blackout("2027-12-25") == (dt.date(2027, 12, 25),) * 2
    assert parse_blackout(" 2027-12-24 .. 2028-01-02 ") == (
        dt.date(2027, 12, 24),
        dt.date(2028, 1, 2),
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2027-02-30", "write 'YYYY-MM-DD'"),
        ("christmas", "write 'YYYY-MM-DD'"),
        ("2027-12-24..", "write 'YYYY-MM-DD'"),
        ("2028-01-02..2027-12-24", "ends before it starts"),
    ],
)
def test_bad_blackout(text: str, reason: str) -> None:
    """A bad blackout names the entry and the fault."""
    with pytest.raises(ValueError, match="is not a blackout") as caught:
        parse_blackout(text)
    assert reason in str(caught.value)


def test_blackout_text_reads_toml_dates() -> None:
    """An unquoted TOML date becomes its ISO text; a number is refused."""
    assert blackout_text(dt.date(2027, 4, 2)) == "2027-04-02"
    assert blackout_text("2027-04-02") == "2027-04-02"
    with pytest.raises(ValueError, match="is not a blackout"):
        blackout_text(20270402)


@pytest.mark.parametrize(
    ("value", "minutes"),
    [("90m", 90), ("2h", 120), ("1h30m", 90), ("1d", 1440), ("1H 30M", 90), (15, 15)],
)
def test_durations(value: object, minutes: float) -> None:
    """Units d, h, m, s in order, any case and spacing; a bare number is minutes."""
    assert parse_duration(value) == dt.timedelta(minutes=minutes)


def test_seconds_and_fractions() -> None:
    """Seconds and fractional minutes are kept exactly."""
    assert parse_duration("45s") == dt.timedelta(seconds=45)
    assert parse_duration("2.5") == dt.timedelta(seconds=150)


@pytest.mark.parametrize(
    "value", ["", "soon", "30m1h", "1w", "-5", 0, True, None, "inf", 1e300, "nan"]
)
def test_bad_durations(value: object) -> None:
    """Zero, negative, unknown units, wrong order and non-numbers are refused."""
    with pytest.raises(ValueError, match=r"duration|longer than zero"):
        parse_duration(value)


def test_duration_text_round_trips() -> None:
    """The short form reads back as the same duration."""
    for text in ("1h30m", "45s", "1d2h", "90m"):
        assert parse_duration(duration_text(parse_duration(text))) == parse_duration(
            text
        )
    assert duration_text(dt.timedelta(minutes=90)) == "1h30m"
