"""Tests for the LinkedIn adapter, against a MockTransport app for the Posts API."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from crosspost.platforms.base import Receipt
from crosspost.platforms.errors import (
    AuthError,
    Duplicate,
    OutcomeUnknown,
    PublishError,
    RateLimited,
    Rejected,
    Transient,
)
from crosspost.platforms.http import RetryPolicy
from crosspost.platforms.linkedin import LinkedInAdapter
from crosspost.sandbox import create_sandbox
from crosspost.sandbox.dryrun import dry_run_settings
from crosspost.settings import LinkedInSettings, Settings
from crosspost.teasers.model import Card, Teaser, TeaserPart
from crosspost.teasers.rules import escape_little_text, unescape_little_text

TOKEN = "li-token-ms-0001-secret"
SHARE = "urn:li:share:7243000000000000001"
# Already escaped little text: the adapter must send it byte for byte.
COMMENTARY = (
    "New MS findings: early treatment cut relapses \\(by a third\\) over six years. "
    "#MSResearch https://example.org/ms-early-treatment"
)
Handler = Callable[[httpx.Request], httpx.Response]


def _teaser(
    *, link: str | None = None, card: Card | None = None, parts: int = 1
) -> Teaser:
    return Teaser(
        summary_id="rs-000000000002",
        summary_title="Early treatment and relapse rates in MS",
        platform="linkedin",
        variant="announce",
        key="announce",
        parts=tuple(
            TeaserPart(text=COMMENTARY, count=len(COMMENTARY)) for _ in range(parts)
        ),
        limit=3000,
        link=link,
        card=card,
    )


def _card() -> Card:
    return Card(
        width=1200,
        height=627,
        format="JPEG",
        data=b"\xff\xd8\xff-ms-card-jpeg",
        alt_text="Line chart of relapse rates in two MS treatment groups.",
    )


def _config(**extra: Any) -> LinkedInSettings:
    values: dict[str, Any] = {
        "organization_id": "2414183",
        "access_token": SecretStr(TOKEN),
    }
    return LinkedInSettings(**(values | extra))


class FakeLinkedIn:
    """Records requests; answers as LinkedIn would, or per `answers` for request n."""

    def __init__(self, answers: dict[int, Handler] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.answers = answers or {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if len(self.requests) in self.answers:
            return self.answers[len(self.requests)](request)
        path = request.url.path
        if path == "/rest/posts":
            return httpx.Response(201, headers={"x-restli-id": SHARE})
        if path == "/rest/images":
            value = {
                "uploadUrlExpiresAt": 1790000000000,
                "uploadUrl": "https://www.linkedin.com/dms-uploads/sp/C4E10AQ-upload",
                "image": "urn:li:image:C4E10AQ-card",
            }
            return httpx.Response(200, json={"value": value})
        if path.startswith("/dms-uploads/"):
            return httpx.Response(201)
        if path == "/rest/organizations/2414183":
            return httpx.Response(
                200, json={"id": 2414183, "localizedName": "MS Research Lab"}
            )
        return httpx.Response(404, json={"status": 404, "message": "Not Found"})

    def posts(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path == "/rest/posts"]


async def _publish(
    fake: Handler,
    teaser: Teaser,
    config: LinkedInSettings | None = None,
    **options: Any,
) -> Any:
    waits: list[float] = []
    async with httpx.AsyncClient(transport=httpx.MockTransport(fake)) as client:
        adapter = LinkedInAdapter(
            config or _config(), client, sleep=waits.append, **options
        )
        return await adapter.publish(teaser)


def _assert_versioned(request: httpx.Request) -> None:
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["LinkedIn-Version"] == "202605"
    assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"


@pytest.mark.anyio
async def test_text_post_request_and_receipt() -> None:
    """A text post is POST /rest/posts with the versioned headers and the exact body."""
    fake = FakeLinkedIn()
    receipt = await _publish(fake, _teaser())
    (request,) = fake.requests
    assert request.method == "POST"
    assert str(request.url) == "https://api.linkedin.com/rest/posts"
    _assert_versioned(request)
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {
        "author": "urn:li:organization:2414183",
        "commentary": COMMENTARY,
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }
    assert receipt.post_id == SHARE
    assert receipt.url == f"https://www.linkedin.com/feed/update/{SHARE}/"
    assert receipt.status == "published"


@pytest.mark.anyio
async def test_configured_version_and_base_url_are_used() -> None:
    """The LinkedIn-Version header and host follow the config."""
    fake = FakeLinkedIn()
    config = _config(version="202607", base_url="http://127.0.0.1:8765/linkedin")
    fake.answers = {1: lambda r: httpx.Response(201, headers={"x-restli-id": SHARE})}
    await _publish(fake, _teaser(), config)
    assert str(fake.requests[0].url) == "http://127.0.0.1:8765/linkedin/rest/posts"
    assert fake.requests[0].headers["LinkedIn-Version"] == "202607"


@pytest.mark.anyio
async def test_link_without_card_is_an_article() -> None:
    """A link and no card becomes content.article with the summary title."""
    fake = FakeLinkedIn()
    await _publish(fake, _teaser(link="https://example.org/ms-early-treatment"))
    body = json.loads(fake.requests[0].content)
    assert body["content"] == {
        "article": {
            "source": "https://example.org/ms-early-treatment",
            "title": "Early treatment and relapse rates in MS",
        }
    }


@pytest.mark.anyio
async def test_card_is_initialised_uploaded_then_attached() -> None:
    """A card is registered, PUT to its upload URL with the token, then attached."""
    fake = FakeLinkedIn()
    await _publish(fake, _teaser(link="https://example.org/x", card=_card()))
    init, upload, post = fake.requests
    assert init.method == "POST"
    assert (
        str(init.url) == "https://api.linkedin.com/rest/images?action=initializeUpload"
    )
    _assert_versioned(init)
    assert json.loads(init.content) == {
        "initializeUploadRequest": {"owner": "urn:li:organization:2414183"}
    }
    assert upload.method == "PUT"
    assert str(upload.url) == "https://www.linkedin.com/dms-uploads/sp/C4E10AQ-upload"
    assert upload.headers["Authorization"] == f"Bearer {TOKEN}"
    assert upload.content == _card().data
    assert json.loads(post.content)["content"] == {
        "media": {"id": "urn:li:image:C4E10AQ-card", "altText": _card().alt_text}
    }


@pytest.mark.anyio
async def test_upload_failure_posts_nothing() -> None:
    """An upload answer without an upload URL is Transient and no post is sent."""
    fake = FakeLinkedIn({1: lambda r: httpx.Response(200, content=b"not json")})
    with pytest.raises(Transient, match="nothing was posted"):
        await _publish(fake, _teaser(card=_card()))
    assert fake.posts() == []


@pytest.mark.anyio
async def test_upload_timeout_is_transient_not_unknown() -> None:
    """A card PUT that times out after sending is Transient: nothing is public."""

    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("no answer", request=request)

    fake = FakeLinkedIn({2: timeout})
    with pytest.raises(Transient):
        await _publish(fake, _teaser(card=_card()))
    assert fake.posts() == []


DUPLICATE = {
    "errorDetailType": "com.linkedin.common.error.BadRequest",
    "message": "com.linkedin.content.common.exception.BadRequestResponseException: "
    f"Content is a duplicate of {SHARE}",
    "errorDetails": {
        "inputErrors": [
            {
                "description": "Duplicate post is detected",
                "input": {},
                "code": "DUPLICATE_POST",
            }
        ]
    },
    "status": 422,
}


def _refused_as_duplicate(request: httpx.Request) -> httpx.Response:
    return httpx.Response(422, json=DUPLICATE)


@pytest.mark.anyio
async def test_duplicate_422_checked_live_is_duplicate_naming_it() -> None:
    """A DUPLICATE_POST naming a post that GET /rest/posts/{urn} shows live is a
    Duplicate naming it (the publish stage records it as published)."""
    live = {"id": SHARE, "lifecycleState": "PUBLISHED"}
    fake = FakeLinkedIn(
        {1: _refused_as_duplicate, 2: lambda r: httpx.Response(200, json=live)}
    )
    with pytest.raises(Duplicate) as caught:
        await _publish(fake, _teaser())
    assert caught.value.existing_id == SHARE
    assert caught.value.existing_url == f"https://www.linkedin.com/feed/update/{SHARE}/"
    check = fake.requests[1]
    assert check.method == "GET"
    assert check.url.raw_path == b"/rest/posts/urn%3Ali%3Ashare%3A7243000000000000001"
    _assert_versioned(check)


@pytest.mark.anyio
async def test_duplicate_of_a_deleted_post_is_a_clear_failure() -> None:
    """A ghost (the named post answers 404) is Rejected, saying what to change."""
    fake = FakeLinkedIn({1: _refused_as_duplicate})
    with pytest.raises(Rejected) as caught:
        await _publish(fake, _teaser())
    error = caught.value
    assert not isinstance(error, Duplicate)
    assert SHARE in error.message
    assert "deleted" in error.message
    assert "change the text" in error.message


@pytest.mark.parametrize(
    ("status", "error", "words"),
    [
        (403, AuthError, "r_organization_social"),
        (503, Transient, "trying again is safe"),
    ],
)
@pytest.mark.anyio
async def test_duplicate_that_cannot_be_checked(
    status: int, error: type[PublishError], words: str
) -> None:
    """A check refused for a permission names it; a failing check is Transient."""
    fake = FakeLinkedIn(
        {1: _refused_as_duplicate} | {n: _status(status) for n in range(2, 8)}
    )
    with pytest.raises(error, match=words):
        await _publish(fake, _teaser())


def _status(status: int) -> Handler:
    return lambda request: httpx.Response(status, json={"status": status})


@pytest.mark.anyio
async def test_duplicate_without_urn_is_looked_up_or_left_for_a_person() -> None:
    """DUPLICATE_POST naming no post: found by `find`, else OutcomeUnknown."""
    body = {**DUPLICATE, "message": "Duplicate post is detected"}
    teaser = _teaser()
    now = int(datetime.now(UTC).timestamp() * 1000)
    element = {"id": SHARE, "commentary": teaser.text, "createdAt": now}
    listed = {"elements": [element]}
    fake = FakeLinkedIn(
        {
            1: lambda r: httpx.Response(422, json=body),
            2: lambda r: httpx.Response(200, json=listed),
        }
    )
    with pytest.raises(Duplicate) as caught:
        await _publish(fake, teaser)
    assert caught.value.existing_id == SHARE
    empty = FakeLinkedIn(
        {
            1: lambda r: httpx.Response(422, json=body),
            2: lambda r: httpx.Response(200, json={"elements": []}),
        }
    )
    with pytest.raises(OutcomeUnknown, match="check the page"):
        await _publish(empty, teaser)


@pytest.mark.anyio
async def test_other_422_is_rejected_with_linkedin_message() -> None:
    """A 422 for a missing field is Rejected with LinkedIn's message."""
    body = {
        "message": "ERROR :: /author :: field is required but not found and has no "
        "default value",
        "status": 422,
    }
    fake = FakeLinkedIn({1: lambda r: httpx.Response(422, json=body)})
    with pytest.raises(Rejected, match="/author :: field is required"):
        await _publish(fake, _teaser())


