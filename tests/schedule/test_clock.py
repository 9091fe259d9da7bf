"""Tests for the clock's fire times: strictly later instants, even in an autumn fold
where APScheduler reads a wall time as its first occurrence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from crosspost.schedule.clock import VirtualClock, cron_trigger, next_fire


@pytest.mark.parametrize(
    ("zone", "before"),
    [
        ("America/New_York", datetime(2027, 11, 7, 4, 0, tzinfo=UTC)),
        ("Europe/London", datetime(2027, 10, 31, 0, 0, tzinfo=UTC)),
        ("Australia/Lord_Howe", datetime(2027, 4, 3, 14, 0, tzinfo=UTC)),
    ],
)
def test_poll_times_always_move_forward_through_the_autumn_change(
    zone: str, before: datetime
) -> None:
    """Each next poll is a later instant than the last, across the doubled hour
    (this once looped for ever, going back from 01:00 EST to 01:15 EDT)."""
    clock = VirtualClock(zone=ZoneInfo(zone), poll="*/15 * * * *", start=before)
    moment = before
    for _ in range(24):
        following = clock.next_poll(moment)
        assert following.astimezone(UTC) > moment.astimezone(UTC)
        assert following.astimezone(UTC) - moment.astimezone(UTC) <= timedelta(hours=2)
        moment = following
    assert moment.astimezone(UTC) - before > timedelta(hours=3)


def test_a_daily_check_fires_once_a_day_across_the_change() -> None:
    """08:00 local each day, on both sides of the spring change."""
    trigger = cron_trigger("0 8 * * *", ZoneInfo("Europe/London"))
    first = next_fire(trigger, datetime(2027, 3, 26, 12, 0, tzinfo=UTC))
    second = next_fire(trigger, first)
    london = ZoneInfo("Europe/London")
    assert (first.astimezone(london).hour, second.astimezone(london).hour) == (8, 8)
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=23)
