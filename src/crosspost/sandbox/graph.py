"""The fake Graph API host shared by Facebook Pages and Instagram.

Versions in the path, tokens, the error envelope and the usage headers.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import re
import secrets
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from crosspost.sandbox.state import SandboxState
from crosspost.sandbox.wire import Incoming, json_response

VERSION = re.compile(r"^/(v\d+\.\d+)(/.*)?$")
THROTTLE_MESSAGES = {
    4: "(#4) Application request limit reached",
    17: "(#17) User request limit reached",
    32: "(#32) Page request limit reached",
    613: "(#613) Calls to this api have exceeded the rate limit.",
}


def graph_error(
    status: int,
    code: int,
    message: str,
    *,
    subcode: int | None = None,
    kind: str = "OAuthException",
    user_message: str | None = None,
    user_title: str | None = None,
    transient: bool | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """An error in the Graph envelope, with a fresh fbtrace_id."""
    error: dict[str, Any] = {"message": message, "type": kind, "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    if transient is not None:
        error["is_transient"] = transient
    if user_message is not None:
        error["error_user_title"] = user_title or message.split(":", maxsplit=1)[0]
        error["error_user_msg"] = user_message
    error["fbtrace_id"] = secrets.token_urlsafe(8)
    return json_response({"error": error}, status, headers)


def invalid_parameter(message: str, subcode: int | None = None) -> Response:
    return graph_error(400, 100, f"(#100) {message}", subcode=subcode)


def expired_token(state: SandboxState) -> Response:
    return graph_error(
        400,
        190,
        "Error validating access token: Session has expired. The current time is "
        f"{int(state.now())}.",
        subcode=463,
    )


def throttled(
    state: SandboxState, platform: str, code: int, *, minutes: int = 10
) -> Response:
    headers = usage_headers(state, platform, at_least=100, regain=minutes)
    message = THROTTLE_MESSAGES.get(code, f"(#{code}) Request limit reached")
    return graph_error(400, code, message, headers=headers)


def server_error(status: int) -> Response:
    return graph_error(
        status, 1, "An unknown error has occurred.", kind="OAuthException"
    )


def usage_headers(
    state: SandboxState, platform: str, *, at_least: int = 0, regain: int = 0
) -> dict[str, str]:
    """X-App-Usage and X-Business-Use-Case-Usage: integers are percent of the limit."""
    now = state.now()
    calls = [t for t in state.graph.call_times if t > now - 3600]
    state.graph.call_times = calls
    percent = max(
        at_least, min(100, len(calls) * 100 // state.config.graph_calls_per_hour)
    )
    accounts = state.config.accounts
    owner, kind = (
        (accounts.instagram_user_id, "instagram")
        if platform == "instagram"
        else (accounts.facebook_page_id, "pages")
    )
    app = {
        "call_count": percent,
        "total_cputime": percent // 2,
        "total_time": percent // 2,
    }
    buc = {owner: [{"type": kind, **app, "estimated_time_to_regain_access": regain}]}
    return {
        "X-App-Usage": json.dumps(app, separators=(",", ":")),
        "X-Business-Use-Case-Usage": json.dumps(buc, separators=(",", ":")),
    }


def split_path(req: Incoming) -> tuple[str | None, list[str]]:
    """(version or None, path parts) of a Graph path."""
    match = VERSION.match(req.path)
    rest = (match.group(2) or "") if match else req.path
    return (match.group(1) if match else None), [p for p in rest.split("/") if p]


def served_version(asked: str | None, state: SandboxState) -> str:
    """The version that answers a call (developers.facebook.com/docs/graph-api/
    guides/versioning): an unversioned call uses the app's default version; a call
    to a version no longer available defaults to the next oldest available one."""
    config = state.config
    if asked is None:
        return config.graph_app_default_version
    if _number(asked) < _number(config.graph_oldest_version):
        return config.graph_oldest_version
    return asked


def _number(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in version.lstrip("v").split("."))


def platform_of(req: Incoming, state: SandboxState) -> str:
    """Instagram (its user, containers and media) or Facebook: whom a request is for."""
    parts = split_path(req)[1]
    node = parts[0] if parts else ""
    if (
        node == state.config.accounts.instagram_user_id
        or node in state.graph.containers
    ):
        return "instagram"
    if state.find("instagram", node) is not None:
        return "instagram"
    # An unknown node asked for with the Instagram token is an Instagram mistake (say, a
    # wrong user id): answer as Instagram would, not as a Page refusing that token.
    token = access_token(req)
    if token and hmac.compare_digest(token, state.config.accounts.instagram_token):
        return "instagram"
    return "facebook"


def access_token(req: Incoming) -> str | None:
    return req.params().get("access_token") or req.bearer()


def check_token(req: Incoming, state: SandboxState, platform: str) -> Response | None:
    token = access_token(req)
    if not token:
        return graph_error(
            400, 104, "An access token is required to request this resource."
        )
    accounts = state.config.accounts
    allowed = [accounts.facebook_page_token]
    if platform == "instagram":
        allowed.append(accounts.instagram_token)
    if not any(hmac.compare_digest(token, known) for known in allowed):
        return graph_error(
            400, 190, "Invalid OAuth access token - Cannot parse access token"
        )
    return None


async def handle(req: Incoming, state: SandboxState) -> Response:
    from crosspost.sandbox import facebook, instagram

    platform = platform_of(req, state)
    state.graph.call_times.append(state.now())
    asked, parts = split_path(req)
    if (refusal := check_token(req, state, platform)) is not None:
        response = refusal
    elif usage_headers(state, platform)["X-App-Usage"].startswith('{"call_count":100'):
        response = throttled(state, platform, 4, minutes=60)
    elif platform == "instagram":
        response = await instagram.handle(req, state, parts)
    else:
        response = await facebook.handle(req, state, parts)
    for name, value in usage_headers(state, platform).items():
        response.headers.setdefault(name, value)
    # Graph names the version that answered in every response.
    response.headers["facebook-api-version"] = served_version(asked, state)
    return response


def graph_time(seconds: float) -> str:
    """A moment as the Graph API writes it, e.g. 2026-09-21T12:00:00+0000."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def pick(available: dict[str, Any], fields: str | None) -> dict[str, Any]:
    """The requested `fields` (plus id) of a node, as the Graph API answers them."""
    wanted = [f.strip() for f in (fields or "id").split(",") if f.strip()]
    return {name: available[name] for name in ["id", *wanted] if name in available}