@pytest.mark.parametrize(
    ("status", "error", "words"),
    [
        (401, AuthError, "CROSSPOST_LINKEDIN__ACCESS_TOKEN"),
        (403, AuthError, "w_organization_social"),
        (426, Rejected, "LinkedIn-Version 202605 is sunset"),
        (400, Rejected, "could not be converted"),
    ],
)
@pytest.mark.anyio
async def test_refusals_are_typed_and_not_retried(
    status: int, error: type[PublishError], words: str
) -> None:
    """401/403 are AuthError, 426 names the sunset version, other 4xx are Rejected."""
    body = {
        "status": status,
        "message": "Request body could not be converted to data map",
    }
    fake = FakeLinkedIn({1: lambda r: httpx.Response(status, json=body)})
    with pytest.raises(error, match=words):
        await _publish(fake, _teaser())
    assert len(fake.requests) == 1


@pytest.mark.anyio
async def test_429_waits_for_the_daily_reset_without_retrying() -> None:
    """A 429 is RateLimited until next midnight UTC and is not retried in-run."""
    fake = FakeLinkedIn({1: lambda r: httpx.Response(429, json={"status": 429})})
    with pytest.raises(RateLimited) as caught:
        await _publish(fake, _teaser())
    retry_at = caught.value.retry_at
    assert retry_at is not None
    assert (retry_at.hour, retry_at.minute, retry_at.second) == (0, 0, 0)
    assert retry_at > datetime.now(UTC)
    assert len(fake.requests) == 1


