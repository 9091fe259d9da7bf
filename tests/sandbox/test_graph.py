"""The shared Graph host: version in the path, tokens, usage headers, throttling."""

from __future__ import annotations

import json

import httpx
import pytest

from crosspost.sandbox import Sandbox, SandboxAccounts

pytestmark = pytest.mark.anyio
A = SandboxAccounts()
GRAPH = "https://graph.facebook.com"


@pytest.mark.parametrize(
    ("path", "served"),
    [("/me", "v25.0"), ("/v25.0/me", "v25.0"), ("/v2.4/me", "v22.0")],
)
async def test_versions_are_served_as_graph_serves_them(
    client: httpx.AsyncClient, path: str, served: str
) -> None:
    """An unversioned call gets the app's default version; an expired version gets
    the oldest available; facebook-api-version says which answered."""
    response = await client.get(
        f"{GRAPH}{path}", params={"access_token": A.facebook_page_token}
    )
    assert response.status_code == 200
    assert response.json()["id"] == A.facebook_page_id
    assert response.headers["facebook-api-version"] == served


async def test_missing_and_invalid_tokens(client: httpx.AsyncClient) -> None:
    """No token is code 104; an unknown token is code 190."""
    missing = await client.get(f"{GRAPH}/v25.0/me")
    assert missing.json()["error"]["code"] == 104
    invalid = await client.get(f"{GRAPH}/v25.0/me", params={"access_token": "nope"})
    assert invalid.json()["error"]["code"] == 190
    assert invalid.json()["error"]["type"] == "OAuthException"


async def test_usage_headers_are_on_every_answer(client: httpx.AsyncClient) -> None:
    """X-App-Usage and X-Business-Use-Case-Usage carry percentages, even on errors."""
    for params in ({"access_token": A.facebook_page_token}, {}):
        response = await client.get(f"{GRAPH}/v25.0/me", params=params)
        app = json.loads(response.headers["X-App-Usage"])
        assert set(app) == {"call_count", "total_cputime", "total_time"}
        buc = json.loads(response.headers["X-Business-Use-Case-Usage"])
        assert buc[A.facebook_page_id][0]["type"] == "pages"


async def test_app_limit_throttles_with_code_4(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """Reaching the hourly call limit is code 4 with usage at 100 percent."""
    sandbox.config.graph_calls_per_hour = 3
    params = {"access_token": A.facebook_page_token}
    codes = [
        (await client.get(f"{GRAPH}/v25.0/me", params=params)).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 400]
    response = await client.get(f"{GRAPH}/v25.0/me", params=params)
    assert response.json()["error"]["code"] == 4
    assert json.loads(response.headers["X-App-Usage"])["call_count"] == 100
