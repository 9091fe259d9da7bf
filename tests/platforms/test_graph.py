"""Tests for the shared Graph layer: error envelope, usage headers, session calls."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
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
from crosspost.platforms.graph import GraphSession
from crosspost.platforms.graph_errors import classify, graph_error
from crosspost.platforms.graph_usage import DEFAULT_THROTTLE_WAIT, UsageGate, read_usage
from crosspost.platforms.http import RetryPolicy

TOKEN = "EAAGraphTestToken0123456789"


def answer(
    method: str,
    status: int,
    body: object = None,
    headers: dict[str, str] | None = None,
    content: bytes | None = None,
) -> httpx.Response:
    request = httpx.Request(method, "https://graph.test/v25.0/123/feed")
    if content is not None:
        return httpx.Response(status, content=content, headers=headers, request=request)
    return httpx.Response(status, json=body, headers=headers, request=request)


def envelope(
    code: int, subcode: int | None = None, message: str = ""
) -> dict[str, object]:
    error: dict[str, object] = {"message": message or f"error {code}", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    error["fbtrace_id"] = "AbCdEf"
    return {"error": error}


def judge(
    response: httpx.Response, gate: UsageGate | None = None
) -> PublishError | None:
    return classify(
        response,
        platform="facebook",
        token_setting="CROSSPOST_FACEBOOK__PAGE_ACCESS_TOKEN",
        gate=gate or UsageGate("facebook"),
    )


def buc(call_count: int, regain: float) -> dict[str, str]:
    usage = {
        "123": [
            {
                "type": "pages",
                "call_count": call_count,
                "total_cputime": 3,
                "total_time": 2,
                "estimated_time_to_regain_access": regain,
            }
        ]
    }
    return {"X-Business-Use-Case-Usage": json.dumps(usage)}


def test_success_with_json_is_accepted() -> None:
    """A 200 with a JSON object is no error."""
    assert judge(answer("POST", 200, {"id": "123_456"})) is None


@pytest.mark.parametrize(
    ("method", "code", "subcode", "kind"),
    [
        ("POST", 190, 463, AuthError),
        ("POST", 190, None, AuthError),
        ("GET", 102, None, AuthError),
        ("GET", 104, None, AuthError),
        ("POST", 10, None, AuthError),
        ("POST", 200, None, AuthError),
        ("POST", 299, None, AuthError),
        ("POST", 4, None, RateLimited),
        ("POST", 17, None, RateLimited),
        ("POST", 32, None, RateLimited),
        ("POST", 613, None, RateLimited),
        ("POST", 80001, None, RateLimited),
        ("POST", 9, 2207042, RateLimited),
        ("POST", 506, None, Duplicate),
        ("POST", 368, None, Rejected),
        ("POST", 100, None, Rejected),
        ("POST", 1609005, None, Rejected),
        ("GET", 1, None, Transient),
        ("GET", 2, None, Transient),
        ("POST", 1, None, OutcomeUnknown),
        ("POST", 2, None, OutcomeUnknown),
    ],
)
def test_errors_are_classified_by_graph_code(
    method: str, code: int, subcode: int | None, kind: type[PublishError]
) -> None:
    """Each documented Graph code maps to its typed error, whatever the HTTP status."""
    error = judge(answer(method, 400, envelope(code, subcode)))
    assert type(error) is kind
    assert error is not None
    assert str(code) in error.message


def test_policy_block_is_not_a_duplicate() -> None:
    """Code 368 is a refusal that says to wait, not a duplicate."""
    error = judge(answer("POST", 400, envelope(368)))
    assert not isinstance(error, Duplicate)
    assert error is not None
    assert "wait" in error.message


def test_expired_token_names_the_cause_and_the_setting() -> None:
    """190/463 says the token expired and which setting to renew."""
    error = judge(answer("POST", 400, envelope(190, 463, "Session has expired")))
    assert error is not None
    assert "expired" in error.message
    assert "CROSSPOST_FACEBOOK__PAGE_ACCESS_TOKEN" in error.message
    assert "AbCdEf" in error.message


def test_code_wins_over_a_5xx_status() -> None:
    """A 500 carrying code 190 is an AuthError, not an unknown outcome."""
    assert isinstance(judge(answer("POST", 500, envelope(190, 460))), AuthError)


@pytest.mark.parametrize(
    ("method", "kind"), [("POST", OutcomeUnknown), ("GET", Transient)]
)
def test_bare_5xx_follows_the_shared_rule(
    method: str, kind: type[PublishError]
) -> None:
    """A 5xx without an envelope is unknown on a write and transient on a read."""
    error = judge(answer(method, 502, content=b"<html>bad gateway</html>"))
    assert type(error) is kind


def test_unknown_code_on_a_5xx_write_is_an_unknown_outcome() -> None:
    """An unlisted code with a 5xx on a write may have been applied."""
    assert isinstance(judge(answer("POST", 500, envelope(99999))), OutcomeUnknown)


@pytest.mark.parametrize(
    ("method", "kind"), [("POST", OutcomeUnknown), ("GET", Transient)]
)
def test_malformed_json_on_success(method: str, kind: type[PublishError]) -> None:
    """A 200 whose body is not JSON is unknown on a write, transient on a read."""
    error = judge(answer(method, 200, content=b"{not json"))
    assert type(error) is kind


def test_bare_statuses_without_envelope() -> None:
    """401/403 are AuthError, 429 RateLimited, other 4xx Rejected."""
    assert isinstance(judge(answer("GET", 401, content=b"")), AuthError)
    assert isinstance(judge(answer("GET", 403, content=b"")), AuthError)
    assert isinstance(judge(answer("GET", 429, content=b"")), RateLimited)
    assert isinstance(judge(answer("GET", 404, content=b"")), Rejected)


def test_throttle_retry_at_comes_from_business_usage_minutes() -> None:
    """estimated_time_to_regain_access is in minutes and sets retry_at."""
    before = datetime.now(UTC)
    error = judge(answer("POST", 400, envelope(32), headers=buc(100, 25)))
    assert isinstance(error, RateLimited)
    assert error.retry_at is not None
    assert before + timedelta(minutes=25) <= error.retry_at
    assert error.retry_at <= datetime.now(UTC) + timedelta(minutes=25)


def test_throttle_without_headers_uses_the_default_wait() -> None:
    """Without usage headers, retry_at is the default wait from now."""
    before = datetime.now(UTC)
    error = judge(answer("POST", 400, envelope(4)))
    assert isinstance(error, RateLimited)
    assert error.retry_at is not None
    assert before + DEFAULT_THROTTLE_WAIT <= error.retry_at


def test_read_usage_takes_the_highest_figure() -> None:
    """The peak is the highest of every figure in every usage header."""
    headers = {
        "X-App-Usage": json.dumps(
            {"call_count": 12, "total_cputime": 40, "total_time": 7}
        ),
        **buc(55, 3),
    }
    usage = read_usage(httpx.Headers(headers))
    assert usage.peak == 55
    assert usage.regain_minutes == 3


def test_read_usage_ignores_malformed_headers() -> None:
    """Headers that are not JSON objects count as no usage."""
    headers = httpx.Headers(
        {
            "X-App-Usage": "{oops",
            "X-Business-Use-Case-Usage": "[1, 2]",
            "X-Page-Usage": "7",
        }
    )
    assert read_usage(headers).peak == 0


def test_gate_blocks_after_usage_reaches_100() -> None:
    """A successful answer at 100% usage blocks the next write until access returns."""
    gate = UsageGate("facebook")
    gate.check()
    assert judge(answer("GET", 200, {"id": "1"}, headers=buc(100, 5)), gate) is None
    with pytest.raises(RateLimited) as caught:
        gate.check()
    assert caught.value.retry_at is not None
    assert caught.value.retry_at > datetime.now(UTC) + timedelta(minutes=4)


def test_gate_lets_writes_through_below_100() -> None:
    """Usage under 100 never blocks."""
    gate = UsageGate("facebook")
    judge(answer("GET", 200, {"id": "1"}, headers=buc(99, 0)), gate)
    gate.check()
    assert gate.blocked_until is None


def test_graph_error_reads_the_envelope() -> None:
    """graph_error reads code, subcode, message and trace id."""
    error = graph_error(answer("POST", 400, envelope(190, 467, "Invalid token")))
    assert error is not None
    assert (error.code, error.subcode, error.fbtrace_id) == (190, 467, "AbCdEf")
    assert graph_error(answer("POST", 400, {"error": "nope"})) is None


def session(app: Callable[[httpx.Request], httpx.Response]) -> GraphSession:
    return GraphSession(
        platform="facebook",
        base_url="https://graph.test/",
        api_version="v27.0",
        token=SecretStr(TOKEN),
        token_setting="CROSSPOST_FACEBOOK__PAGE_ACCESS_TOKEN",
        client=httpx.AsyncClient(transport=httpx.MockTransport(app)),
        policy=RetryPolicy(attempts=1),
    )


@pytest.mark.anyio
async def test_session_get_sends_the_token_in_a_header() -> None:
    """GET carries the token as a Bearer header, never in the URL."""
    seen: list[httpx.Request] = []

    def app(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": "1", "name": "MS Research"})

    body = await session(app).get("1", {"fields": "id,name"})
    assert body["name"] == "MS Research"
    assert str(seen[0].url) == "https://graph.test/v27.0/1?fields=id%2Cname"
    assert seen[0].headers["Authorization"] == f"Bearer {TOKEN}"


@pytest.mark.anyio
async def test_session_post_sends_the_token_in_the_body() -> None:
    """POST carries the token as the access_token form field."""
    seen: list[httpx.Request] = []

    def app(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": "1_2"})

    await session(app).post("1/feed", {"message": "hello"})
    assert TOKEN not in str(seen[0].url)
    assert f"access_token={TOKEN}" in seen[0].content.decode()


@pytest.mark.anyio
async def test_session_redacts_a_token_echoed_in_an_error() -> None:
    """A Graph message that echoes the token never shows it, in message or str()."""

    def app(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json=envelope(190, 467, f"Bad token {TOKEN}"))

    with pytest.raises(AuthError) as caught:
        await session(app).post("1/feed", {"message": "hello"})
    assert TOKEN not in caught.value.message
    assert TOKEN not in str(caught.value)
    assert TOKEN not in repr(caught.value)


@pytest.mark.anyio
async def test_session_without_token_refuses_before_sending() -> None:
    """A missing token is an AuthError naming the setting; nothing is sent."""
    seen: list[httpx.Request] = []

    def app(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    graph = session(app)
    graph.token = ""
    with pytest.raises(AuthError, match="CROSSPOST_FACEBOOK__PAGE_ACCESS_TOKEN"):
        await graph.post("1/feed", {"message": "hello"})
    assert seen == []
