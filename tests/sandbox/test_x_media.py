"""The fake X media endpoints: the one-shot schema, chunked upload, status."""

from __future__ import annotations

import base64

import httpx
import pytest

from crosspost.sandbox import SandboxAccounts

from .conftest import image_bytes

pytestmark = pytest.mark.anyio
API = "https://api.x.com"
TOKEN = {"Authorization": f"Bearer {SandboxAccounts().x_oauth2_access_token}"}


@pytest.mark.parametrize("field", ["media_type", "shared", "command"])
async def test_one_shot_upload_refuses_fields_outside_the_schema(
    client: httpx.AsyncClient, field: str
) -> None:
    """OpenAPI 2.167 allows media, media_category, additional_owners only: media_type
    and shared (dropped in 2.167) are refused like any unknown field."""
    response = await client.post(
        f"{API}/2/media/upload",
        files={"media": ("card.jpg", image_bytes(), "image/jpeg")},
        data={"media_category": "tweet_image", field: "image/jpeg"},
        headers=TOKEN,
    )
    assert response.status_code == 400
    message = response.json()["errors"][0]["message"]
    assert message.startswith(f"${'.'}{field}: is not defined in the schema")


async def test_additional_owners_is_allowed(client: httpx.AsyncClient) -> None:
    """additional_owners is part of the schema."""
    response = await client.post(
        f"{API}/2/media/upload",
        files={"media": ("card.jpg", image_bytes(), "image/jpeg")},
        data={"media_category": "tweet_image", "additional_owners": "42"},
        headers=TOKEN,
    )
    assert response.status_code == 200


async def test_chunked_upload_initialize_append_finalize_status(
    client: httpx.AsyncClient,
) -> None:
    """initialize, two appends (multipart and JSON), finalize, STATUS, then a post."""
    data = image_bytes(640, 360)
    half = len(data) // 2
    init = await client.post(
        f"{API}/2/media/upload/initialize",
        json={
            "media_type": "image/jpeg",
            "total_bytes": len(data),
            "media_category": "tweet_image",
        },
        headers=TOKEN,
    )
    assert init.status_code == 200
    media_id = init.json()["data"]["id"]
    assert init.json()["data"]["media_key"] == f"3_{media_id}"
    first = await client.post(
        f"{API}/2/media/upload/{media_id}/append",
        files={"media": ("chunk", data[:half], "application/octet-stream")},
        data={"segment_index": "0"},
        headers=TOKEN,
    )
    assert first.status_code == 200
    assert "expires_at" in first.json()["data"]
    second = await client.post(
        f"{API}/2/media/upload/{media_id}/append",
        json={"media": base64.b64encode(data[half:]).decode(), "segment_index": 1},
        headers=TOKEN,
    )
    assert second.status_code == 200
    done = await client.post(f"{API}/2/media/upload/{media_id}/finalize", headers=TOKEN)
    assert done.status_code == 200
    assert done.json()["data"]["image"] == {
        "image_type": "image/jpeg",
        "w": 640,
        "h": 360,
    }
    status = await client.get(
        f"{API}/2/media/upload",
        params={"media_id": media_id, "command": "STATUS"},
        headers=TOKEN,
    )
    assert status.json()["data"]["processing_info"]["state"] == "succeeded"
    body = {"text": "A chunked card.", "media": {"media_ids": [media_id]}}
    posted = await client.post(f"{API}/2/tweets", json=body, headers=TOKEN)
    assert posted.status_code == 201


async def test_chunked_upload_refuses_short_totals_and_unfinalized_media(
    client: httpx.AsyncClient,
) -> None:
    """Segments that do not add up to total_bytes fail finalize; unfinalized media
    cannot be attached; an unknown upload id is a 404."""
    data = image_bytes(64, 64)
    init = await client.post(
        f"{API}/2/media/upload/initialize",
        json={"total_bytes": len(data) + 10, "media_category": "tweet_image"},
        headers=TOKEN,
    )
    media_id = init.json()["data"]["id"]
    await client.post(
        f"{API}/2/media/upload/{media_id}/append",
        files={"media": ("chunk", data, "application/octet-stream")},
        data={"segment_index": "0"},
        headers=TOKEN,
    )
    body = {"text": "Too early.", "media": {"media_ids": [media_id]}}
    early = await client.post(f"{API}/2/tweets", json=body, headers=TOKEN)
    assert early.status_code == 400
    done = await client.post(f"{API}/2/media/upload/{media_id}/finalize", headers=TOKEN)
    assert done.status_code == 400
    assert "total_bytes" in done.json()["errors"][0]["message"]
    missing = await client.post(
        f"{API}/2/media/upload/1862000000000999999/finalize", headers=TOKEN
    )
    assert missing.status_code == 404


async def test_initialize_refuses_unknown_fields(client: httpx.AsyncClient) -> None:
    """The initialize request allows no field outside its schema."""
    response = await client.post(
        f"{API}/2/media/upload/initialize",
        json={"total_bytes": 10, "media_category": "tweet_image", "command": "INIT"},
        headers=TOKEN,
    )
    assert response.status_code == 400
