"""The fake LinkedIn Posts and Images APIs: headers, fields, truncation, uploads."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from crosspost.sandbox import Fault, Sandbox, SandboxAccounts

from .conftest import Clock, image_bytes

pytestmark = pytest.mark.anyio
A = SandboxAccounts()
API = "https://api.linkedin.com"
ORG = f"urn:li:organization:{A.linkedin_organization_id}"
HEADERS = {
    "Authorization": f"Bearer {A.linkedin_token}",
    "LinkedIn-Version": "202605",
    "X-Restli-Protocol-Version": "2.0.0",
}
ESCAPED = "Myelin repair: a drug candidate \\(clemastine\\) showed early signs."


def body(commentary: str = ESCAPED, **extra: Any) -> dict[str, Any]:
    return {
        "author": ORG,
        "commentary": commentary,
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
        **extra,
    }


async def create(
    client: httpx.AsyncClient, data: dict[str, Any], headers: dict[str, str] = HEADERS
) -> httpx.Response:
    return await client.post(f"{API}/rest/posts", json=data, headers=headers)


async def initialize_upload(client: httpx.AsyncClient) -> dict[str, Any]:
    """The `value` of an initializeUpload for the organisation: URL, image URN."""
    init = await client.post(
        f"{API}/rest/images?action=initializeUpload",
        json={"initializeUploadRequest": {"owner": ORG}},
        headers=HEADERS,
    )
    value: dict[str, Any] = init.json()["value"]
    return value


async def test_post_answers_201_empty_with_urn_header(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """201 with an empty body and the URN in x-restli-id; escapes undone for display."""
    response = await create(client, body())
    assert response.status_code == 201
    assert response.content == b""
    urn = response.headers["x-restli-id"]
    assert urn.startswith("urn:li:share:")
    assert (
        sandbox.posts[0].text
        == "Myelin repair: a drug candidate (clemastine) showed early signs."
    )
    assert sandbox.posts[0].url == f"https://www.linkedin.com/feed/update/{urn}/"


async def test_unescaped_parenthesis_silently_truncates(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """An unescaped "(" is accepted with 201 and everything from it on is dropped."""
    response = await create(
        client, body("Myelin repair (early signs) in a small trial.")
    )
    assert response.status_code == 201
    assert sandbox.posts[0].text == "Myelin repair "


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ("LinkedIn-Version", 400),
        ("X-Restli-Protocol-Version", 400),
        ("Authorization", 401),
    ],
)
async def test_required_headers(
    client: httpx.AsyncClient, header: str, status: int
) -> None:
    """Each of the three required headers missing is refused."""
    headers = {k: v for k, v in HEADERS.items() if k != header}
    assert (await create(client, body(), headers)).status_code == status


@pytest.mark.parametrize("version", ["209901", "202401"])
async def test_inactive_version_is_426(client: httpx.AsyncClient, version: str) -> None:
    """A future or sunset LinkedIn-Version answers 426."""
    headers = {**HEADERS, "LinkedIn-Version": version}
    assert (await create(client, body(), headers)).status_code == 426


async def test_missing_fields_are_422_each_named(client: httpx.AsyncClient) -> None:
    """Every missing required field is named in LinkedIn's message form."""
    data = body()
    del data["author"], data["lifecycleState"]
    response = await create(client, data)
    assert response.status_code == 422
    message = response.json()["message"]
    assert (
        "ERROR :: /author :: field is required but not found and has no default value"
        in message
    )
    assert "ERROR :: /lifecycleState :: field is required" in message


async def test_duplicate_names_the_existing_urn(client: httpx.AsyncClient) -> None:
    """The same commentary twice is 422 naming the earlier post's URN."""
    urn = (await create(client, body())).headers["x-restli-id"]
    response = await create(client, body())
    assert response.status_code == 422
    answer = response.json()
    assert answer["message"].endswith(f"Content is a duplicate of {urn}")
    assert answer["errorDetails"]["inputErrors"][0]["code"] == "DUPLICATE_POST"
    assert answer["status"] == 422


async def test_commentary_over_3000_is_refused(client: httpx.AsyncClient) -> None:
    """More than 3,000 characters of commentary is refused."""
    assert (await create(client, body("y" * 3001))).status_code == 422


async def test_wrong_author_is_403(client: httpx.AsyncClient) -> None:
    """An author the token cannot post as is refused."""
    data = body(author="urn:li:organization:1")
    assert (await create(client, data)).status_code == 403


async def test_not_json_is_400(client: httpx.AsyncClient) -> None:
    """A body that is not JSON is "could not be converted to data map"."""
    response = await client.post(f"{API}/rest/posts", content=b"{", headers=HEADERS)
    assert response.status_code == 400
    assert "data map" in response.json()["message"]


