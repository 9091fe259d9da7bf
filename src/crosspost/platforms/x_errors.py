"""How X's answers map to typed errors: its own words, its limits, its refusals."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from crosspost.platforms.errors import (
    AuthError,
    Duplicate,
    PublishError,
    RateLimited,
    Rejected,
)
from crosspost.platforms.http import server_error
from crosspost.platforms.x_auth import CREDENTIALS_HINT

# The rate-limit windows X reports, each as `<prefix>-limit/-remaining/-reset` with
# the reset in epoch seconds: 15 minutes, and the 24-hour caps per user and per app
# (platforms.md 1.5).
WINDOWS = {
    "x-rate-limit": "the 15-minute rate limit",
    "x-user-limit-24hour": "the account's 24-hour cap",
    "x-app-limit-24hour": "the app's 24-hour cap",
}
_PERMISSION_PROBLEMS = ("client-forbidden", "not-authorized-for-resource")
_PERMISSION_WORDS = ("not permitted", "permission", "scope", "oauth1-permissions")


class ReplyRestricted(Rejected):
    """X refused a reply under its 2026 reply restriction: nothing was posted."""


def problem_detail(response: httpx.Response) -> str:
    """The platform's own words: an invalid request's errors[].message (its
    `detail` only says "One or more parameters ... was invalid"), else the
    problem's detail or title."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        errors = body.get("errors")
        first = errors[0] if isinstance(errors, list) and errors else None
        if isinstance(first, dict) and (first.get("message") or first.get("detail")):
            return str(first.get("message") or first.get("detail"))
        for key in ("detail", "title"):
            if isinstance(body.get(key), str) and body[key]:
                return str(body[key])
    return response.text[:200].strip() or response.reason_phrase


def retry_at(response: httpx.Response) -> tuple[datetime | None, str]:
    """When a 429 may be retried, and which limit it hit.

    The latest reset among the windows with nothing remaining, so that a daily cap
    is never retried early; without such a window, `x-rate-limit-reset`."""
    spent: list[tuple[datetime, str]] = []
    resets: dict[str, datetime] = {}
    for prefix, name in WINDOWS.items():
        reset = _epoch(response.headers.get(f"{prefix}-reset"))
        if reset is None:
            continue
        resets[prefix] = reset
        if response.headers.get(f"{prefix}-remaining", "").strip() == "0":
            spent.append((reset, name))
    if spent:
        return max(spent)
    if "x-rate-limit" in resets:
        return resets["x-rate-limit"], WINDOWS["x-rate-limit"]
    return None, "a rate limit"


def classify(response: httpx.Response) -> PublishError | None:
    """Map an X answer to the typed error it means, or None when it succeeded."""
    status = response.status_code
    if status < 400:
        return None
    if status >= 500:
        return server_error(response, "x")
    detail = problem_detail(response)
    message = f"X answered HTTP {status}: {detail}"
    if status == 401:
        return AuthError(
            f"{message}; the credentials were refused ({CREDENTIALS_HINT})",
            status=status,
        )
    if status == 429:
        when, limit = retry_at(response)
        until = f" until {when:%Y-%m-%d %H:%M} UTC" if when else ""
        return RateLimited(
            f"{message} ({limit} is used up{until})", status=status, retry_at=when
        )
    lowered = detail.lower()
    if status == 403 and "duplicate" in lowered:
        return Duplicate(message, status=status)
    if status == 403 and "reply to this conversation is not allowed" in lowered:
        return ReplyRestricted(message, status=status)
    if status == 403 and _lacks_permission(response, lowered):
        return AuthError(
            f"{message}; the app or token lacks a permission: it needs Read and Write "
            "(OAuth 1.0a) or the scopes tweet.write users.read media.write "
            "offline.access (OAuth 2.0)",
            status=status,
        )
    return Rejected(message, status=status)


def _lacks_permission(response: httpx.Response, lowered: str) -> bool:
    """A 403 about the app's access level or the token's scopes, not about the post."""
    try:
        kind = str(response.json().get("type", ""))
    except (ValueError, AttributeError):
        kind = ""
    return kind.endswith(_PERMISSION_PROBLEMS) or any(
        word in lowered for word in _PERMISSION_WORDS
    )


def _epoch(value: str | None) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value or ""), UTC)
    except (ValueError, OverflowError, OSError):
        return None