@pytest.mark.anyio
async def test_5xx_on_post_is_outcome_unknown_not_retried() -> None:
    """A 500 on POST /rest/posts is OutcomeUnknown after one request."""
    fake = FakeLinkedIn({1: lambda r: httpx.Response(500, json={"status": 500})})
    with pytest.raises(OutcomeUnknown):
        await _publish(fake, _teaser())
    assert len(fake.requests) == 1


@pytest.mark.anyio
async def test_connect_timeout_is_retried() -> None:
    """A timeout before the request left is retried; the post goes out once."""

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("connect timed out", request=request)

    fake = FakeLinkedIn({1: refuse})
    receipt = await _publish(fake, _teaser())
    assert len(fake.requests) == 2
    assert receipt.post_id == SHARE


@pytest.mark.anyio
async def test_read_timeout_on_post_is_outcome_unknown_with_one_request() -> None:
    """A timeout after sending is OutcomeUnknown and only ONE request went out."""

    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read timed out", request=request)

    fake = FakeLinkedIn({1: timeout, 2: timeout})
    with pytest.raises(OutcomeUnknown):
        await _publish(fake, _teaser())
    assert len(fake.requests) == 1


@pytest.mark.anyio
async def test_created_without_id_header_is_outcome_unknown() -> None:
    """A 201 without x-restli-id means the post may be live: OutcomeUnknown."""
    fake = FakeLinkedIn({1: lambda r: httpx.Response(201, content=b"{malformed")})
    with pytest.raises(OutcomeUnknown, match="x-restli-id"):
        await _publish(fake, _teaser())


