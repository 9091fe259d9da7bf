"""What a sandbox remembers: accepted posts (records) and each platform's state."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from crosspost.sandbox.config import SandboxConfig


@dataclass(frozen=True)
class PostRecord:
    """One post a fake platform accepted: `text` as the platform would display it."""

    platform: str
    id: str
    url: str
    text: str
    fields: dict[str, Any]
    created_at: float

    def to_json(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "id": self.id,
            "url": self.url,
            "text": self.text,
            "fields": self.fields,
            "created_at": datetime.fromtimestamp(self.created_at, UTC).isoformat(),
        }


@dataclass
class XState:
    access_tokens: dict[str, float] = field(default_factory=dict)  # token -> expires at
    refresh_token: str = ""
    rotations: int = 0
    nonces: set[str] = field(default_factory=set)
    media: dict[str, dict[str, Any]] = field(default_factory=dict)
    post_times: list[float] = field(default_factory=list)


@dataclass
class Container:
    """An Instagram media container: what was asked, how often its status was read."""

    id: str
    fields: dict[str, Any]
    created_at: float
    error: str = ""
    polls: int = 0
    published_id: str = ""


@dataclass
class GraphState:
    call_times: list[float] = field(default_factory=list)
    containers: dict[str, Container] = field(default_factory=dict)
    instagram_publish_times: list[float] = field(default_factory=list)
    photos: dict[str, str] = field(default_factory=dict)  # photo id -> post id


@dataclass
class LinkedInState:
    images: dict[str, dict[str, Any]] = field(
        default_factory=dict
    )  # urn -> upload state
    uploads: dict[str, str] = field(default_factory=dict)  # upload token -> image urn
    post_days: list[str] = field(default_factory=list)
    # urn -> (text as shown, deleted at): deleted posts still refused as duplicates
    deleted: dict[str, tuple[str, float]] = field(default_factory=dict)


class SandboxState:
    """Records plus per-platform state; `reset()` forgets all but the configuration."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.reset()

    def reset(self) -> None:
        self.posts: list[PostRecord] = []
        self.notifications: list[dict[str, Any]] = []  # what Apprise delivered
        self._serial = itertools.count(1)
        accounts = self.config.accounts
        self.x = XState(
            access_tokens={
                accounts.x_oauth2_access_token: self.now()
                + self.config.x_token_lifetime
            },
            refresh_token=accounts.x_oauth2_refresh_token,
        )
        self.graph = GraphState()
        self.linkedin = LinkedInState()

    def now(self) -> float:
        return self.config.clock()

    def serial(self) -> int:
        """A number unique within this sandbox, for building ids."""
        return next(self._serial)

    def record(
        self, platform: str, post_id: str, url: str, text: str, fields: dict[str, Any]
    ) -> PostRecord:
        safe = {k: v for k, v in fields.items() if k != "access_token"}
        post = PostRecord(platform, post_id, url, text, safe, self.now())
        self.posts.append(post)
        return post

    def find(self, platform: str, post_id: str) -> PostRecord | None:
        return next(
            (p for p in self.posts if p.platform == platform and p.id == post_id), None
        )
