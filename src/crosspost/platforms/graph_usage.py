"""The Graph usage headers that warn of throttling before it happens, and the gate
that holds writes back once a limit is reached."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from crosspost.platforms.errors import RateLimited

DEFAULT_THROTTLE_WAIT = timedelta(minutes=10)
USAGE_HEADERS = ("x-app-usage", "x-page-usage", "x-business-use-case-usage")


@dataclass(frozen=True)
class Usage:
    """The highest usage figure (percent of a limit) in an answer; minutes to wait."""

    peak: int = 0
    regain_minutes: float = 0.0


def read_usage(headers: Mapping[str, str]) -> Usage:
    """Read X-App-Usage, X-Page-Usage and X-Business-Use-Case-Usage (malformed: 0)."""
    figures: list[dict[str, Any]] = []
    for name in USAGE_HEADERS:
        try:
            value = json.loads(headers.get(name, "{}"))
        except json.JSONDecodeError:
            continue
        if not isinstance(value, dict):
            continue
        if name == "x-business-use-case-usage":
            for entries in value.values():
                if isinstance(entries, list):
                    figures += [entry for entry in entries if isinstance(entry, dict)]
        else:
            figures.append(value)
    peak, regain = 0, 0.0
    for figure in figures:
        for key in ("call_count", "total_cputime", "total_time"):
            peak = max(peak, graph_int(figure.get(key)) or 0)
        minutes = figure.get("estimated_time_to_regain_access")
        if isinstance(minutes, int | float) and not isinstance(minutes, bool):
            regain = max(regain, float(minutes))
    return Usage(peak, regain)


class UsageGate:
    """Remembers the latest usage, so a write is refused once a limit is reached."""

    def __init__(self, platform: str) -> None:
        self.platform = platform
        self.blocked_until: datetime | None = None

    def observe(self, response: httpx.Response) -> Usage:
        usage = read_usage(response.headers)
        if usage.peak >= 100:
            self.block(retry_at(usage))
        return usage

    def block(self, until: datetime) -> None:
        self.blocked_until = max(until, self.blocked_until or until)

    def check(self) -> None:
        """Raise RateLimited while the last answer said a usage limit was reached."""
        if self.blocked_until is not None and datetime.now(UTC) < self.blocked_until:
            raise RateLimited(
                f"{self.platform}: the Graph API usage limit was reached; not sending "
                f"until {self.blocked_until:%Y-%m-%d %H:%M} UTC",
                platform=self.platform,
                retry_at=self.blocked_until,
            )


def retry_at(usage: Usage) -> datetime:
    wait = timedelta(minutes=usage.regain_minutes) if usage.regain_minutes > 0 else None
    return datetime.now(UTC) + (wait or DEFAULT_THROTTLE_WAIT)


def graph_int(value: object) -> int | None:
    """A Graph number field as an int; None for a bool or anything not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None
