"""What a report shows: entries (a teaser, and when it is planned and what became of
it), the summaries they belong to, failures, and the accounts posts appear from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from crosspost.summaries.model import Summary
from crosspost.teasers.model import PLATFORMS, Teaser

if TYPE_CHECKING:
    from crosspost.settings import Settings


@dataclass(frozen=True)
class Entry:
    """One teaser on the page, with when it is planned (an aware local datetime) and
    what became of it ("published", "failed: …"), when known."""

    teaser: Teaser
    planned: datetime | None = None
    outcome: str | None = None


@dataclass(frozen=True)
class Failure:
    """A teaser that could not be made, or that the platform refused, and why.

    `kind` is "fit" for one that cannot fit; a dry run has others ("template",
    "send"...)."""

    platform: str
    variant: str
    key: str
    message: str
    kind: str = "fit"


@dataclass(frozen=True)
class Section:
    """One summary's part of the page."""

    summary: Summary
    entries: Sequence[Entry] = ()
    failures: Sequence[Failure] = ()


@dataclass(frozen=True)
class Account:
    """Who a post appears from: the name shown, and a handle where there is one."""

    name: str
    handle: str | None = None

    @property
    def initial(self) -> str:
        return next((char.upper() for char in self.name if char.isalnum()), "?")


def accounts_from(settings: Settings) -> dict[str, Account]:
    """Who each platform's posts appear from: the organisation, and the X handle."""
    name = settings.branding.organisation.strip() or "Your organisation"
    handle = settings.x.username.strip().lstrip("@")
    accounts = {platform: Account(name) for platform in PLATFORMS}
    accounts["x"] = Account(name, f"@{handle}" if handle else None)
    return accounts
