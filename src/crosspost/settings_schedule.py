"""The `[schedule]` section of the settings: slots, cadence, caps, blackouts and the
runner's timing, each checked when the settings load.

A platform left out of `slots`, `variants` or a `daily_cap` table keeps its default.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from crosspost.teasers.model import PLATFORMS, VARIANTS

THREAD_PLATFORMS = ("x",)
DEFAULT_CAP = 2
DEFAULT_SLOTS: dict[str, list[str]] = {
    "x": [
        f"{day} {time}"
        for day in ("Mon", "Tue", "Wed", "Thu", "Fri")
        for time in ("09:30", "15:00")
    ],
    "facebook": [f"{day} 11:00" for day in ("Mon", "Tue", "Wed", "Thu", "Fri")],
    "instagram": [f"{day} 12:30" for day in ("Mon", "Tue", "Wed", "Thu", "Fri")],
    "linkedin": [f"{day} 08:30" for day in ("Mon", "Tue", "Wed", "Thu", "Fri")],
    "youtube": [f"{day} 14:00" for day in ("Mon", "Tue", "Wed", "Thu", "Fri")],
}
DEFAULT_VARIANTS = ["announce", "finding", "recap"]
MIN_LEASE = dt.timedelta(seconds=10)


# The parsers are imported when used: crosspost.schedule's modules import the settings,
# so importing that package while the settings load could be circular.


def _slot_text(text: str) -> str:
    from crosspost.schedule.slots import Slot

    return str(Slot.parse(text))


def _blackout(value: object) -> str:
    from crosspost.schedule.timeforms import blackout_text, parse_blackout

    text = blackout_text(value)
    parse_blackout(text)
    return text.strip()


def _duration(value: object) -> dt.timedelta:
    from crosspost.schedule.timeforms import parse_duration

    return parse_duration(value)


def _text(duration: dt.timedelta) -> str:
    minutes, seconds = divmod(int(duration.total_seconds()), 60)
    shown = f"{minutes}m" if minutes else ""
    return shown + (f"{seconds}s" if seconds or not minutes else "")


def _cron(text: str) -> str:
    if len(text.split()) != 5:
        raise ValueError(
            f"{text!r} is not a crontab: write five fields "
            "'minute hour day month weekday', e.g. '*/15 * * * *'"
        )
    return text.strip()


def _source(text: str) -> str:
    """A folder, a file, or a feed URL (http or https) whose port, if any, is a
    number."""
    if "://" not in text:
        return text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"{text!r} is not a source: give a folder, a file or an http(s) feed URL"
        )
    try:
        _ = parts.port  # reading the port is what checks it
    except ValueError:
        raise ValueError(
            f"{text!r} is not a source: its port is not a number from 0 to 65535"
        ) from None
    return text


def _known_platforms(table: dict[str, Any], name: str) -> None:
    unknown = [key for key in table if key not in PLATFORMS]
    if unknown:
        raise ValueError(
            f"unknown platform {', '.join(map(repr, unknown))}; "
            f"choose from {', '.join(PLATFORMS)}"
        )


def _caps(value: object) -> dict[str, object]:
    """One number for every platform, or a table of some (the others keep 2)."""
    if isinstance(value, int) and not isinstance(value, bool):
        table: dict[str, object] = dict.fromkeys(PLATFORMS, value)
    elif isinstance(value, dict):
        _known_platforms(value, "daily_cap")
        table = {**dict.fromkeys(PLATFORMS, DEFAULT_CAP), **value}
    else:
        table = {"": value}
    if not all(_count(count) for count in table.values()):
        raise ValueError(
            "not a cap: write a whole number of posts per local day (0 = no cap), "
            "or one per platform, e.g. { x = 3, linkedin = 1 }"
        )
    return table


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


SlotText = Annotated[str, AfterValidator(_slot_text)]
BlackoutText = Annotated[str, BeforeValidator(_blackout)]
Duration = Annotated[dt.timedelta, BeforeValidator(_duration)]


class ScheduleSettings(BaseModel):
    """When campaigns post: see the comments in config/crosspost.toml."""

    model_config = ConfigDict(extra="forbid")

    slots: dict[str, list[SlotText]] = Field(
        default_factory=lambda: {p: list(s) for p, s in DEFAULT_SLOTS.items()}
    )
    gap_days: int = Field(default=2, ge=0)
    recap: bool = True
    approval: bool = False
    blackout: list[BlackoutText] = Field(default_factory=list)
    # Per platform after loading; 0 means no cap.
    daily_cap: Annotated[
        dict[str, Annotated[int, Field(ge=0)]], BeforeValidator(_caps)
    ] = Field(default_factory=lambda: dict.fromkeys(PLATFORMS, DEFAULT_CAP))
    variants: dict[str, list[str]] = Field(
        default_factory=lambda: {p: list(DEFAULT_VARIANTS) for p in PLATFORMS}
    )
    sources: list[Annotated[str, AfterValidator(_source)]] = Field(default_factory=list)
    grace: Duration = dt.timedelta(hours=1)
    poll: Annotated[str, AfterValidator(_cron)] = "*/15 * * * *"
    tick: float = Field(default=60.0, ge=1)
    horizon_days: int = Field(default=120, ge=1)
    # Several runners: how long a claim holds without its runner's heartbeat, how
    # long a platform's listing may lag behind a post, and when a runner is silent.
    lease: Duration = dt.timedelta(minutes=10)
    listing_lag: Duration = dt.timedelta(minutes=2)
    stale_after: Duration | None = None

    @field_validator("slots")
    @classmethod
    def _every_platform_slots(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        _known_platforms(value, "slots")
        return {p: list(value.get(p, DEFAULT_SLOTS[p])) for p in PLATFORMS}

    @field_validator("variants")
    @classmethod
    def _every_platform_variants(
        cls, value: dict[str, list[str]]
    ) -> dict[str, list[str]]:
        _known_platforms(value, "variants")
        for platform, chosen in value.items():
            allowed = [
                v for v in VARIANTS if v != "thread" or platform in THREAD_PLATFORMS
            ]
            wrong = [v for v in chosen if v not in allowed]
            if wrong:
                raise ValueError(
                    f"{platform}: unknown variant {', '.join(map(repr, wrong))}; "
                    f"choose from {', '.join(allowed)}"
                    + ("" if platform in THREAD_PLATFORMS else " (threads are X's)")
                )
        return {
            p: list(dict.fromkeys(value.get(p, DEFAULT_VARIANTS))) for p in PLATFORMS
        }

    @field_validator("lease")
    @classmethod
    def _long_enough_lease(cls, value: dt.timedelta) -> dt.timedelta:
        if value < MIN_LEASE:
            raise ValueError(
                f"{_text(value)} is too short a lease: a claim must outlast a slow "
                f"database call; give at least {_text(MIN_LEASE)}"
            )
        return value

    @field_validator("stale_after")
    @classmethod
    def _longer_than_a_tick(
        cls, value: dt.timedelta | None, info: ValidationInfo
    ) -> dt.timedelta | None:
        tick = dt.timedelta(seconds=info.data.get("tick", 60.0))
        if value is not None and value <= tick:
            raise ValueError(
                f"{_text(value)} is not longer than a tick ({_text(tick)}): give a "
                f"few ticks, e.g. {_text(3 * tick)}"
            )
        return value

    def silent_after(self) -> dt.timedelta:
        """How long a runner may go without a heartbeat before health is failing:
        `stale_after`, or three ticks."""
        return self.stale_after or dt.timedelta(seconds=3 * self.tick)

    def cap(self, platform: str) -> int | None:
        """Posts allowed per local day on `platform`; None = no cap."""
        return self.daily_cap.get(platform, DEFAULT_CAP) or None

    def blackout_ranges(self) -> tuple[tuple[dt.date, dt.date], ...]:
        """Each blackout as an inclusive (first, last) pair of local dates."""
        from crosspost.schedule.timeforms import parse_blackout

        return tuple(parse_blackout(text) for text in self.blackout)
