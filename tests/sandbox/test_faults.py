"""Injected faults: 5xx, 429 storms, timeouts, resets, expiry, bad JSON."""

from __future__ import annotations

import json

import httpx
import pytest

from crosspost.sandbox import Fault, Sandbox, SandboxAccounts
from crosspost.sandbox.faults import take

pytestmark = pytest.mark.anyio
A = SandboxAccounts()
X = "https://api.x.com/2/tweets"
X_TOKEN = {"Authorization": f"Bearer {A.x_oauth2_access_token}"}
FEED = f"https://graph.facebook.com/v25.0/{A.facebook_page_id}/feed"
LINKEDIN = "https://api.linkedin.com/rest/posts"
LI_HEADERS = {
    "Authorization": f"Bearer {A.linkedin_token}",
    "LinkedIn-Version": "202605",
    "X-Restli-Protocol-Version": "2.0.0",
}
TEXT = "Sleep quality and cognition in MS: a cohort of 1,200 adults."


async def post_x(client: httpx.AsyncClient, text: str = TEXT) -> httpx.Response:
    return await client.post(X, json={"text": text}, headers=X_TOKEN)


async def test_server_errors_then_success(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """Two 5xx answers apply nothing; the third request is accepted."""
    sandbox.config.faults.append(Fault("x", "server_error", times=2))
    statuses = [(await post_x(client)).status_code for _ in range(3)]
    assert statuses == [503, 503, 201]
    assert len(sandbox.posts) == 1


async def test_rate_limit_storm_on_x_has_reset_header(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """A 429 storm answers with x-rate-limit-reset in epoch seconds, then recovers."""
    sandbox.config.faults.append(Fault("x", "rate_limit", times=2, seconds=60))
    first = await post_x(client)
    assert first.status_code == 429
    assert int(first.headers["x-rate-limit-reset"]) == int(sandbox.state.now()) + 60
    assert (await post_x(client)).status_code == 429
    assert (await post_x(client)).status_code == 201


async def test_rate_limit_on_facebook_uses_graph_codes(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """Graph throttling is an error code (32 for a page) with usage at 100 percent."""
    sandbox.config.faults.append(Fault("facebook", "rate_limit", code=32, seconds=300))
    form = {"message": TEXT, "access_token": A.facebook_page_token}
    response = await client.post(FEED, data=form)
    assert response.json()["error"]["code"] == 32
    buc = json.loads(response.headers["X-Business-Use-Case-Usage"])
    usage = buc[A.facebook_page_id][0]
    assert usage["call_count"] == 100
    assert usage["estimated_time_to_regain_access"] == 5


async def test_rate_limit_on_linkedin_has_no_headers(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """LinkedIn's 429 carries no rate-limit headers."""
    sandbox.config.faults.append(Fault("linkedin", "rate_limit"))
    response = await client.post(LINKEDIN, json={}, headers=LI_HEADERS)
    assert response.status_code == 429
    assert "retry-after" not in response.headers


async def test_timeout_before_applies_nothing(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """A timeout before applying raises ConnectTimeout; nothing is posted."""
    sandbox.config.faults.append(Fault("x", "timeout_before"))
    with pytest.raises(httpx.ConnectTimeout):
        await post_x(client)
    assert sandbox.posts == []


async def test_timeout_after_applies_the_post(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """A timeout after applying raises ReadTimeout, yet the post exists."""
    sandbox.config.faults.append(Fault("x", "timeout_after"))
    with pytest.raises(httpx.ReadTimeout):
        await post_x(client)
    assert [p.text for p in sandbox.posts] == [TEXT]
    assert (
        await post_x(client)
    ).status_code == 403  # the duplicate shows it was applied


async def test_reset_after_applies_the_post(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """A connection reset after applying raises RemoteProtocolError; the post exists."""
    sandbox.config.faults.append(Fault("facebook", "reset_after", path="/feed"))
    form = {"message": TEXT, "access_token": A.facebook_page_token}
    with pytest.raises(httpx.RemoteProtocolError):
        await client.post(FEED, data=form)
    assert len(sandbox.posts) == 1


async def test_expired_x_token_stays_expired_until_refreshed(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """An expired OAuth 2.0 token keeps failing; the refreshed one works."""
    sandbox.config.faults.append(Fault("x", "expired_token"))
    assert (await post_x(client)).status_code == 401
    assert (await post_x(client)).status_code == 401
    pair = await client.post(
        "https://api.x.com/2/oauth2/token",
        data={"grant_type": "refresh_token", "refresh_token": A.x_oauth2_refresh_token},
        auth=(A.x_client_id, A.x_client_secret),
    )
    headers = {"Authorization": f"Bearer {pair.json()['access_token']}"}
    response = await client.post(X, json={"text": TEXT}, headers=headers)
    assert response.status_code == 201


async def test_expired_tokens_on_graph_and_linkedin(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """Graph answers 190/463; LinkedIn answers 401."""
    sandbox.config.faults += [
        Fault("facebook", "expired_token"),
        Fault("linkedin", "expired_token"),
    ]
    form = {"message": TEXT, "access_token": A.facebook_page_token}
    error = (await client.post(FEED, data=form)).json()["error"]
    assert (error["code"], error["error_subcode"]) == (190, 463)
    assert (await client.post(LINKEDIN, json={}, headers=LI_HEADERS)).status_code == 401


async def test_malformed_json_after_applying(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """The post is applied but its answer is not valid JSON."""
    sandbox.config.faults.append(Fault("x", "malformed_json"))
    response = await post_x(client)
    assert response.status_code == 201
    with pytest.raises(json.JSONDecodeError):
        response.json()
    assert len(sandbox.posts) == 1


async def test_latency_sleeps_per_request(
    client: httpx.AsyncClient, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Latency is slept (asyncio.sleep) on every request it applies to."""
    slept: list[float] = []

    async def record(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr("crosspost.sandbox.app.asyncio.sleep", record)
    sandbox.config.faults.append(Fault("x", "latency", times=None, seconds=0.25))
    await post_x(client, "one")
    await post_x(client, "two")
    assert slept == [0.25, 0.25]


def test_take_matches_platform_and_path_and_uses_faults_up() -> None:
    """A fault applies only to its platform and path, `times` times."""
    faults = [Fault("linkedin", "server_error", path="/rest/images", times=1)]
    assert take(faults, "x", "/rest/images") == (0.0, None)
    assert take(faults, "linkedin", "/rest/posts") == (0.0, None)
    assert take(faults, "linkedin", "/rest/images")[1] is faults[0]
    assert take(faults, "linkedin", "/rest/images") == (0.0, None)


def test_take_picks_one_disruption_and_all_latency() -> None:
    """Latencies add up; only the first disruptive fault applies."""
    faults = [
        Fault("*", "latency", seconds=1.0),
        Fault("x", "server_error"),
        Fault("x", "latency", seconds=0.5),
        Fault("x", "rate_limit"),
    ]
    latency, fault = take(faults, "x", "/2/tweets")
    assert latency == 1.5
    assert fault is faults[1]
    assert faults[3].times == 1
