"""The iCalendar export: stable UIDs, local times with their zone across a clock
change, the post text escaped and whole, the same bytes every time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from crosspost.errors import CrosspostError
from crosspost.ledger.tables import PlannedPost
from crosspost.report.calendar import CalendarEntry, calendar_ics, entries_from

LONDON = ZoneInfo("Europe/London")
TEXT = 'Vests, fans; shade\nand "cool" rooms: 18% fewer flares 🧊\\ok'


def entry(
    key: str,
    due_local: datetime,
    *,
    platform: str = "x",
    status: str = "planned",
    zone: str = "Europe/London",
    text: str = TEXT,
    url: str | None = None,
) -> CalendarEntry:
    return CalendarEntry(
        summary_id="rs-aaaaaaaaaaaa",
        summary_title="Cooling vests, heat; and MS",
        platform=platform,
        variant=key.split("-", maxsplit=1)[0],
        key=key,
        status=status,
        due_at=due_local.astimezone(UTC),
        zone=zone,
        text=text,
        url=url,
    )


# Europe/London moves to BST on Sunday 29 March 2026.
BEFORE = entry("announce", datetime(2026, 3, 26, 10, 0, tzinfo=LONDON))
AFTER = entry("finding-1", datetime(2026, 4, 2, 10, 0, tzinfo=LONDON))


def events(data: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_one_event_per_post_with_stable_uids() -> None:
    """Each post is one VEVENT whose UID is summary, platform and key."""
    found = events(calendar_ics([BEFORE, AFTER]))
    assert sorted(found) == [
        "rs-aaaaaaaaaaaa.x.announce@crosspost",
        "rs-aaaaaaaaaaaa.x.finding-1@crosspost",
    ]


def test_local_time_and_tzid_hold_across_the_clock_change() -> None:
    """10:00 London stays 10:00 local on both sides of BST, with TZID and a
    VTIMEZONE for the zone; the instants are the planned UTC ones."""
    data = calendar_ics([BEFORE, AFTER])
    calendar = Calendar.from_ical(data)
    [timezone] = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "Europe/London"
    for planned in (BEFORE, AFTER):
        event = events(data)[planned.uid]
        start = event["DTSTART"]  # type: ignore[index]
        assert start.params["TZID"] == "Europe/London"
        assert (start.dt.hour, start.dt.minute) == (10, 0)
        assert start.dt.astimezone(UTC) == planned.due_at
        assert event["DURATION"].dt == timedelta(minutes=15)  # type: ignore[index]
    assert b"DTSTART;TZID=Europe/London:20260326T100000" in data
    assert b"DTSTART;TZID=Europe/London:20260402T100000" in data


def test_text_is_escaped_and_comes_back_whole() -> None:
    """Commas, semicolons, newlines, backslashes and emoji are escaped per RFC 5545
    and parse back to the exact post text; folded lines stay valid UTF-8."""
    long_text = TEXT + " " + "🧠 thermoregulation, " * 12
    data = calendar_ics(
        [entry("recap", datetime(2026, 5, 1, 9, tzinfo=LONDON), text=long_text)]
    )
    assert b"Vests\\, fans\\; shade\\nand" in data
    for line in data.split(b"\r\n"):
        line.decode("utf-8")
        assert len(line) <= 75
    [event] = events(data).values()
    assert str(event["DESCRIPTION"]) == long_text  # type: ignore[index]
    assert str(event["SUMMARY"]) == "X · recap · Cooling vests, heat; and MS"  # type: ignore[index]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("draft", "TENTATIVE"),
        ("planned", "CONFIRMED"),
        ("published", "CONFIRMED"),
        ("failed", "CONFIRMED"),
        ("cancelled", "CANCELLED"),
    ],
)
def test_status_maps_to_the_event_status(status: str, expected: str) -> None:
    """draft is tentative, cancelled cancelled, everything else confirmed."""
    [event] = events(
        calendar_ics(
            [entry("announce", datetime(2026, 6, 1, 9, tzinfo=LONDON), status=status)]
        )
    ).values()
    assert str(event["STATUS"]) == expected  # type: ignore[index]
    assert str(event["X-CROSSPOST-STATUS"]) == status  # type: ignore[index]


def test_published_post_links_its_url_and_attention_is_flagged() -> None:
    """A published post's URL is in the description and URL; a failed one says so."""
    link = "https://x.com/lab/status/1861000000000000001"
    published = entry(
        "announce", datetime(2026, 6, 1, 9, tzinfo=LONDON), status="published", url=link
    )
    failed = entry("recap", datetime(2026, 6, 2, 9, tzinfo=LONDON), status="failed")
    found = events(calendar_ics([published, failed]))
    first = found[published.uid]
    assert str(first["DESCRIPTION"]).endswith(f"\n\n{link}")  # type: ignore[index]
    assert str(first["URL"]) == link  # type: ignore[index]
    assert "crosspost status: failed" in str(found[failed.uid]["DESCRIPTION"])  # type: ignore[index]


def test_same_posts_give_the_same_bytes() -> None:
    """Order of input and time of export change nothing: DTSTAMP is the post's."""
    other_zone = entry(
        "announce",
        datetime(2026, 3, 27, 9, tzinfo=ZoneInfo("America/New_York")),
        platform="linkedin",
        zone="America/New_York",
    )
    first = calendar_ics([BEFORE, AFTER, other_zone], name="team")
    assert first == calendar_ics([other_zone, AFTER, BEFORE], name="team")
    calendar = Calendar.from_ical(first)
    assert sorted(str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")) == [
        "America/New_York",
        "Europe/London",
    ]
    assert str(calendar["X-WR-CALNAME"]) == "team"


def test_utc_posts_use_utc_times_and_empty_plans_are_valid() -> None:
    """A post planned in UTC is written in UTC (Z); no posts is a valid calendar."""
    utc = entry("announce", datetime(2026, 6, 1, 9, tzinfo=UTC), zone="UTC")
    assert b"DTSTART:20260601T090000Z" in calendar_ics([utc])
    empty = Calendar.from_ical(calendar_ics([]))
    assert empty.walk("VEVENT") == []


def test_unknown_zone_is_a_clear_error() -> None:
    """A zone this machine does not know names the post and the fix."""
    bad = entry("announce", datetime(2026, 6, 1, 9, tzinfo=UTC), zone="Europe/Londn")
    with pytest.raises(CrosspostError, match="unknown time zone 'Europe/Londn'"):
        calendar_ics([bad])


def test_entries_from_ledger_rows_join_thread_parts() -> None:
    """A ledger row's parts (U+001E) become paragraphs; its fields carry over."""
    row = PlannedPost(
        summary_id="rs-bbbbbbbbbbbb",
        summary_title="T",
        platform="x",
        variant="thread",
        key="thread",
        status="published",
        due_at=datetime(2026, 6, 1, 9, tzinfo=UTC),
        zone="Europe/London",
        wire_text="1/2 One.\x1e2/2 Two.",
        url="https://x.com/lab/status/1",
    )
    [made] = entries_from([row])
    assert made.text == "1/2 One.\n\n2/2 Two."
    assert (made.platform, made.key, made.status, made.url) == (
        "x",
        "thread",
        "published",
        "https://x.com/lab/status/1",
    )
