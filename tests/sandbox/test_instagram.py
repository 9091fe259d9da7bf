"""The fake Instagram publishing flow: container, polls, publish, quota, limits."""

from __future__ import annotations

import httpx
import pytest

from crosspost.sandbox import Sandbox, SandboxAccounts

from .conftest import image_bytes

pytestmark = pytest.mark.anyio
A = SandboxAccounts()
GRAPH = "https://graph.facebook.com/v25.0"
TOKEN = {"access_token": A.instagram_token}
CARD = "https://cards.example.org/ms-fatigue.jpg"
CAPTION = "Exercise and fatigue in MS: what a new trial found. Link in bio."


@pytest.fixture(autouse=True)
def card(images: dict[str, bytes]) -> None:
    images[CARD] = image_bytes(1080, 1350)


async def container(client: httpx.AsyncClient, **fields: str) -> httpx.Response:
    form = {"image_url": CARD, "caption": CAPTION, "alt_text": "A chart.", **TOKEN}
    return await client.post(
        f"{GRAPH}/{A.instagram_user_id}/media", data={**form, **fields}
    )


async def status(client: httpx.AsyncClient, container_id: str) -> str:
    params = {"fields": "status_code,status", **TOKEN}
    response = await client.get(f"{GRAPH}/{container_id}", params=params)
    return str(response.json()["status_code"])


async def publish(client: httpx.AsyncClient, container_id: str) -> httpx.Response:
    return await client.post(
        f"{GRAPH}/{A.instagram_user_id}/media_publish",
        data={"creation_id": container_id, **TOKEN},
    )


async def test_full_flow_publishes_with_a_permalink(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """Container, IN_PROGRESS then FINISHED, publish, then the permalink."""
    sandbox.config.instagram_polls_in_progress = 1
    container_id = (await container(client)).json()["id"]
    assert await status(client, container_id) == "IN_PROGRESS"
    assert await status(client, container_id) == "FINISHED"
    media_id = (await publish(client, container_id)).json()["id"]
    params = {"fields": "permalink", **TOKEN}
    node = (await client.get(f"{GRAPH}/{media_id}", params=params)).json()
    assert node["permalink"].startswith("https://www.instagram.com/p/")
    assert sandbox.posts[0].text == CAPTION
    assert sandbox.posts[0].fields["alt_text"] == "A chart."
    assert await status(client, container_id) == "PUBLISHED"


async def test_publishing_early_is_9007_2207027(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """Publishing before the container is FINISHED is refused and nothing is posted."""
    sandbox.config.instagram_polls_in_progress = 1
    container_id = (await container(client)).json()["id"]
    error = (await publish(client, container_id)).json()["error"]
    assert (error["code"], error["error_subcode"]) == (9007, 2207027)
    assert sandbox.posts == []


async def test_polls_in_progress_are_configurable(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """With three slow polls, the fourth status read is FINISHED."""
    sandbox.config.instagram_polls_in_progress = 3
    container_id = (await container(client)).json()["id"]
    seen = [await status(client, container_id) for _ in range(4)]
    assert seen == ["IN_PROGRESS"] * 3 + ["FINISHED"]


async def test_an_image_container_publishes_without_a_status_poll(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """An image container is ready at once: media_publish right after creating it
    works, as in Meta's publishing guide."""
    container_id = (await container(client)).json()["id"]
    published = await publish(client, container_id)
    assert published.status_code == 200
    assert sandbox.posts[0].text == CAPTION


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (image_bytes(1080, 1080, "PNG"), (36001, 2207005)),
        (image_bytes(1000, 2000), (36003, 2207009)),
        (image_bytes(2000, 1000), (36003, 2207009)),
        # JPEG readers stop at the end-of-image marker: this is a 9 MiB JPEG file.
        (image_bytes() + bytes(9 * 1024 * 1024), (36000, 2207004)),
    ],
)
async def test_bad_images_are_refused_at_creation(
    client: httpx.AsyncClient,
    images: dict[str, bytes],
    sandbox: Sandbox,
    data: bytes,
    expected: tuple[int, int],
) -> None:
    """A non-JPEG, out-of-range aspect or over-8-MiB image is refused by the
    container request itself (400 with Instagram's code and subcode), not at the
    status poll."""
    images[CARD] = data
    response = await container(client)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["error_subcode"]) == expected
    assert error["is_transient"] is False
    assert error["error_user_msg"]
    assert sandbox.state.graph.containers == {}


async def test_unreachable_image_url_is_refused(client: httpx.AsyncClient) -> None:
    """An image_url the platform cannot fetch is refused with subcode 2207052."""
    response = await container(client, image_url="https://intranet.local/card.jpg")
    assert response.json()["error"]["error_subcode"] == 2207052


@pytest.mark.parametrize(
    ("caption", "code", "subcode"),
    [
        ("x" * 2201, 36004, 2207010),
        (" ".join(f"#tag{n}" for n in range(31)), 100, None),
        (" ".join(f"@neuro{n}" for n in range(21)), 100, 2207040),
    ],
)
async def test_caption_limits(
    client: httpx.AsyncClient, caption: str, code: int, subcode: int | None
) -> None:
    """Over 2,200 characters (36004/2207010), 30 hashtags or 20 @ tags (100/2207040)
    is refused."""
    response = await container(client, caption=caption)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error.get("error_subcode")) == (code, subcode)


async def test_caption_at_the_limits_is_accepted(client: httpx.AsyncClient) -> None:
    """Exactly 30 hashtags and 20 mentions are allowed."""
    caption = (
        " ".join(f"#tag{n}" for n in range(30))
        + " "
        + " ".join(f"@neuro{n}" for n in range(20))
    )
    assert (await container(client, caption=caption)).status_code == 200


async def test_quota_is_reported_and_enforced(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """content_publishing_limit counts posts; over quota_total is code 9 / 2207042."""
    sandbox.config.instagram_quota_total = 1
    sandbox.config.instagram_polls_in_progress = 0
    first = (await container(client)).json()["id"]
    await status(client, first)
    assert (await publish(client, first)).status_code == 200
    params = {"fields": "quota_usage,config", **TOKEN}
    limit = await client.get(
        f"{GRAPH}/{A.instagram_user_id}/content_publishing_limit", params=params
    )
    assert limit.json() == {
        "data": [
            {"quota_usage": 1, "config": {"quota_total": 1, "quota_duration": 86400}}
        ]
    }
    second = (await container(client, caption="Another finding.")).json()["id"]
    await status(client, second)
    error = (await publish(client, second)).json()["error"]
    assert (error["code"], error["error_subcode"]) == (9, 2207042)


async def test_published_container_cannot_publish_twice(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """A second media_publish of the same container is refused; one post exists."""
    sandbox.config.instagram_polls_in_progress = 0
    container_id = (await container(client)).json()["id"]
    await status(client, container_id)
    await publish(client, container_id)
    assert (await publish(client, container_id)).status_code == 400
    assert len(sandbox.posts) == 1


async def test_page_token_also_works_for_instagram(client: httpx.AsyncClient) -> None:
    """Instagram with Facebook Login accepts the page token too; a wrong one is 190."""
    response = await client.get(
        f"{GRAPH}/{A.instagram_user_id}",
        params={"fields": "id,username", "access_token": A.facebook_page_token},
    )
    assert response.json()["username"] == A.instagram_username
    wrong = await client.get(
        f"{GRAPH}/{A.instagram_user_id}", params={"access_token": "x"}
    )
    assert wrong.json()["error"]["code"] == 190
