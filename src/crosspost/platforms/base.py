"""The one small interface every platform adapter implements."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict

from crosspost.teasers.model import Teaser


class Receipt(BaseModel):
    """Proof of a publish: the platform's post id and public URL.

    For an X thread, `part_ids`/`part_urls` list every live part in order. A YouTube
    hand-off has status "awaiting_manual", no post id, and `handoff_path` pointing at
    the paste-ready bundle. `detail` says, for a person, anything the receipt alone
    would hide (an X thread whose later parts went out as standalone posts).
    """

    model_config = ConfigDict(frozen=True)

    platform: str
    status: Literal["published", "awaiting_manual"] = "published"
    post_id: str | None = None
    url: str | None = None
    part_ids: tuple[str, ...] = ()
    part_urls: tuple[str, ...] = ()
    handoff_path: str | None = None
    detail: str = ""


class AccountCheck(BaseModel):
    """What `crosspost check` reports for a platform; never holds a secret."""

    platform: str
    ok: bool
    account: str | None = None
    expires_at: datetime | None = None
    detail: str = ""


class Adapter(Protocol):
    """A platform adapter.

    Built with its settings and an `httpx.AsyncClient` (transport injected).
    """

    name: str

    async def publish(self, teaser: Teaser) -> Receipt:
        """Publish `teaser`.

        Raise a `crosspost.platforms.errors.PublishError` subclass on failure.
        """
        ...

    async def check(self) -> AccountCheck:
        """Verify credentials with the platform's who-am-I call."""
        ...
