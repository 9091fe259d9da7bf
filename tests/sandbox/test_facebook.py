"""The fake Facebook Page API: feed and photo posts, permalinks, Graph errors."""

from __future__ import annotations

import httpx
import pytest

from crosspost.sandbox import Sandbox, SandboxAccounts

from .conftest import image_bytes

pytestmark = pytest.mark.anyio
A = SandboxAccounts()
GRAPH = "https://graph.facebook.com/v25.0"
TOKEN = {"access_token": A.facebook_page_token}
MESSAGE = "New summary: walking programmes and fatigue in progressive MS."


async def test_feed_post_answers_page_and_post_id(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """A feed post with message and link answers {"id": "<page>_<post>"}."""
    form = {"message": MESSAGE, "link": "https://example.org/s/1", **TOKEN}
    response = await client.post(f"{GRAPH}/{A.facebook_page_id}/feed", data=form)
    assert response.status_code == 200
    post_id = response.json()["id"]
    assert post_id.startswith(f"{A.facebook_page_id}_")
    assert sandbox.posts[0].text == MESSAGE
    assert "access_token" not in sandbox.posts[0].fields


async def test_permalink_can_be_read_back_and_opened(client: httpx.AsyncClient) -> None:
    """GET /{post-id}?fields=permalink_url answers a URL the sandbox itself serves."""
    form = {"message": MESSAGE, **TOKEN}
    post_id = (
        await client.post(f"{GRAPH}/{A.facebook_page_id}/feed", data=form)
    ).json()["id"]
    params = {"fields": "permalink_url", **TOKEN}
    node = (await client.get(f"{GRAPH}/{post_id}", params=params)).json()
    assert node["id"] == post_id
    page = await client.get(node["permalink_url"])
    assert page.status_code == 200
    assert "walking programmes" in page.text


async def test_bearer_header_is_accepted(client: httpx.AsyncClient) -> None:
    """The page token may come as an Authorization: Bearer header."""
    headers = {"Authorization": f"Bearer {A.facebook_page_token}"}
    response = await client.post(
        f"{GRAPH}/{A.facebook_page_id}/feed", data={"message": MESSAGE}, headers=headers
    )
    assert response.status_code == 200


async def test_duplicate_message_is_506(client: httpx.AsyncClient) -> None:
    """The same message twice is refused with code 506 in the Graph envelope."""
    form = {"message": MESSAGE, **TOKEN}
    await client.post(f"{GRAPH}/{A.facebook_page_id}/feed", data=form)
    response = await client.post(f"{GRAPH}/{A.facebook_page_id}/feed", data=form)
    error = response.json()["error"]
    assert error["code"] == 506
    assert error["fbtrace_id"]


async def test_empty_post_is_invalid_parameter(client: httpx.AsyncClient) -> None:
    """Neither message nor link is code 100."""
    response = await client.post(f"{GRAPH}/{A.facebook_page_id}/feed", data=TOKEN)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == 100


async def test_another_page_is_refused(client: httpx.AsyncClient) -> None:
    """Posting to a page the token does not manage is code 100, subcode 33."""
    form = {"message": MESSAGE, **TOKEN}
    response = await client.post(f"{GRAPH}/1234567/feed", data=form)
    error = response.json()["error"]
    assert (error["code"], error["error_subcode"]) == (100, 33)


async def test_photo_upload_answers_photo_and_post_ids(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """A multipart `source` photo with caption and alt text answers id and post_id."""
    response = await client.post(
        f"{GRAPH}/{A.facebook_page_id}/photos",
        data={"caption": MESSAGE, "alt_text_custom": "A bar chart.", **TOKEN},
        files={"source": ("card.jpg", image_bytes(1200, 630), "image/jpeg")},
    )
    body = response.json()
    assert set(body) == {"id", "post_id"}
    assert body["post_id"].startswith(f"{A.facebook_page_id}_")
    assert sandbox.posts[0].fields["alt_text_custom"] == "A bar chart."


async def test_photo_by_url_is_fetched(
    client: httpx.AsyncClient, images: dict[str, bytes]
) -> None:
    """A photo by `url` is fetched; an unreachable URL is code 324."""
    images["https://cards.example.org/1.jpg"] = image_bytes(800, 800)
    ok = await client.post(
        f"{GRAPH}/{A.facebook_page_id}/photos",
        data={"url": "https://cards.example.org/1.jpg", "caption": MESSAGE, **TOKEN},
    )
    assert "post_id" in ok.json()
    missing = await client.post(
        f"{GRAPH}/{A.facebook_page_id}/photos",
        data={"url": "https://cards.example.org/2.jpg", "caption": MESSAGE, **TOKEN},
    )
    assert missing.json()["error"]["code"] == 324


async def test_me_names_the_page(client: httpx.AsyncClient) -> None:
    """GET /me with the page token answers the page's id and name (for check())."""
    response = await client.get(f"{GRAPH}/me", params=TOKEN)
    assert response.json() == {"id": A.facebook_page_id, "name": A.facebook_page_name}


async def test_feed_can_be_listed(client: httpx.AsyncClient) -> None:
    """The page's feed lists posts with their messages, for reconciliation."""
    await client.post(
        f"{GRAPH}/{A.facebook_page_id}/feed", data={"message": MESSAGE, **TOKEN}
    )
    listed = await client.get(f"{GRAPH}/{A.facebook_page_id}/feed", params=TOKEN)
    assert [p["message"] for p in listed.json()["data"]] == [MESSAGE]


async def test_feed_pages_with_an_after_cursor(client: httpx.AsyncClient) -> None:
    """limit sizes a page; paging.next and cursors.after lead to the rest."""
    for n in range(3):
        await client.post(
            f"{GRAPH}/{A.facebook_page_id}/feed",
            data={"message": f"{MESSAGE} ({n})", **TOKEN},
        )
    feed = f"{GRAPH}/{A.facebook_page_id}/feed"
    first = (await client.get(feed, params={**TOKEN, "limit": "2"})).json()
    assert [p["message"][-3:] for p in first["data"]] == ["(2)", "(1)"]
    assert "after=" in first["paging"]["next"]
    after = first["paging"]["cursors"]["after"]
    rest = await client.get(feed, params={**TOKEN, "limit": "2", "after": after})
    assert [p["message"][-3:] for p in rest.json()["data"]] == ["(0)"]
    assert "paging" not in rest.json()
    bad = await client.get(feed, params={**TOKEN, "after": "***"})
    assert bad.json()["error"]["code"] == 100
