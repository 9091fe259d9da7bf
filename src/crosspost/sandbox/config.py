"""What a sandbox knows and how it misbehaves: its accounts, limits and faults."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from crosspost.errors import UsageError

FaultKind = Literal[
    "latency",
    "server_error",
    "rate_limit",
    "timeout_before",
    "timeout_after",
    "reset_after",
    "expired_token",
    "malformed_json",
]
FAULT_KINDS: tuple[str, ...] = FaultKind.__args__  # type: ignore[attr-defined]
FAULT_PLATFORMS = ("x", "facebook", "instagram", "linkedin", "*")
ImageFetcher = Callable[[str], bytes | None]


@dataclass(frozen=True)
class SandboxAccounts:
    """The sandbox's own account ids and credentials; they open nothing outside it."""

    x_user_id: str = "1790000000000000001"
    x_username: str = "ms_research_sandbox"
    x_consumer_key: str = "sandbox-x-consumer-key"
    x_consumer_secret: str = "sandbox-x-consumer-secret"
    x_access_token: str = "1790000000000000001-sandbox-x-access-token"
    x_access_token_secret: str = "sandbox-x-access-token-secret"
    x_client_id: str = "sandbox-x-client-id"
    x_client_secret: str = "sandbox-x-client-secret"
    # A confidential client (Web App / Automated App) must use Basic auth on the token
    # endpoint; only a public client may name itself with client_id in the body.
    x_client_public: bool = False
    x_oauth2_access_token: str = "sandbox-x-oauth2-access-token-0"
    x_oauth2_refresh_token: str = "sandbox-x-oauth2-refresh-token-0"
    x_app_bearer_token: str = "sandbox-x-app-only-bearer"
    facebook_page_id: str = "104000000000001"
    facebook_page_name: str = "MS Research Sandbox Page"
    facebook_page_token: str = "sandbox-facebook-page-token"
    instagram_user_id: str = "17841400000000001"
    instagram_username: str = "ms_research_sandbox"
    instagram_token: str = "sandbox-instagram-token"
    linkedin_organization_id: str = "90000001"
    linkedin_organization_name: str = "MS Research Sandbox"
    linkedin_person_id: str = "sAnDbOx01"
    linkedin_token: str = "sandbox-linkedin-token"


@dataclass
class Fault:
    """One injected misbehaviour for a platform (only where `path` occurs, if given).

    `times` is how many requests it affects (None: every request). `seconds` is the
    latency, or how long the served sandbox stalls for a timeout. `status`/`code`
    override the default answer.
    """

    platform: str
    kind: FaultKind
    times: int | None = 1
    path: str | None = None
    seconds: float = 0.0
    status: int | None = None
    code: int | None = None

    @classmethod
    def from_json(cls, data: Any) -> Fault:
        """A Fault from the JSON the served sandbox takes; unknown keys are refused."""
        if not isinstance(data, dict):
            raise UsageError(f"a fault must be a JSON object, got {data!r}")
        allowed = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise UsageError(
                f"fault: unknown key(s) {', '.join(unknown)}",
                hint=f"allowed keys: {', '.join(sorted(allowed))}",
            )
        if data.get("kind") not in FAULT_KINDS:
            raise UsageError(
                f"fault: kind {data.get('kind')!r} is not known",
                hint=f"choose from {', '.join(FAULT_KINDS)}",
            )
        if data.get("platform") not in FAULT_PLATFORMS:
            raise UsageError(
                f"fault: platform {data.get('platform')!r} is not known",
                hint=f"choose from {', '.join(FAULT_PLATFORMS)}",
            )
        return cls(**data)


def _no_public_images(url: str) -> bytes | None:
    return None


@dataclass
class SandboxConfig:
    """How a sandbox behaves. Limits default to the platforms' documented values."""

    accounts: SandboxAccounts = field(default_factory=SandboxAccounts)
    faults: list[Fault] = field(default_factory=list)
    # Instagram fetches image_url itself; None means the URL is not publicly reachable.
    image_fetcher: ImageFetcher = _no_public_images
    clock: Callable[[], float] = time.time
    # Real time, even when `clock` is a simulated run's virtual one: what OAuth 1.0a
    # timestamps are checked against, and which LinkedIn versions are live.
    auth_clock: Callable[[], float] = time.time
    x_max_weighted_length: int = 280
    x_posts_per_window: int = 100
    x_window_seconds: int = 900
    # 24-hour caps (x-app-limit-24hour-*, x-user-limit-24hour-*): the app's 10,000 is
    # documented for POST /2/tweets; a per-user daily cap belongs to the legacy tiers
    # (Free 17, Basic 100), so None sends no x-user-limit-24hour-* headers.
    x_app_posts_per_day: int = 10_000
    x_user_posts_per_day: int | None = None
    x_token_lifetime: int = 7200
    x_self_replies_allowed: bool = True
    x_oauth1_max_skew: int = 300
    graph_calls_per_hour: int = 200
    # The app's default Graph version (what an unversioned call gets) and the oldest
    # still available (what a call to an expired version gets).
    graph_app_default_version: str = "v25.0"
    graph_oldest_version: str = "v22.0"
    # Status reads that answer IN_PROGRESS before a container is FINISHED. An image
    # container is usually ready at once (the real API publishes one without a status
    # read, as the platforms' own clients found); set this to model a slow one.
    instagram_polls_in_progress: int = 0
    instagram_quota_total: int = 50
    instagram_quota_duration: int = 86400
    # A LinkedIn-Version is active for this many months (documented: at least 12).
    linkedin_version_months: int = 12
    linkedin_posts_per_day: int = 150
    # The permissions the sandbox's LinkedIn token was granted; take one away to see
    # what needs it (w_*_social: post; r_organization_social: read posts;
    # rw_organization_admin: the organisation lookup).
    linkedin_scopes: frozenset[str] = frozenset(
        {
            "w_organization_social",
            "r_organization_social",
            "w_member_social",
            "rw_organization_admin",
        }
    )
    # How long a deleted post's text is still refused as a duplicate of it: 24-48
    # hours as reported (gh:ComposioHQ/composio#2710).
    linkedin_ghost_seconds: int = 48 * 3600
