"""Planning throughput: 1,000 campaigns (five platforms, announce + 3 findings + recap)
planned one after another against a calendar that grows with each, as `crosspost run`
does when many summaries arrive at once."""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

from crosspost.schedule.campaign import (
    Calendar,
    ScheduleRules,
    campaign_posts,
    plan_campaign,
)
from crosspost.schedule.slots import Slot
from crosspost.teasers.model import PLATFORMS

CAMPAIGNS = 1_000
TARGET_PER_SECOND = 100.0
VARIANTS = ("announce", "finding", "recap")


def _rules() -> ScheduleRules:
    """Three slots a day on every platform, no cap: 1,000 campaigns fill about four
    years of slots, so late campaigns search far past the booked ones."""
    slots = tuple(
        Slot.parse(text) for text in ("daily 09:00", "daily 13:00", "daily 17:30")
    )
    return ScheduleRules(
        zone=ZoneInfo("Europe/London"),
        slots=dict.fromkeys(PLATFORMS, slots),
        gap_days=2,
        blackout=((dt.date(2027, 12, 24), dt.date(2028, 1, 2)),),
        daily_cap=dict.fromkeys(PLATFORMS, None),
        horizon_days=3_650,
    )


def main() -> None:
    rules = _rules()
    now = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)
    booked: dict[str, list[dt.datetime]] = {platform: [] for platform in PLATFORMS}
    timings = []
    start = time.perf_counter()
    for number in range(CAMPAIGNS):
        posts = [
            post
            for platform in PLATFORMS
            for post in campaign_posts([1, 2, 3], VARIANTS, platform, recap=True)
        ]
        began = time.perf_counter()
        plan = plan_campaign(posts, now=now, rules=rules, calendar=Calendar(booked))
        timings.append(time.perf_counter() - began)
        for slot in plan:
            booked[slot.platform].append(slot.due_at)
        now += dt.timedelta(minutes=number % 7)
    elapsed = time.perf_counter() - start
    rate = CAMPAIGNS / elapsed
    last = max(due for dues in booked.values() for due in dues)
    flag = "ok" if rate >= TARGET_PER_SECOND else "UNDER TARGET"
    print(
        f"plan: {CAMPAIGNS} campaigns x {len(PLATFORMS)} platforms x 5 posts "
        f"against a growing calendar (last post {last:%Y-%m-%d})"
    )
    print(
        f"  {rate:8.1f} campaigns/s  ({elapsed:.2f} s; first 100 "
        f"{sum(timings[:100]) * 1000 / 100:.2f} ms each, last 100 "
        f"{sum(timings[-100:]) * 1000 / 100:.2f} ms each)  "
        f"[target >= {TARGET_PER_SECOND:.0f}/s: {flag}]"
    )


if __name__ == "__main__":
    main()