@pytest.mark.parametrize("status", [400, 401, 403, 422, 426, 429])
@pytest.mark.anyio
async def test_token_absent_from_error_messages(status: int) -> None:
    """An error body echoing the token never leaks it into the message."""
    body = {"status": status, "message": f"token {TOKEN} is not valid here"}
    fake = FakeLinkedIn({1: lambda r: httpx.Response(status, json=body)})
    with pytest.raises(PublishError) as caught:
        await _publish(fake, _teaser(), policy=RetryPolicy(attempts=1))
    assert TOKEN not in str(caught.value)
    assert TOKEN not in caught.value.message


@pytest.mark.anyio
async def test_missing_token_or_organisation_is_auth_error() -> None:
    """Without a token or organisation id nothing is sent; the hint names it."""
    fake = FakeLinkedIn()
    with pytest.raises(AuthError, match="CROSSPOST_LINKEDIN__ACCESS_TOKEN"):
        await _publish(fake, _teaser(), _config(access_token=None))
    with pytest.raises(AuthError, match="organization_id"):
        await _publish(fake, _teaser(), _config(organization_id=""))
    assert fake.requests == []


@pytest.mark.anyio
async def test_multi_part_teaser_is_rejected() -> None:
    """LinkedIn has no threads: a several-part teaser is Rejected before sending."""
    fake = FakeLinkedIn()
    with pytest.raises(Rejected, match="no threads"):
        await _publish(fake, _teaser(parts=2))
    assert fake.requests == []


@pytest.mark.anyio
async def test_check_reports_the_organisation() -> None:
    """check() reads the organisation's posts (what publishing needs), then its name
    from GET /rest/organizations/{id}, with the versioned headers."""
    listed = {"elements": [], "paging": {"start": 0, "count": 1}}
    fake = FakeLinkedIn({1: lambda r: httpx.Response(200, json=listed)})
    async with httpx.AsyncClient(transport=httpx.MockTransport(fake)) as client:
        result = await LinkedInAdapter(_config(), client).check()
    posts, organization = fake.requests
    assert (posts.method, posts.url.path) == ("GET", "/rest/posts")
    assert posts.url.params["author"] == "urn:li:organization:2414183"
    assert organization.url.path == "/rest/organizations/2414183"
    _assert_versioned(organization)
    assert result.ok
    assert result.account == "MS Research Lab (urn:li:organization:2414183)"
    assert TOKEN not in result.model_dump_json()


