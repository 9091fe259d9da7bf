"""How LinkedIn's answers map to typed errors, and which permission each call needs."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import httpx

from crosspost.platforms.errors import (
    AuthError,
    Duplicate,
    PublishError,
    RateLimited,
    Rejected,
)
from crosspost.platforms.http import server_error

TOKEN_HINT = "set CROSSPOST_LINKEDIN__ACCESS_TOKEN in the environment or .env"
DUPLICATE_OF = re.compile(r"duplicate of (urn:li:(?:share|ugcPost):[0-9A-Za-z_-]+)")
# What each path needs (learn.microsoft.com: posts-api, images-api,
# organization-lookup-api). The organisation lookup documents rw_organization_admin,
# which posting does not need.
WRITE = "w_organization_social"
READ = "r_organization_social"
ADMIN = "rw_organization_admin"
ROLE = "its member must be an ADMINISTRATOR or DIRECT_SPONSORED_CONTENT_POSTER"


def post_url(urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/{urn}/"


def error_message(response: httpx.Response) -> str:
    """The `message` of a LinkedIn error body, or the start of the body."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return str(body["message"])
    return response.text[:200].strip() or response.reason_phrase


def permission_for(request: httpx.Request) -> str:
    """The permission LinkedIn wants for `request`."""
    path = request.url.path
    if "/rest/organizations/" in path:
        return ADMIN
    if "/rest/posts" in path and request.method == "GET":
        return READ
    return WRITE


def classify(response: httpx.Response) -> PublishError | None:
    """Map a LinkedIn answer to the typed error it means, or None when it succeeded."""
    status = response.status_code
    if status < 400:
        return None
    if status >= 500:
        return server_error(response, "linkedin")
    detail = error_message(response)
    message = f"LinkedIn answered HTTP {status}: {detail}"
    if status == 401:
        return AuthError(
            f"{message}; the access token was refused ({TOKEN_HINT})", status=status
        )
    if status == 403:
        needed = permission_for(response.request)
        return AuthError(
            f"{message}; the token lacks the permission {needed} for this call, or "
            f"{ROLE} of the organisation",
            status=status,
        )
    if status == 426:
        version = response.request.headers.get("LinkedIn-Version", "")
        return Rejected(
            f"LinkedIn-Version {version} is sunset (HTTP 426); set linkedin.version in "
            "config/crosspost.toml to a current YYYYMM",
            status=status,
        )
    if status == 429:
        # No reset header, but LinkedIn's limits are daily (reset 00:00 UTC): retrying
        # in-run is pointless, so retry_at tells the caller to wait for the reset.
        now = datetime.now(UTC)
        midnight = datetime.combine(now.date() + timedelta(days=1), time(), tzinfo=UTC)
        return RateLimited(
            f"{message}; LinkedIn's daily limit resets at 00:00 UTC",
            status=status,
            retry_at=midnight,
        )
    if status == 422 and is_duplicate(response, detail):
        named = DUPLICATE_OF.search(detail)
        urn = named.group(1) if named else None
        return Duplicate(
            message,
            status=status,
            existing_id=urn,
            existing_url=post_url(urn) if urn else None,
        )
    return Rejected(message, status=status)


def is_duplicate(response: httpx.Response, detail: str) -> bool:
    """A 422 with errorDetails.inputErrors[].code DUPLICATE_POST, or (older bodies)
    a message "Content is a duplicate of urn:li:…"."""
    try:
        inputs = response.json()["errorDetails"]["inputErrors"]
        codes = {str(item.get("code")) for item in inputs if isinstance(item, dict)}
    except (ValueError, KeyError, TypeError, AttributeError):
        codes = set()
    return "DUPLICATE_POST" in codes or DUPLICATE_OF.search(detail) is not None
