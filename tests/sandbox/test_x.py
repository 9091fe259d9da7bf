"""The fake X API: posts, replies, media, limits, duplicates, per the reference."""

from __future__ import annotations

import base64

import httpx
import pytest

from crosspost.sandbox import Sandbox, SandboxAccounts
from crosspost.sandbox.x import weighted_length

from .conftest import image_bytes

pytestmark = pytest.mark.anyio
API = "https://api.x.com"
TOKEN = {"Authorization": f"Bearer {SandboxAccounts().x_oauth2_access_token}"}
FINDING = "Vitamin D levels tracked with relapse rates in 412 people with MS."


async def post(client: httpx.AsyncClient, body: object) -> httpx.Response:
    return await client.post(f"{API}/2/tweets", json=body, headers=TOKEN)


async def upload(client: httpx.AsyncClient, data: bytes) -> httpx.Response:
    return await client.post(
        f"{API}/2/media/upload",
        files={"media": ("card.jpg", data, "image/jpeg")},
        data={"media_category": "tweet_image"},
        headers=TOKEN,
    )


async def test_text_post_is_created_with_a_19_digit_string_id(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """A text post answers 201 with data.id (19 digits), text and edit history."""
    response = await post(client, {"text": FINDING})
    assert response.status_code == 201
    data = response.json()["data"]
    assert len(data["id"]) == 19
    assert data["id"].isdigit()
    assert data == {
        "id": data["id"],
        "text": FINDING,
        "edit_history_tweet_ids": [data["id"]],
    }
    assert sandbox.posts[0].text == FINDING
    assert sandbox.posts[0].url.endswith(f"/status/{data['id']}")


async def test_rate_limit_headers_come_with_every_post(
    client: httpx.AsyncClient,
) -> None:
    """x-rate-limit-* headers are on a created post, the reset in epoch seconds."""
    response = await post(client, {"text": FINDING})
    assert response.headers["x-rate-limit-limit"] == "100"
    assert response.headers["x-rate-limit-remaining"] == "99"
    assert int(response.headers["x-rate-limit-reset"]) > 1_700_000_000


async def test_24_hour_caps_are_reported_and_enforced(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """x-app-limit-24hour-* always, x-user-limit-24hour-* when a user cap is set; a
    spent daily cap is a 429 whose headers say so and when it resets."""
    first = await post(client, {"text": FINDING})
    assert first.headers["x-app-limit-24hour-limit"] == "10000"
    assert first.headers["x-app-limit-24hour-remaining"] == "9999"
    assert "x-user-limit-24hour-limit" not in first.headers
    sandbox.config.x_user_posts_per_day = 2
    second = await post(client, {"text": FINDING + " (2)"})
    assert second.headers["x-user-limit-24hour-remaining"] == "0"
    refused = await post(client, {"text": FINDING + " (3)"})
    assert refused.status_code == 429
    assert refused.headers["x-rate-limit-remaining"] == "98"
    assert refused.headers["x-user-limit-24hour-remaining"] == "0"
    reset = int(refused.headers["x-user-limit-24hour-reset"])
    assert reset == int(sandbox.posts[0].created_at) + 86400


async def test_unknown_keys_are_refused(client: httpx.AsyncClient) -> None:
    """The request schema allows no additional properties: an unknown key is a 400."""
    response = await post(client, {"text": FINDING, "link": "https://example.org"})
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "https://api.x.com/2/problems/invalid-request"
    assert "$.link" in body["errors"][0]["message"]


async def test_too_long_text_is_refused(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """281 weighted characters: a 400 invalid request whose errors[].message says
    "Your Tweet text is too long." (as X answers; not a 403)."""
    response = await post(client, {"text": "a" * 281})
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "https://api.x.com/2/problems/invalid-request"
    assert body["errors"][0]["message"].startswith("Your Tweet text is too long.")
    assert sandbox.posts == []


async def test_exactly_280_is_accepted(client: httpx.AsyncClient) -> None:
    """280 weighted characters are the limit, not over it."""
    assert (await post(client, {"text": "b" * 280})).status_code == 201


def test_weighted_length_counts_urls_as_23() -> None:
    """A long URL weighs 23 whatever its length."""
    assert weighted_length("See https://example.org/" + "x" * 100) == 4 + 23


async def test_duplicate_text_is_refused(client: httpx.AsyncClient) -> None:
    """Posting the same text twice answers 403 with X's duplicate problem."""
    assert (await post(client, {"text": FINDING})).status_code == 201
    response = await post(client, {"text": FINDING})
    assert response.status_code == 403
    assert response.json() == {
        "title": "Forbidden",
        "detail": "You are not allowed to create a Tweet with duplicate content.",
        "type": "about:blank",
        "status": 403,
    }


async def test_reply_to_an_existing_post_makes_a_thread(
    client: httpx.AsyncClient,
) -> None:
    """A reply naming an existing post is accepted."""
    first = (await post(client, {"text": "1/2 " + FINDING})).json()["data"]["id"]
    reply = {
        "text": "2/2 More in the summary.",
        "reply": {"in_reply_to_tweet_id": first},
    }
    response = await post(client, reply)
    assert response.status_code == 201


async def test_reply_to_a_missing_post_is_refused(client: httpx.AsyncClient) -> None:
    """A reply naming no existing post is a 403 "deleted or not visible"."""
    reply = {"text": "2/2", "reply": {"in_reply_to_tweet_id": "1861000000000999999"}}
    response = await post(client, reply)
    assert response.status_code == 403
    assert "deleted or not visible" in response.json()["detail"]


async def test_self_replies_can_be_restricted(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """With self-replies restricted, a thread's second part meets the reply rule."""
    sandbox.config.x_self_replies_allowed = False
    first = (await post(client, {"text": FINDING})).json()["data"]["id"]
    reply = {"text": "2/2", "reply": {"in_reply_to_tweet_id": first}}
    response = await post(client, reply)
    assert response.status_code == 403
    assert "not been mentioned" in response.json()["detail"]


async def test_image_post_with_uploaded_media_and_alt_text(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """Upload, alt text, then a post naming the media id: all accepted."""
    uploaded = await upload(client, image_bytes(1200, 675))
    assert uploaded.status_code == 200
    media = uploaded.json()["data"]
    assert media["image"] == {"image_type": "image/jpeg", "w": 1200, "h": 675}
    alt = {
        "id": media["id"],
        "metadata": {"alt_text": {"text": "A chart of relapses."}},
    }
    described = await client.post(f"{API}/2/media/metadata", json=alt, headers=TOKEN)
    assert described.status_code == 200
    body = {"text": FINDING, "media": {"media_ids": [media["id"]]}}
    assert (await post(client, body)).status_code == 201
    assert sandbox.posts[0].fields["media"] == {"media_ids": [media["id"]]}


async def test_base64_json_upload_is_accepted(client: httpx.AsyncClient) -> None:
    """The JSON form of the one-shot upload carries base64 media."""
    body = {
        "media": base64.b64encode(image_bytes(64, 64, "PNG")).decode(),
        "media_category": "tweet_image",
    }
    response = await client.post(f"{API}/2/media/upload", json=body, headers=TOKEN)
    assert response.status_code == 200
    assert response.json()["data"]["image"]["image_type"] == "image/png"


async def test_upload_without_category_or_with_old_command_is_refused(
    client: httpx.AsyncClient,
) -> None:
    """media_category is required and the retired command=INIT form is refused."""
    files = {"media": ("card.jpg", image_bytes(), "image/jpeg")}
    missing = await client.post(f"{API}/2/media/upload", files=files, headers=TOKEN)
    assert missing.status_code == 400
    old = await client.post(
        f"{API}/2/media/upload",
        files=files,
        data={"media_category": "tweet_image", "command": "INIT"},
        headers=TOKEN,
    )
    assert old.status_code == 400


async def test_unknown_media_id_is_refused(client: httpx.AsyncClient) -> None:
    """A post naming media that was never uploaded is a 400 naming the ids."""
    body = {"text": FINDING, "media": {"media_ids": ["1862000000000000001"]}}
    response = await post(client, body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameters"] == {
        "media.media_ids": ["1862000000000000001"]
    }


async def test_alt_text_over_1000_characters_is_refused(
    client: httpx.AsyncClient,
) -> None:
    """Alt text is limited to 1,000 characters."""
    media = (await upload(client, image_bytes(100, 100))).json()["data"]
    alt = {"id": media["id"], "metadata": {"alt_text": {"text": "x" * 1001}}}
    response = await client.post(f"{API}/2/media/metadata", json=alt, headers=TOKEN)
    assert response.status_code == 400


async def test_a_non_image_upload_is_refused(client: httpx.AsyncClient) -> None:
    """Bytes that are not an image are refused."""
    response = await upload(client, b"not an image at all")
    assert response.status_code == 400


async def test_posts_over_the_window_limit_get_429(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """After the per-window limit, a post answers 429 with remaining 0."""
    sandbox.config.x_posts_per_window = 2
    for n in range(2):
        assert (await post(client, {"text": f"{FINDING} ({n})"})).status_code == 201
    response = await post(client, {"text": FINDING})
    assert response.status_code == 429
    assert response.headers["x-rate-limit-remaining"] == "0"
    assert "retry-after" not in response.headers


async def test_users_me_and_listing(client: httpx.AsyncClient) -> None:
    """GET /2/users/me names the account; its posts can be listed for reconciliation."""
    me = (await client.get(f"{API}/2/users/me", headers=TOKEN)).json()["data"]
    assert me["username"] == SandboxAccounts().x_username
    await post(client, {"text": FINDING})
    listed = await client.get(f"{API}/2/users/{me['id']}/tweets", headers=TOKEN)
    assert [p["text"] for p in listed.json()["data"]] == [FINDING]


async def test_app_only_bearer_reads_the_timeline_but_cannot_post(
    client: httpx.AsyncClient,
) -> None:
    """GET /2/users/:id/tweets takes the app-only bearer; POST /2/tweets refuses it."""
    app = {"Authorization": f"Bearer {SandboxAccounts().x_app_bearer_token}"}
    user_id = SandboxAccounts().x_user_id
    listed = await client.get(f"{API}/2/users/{user_id}/tweets", headers=app)
    assert listed.status_code == 200
    refused = await client.post(f"{API}/2/tweets", json={"text": FINDING}, headers=app)
    assert refused.status_code == 403
    me = await client.get(f"{API}/2/users/me", headers=app)
    assert me.status_code == 403


async def test_no_credentials_is_401(client: httpx.AsyncClient) -> None:
    """A request without credentials is a 401 problem."""
    response = await client.post(f"{API}/2/tweets", json={"text": FINDING})
    assert response.status_code == 401
    assert response.json()["title"] == "Unauthorized"
