"""The fake LinkedIn Posts API: its schema, reading a post, deleting, ghosts, and the
permissions each call needs."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from crosspost.sandbox import Sandbox, SandboxAccounts

from .conftest import Clock
from .test_linkedin import API, HEADERS, ORG, body, create

pytestmark = pytest.mark.anyio
A = SandboxAccounts()


def encoded(urn: str) -> str:
    return urn.replace(":", "%3A")


async def get_post(client: httpx.AsyncClient, urn: str) -> httpx.Response:
    return await client.get(f"{API}/rest/posts/{encoded(urn)}", headers=HEADERS)


@pytest.mark.parametrize(
    ("extra", "path"),
    [
        ({"commentry": "typo"}, "/commentry"),
        ({"content": {"article": {"source": "https://x.org", "titel": "T"}}},
         "/content/article/titel"),
        ({"distribution": {"feedDistribution": "MAIN_FEED", "feed": "x"}},
         "/distribution/feed"),
    ],
)  # fmt: skip
async def test_unknown_or_misspelt_fields_are_422(
    client: httpx.AsyncClient, sandbox: Sandbox, extra: dict[str, Any], path: str
) -> None:
    """A field the Posts schema lacks is refused, naming its path, and nothing posts."""
    response = await create(client, {**body(), **extra})
    assert response.status_code == 422
    message = response.json()["message"]
    assert f"ERROR :: {path} :: unrecognized field found but not allowed" in message
    assert sandbox.posts == []


async def test_get_post_by_urn(client: httpx.AsyncClient) -> None:
    """GET /rest/posts/{encoded urn} answers the post as shown; unknown ones 404."""
    urn = (await create(client, body())).headers["x-restli-id"]
    post = (await get_post(client, urn)).json()
    assert post["id"] == urn
    assert post["author"] == ORG
    assert post["lifecycleState"] == "PUBLISHED"
    assert post["commentary"].startswith("Myelin repair")
    missing = await get_post(client, "urn:li:share:7400000000000999999")
    assert missing.status_code == 404


async def test_deleted_post_is_a_ghost_duplicate(
    client: httpx.AsyncClient, sandbox: Sandbox, clock: Clock
) -> None:
    """After DELETE, the post 404s, yet its text is still refused as a duplicate of
    it for 48 hours; after that it can be posted again."""
    urn = (await create(client, body())).headers["x-restli-id"]
    deleted = await client.delete(f"{API}/rest/posts/{encoded(urn)}", headers=HEADERS)
    assert deleted.status_code == 204
    assert (await get_post(client, urn)).status_code == 404
    assert sandbox.posts == []
    again = await create(client, body())
    assert again.status_code == 422
    assert again.json()["message"].endswith(f"duplicate of {urn}")
    clock.now += 48 * 3600
    assert (await create(client, body())).status_code == 201


@pytest.mark.parametrize(
    ("scope", "refused"),
    [
        ("rw_organization_admin", f"/rest/organizations/{A.linkedin_organization_id}"),
        ("r_organization_social", f"/rest/posts?q=author&author={encoded(ORG)}"),
    ],
)
async def test_reads_need_their_own_permissions(
    client: httpx.AsyncClient, sandbox: Sandbox, scope: str, refused: str
) -> None:
    """Without rw_organization_admin the organisation lookup is 403; without
    r_organization_social reading posts is; posting needs neither."""
    sandbox.config.linkedin_scopes = sandbox.config.linkedin_scopes - {scope}
    response = await client.get(f"{API}{refused}", headers=HEADERS)
    assert response.status_code == 403
    assert response.json()["code"] == "ACCESS_DENIED"
    assert (await create(client, body())).status_code == 201


async def test_posting_needs_w_organization_social(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """Without w_organization_social an organisation post is 403."""
    sandbox.config.linkedin_scopes = frozenset({"r_organization_social"})
    assert (await create(client, body())).status_code == 403