def edge_page(req: Incoming, nodes: list[dict[str, Any]], fields: str) -> Response:
    """One page of an edge (`limit`, default 25), with an `after` cursor and a `next`
    link while more remain, as the Graph API pages."""
    limit = req.q("limit") or "25"
    size = min(max(int(limit), 1), 100) if limit.isdigit() else 25
    try:
        offset = int(base64.urlsafe_b64decode(req.q("after") or "MA==").decode())
    except (ValueError, binascii.Error):
        return graph_error(400, 100, "(#100) Invalid cursor")
    body: dict[str, Any] = {
        "data": [pick(node, fields) for node in nodes[offset : offset + size]]
    }
    if offset + size < len(nodes):
        cursor = base64.urlsafe_b64encode(str(offset + size).encode()).decode()
        query = [(k, v) for k, v in req.query if k != "after"] + [("after", cursor)]
        body["paging"] = {
            "cursors": {"after": cursor},
            "next": f"{req.url}?{urlencode(query)}",
        }
    return json_response(body)


def not_found(node: str, method: str = "GET") -> Response:
    return graph_error(
        400,
        100,
        f"Unsupported {method.lower()} request. Object with ID '{node}' does not "
        "exist, cannot be loaded due to missing permissions, or does not support "
        "this operation.",
        subcode=33,
        kind="GraphMethodException",
    )


def unknown_path(req: Incoming) -> Response:
    return graph_error(400, 2500, f"Unknown path components: {req.path}")
