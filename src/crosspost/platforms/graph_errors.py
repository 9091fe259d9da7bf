"""The Graph error envelope, and how a Graph answer is classified: by its error
`code`, since its HTTP status says little."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from crosspost.platforms.errors import (
    AuthError,
    Duplicate,
    OutcomeUnknown,
    PublishError,
    RateLimited,
    Rejected,
    Transient,
)
from crosspost.platforms.graph_usage import Usage, UsageGate, graph_int, retry_at
from crosspost.platforms.http import SAFE_METHODS, server_error

THROTTLE_CODES = frozenset({4, 17, 32, 341, 613, 80001})
TOKEN_PROBLEMS = {
    458: "the app is no longer installed for this user",
    459: "the user's account is checkpointed",
    460: "the password was changed",
    463: "the token has expired",
    464: "the user is unconfirmed",
    467: "the token is invalid",
}


@dataclass(frozen=True)
class GraphError:
    """The `error` object of a Graph API answer."""

    code: int | None
    subcode: int | None
    message: str
    fbtrace_id: str

    def describe(self) -> str:
        code = f"{self.code}/{self.subcode}" if self.subcode else str(self.code)
        trace = f", fbtrace_id {self.fbtrace_id}" if self.fbtrace_id else ""
        return f"{self.message or 'no message'} (Graph code {code}{trace})"


def graph_error(response: httpx.Response) -> GraphError | None:
    """The error envelope of `response`, if its body carries one."""
    body = json_body(response)
    error = body.get("error") if body else None
    if not isinstance(error, dict):
        return None
    return GraphError(
        code=graph_int(error.get("code")),
        subcode=graph_int(error.get("error_subcode")),
        message=str(error.get("message") or error.get("error_user_msg") or ""),
        fbtrace_id=str(error.get("fbtrace_id") or ""),
    )


def json_body(response: httpx.Response) -> dict[str, Any] | None:
    """The body as a JSON object, or None when it is not one."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def classify(
    response: httpx.Response, *, platform: str, token_setting: str, gate: UsageGate
) -> PublishError | None:
    """Classify a Graph answer by its error `code` (its status says little)."""
    usage = gate.observe(response)
    write = response.request.method.upper() not in SAFE_METHODS
    error = graph_error(response)
    if error is None:
        if response.status_code >= 500:
            return server_error(response, platform)
        if response.is_success:
            if json_body(response) is not None:
                return None
            message = (
                f"{platform} answered HTTP {response.status_code} with a body that is "
                "not JSON"
            )
            if write:
                # Said neutrally: this write may be a container, not a post.
                return OutcomeUnknown(
                    message + "; the request may have been applied",
                    platform=platform,
                )
            return Transient(message, platform=platform, status=response.status_code)
        if response.status_code in (401, 403):
            return AuthError(
                f"{platform} refused the credentials (HTTP {response.status_code})",
                platform=platform,
                status=response.status_code,
            )
        if response.status_code == 429:
            until = retry_at(usage)
            gate.block(until)
            return RateLimited(
                f"{platform} is throttling requests (HTTP 429)",
                platform=platform,
                status=429,
                retry_at=until,
            )
        return Rejected(
            f"{platform} refused the request (HTTP {response.status_code})",
            platform=platform,
            status=response.status_code,
        )
    return _by_code(
        error=error,
        response=response,
        usage=usage,
        platform=platform,
        token_setting=token_setting,
        gate=gate,
        write=write,
    )


def _by_code(
    *,
    error: GraphError,
    response: httpx.Response,
    usage: Usage,
    platform: str,
    token_setting: str,
    gate: UsageGate,
    write: bool,
) -> PublishError:
    status, code, said = response.status_code, error.code, error.describe()
    if code in (190, 102, 104):
        problem = TOKEN_PROBLEMS.get(
            error.subcode or 0, "the access token was not accepted"
        )
        return AuthError(
            f"{platform}: {problem}: {said}; renew {token_setting}",
            platform=platform,
            status=status,
        )
    if code in THROTTLE_CODES or (code == 9 and error.subcode == 2207042):
        until = retry_at(usage)
        gate.block(until)
        what = (
            "the publishing quota is used up" if code == 9 else "requests are throttled"
        )
        return RateLimited(
            f"{platform}: {what}: {said}",
            platform=platform,
            status=status,
            retry_at=until,
        )
    if code == 506:
        return Duplicate(
            f"{platform}: already posted: {said}", platform=platform, status=status
        )
    if code == 368:
        return Rejected(
            f"{platform}: temporarily blocked for a policy violation; wait before "
            f"posting again: {said}",
            platform=platform,
            status=status,
        )
    if code in (1, 2):
        if write:
            return OutcomeUnknown(
                f"{platform}: a temporary Graph error on a write (it may have been "
                f"applied): {said}",
                platform=platform,
                status=status,
            )
        return Transient(
            f"{platform}: temporary Graph error: {said}", platform=platform
        )
    if code == 10 or (code is not None and 200 <= code <= 299):
        return AuthError(
            f"{platform}: a permission is missing: {said}",
            platform=platform,
            status=status,
        )
    if code != 100 and status >= 500:
        unknown = server_error(response, platform)
        if unknown is not None:
            unknown.message += f": {said}"
            return unknown
    return Rejected(
        f"{platform} refused the request: {said}", platform=platform, status=status
    )