@pytest.mark.anyio
async def test_check_without_the_admin_permission_is_ok_and_says_why() -> None:
    """A 403 on the organisation lookup (rw_organization_admin) does not fail check:
    publishing does not need that permission; the report says so."""
    listed = {"elements": [], "paging": {"start": 0, "count": 1}}
    fake = FakeLinkedIn(
        {
            1: lambda r: httpx.Response(200, json=listed),
            2: lambda r: httpx.Response(403, json={"status": 403}),
        }
    )
    async with httpx.AsyncClient(transport=httpx.MockTransport(fake)) as client:
        result = await LinkedInAdapter(_config(), client).check()
    assert result.ok
    assert result.account == "urn:li:organization:2414183"
    assert "rw_organization_admin" in result.detail
    assert "w_organization_social" not in result.detail


@pytest.mark.anyio
async def test_check_refused_reading_posts_names_the_permissions() -> None:
    """A 403 on reading posts is not ok and names what the token needs."""
    fake = FakeLinkedIn({1: lambda r: httpx.Response(403, json={"status": 403})})
    async with httpx.AsyncClient(transport=httpx.MockTransport(fake)) as client:
        result = await LinkedInAdapter(_config(), client).check()
    assert not result.ok
    assert "r_organization_social" in result.detail
    assert "w_organization_social" in result.detail
    assert len(fake.requests) == 1


@pytest.mark.anyio
async def test_check_refused_token_is_not_ok_and_secret_free() -> None:
    """A 401 on check() is ok=False and the report holds no token."""
    body = {"status": 401, "message": f"Invalid access token {TOKEN}"}
    fake = FakeLinkedIn({1: lambda r: httpx.Response(401, json=body)})
    async with httpx.AsyncClient(transport=httpx.MockTransport(fake)) as client:
        result = await LinkedInAdapter(_config(), client).check()
    assert not result.ok
    assert TOKEN not in result.model_dump_json()


FIND_SINCE = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)
SHOWN = "New MS findings: early treatment cut relapses (by a third) over six years. "


def _element(urn: str, commentary: str, minutes: int) -> dict[str, Any]:
    moment = int((FIND_SINCE.timestamp() + minutes * 60) * 1000)
    return {
        "id": urn,
        "commentary": commentary,
        "createdAt": moment,
        "lastModifiedAt": moment,
    }


async def _find(fake: Handler, teaser: Teaser) -> Receipt | None:
    async with httpx.AsyncClient(transport=httpx.MockTransport(fake)) as client:
        adapter = LinkedInAdapter(_config(), client, sleep=[].append)
        return await adapter.find(teaser, since=FIND_SINCE)


@pytest.mark.anyio
async def test_find_lists_the_organisations_posts_with_version_headers() -> None:
    """find asks /rest/posts?q=author for the organisation, versioned; commentary
    listed as shown (escapes undone) still matches the escaped text sent."""
    listed = {
        "elements": [
            _element("urn:li:share:2", "Unrelated MS update", 20),
            _element(
                SHARE, SHOWN + "#MSResearch https://example.org/ms-early-treatment", 10
            ),
        ],
        "paging": {"start": 0, "count": 20},
    }
    fake = FakeLinkedIn({1: lambda request: httpx.Response(200, json=listed)})
    found = await _find(fake, _teaser())
    assert found is not None
    assert found.post_id == SHARE
    assert found.url == f"https://www.linkedin.com/feed/update/{SHARE}/"
    [request] = fake.requests
    assert request.method == "GET"
    assert request.url.path == "/rest/posts"
    assert dict(request.url.params) == {
        "author": "urn:li:organization:2414183",
        "q": "author",
        "count": "20",
        "start": "0",
    }
    assert "author=urn%3Ali%3Aorganization%3A2414183" in str(request.url)
    _assert_versioned(request)


@pytest.mark.anyio
async def test_find_pages_until_older_posts_and_is_none_when_absent() -> None:
    """A full page leads to the next; a post older than `since` ends the search."""
    full = {"elements": [_element(f"urn:li:share:{n}", "Other", 30) for n in range(20)]}
    older = {"elements": [_element("urn:li:share:99", SHOWN, -30)]}
    pages = iter([full, older])
    fake = FakeLinkedIn(
        {n: lambda request: httpx.Response(200, json=next(pages)) for n in (1, 2)}
    )
    assert await _find(fake, _teaser()) is None
    assert [r.url.params["start"] for r in fake.requests] == ["0", "20"]


