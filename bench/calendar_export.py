"""`crosspost calendar` at scale: 10,000 posts in three zones to iCalendar bytes."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from crosspost.report.calendar import CalendarEntry, calendar_ics

POSTS = 10_000
ZONES = ("Europe/London", "America/New_York", "Australia/Lord_Howe")
PLATFORMS = ("x", "facebook", "instagram", "linkedin", "youtube")


def entries() -> list[CalendarEntry]:
    start = datetime(2026, 3, 1, 9, tzinfo=UTC)
    return [
        CalendarEntry(
            summary_id=f"rs-{n // 25:012x}",
            summary_title=f"Summary {n // 25}: cooling vests, heat; and MS",
            platform=PLATFORMS[n % 5],
            variant="finding",
            key=f"finding-{n % 25}",
            status="planned",
            due_at=start + timedelta(hours=3 * n),
            zone=ZONES[n % 3],
            text="Walking went further with the vest, a small trial found. 🧊\n" * 4,
        )
        for n in range(POSTS)
    ]


def main() -> None:
    made = entries()
    started = time.perf_counter()
    data = calendar_ics(made)
    elapsed = time.perf_counter() - started
    again = calendar_ics(list(reversed(made)))
    print(
        f"calendar of {POSTS} posts in {len(ZONES)} zones: {elapsed:.2f} s, "
        f"{len(data) / 1e6:.1f} MB; same bytes from reversed input: {data == again}"
    )


if __name__ == "__main__":
    main()
