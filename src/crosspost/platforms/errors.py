"""The typed errors an adapter raises; the fan-out turns them into outcomes.

PublishError
├── AuthError       credentials missing, expired or lacking a permission
├── RateLimited     try again at `retry_at` (from the platform's own headers)
├── Rejected        the platform refused for sure; its own message, secrets removed
│   └── Duplicate   the platform already has this post (`existing` when it says where)
├── Transient       refused before anything was applied; safe to retry
└── OutcomeUnknown  the request may have been applied; never retried blindly
"""

from __future__ import annotations

from datetime import datetime


class PublishError(Exception):
    """Base of every adapter failure.

    `message` is safe to show and store (secrets removed).
    """

    retryable = False

    def __init__(
        self, message: str, *, platform: str = "", status: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.platform = platform
        self.status = status
        # Parts of a thread already live when a later part failed
        # (ids and URLs, in order).
        self.live_part_ids: tuple[str, ...] = ()
        self.live_part_urls: tuple[str, ...] = ()


class AuthError(PublishError):
    """Credentials are missing, invalid, expired or lack a permission."""


class RateLimited(PublishError):
    """The platform asked us to wait; `retry_at` is when, if it said."""

    retryable = True

    def __init__(
        self,
        message: str,
        *,
        platform: str = "",
        status: int | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        super().__init__(message, platform=platform, status=status)
        self.retry_at = retry_at


class Rejected(PublishError):
    """The platform refused the post for sure (too long, bad media, policy)."""


class Duplicate(Rejected):
    """The platform says this content is already posted.

    `existing_id`/`existing_url` when known.
    """

    def __init__(
        self,
        message: str,
        *,
        platform: str = "",
        status: int | None = None,
        existing_id: str | None = None,
        existing_url: str | None = None,
    ) -> None:
        super().__init__(message, platform=platform, status=status)
        self.existing_id = existing_id
        self.existing_url = existing_url


class Transient(PublishError):
    """Failed before the platform applied anything (connect error, 5xx on a read).

    Safe to retry.
    """

    retryable = True


class OutcomeUnknown(PublishError):
    """The request may have been applied
    (timeout after sending, 5xx on a write, reset)."""
