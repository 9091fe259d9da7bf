"""X's fake auth: OAuth 2.0 tokens with refresh rotation, OAuth 1.0a HMAC-SHA1."""

from __future__ import annotations

import base64
import hmac
import re
from typing import Any
from urllib.parse import unquote

from authlib.oauth1.rfc5849.signature import construct_base_string, hmac_sha1_signature
from starlette.responses import Response

from crosspost.sandbox.state import SandboxState
from crosspost.sandbox.wire import Incoming, json_response

SCOPES = "tweet.read tweet.write users.read offline.access media.write"
OAUTH1_FIELDS = (
    "oauth_consumer_key",
    "oauth_token",
    "oauth_signature_method",
    "oauth_timestamp",
    "oauth_nonce",
    "oauth_version",
    "oauth_signature",
)
_OAUTH_PARAM = re.compile(r'([A-Za-z_]+)="([^"]*)"')


def problem(
    status: int,
    title: str,
    detail: str,
    kind: str = "about:blank",
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """An X API v2 problem answer."""
    body: dict[str, Any] = {
        "title": title,
        "detail": detail,
        "type": kind,
        "status": status,
    }
    if errors is not None:
        body = {"errors": errors, **body}
    return json_response(body, status, headers)


def unauthorized() -> Response:
    return problem(401, "Unauthorized", "Unauthorized")


def invalid_request(message: str, parameters: dict[str, Any] | None = None) -> Response:
    error: dict[str, Any] = {"message": message}
    if parameters is not None:
        error = {"parameters": parameters, **error}
    return problem(
        400,
        "Invalid Request",
        "One or more parameters to your request was invalid.",
        "https://api.x.com/2/problems/invalid-request",
        errors=[error],
    )


def authenticate(
    req: Incoming, state: SandboxState, *, app_only: bool = False
) -> Response | None:
    """None when the request has valid user-context credentials (or, where
    `app_only` allows it, the app's bearer token), else X's refusal."""
    accounts = state.config.accounts
    header = req.headers.get("authorization", "")
    token = req.bearer()
    if token is not None:
        if hmac.compare_digest(token, accounts.x_app_bearer_token):
            if app_only:
                return None
            return problem(
                403,
                "Unsupported Authentication",
                "Authenticating with OAuth 2.0 Application-Only is forbidden for this "
                "endpoint.  Supported authentication types are [OAuth 1.0a User "
                "Context, OAuth 2.0 User Context].",
                "https://api.x.com/2/problems/unsupported-authentication",
            )
        expires_at = state.x.access_tokens.get(token)
        if expires_at is None or expires_at <= state.now():
            return unauthorized()
        return None
    if header[:6].lower() == "oauth ":
        return _verify_oauth1(req, state, header[6:])
    return unauthorized()


def _verify_oauth1(req: Incoming, state: SandboxState, header: str) -> Response | None:
    accounts = state.config.accounts
    raw = dict(_OAUTH_PARAM.findall(header))
    fields = {key: unquote(value) for key, value in raw.items()}
    if any(not fields.get(name) for name in OAUTH1_FIELDS):
        return unauthorized()
    if (
        fields["oauth_signature_method"] != "HMAC-SHA1"
        or fields["oauth_version"] != "1.0"
        or fields["oauth_consumer_key"] != accounts.x_consumer_key
        or fields["oauth_token"] != accounts.x_access_token
        or not fields["oauth_timestamp"].isdigit()
        or abs(int(fields["oauth_timestamp"]) - state.config.auth_clock())
        > state.config.x_oauth1_max_skew
        or fields["oauth_nonce"] in state.x.nonces
    ):
        return unauthorized()
    params = list(req.query) + list(raw.items())
    if req.content_type == "application/x-www-form-urlencoded":
        params += list(req.form().items())
    base = construct_base_string(req.method, req.url, params)
    expected = hmac_sha1_signature(
        base, accounts.x_consumer_secret, accounts.x_access_token_secret
    )
    if not hmac.compare_digest(expected, fields["oauth_signature"]):
        return unauthorized()
    state.x.nonces.add(fields["oauth_nonce"])
    return None


def token_endpoint(req: Incoming, state: SandboxState) -> Response:
    """POST /2/oauth2/token: refresh with rotation; a used refresh token is dead."""
    accounts = state.config.accounts
    if req.content_type != "application/x-www-form-urlencoded":
        return _oauth_error(
            400, "invalid_request", "Missing required parameter [grant_type]."
        )
    form = req.form()
    scheme, _, encoded = req.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            client_id, _, secret = base64.b64decode(encoded).decode().partition(":")
        except ValueError:
            client_id, secret = "", ""
        if client_id != accounts.x_client_id or secret != accounts.x_client_secret:
            return _oauth_error(
                401, "unauthorized_client", "Missing valid authorization header"
            )
    elif not accounts.x_client_public or form.get("client_id") != accounts.x_client_id:
        return _oauth_error(
            401, "unauthorized_client", "Missing valid authorization header"
        )
    grant = form.get("grant_type")
    if grant != "refresh_token":
        if grant == "authorization_code":
            return _oauth_error(
                400,
                "invalid_request",
                "Value passed for the authorization code was invalid.",
            )
        return _oauth_error(
            400, "unsupported_grant_type", "Grant type is not supported."
        )
    presented = form.get("refresh_token", "")
    if not presented or not hmac.compare_digest(presented, state.x.refresh_token):
        return _oauth_error(
            400, "invalid_request", "Value passed for the token was invalid."
        )
    state.x.rotations += 1
    access = f"sandbox-x-oauth2-access-token-{state.x.rotations}"
    state.x.refresh_token = f"sandbox-x-oauth2-refresh-token-{state.x.rotations}"
    state.x.access_tokens[access] = state.now() + state.config.x_token_lifetime
    return json_response(
        {
            "token_type": "bearer",
            "expires_in": state.config.x_token_lifetime,
            "access_token": access,
            "scope": SCOPES,
            "refresh_token": state.x.refresh_token,
        }
    )


def _oauth_error(status: int, error: str, description: str) -> Response:
    return json_response({"error": error, "error_description": description}, status)