@pytest.mark.anyio
async def test_find_raises_when_the_listing_is_refused() -> None:
    """A refused listing is a PublishError holding no token."""
    fake = FakeLinkedIn(
        {1: lambda request: httpx.Response(401, json={"message": "Expired token"})}
    )
    with pytest.raises(PublishError) as caught:
        await _find(fake, _teaser())
    assert TOKEN not in str(caught.value)


@pytest.mark.anyio
async def test_find_in_the_sandbox_found_and_absent(tmp_path: Path) -> None:
    """Against the sandbox, a published post is found; an unsent one is not."""
    settings = dry_run_settings(Settings(state_dir=tmp_path))
    sandbox = create_sandbox()
    since = datetime.now(UTC) - timedelta(minutes=10)
    async with httpx.AsyncClient(transport=sandbox.transport()) as client:
        page = LinkedInAdapter(settings.linkedin, client)
        published = await page.publish(_teaser())
        found = await page.find(_teaser(), since=since)
        other = _teaser().model_copy(
            update={"parts": (TeaserPart(text="Not posted \\(yet\\).", count=18),)}
        )
        absent = await page.find(other, since=since)
    assert found is not None
    assert found.post_id == published.post_id
    assert absent is None


@pytest.mark.anyio
async def test_ghost_duplicate_in_the_sandbox_is_a_clear_failure(
    tmp_path: Path,
) -> None:
    """Published, deleted on LinkedIn, published again: the sandbox still answers
    DUPLICATE_POST naming the deleted post; the adapter refuses to record it."""
    settings = dry_run_settings(Settings(state_dir=tmp_path))
    sandbox = create_sandbox()
    async with httpx.AsyncClient(transport=sandbox.transport()) as client:
        page = LinkedInAdapter(settings.linkedin, client)
        published = await page.publish(_teaser())
        assert published.post_id is not None
        urn = published.post_id.replace(":", "%3A")
        assert settings.linkedin.access_token is not None
        token = settings.linkedin.access_token.get_secret_value()
        headers = {
            "Authorization": f"Bearer {token}",
            "LinkedIn-Version": settings.linkedin.version,
            "X-Restli-Protocol-Version": "2.0.0",
        }
        deleted = await client.delete(
            f"https://api.linkedin.com/rest/posts/{urn}", headers=headers
        )
        assert deleted.status_code == 204
        with pytest.raises(Rejected, match=r"duplicate of .* deleted") as caught:
            await page.publish(_teaser())
    assert not isinstance(caught.value, Duplicate)
    assert sandbox.posts == []


@pytest.mark.anyio
async def test_check_in_the_sandbox_with_posting_permissions_only(
    tmp_path: Path,
) -> None:
    """A token with w_ and r_organization_social (no rw_organization_admin) passes
    check, and can publish."""
    settings = dry_run_settings(Settings(state_dir=tmp_path))
    sandbox = create_sandbox()
    sandbox.config.linkedin_scopes = frozenset(
        {"w_organization_social", "r_organization_social"}
    )
    async with httpx.AsyncClient(transport=sandbox.transport()) as client:
        page = LinkedInAdapter(settings.linkedin, client)
        result = await page.check()
        await page.publish(_teaser())
    assert result.ok, result.detail
    assert "rw_organization_admin" in result.detail


@pytest.mark.anyio
async def test_a_link_reads_whole_under_either_reading_of_escapes(
    tmp_path: Path,
) -> None:
    """A UTM link goes out percent-encoded: LinkedIn shows it whole whether it reads
    escapes before linking (the displayed text) or links the raw commentary."""
    link = "https://research.example/s/walking?utm_source=linkedin&utm_campaign=rs_2"
    wire = escape_little_text(f"Daily walks and MS (two years): {link}")
    teaser = _teaser().model_copy(
        update={"parts": (TeaserPart(text=wire, count=len(wire)),)}
    )
    settings = dry_run_settings(Settings(state_dir=tmp_path))
    sandbox = create_sandbox()
    async with httpx.AsyncClient(transport=sandbox.transport()) as client:
        await LinkedInAdapter(settings.linkedin, client).publish(teaser)
    [post] = sandbox.posts
    encoded = link.replace("_", "%5F")
    assert post.text.endswith(encoded)  # escapes read first: nothing cut
    raw = post.fields["commentary"].split()[-1]
    assert raw == encoded  # linked from the raw text: no backslash inside
    assert unescape_little_text(wire).endswith(link)
