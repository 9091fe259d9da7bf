"""The fake X user timeline: links as t.co, entities, start_time, paging, limits."""

from __future__ import annotations

import httpx
import pytest

from crosspost.sandbox import SandboxAccounts

from .conftest import NOW, Clock, image_bytes

pytestmark = pytest.mark.anyio
A = SandboxAccounts()
API = "https://api.x.com"
TOKEN = {"Authorization": f"Bearer {A.x_oauth2_access_token}"}
TIMELINE = f"{API}/2/users/{A.x_user_id}/tweets"


async def post(client: httpx.AsyncClient, body: object) -> str:
    response = await client.post(f"{API}/2/tweets", json=body, headers=TOKEN)
    assert response.status_code == 201
    return str(response.json()["data"]["id"])


async def test_links_are_listed_as_tco_and_entities_escaped(
    client: httpx.AsyncClient,
) -> None:
    """A posted link comes back as t.co, `&` as &amp;, and an image adds its link."""
    upload = await client.post(
        f"{API}/2/media/upload",
        files={"media": ("card.jpg", image_bytes(1200, 675), "image/jpeg")},
        data={"media_category": "tweet_image"},
        headers=TOKEN,
    )
    media = upload.json()["data"]["id"]
    text = "Diet & MS relapses: https://example.org/ms-diet?utm_source=x"
    await post(client, {"text": text, "media": {"media_ids": [media]}})
    listed = (await client.get(TIMELINE, headers=TOKEN)).json()["data"]
    shown = listed[0]["text"]
    assert shown.startswith("Diet &amp; MS relapses: https://t.co/")
    assert "example.org" not in shown
    assert shown.count("https://t.co/") == 2
    assert "created_at" not in listed[0]


async def test_start_time_and_created_at(
    client: httpx.AsyncClient, clock: Clock
) -> None:
    """start_time leaves out older posts; tweet.fields=created_at adds the time."""
    await post(client, {"text": "An older MS post."})
    clock.now = NOW + 3600
    newer = await post(client, {"text": "A newer MS post."})
    params = {"start_time": "2026-09-21T15:00:00Z", "tweet.fields": "created_at"}
    listed = (await client.get(TIMELINE, params=params, headers=TOKEN)).json()
    assert [p["id"] for p in listed["data"]] == [newer]
    assert listed["data"][0]["created_at"].endswith(".000Z")
    late = {"start_time": "2030-01-01T00:00:00Z"}
    empty = (await client.get(TIMELINE, params=late, headers=TOKEN)).json()
    assert empty == {"meta": {"result_count": 0}}


async def test_pages_by_max_results_and_next_token(client: httpx.AsyncClient) -> None:
    """max_results sizes a page; next_token leads to the rest, newest first."""
    ids = [await post(client, {"text": f"MS cohort update {n}."}) for n in range(7)]
    first = (
        await client.get(TIMELINE, params={"max_results": "5"}, headers=TOKEN)
    ).json()
    assert [p["id"] for p in first["data"]] == ids[::-1][:5]
    token = first["meta"]["next_token"]
    params = {"max_results": "5", "pagination_token": token}
    rest = (await client.get(TIMELINE, params=params, headers=TOKEN)).json()
    assert [p["id"] for p in rest["data"]] == ids[::-1][5:]
    assert "next_token" not in rest["meta"]


@pytest.mark.parametrize(
    "params",
    [
        {"max_results": "4"},
        {"max_results": "101"},
        {"start_time": "last tuesday"},
        {"pagination_token": "nope"},
    ],
)
async def test_bad_parameters_are_invalid_requests(
    client: httpx.AsyncClient, params: dict[str, str]
) -> None:
    """Out-of-range max_results, a bad start_time or token are 400 problems."""
    response = await client.get(TIMELINE, params=params, headers=TOKEN)
    assert response.status_code == 400
    assert response.json()["title"] == "Invalid Request"