async def test_image_post_needs_an_uploaded_image(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """initializeUpload, PUT the bytes with the bearer, then post the image URN."""
    value = await initialize_upload(client)
    assert value["uploadUrl"].startswith("https://www.linkedin.com/dms-uploads/")
    media = {"media": {"id": value["image"], "altText": "A scan."}}
    early = await create(client, body(content=media))
    assert early.status_code == 422
    bearer = {"Authorization": HEADERS["Authorization"]}
    unauthorised = await client.put(value["uploadUrl"], content=image_bytes())
    assert unauthorised.status_code == 401
    put = await client.put(value["uploadUrl"], content=image_bytes(), headers=bearer)
    assert put.status_code == 201
    assert (await create(client, body(content=media))).status_code == 201
    assert sandbox.posts[0].fields["content"] == media


async def test_article_post(client: httpx.AsyncClient) -> None:
    """A link post carries content.article with its source."""
    article = {
        "article": {"source": "https://example.org/s/2", "title": "Myelin repair"}
    }
    assert (await create(client, body(content=article))).status_code == 201
    bad = {"article": {"title": "no source"}}
    assert (await create(client, body("Other text", content=bad))).status_code == 422


async def test_daily_limit_is_429_without_headers(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """Past the daily limit, 429 with no rate-limit or Retry-After headers."""
    sandbox.config.linkedin_posts_per_day = 1
    await create(client, body())
    response = await create(client, body("A second, different post."))
    assert response.status_code == 429
    assert "retry-after" not in response.headers
    assert not any(name.startswith("x-ratelimit") for name in response.headers)


async def test_organization_and_userinfo_for_check(client: httpx.AsyncClient) -> None:
    """GET /rest/organizations/{id} and /v2/userinfo answer who the token is."""
    org = await client.get(
        f"{API}/rest/organizations/{A.linkedin_organization_id}", headers=HEADERS
    )
    assert org.json()["localizedName"] == A.linkedin_organization_name
    bearer = {"Authorization": HEADERS["Authorization"]}
    me = await client.get(f"{API}/v2/userinfo", headers=bearer)
    assert me.json()["sub"] == A.linkedin_person_id


async def test_posts_can_be_listed_by_author(client: httpx.AsyncClient) -> None:
    """GET /rest/posts?q=author lists the author's posts, for reconciliation."""
    await create(client, body())
    listed = await client.get(
        f"{API}/rest/posts", params={"q": "author", "author": ORG}, headers=HEADERS
    )
    assert [p["author"] for p in listed.json()["elements"]] == [ORG]


async def test_image_status_by_encoded_urn(client: httpx.AsyncClient) -> None:
    """GET /rest/images/{urn} (URL-encoded, Rest.li 2.0) reports the upload state."""
    urn = (await initialize_upload(client))["image"]
    encoded = urn.replace(":", "%3A")
    response = await client.get(f"{API}/rest/images/{encoded}", headers=HEADERS)
    assert response.json() == {"id": urn, "status": "WAITING_UPLOAD"}


async def test_expired_upload_url_is_refused(
    client: httpx.AsyncClient, clock: Clock
) -> None:
    """An upload URL past uploadUrlExpiresAt no longer takes bytes."""
    value = await initialize_upload(client)
    clock.now = value["uploadUrlExpiresAt"] / 1000 + 1
    bearer = {"Authorization": HEADERS["Authorization"]}
    put = await client.put(value["uploadUrl"], content=image_bytes(), headers=bearer)
    assert put.status_code == 404


async def test_posts_by_author_page_by_count_and_start(
    client: httpx.AsyncClient,
) -> None:
    """count and start page the author's posts, newest first, as shown."""
    for n in range(3):
        created = await client.post(
            f"{API}/rest/posts", json=body(f"{ESCAPED} Part {n}."), headers=HEADERS
        )
        assert created.status_code == 201
    params = {"author": ORG, "q": "author", "count": "2", "start": "0"}
    first = await client.get(f"{API}/rest/posts", params=params, headers=HEADERS)
    elements = first.json()["elements"]
    assert [e["commentary"][-7:] for e in elements] == ["Part 2.", "Part 1."]
    assert elements[0]["commentary"].startswith("Myelin repair: a drug candidate (")
    assert elements[0]["lastModifiedAt"] == elements[0]["createdAt"]
    assert first.json()["paging"] == {"start": 0, "count": 2, "total": 3}
    rest = await client.get(
        f"{API}/rest/posts", params={**params, "start": "2"}, headers=HEADERS
    )
    assert [e["commentary"][-7:] for e in rest.json()["elements"]] == ["Part 0."]
    bad = await client.get(
        f"{API}/rest/posts", params={**params, "count": "0"}, headers=HEADERS
    )
    assert bad.status_code == 400


@pytest.mark.parametrize("version", ["202605.01", "202510"])
async def test_revisions_and_year_old_versions_are_active(
    client: httpx.AsyncClient, version: str
) -> None:
    """YYYYMM.RR names a revision; a version stays until mid-month a year on."""
    headers = {**HEADERS, "LinkedIn-Version": version}
    assert (await create(client, body(), headers)).status_code == 201


async def test_version_is_sunset_on_the_15th_a_year_later(
    client: httpx.AsyncClient, clock: Clock
) -> None:
    """202609 works on 14 September 2027 and answers 426 from the 15th."""
    headers = {**HEADERS, "LinkedIn-Version": "202609"}
    clock.now = datetime(2027, 9, 14, 23, 0, tzinfo=UTC).timestamp()
    assert (await create(client, body(), headers)).status_code == 201
    clock.now = datetime(2027, 9, 15, 0, 0, tzinfo=UTC).timestamp()
    refused = await create(client, body("Another finding."), headers)
    assert refused.status_code == 426
    assert refused.json()["code"] == "NONEXISTENT_VERSION"


async def test_malformed_version_is_400(client: httpx.AsyncClient) -> None:
    """A version that is neither YYYYMM nor YYYYMM.RR is refused as invalid."""
    headers = {**HEADERS, "LinkedIn-Version": "2026-05"}
    response = await create(client, body(), headers)
    assert response.status_code == 400
    assert response.json()["code"] == "VERSION_INVALID"


async def test_expired_token_fault_is_65602(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """An expired token is 401 EXPIRED_ACCESS_TOKEN, serviceErrorCode 65602."""
    sandbox.config.faults.append(Fault("linkedin", "expired_token"))
    response = await create(client, body())
    assert response.status_code == 401
    assert response.json() == {
        "status": 401,
        "serviceErrorCode": 65602,
        "code": "EXPIRED_ACCESS_TOKEN",
        "message": "The token used in the request has expired",
    }
