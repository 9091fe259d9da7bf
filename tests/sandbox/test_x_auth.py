"""X auth in the sandbox: OAuth 1.0a signatures, app-only refusal, refresh rotation."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from authlib.oauth1 import ClientAuth

from crosspost.sandbox import SandboxAccounts, SandboxConfig, create_sandbox

from .conftest import NOW, Clock

pytestmark = pytest.mark.anyio
API = "https://api.x.com"
A = SandboxAccounts()
TEXT = "Cooling garments eased heat-related fatigue in a small MS trial."


def signed(
    method: str, url: str, body: bytes = b"", secret: str = A.x_consumer_secret
) -> dict[str, str]:
    """Headers for a request signed the OAuth 1.0a way (JSON bodies are not signed)."""
    auth = ClientAuth(
        A.x_consumer_key,
        secret,
        token=A.x_access_token,
        token_secret=A.x_access_token_secret,
    )
    headers = {"Content-Type": "application/json"} if body else {}
    _, headers, _ = auth.prepare(method, url, headers, body)
    return dict(headers)


async def post_signed(
    client: httpx.AsyncClient, secret: str = A.x_consumer_secret
) -> httpx.Response:
    body = json.dumps({"text": TEXT}).encode()
    headers = signed("POST", f"{API}/2/tweets", body, secret)
    return await client.post(f"{API}/2/tweets", content=body, headers=headers)


async def refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post(
        f"{API}/2/oauth2/token",
        data={"grant_type": "refresh_token", "refresh_token": token},
        auth=(A.x_client_id, A.x_client_secret),
    )


async def test_oauth1_signed_post_is_accepted(
    client: httpx.AsyncClient, clock: Clock
) -> None:
    """A correctly HMAC-SHA1 signed request posts."""
    clock.now = time.time()
    response = await post_signed(client)
    assert response.status_code == 201


async def test_oauth1_signature_with_wrong_secret_is_refused(
    client: httpx.AsyncClient, clock: Clock
) -> None:
    """A signature made with another consumer secret is a 401."""
    clock.now = time.time()
    response = await post_signed(client, "not-the-secret")
    assert response.status_code == 401


async def test_oauth1_stale_timestamp_is_refused(client: httpx.AsyncClient) -> None:
    """A signature whose timestamp is far from the sandbox's clock is a 401."""
    # The sandbox clock is fixed in 2026-09, far from the signing machine's time.
    response = await post_signed(client)
    assert NOW < 1_800_000_000
    assert response.status_code == 401


async def test_oauth1_signature_covers_query_parameters(
    client: httpx.AsyncClient, clock: Clock
) -> None:
    """Tampering with a signed query parameter breaks the signature."""
    clock.now = time.time()
    headers = signed("GET", f"{API}/2/users/me?user.fields=id")
    good = await client.get(f"{API}/2/users/me?user.fields=id", headers=headers)
    assert good.status_code == 200
    headers = signed("GET", f"{API}/2/users/me?user.fields=id")
    tampered = await client.get(f"{API}/2/users/me?user.fields=name", headers=headers)
    assert tampered.status_code == 401


async def test_app_only_bearer_cannot_post(client: httpx.AsyncClient) -> None:
    """An app-only bearer token is refused with X's unsupported-authentication 403."""
    headers = {"Authorization": f"Bearer {A.x_app_bearer_token}"}
    response = await client.post(
        f"{API}/2/tweets", json={"text": TEXT}, headers=headers
    )
    assert response.status_code == 403
    assert response.json()["type"].endswith("unsupported-authentication")


async def test_refresh_rotates_and_the_old_refresh_token_dies(
    client: httpx.AsyncClient,
) -> None:
    """A refresh returns a new pair; reusing the old refresh token is a 400."""
    first = await refresh(client, A.x_oauth2_refresh_token)
    assert first.status_code == 200
    pair = first.json()
    assert pair["expires_in"] == 7200
    assert pair["refresh_token"] != A.x_oauth2_refresh_token
    again = await refresh(client, A.x_oauth2_refresh_token)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_request"
    headers = {"Authorization": f"Bearer {pair['access_token']}"}
    posted = await client.post(f"{API}/2/tweets", json={"text": TEXT}, headers=headers)
    assert posted.status_code == 201
    assert (await refresh(client, pair["refresh_token"])).status_code == 200


async def test_refresh_with_wrong_client_secret_is_401(
    client: httpx.AsyncClient,
) -> None:
    """A confidential client must present its own id and secret."""
    response = await client.post(
        f"{API}/2/oauth2/token",
        data={"grant_type": "refresh_token", "refresh_token": A.x_oauth2_refresh_token},
        auth=(A.x_client_id, "wrong"),
    )
    assert response.status_code == 401


async def test_public_client_refreshes_with_client_id_in_body(
    clock: Clock,
) -> None:
    """A public client sends client_id in the form instead of Basic auth."""
    sandbox = create_sandbox(
        SandboxConfig(clock=clock, accounts=SandboxAccounts(x_client_public=True))
    )
    async with httpx.AsyncClient(transport=sandbox.transport()) as client:
        response = await client.post(f"{API}/2/oauth2/token", data=_refresh_form())
    assert response.status_code == 200


async def test_confidential_client_must_use_basic_auth(
    client: httpx.AsyncClient,
) -> None:
    """A confidential client naming itself in the body is refused, as X does."""
    response = await client.post(f"{API}/2/oauth2/token", data=_refresh_form())
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized_client"


def _refresh_form() -> dict[str, str]:
    return {
        "grant_type": "refresh_token",
        "refresh_token": A.x_oauth2_refresh_token,
        "client_id": A.x_client_id,
    }


async def test_access_token_expires_after_two_hours(
    client: httpx.AsyncClient, clock: Clock
) -> None:
    """The OAuth 2.0 access token is refused once its 7,200 s are over."""
    headers = {"Authorization": f"Bearer {A.x_oauth2_access_token}"}
    clock.now += 7201
    response = await client.post(
        f"{API}/2/tweets", json={"text": TEXT}, headers=headers
    )
    assert response.status_code == 401


async def test_oauth1_nonce_cannot_be_replayed(
    client: httpx.AsyncClient, clock: Clock
) -> None:
    """Replaying a signed request (same nonce) is refused."""
    clock.now = time.time()
    headers = signed("GET", f"{API}/2/users/me")
    assert (await client.get(f"{API}/2/users/me", headers=headers)).status_code == 200
    assert (await client.get(f"{API}/2/users/me", headers=headers)).status_code == 401
