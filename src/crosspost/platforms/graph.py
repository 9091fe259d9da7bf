"""What the Facebook and Instagram adapters share: Graph API calls, the Graph error
envelope, and the usage headers that warn of throttling before it happens."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from pydantic import SecretStr

from crosspost.platforms.errors import (
    AuthError,
    Duplicate,
    OutcomeUnknown,
    PublishError,
    RateLimited,
    Rejected,
    Transient,
)
from crosspost.platforms.http import (
    SAFE_METHODS,
    Classifier,
    RetryPolicy,
    call,
    server_error,
)

THROTTLE_CODES = frozenset({4, 17, 32, 341, 613, 80001})
DEFAULT_THROTTLE_WAIT = timedelta(minutes=10)
USAGE_HEADERS = ("x-app-usage", "x-page-usage", "x-business-use-case-usage")
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
        code=_int(error.get("code")),
        subcode=_int(error.get("error_subcode")),
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


@dataclass(frozen=True)
class Usage:
    """The highest usage figure (percent of a limit) in an answer; minutes to wait."""

    peak: int = 0
    regain_minutes: float = 0.0


def read_usage(headers: Mapping[str, str]) -> Usage:
    """Read X-App-Usage, X-Page-Usage and X-Business-Use-Case-Usage (malformed: 0)."""
    figures: list[dict[str, Any]] = []
    for name in USAGE_HEADERS:
        try:
            value = json.loads(headers.get(name, "{}"))
        except json.JSONDecodeError:
            continue
        if not isinstance(value, dict):
            continue
        if name == "x-business-use-case-usage":
            for entries in value.values():
                if isinstance(entries, list):
                    figures += [entry for entry in entries if isinstance(entry, dict)]
        else:
            figures.append(value)
    peak, regain = 0, 0.0
    for figure in figures:
        for key in ("call_count", "total_cputime", "total_time"):
            peak = max(peak, _int(figure.get(key)) or 0)
        minutes = figure.get("estimated_time_to_regain_access")
        if isinstance(minutes, int | float) and not isinstance(minutes, bool):
            regain = max(regain, float(minutes))
    return Usage(peak, regain)


SpecialCase = Callable[[GraphError, httpx.Response], PublishError | None]


class UsageGate:
    """Remembers the latest usage, so a write is refused once a limit is reached."""

    def __init__(self, platform: str) -> None:
        self.platform = platform
        self.blocked_until: datetime | None = None

    def observe(self, response: httpx.Response) -> Usage:
        usage = read_usage(response.headers)
        if usage.peak >= 100:
            self.block(retry_at(usage))
        return usage

    def block(self, until: datetime) -> None:
        self.blocked_until = max(until, self.blocked_until or until)

    def check(self) -> None:
        """Raise RateLimited while the last answer said a usage limit was reached."""
        if self.blocked_until is not None and datetime.now(UTC) < self.blocked_until:
            raise RateLimited(
                f"{self.platform}: the Graph API usage limit was reached; not sending "
                f"until {self.blocked_until:%Y-%m-%d %H:%M} UTC",
                platform=self.platform,
                retry_at=self.blocked_until,
            )


def retry_at(usage: Usage) -> datetime:
    wait = timedelta(minutes=usage.regain_minutes) if usage.regain_minutes > 0 else None
    return datetime.now(UTC) + (wait or DEFAULT_THROTTLE_WAIT)


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
                return OutcomeUnknown(
                    message + "; the post may be live", platform=platform
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
                f"{platform}: a temporary Graph error on a write; the post may be "
                f"live: {said}",
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


class GraphSession:
    """Calls to one Graph account: versioned URLs, no token in URLs, usage gating."""

    def __init__(
        self,
        *,
        platform: str,
        base_url: str,
        api_version: str,
        token: SecretStr | None,
        token_setting: str,
        client: httpx.AsyncClient,
        policy: RetryPolicy,
        sleep: Callable[[float], object] = asyncio.sleep,
    ) -> None:
        self.platform = platform
        self.root = f"{base_url.rstrip('/')}/{api_version.strip('/')}"
        self.token = token.get_secret_value() if token is not None else ""
        self.token_setting = token_setting
        self.client = client
        self.policy = policy
        self.sleep = sleep
        self.gate = UsageGate(platform)

    def require_token(self) -> None:
        if not self.token:
            raise AuthError(
                f"{self.platform}: no access token is set; set {self.token_setting} "
                "in the environment or .env",
                platform=self.platform,
            )

    def _classifier(self, special: SpecialCase | None = None) -> Classifier:
        def classify_answer(response: httpx.Response) -> PublishError | None:
            error = graph_error(response) if special is not None else None
            if special is not None and error is not None:
                self.gate.observe(response)
                found = special(error, response)
                if found is not None:
                    return found
            return classify(
                response,
                platform=self.platform,
                token_setting=self.token_setting,
                gate=self.gate,
            )

        return classify_answer

    async def get(
        self, path: str, params: Mapping[str, str], *, policy: RetryPolicy | None = None
    ) -> dict[str, Any]:
        """GET a node or edge; the token travels in the Authorization header."""
        self.require_token()
        response = await call(
            self.client,
            "GET",
            f"{self.root}/{path}",
            platform=self.platform,
            classify=self._classifier(),
            policy=policy or self.policy,
            secrets=(self.token,),
            sleep=self.sleep,
            params=dict(params),
            headers={"Authorization": f"Bearer {self.token}"},
        )
        return json_body(response) or {}

    async def post(
        self,
        path: str,
        data: Mapping[str, str],
        *,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        special: SpecialCase | None = None,
    ) -> dict[str, Any]:
        """POST a form (multipart with `files`); refused unsent at a usage limit.

        `special` may claim a Graph error before the shared rules classify it."""
        self.require_token()
        self.gate.check()
        response = await call(
            self.client,
            "POST",
            f"{self.root}/{path}",
            platform=self.platform,
            classify=self._classifier(special),
            policy=self.policy,
            secrets=(self.token,),
            sleep=self.sleep,
            data={**data, "access_token": self.token},
            files=dict(files) if files else None,
        )
        return json_body(response) or {}


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None
