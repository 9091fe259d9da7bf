"""Campaign planning, pure: which slot each post of a summary's campaign takes.

Per platform, in the order given: the first post at the platform's first free slot
strictly after `now`; each next one at the first free slot whose local date is at least
`gap_days` after the previous post's (and strictly after it). Free means: not on a
blackout date, no post already at that instant on that platform, and the platform's
daily cap not reached that local day. Same inputs, same plan; no clock, no database.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from crosspost.errors import CrosspostError
from crosspost.schedule.slots import Slot, day_table
from crosspost.teasers.model import PLATFORMS

if TYPE_CHECKING:
    from crosspost.settings import Settings

THREAD_PLATFORMS = ("x",)
_UTC = dt.UTC


class PlanError(CrosspostError):
    """A campaign cannot be planned: a platform has no slots, or no free slot within
    the horizon. Names the platform and what to change."""


@dataclass(frozen=True)
class CampaignPost:
    """One post a campaign wants, in cadence order per platform."""

    platform: str
    variant: str
    key: str  # as the teaser is keyed: "announce", "finding-3", "recap", "thread"


@dataclass(frozen=True)
class PlannedSlot:
    """Where one post landed: its instant in UTC, and the local wall time it means."""

    platform: str
    variant: str
    key: str
    due_at: dt.datetime  # aware, UTC
    local_time: dt.datetime  # aware, in the zone (isoformat gives the offset)
    zone: str  # IANA name


@dataclass(frozen=True)
class Calendar:
    """What is already booked, per platform: the due times (aware) of live rows."""

    booked: Mapping[str, Sequence[dt.datetime]] = field(default_factory=dict)


@dataclass(frozen=True)
class ScheduleRules:
    """The planning rules, built from Settings by `rules_from`."""

    zone: ZoneInfo
    slots: Mapping[str, tuple[Slot, ...]]
    gap_days: int = 2
    blackout: tuple[tuple[dt.date, dt.date], ...] = ()  # inclusive local date ranges
    daily_cap: Mapping[str, int | None] = field(default_factory=dict)  # None: no cap
    horizon_days: int = 120

    def is_blackout(self, day: dt.date) -> bool:
        return any(first <= day <= last for first, last in self.blackout)


def rules_from(settings: Settings) -> ScheduleRules:
    """The planning rules in `settings` (already validated when they loaded)."""
    schedule = settings.schedule
    return ScheduleRules(
        zone=ZoneInfo(settings.timezone),
        slots={
            platform: tuple(Slot.parse(text) for text in texts)
            for platform, texts in schedule.slots.items()
        },
        gap_days=schedule.gap_days,
        blackout=schedule.blackout_ranges(),
        daily_cap={platform: schedule.cap(platform) for platform in PLATFORMS},
        horizon_days=schedule.horizon_days,
    )


def campaign_posts(
    summary_findings: Sequence[int],
    variants: Sequence[str],
    platform: str,
    recap: bool,
    order: Sequence[int] | None = None,
) -> list[CampaignPost]:
    """The default cadence of one summary on `platform`: the announce, the thread (X),
    each finding (in `order`, then any not named there in number order), the recap
    (when `recap` is on). Keys match the teasers'; like the teasers, a summary without
    findings has no thread and no recap."""
    numbers = list(dict.fromkeys(summary_findings))
    chosen = list(dict.fromkeys(order or ()))
    strangers = [number for number in chosen if number not in numbers]
    if strangers:
        raise PlanError(
            f"the finding order names {', '.join(map(str, strangers))}, which the "
            f"summary does not have (its findings: {', '.join(map(str, numbers))})",
            hint="order only the summary's own FINDING numbers",
            exit_code=2,  # the command was wrong (README: exit codes)
        )
    ordered = chosen + sorted(number for number in numbers if number not in chosen)
    posts = []
    if "announce" in variants:
        posts.append(CampaignPost(platform, "announce", "announce"))
    if numbers and "thread" in variants and platform in THREAD_PLATFORMS:
        posts.append(CampaignPost(platform, "thread", "thread"))
    if "finding" in variants:
        posts += [CampaignPost(platform, "finding", f"finding-{n}") for n in ordered]
    if numbers and recap and "recap" in variants:
        posts.append(CampaignPost(platform, "recap", "recap"))
    return posts


def plan_campaign(
    posts: Sequence[CampaignPost],
    *,
    now: dt.datetime,
    rules: ScheduleRules,
    calendar: Calendar,
) -> list[PlannedSlot]:
    """A slot for each of `posts`, in their order; PlanError if one has none."""
    _aware(now, "now")
    by_platform: dict[str, list[int]] = {}
    for index, post in enumerate(posts):
        by_platform.setdefault(post.platform, []).append(index)
    landed: dict[int, PlannedSlot] = {}
    for platform, indexes in by_platform.items():
        book = _Book(platform, rules, calendar.booked.get(platform, ()))
        wanted = [posts[index] for index in indexes]
        landed.update(zip(indexes, book.place(wanted, now), strict=True))
    return [landed[index] for index in range(len(posts))]


def _aware(moment: dt.datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {moment!r}")


class _Book:
    """One platform's calendar while a campaign is placed on it."""

    def __init__(
        self, platform: str, rules: ScheduleRules, booked: Sequence[dt.datetime]
    ) -> None:
        self.platform = platform
        self.rules = rules
        self.slots = tuple(dict.fromkeys(rules.slots.get(platform, ())))
        self.table = day_table(self.slots, rules.zone)
        self.cap = rules.daily_cap.get(platform)
        self.taken: set[dt.datetime] = set()
        self.per_day: Counter[dt.date] = Counter()
        for moment in booked:
            if moment.tzinfo is None:
                _aware(moment, f"a booked time on {platform}")
            self._take(moment)

    def _take(self, moment: dt.datetime) -> None:
        # In UTC: an aware time with fold=1 never equals one in another zone.
        instant = moment.astimezone(_UTC)
        self.taken.add(instant)
        if self.cap is not None:
            self.per_day[_local_day(instant, self.rules.zone)] += 1

    def place(
        self, posts: Sequence[CampaignPost], now: dt.datetime
    ) -> Iterator[PlannedSlot]:
        if not self.slots:
            raise PlanError(
                f"{self.platform} has no posting slots, so its posts cannot be planned",
                hint=f"add slots under [schedule.slots] ({self.platform} = "
                '["Tue 10:00"]) or set CROSSPOST_SCHEDULE__SLOTS, '
                f"or switch {self.platform} off ({self.platform}.enabled = false)",
                exit_code=2,  # a configuration error (README: exit codes)
            )
        limit = now + dt.timedelta(days=self.rules.horizon_days)
        after, earliest = now, None
        for post in posts:
            local = self._first_free(after, earliest, limit, post)
            self._take(local)
            yield PlannedSlot(
                platform=post.platform,
                variant=post.variant,
                key=post.key,
                due_at=local.astimezone(_UTC),
                local_time=local,
                zone=self.rules.zone.key,
            )
            after = local
            earliest = local.date() + dt.timedelta(days=self.rules.gap_days)

    def _first_free(
        self,
        after: dt.datetime,
        earliest: dt.date | None,
        limit: dt.datetime,
        post: CampaignPost,
    ) -> dt.datetime:
        rules = self.rules
        one_day = dt.timedelta(days=1)
        # A day before `after`'s local date: safe however the zone moves.
        day = after.astimezone(rules.zone).date() - one_day
        if earliest is not None:
            day = max(day, earliest)
        last_day = limit.astimezone(rules.zone).date()
        while day <= last_day:
            full = self.cap is not None and self.per_day[day] >= self.cap
            if not full and not (rules.blackout and rules.is_blackout(day)):
                for local, instant in self.table.on(day):
                    if after < instant <= limit and instant not in self.taken:
                        return local
            day += one_day
        raise PlanError(
            f"no free {self.platform} slot for {post.key} after "
            f"{after.astimezone(rules.zone):%Y-%m-%d %H:%M %Z} within "
            f"schedule.horizon_days ({rules.horizon_days} days from now)",
            hint=f"add {self.platform} slots under [schedule.slots], raise "
            "schedule.daily_cap, shorten schedule.blackout, or raise "
            "schedule.horizon_days",
        )


@functools.lru_cache(maxsize=65_536)
def _local_day(moment: dt.datetime, zone: ZoneInfo) -> dt.date:
    return moment.astimezone(zone).date()
