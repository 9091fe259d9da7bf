"""Tests for the X adapter, against a MockTransport app speaking X API v2."""

from __future__ import annotations

import json
import stat
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
from crosspost.platforms.x import XAdapter, classify
from crosspost.platforms.x_auth import load_tokens
from crosspost.platforms.x_errors import ReplyRestricted
from crosspost.sandbox import create_sandbox
from crosspost.sandbox.dryrun import dry_run_settings
from crosspost.settings import Settings, XSettings
from crosspost.teasers.model import Card, Teaser, TeaserPart

SECRETS = {
    "consumer_key": "ck-ms-cohort-0001",
    "consumer_secret": "cs-ms-cohort-0001",
    "access_token": "at-ms-cohort-0001",
    "access_token_secret": "ats-ms-cohort-0001",
}
OAUTH2_ACCESS = "oauth2-access-old-0001"
OAUTH2_REFRESH = "oauth2-refresh-old-0001"
FINDINGS = (
    "1/3 A new MS study followed 412 people with relapsing disease for six years.",
    "2/3 Those who started treatment early had fewer relapses than late starters.",
    "3/3 Read the summary: https://example.org/ms-early-treatment",
)
Handler = Callable[[httpx.Request], httpx.Response]


def _teaser(*texts: str, card: Card | None = None) -> Teaser:
    return Teaser(
        summary_id="rs-000000000001",
        summary_title="Early treatment and relapse rates in MS",
        platform="x",
        variant="thread" if len(texts) > 1 else "announce",
        key="thread" if len(texts) > 1 else "announce",
        parts=tuple(TeaserPart(text=text, count=len(text)) for text in texts),
        limit=280,
        card=card,
    )


def _card() -> Card:
    return Card(
        width=1200,
        height=675,
        format="PNG",
        data=b"\x89PNG\r\n-ms-card-bytes",
        alt_text="Bar chart: relapse rates fall with early MS treatment.",
    )


def _oauth1(**extra: Any) -> XSettings:
    values: dict[str, Any] = {key: SecretStr(value) for key, value in SECRETS.items()}
    return XSettings(**({"username": "MSResearchLab"} | values | extra))


def _oauth2(tmp_path: Path) -> XSettings:
    return XSettings(
        client_id="client-ms",
        oauth2_access_token=SecretStr(OAUTH2_ACCESS),
        oauth2_refresh_token=SecretStr(OAUTH2_REFRESH),
        token_file=tmp_path / "x-tokens.json",
    )


class FakeX:
    """Records requests; answers as X would, or as `answers` says for request n."""

    def __init__(self, answers: dict[int, Handler] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.answers = answers or {}
        self.tweets = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        index = len(self.requests)
        if index in self.answers:
            return self.answers[index](request)
        path = request.url.path.removeprefix("/x")
        if path == "/2/tweets":
            self.tweets += 1
            post_id = str(1880000000000000000 + self.tweets)
            text = json.loads(request.content)["text"]
            return httpx.Response(201, json={"data": {"id": post_id, "text": text}})
        if path == "/2/media/upload":
            return httpx.Response(200, json={"data": {"id": "1990000000000000001"}})
        if path == "/2/media/metadata":
            return httpx.Response(200, json={"data": {"associated": True}})
        if path == "/2/users/me":
            return httpx.Response(
                200, json={"data": {"id": "42", "username": "MSResearchLab"}}
            )
        return httpx.Response(404, json={"title": "Not Found"})

    def bodies(self) -> list[dict[str, Any]]:
        return [
            json.loads(r.content) for r in self.requests if r.url.path == "/2/tweets"
        ]


async def _publish(
    fake: Handler, teaser: Teaser, config: XSettings | None = None, **options: Any
) -> Any:
    waits: list[float] = []
    async with httpx.AsyncClient(transport=httpx.MockTransport(fake)) as client:
        adapter = XAdapter(config or _oauth1(), client, sleep=waits.append, **options)
        return await adapter.publish(teaser)


def _assert_no_secrets(error: BaseException, *extra: str) -> None:
    for secret in (*SECRETS.values(), OAUTH2_ACCESS, OAUTH2_REFRESH, *extra):
        assert secret not in str(error)
        assert secret not in getattr(error, "message", "")


@pytest.mark.anyio
async def test_single_post_request_and_receipt() -> None:
    """A one-part teaser is one signed POST /2/tweets with only `text`; string ids."""
    fake = FakeX()
    receipt = await _publish(fake, _teaser(FINDINGS[0]))
    (request,) = fake.requests
    assert request.method == "POST"
    assert str(request.url) == "https://api.x.com/2/tweets"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {"text": FINDINGS[0]}
    authorization = request.headers["Authorization"]
    assert authorization.startswith("OAuth ")
    assert 'oauth_signature_method="HMAC-SHA1"' in authorization
    assert "oauth_signature=" in authorization
    assert receipt.post_id == "1880000000000000001"
    assert receipt.url == "https://x.com/MSResearchLab/status/1880000000000000001"
    assert receipt.part_ids == ("1880000000000000001",)


@pytest.mark.anyio
async def test_url_without_username_uses_web_status_form() -> None:
    """Without x.username the public URL is the username-less form."""
    receipt = await _publish(FakeX(), _teaser(FINDINGS[0]), _oauth1(username=""))
    assert receipt.url == "https://x.com/i/web/status/1880000000000000001"


@pytest.mark.anyio
async def test_configured_base_url_is_used() -> None:
    """Requests go to the configured base_url (the sandbox's when pointed at it)."""
    fake = FakeX()
    await _publish(
        fake, _teaser(FINDINGS[0]), _oauth1(base_url="http://127.0.0.1:8765/x/")
    )
    assert str(fake.requests[0].url) == "http://127.0.0.1:8765/x/2/tweets"


@pytest.mark.anyio
async def test_thread_posts_parts_as_reply_chain() -> None:
    """Each later part replies to the previous part's id; all ids are in the receipt."""
    fake = FakeX()
    receipt = await _publish(fake, _teaser(*FINDINGS))
    bodies = fake.bodies()
    assert bodies[0] == {"text": FINDINGS[0]}
    assert bodies[1] == {
        "text": FINDINGS[1],
        "reply": {"in_reply_to_tweet_id": "1880000000000000001"},
    }
    assert bodies[2]["reply"] == {"in_reply_to_tweet_id": "1880000000000000002"}
    assert receipt.part_ids == tuple(str(1880000000000000001 + i) for i in range(3))
    assert (
        receipt.part_urls[2] == "https://x.com/MSResearchLab/status/1880000000000000003"
    )


RESTRICTED = {
    "detail": "Reply to this conversation is not allowed because you have not been "
    "mentioned or otherwise engaged by the author of the post you are replying to.",
    "title": "Forbidden",
    "status": 403,
    "type": "about:blank",
}


@pytest.mark.anyio
async def test_thread_partial_failure_names_live_parts() -> None:
    """When part 3 is refused, the error carries parts 1–2 as live, with their URLs."""
    refused = {"title": "Forbidden", "detail": "This request is not allowed."}
    fake = FakeX({3: lambda request: httpx.Response(403, json=refused)})
    with pytest.raises(Rejected) as caught:
        await _publish(fake, _teaser(*FINDINGS))
    error = caught.value
    assert error.live_part_ids == ("1880000000000000001", "1880000000000000002")
    assert (
        error.live_part_urls[1]
        == "https://x.com/MSResearchLab/status/1880000000000000002"
    )
    assert "parts 1–2 live, part 3 of 3 failed" in str(error)
    assert "This request is not allowed" in error.message


@pytest.mark.anyio
async def test_reply_restriction_posts_the_rest_as_standalone_posts() -> None:
    """A reply refused under X's reply restriction goes out standalone, and so do the
    parts after it; the receipt names every part and says which are standalone."""
    fake = FakeX({2: lambda request: httpx.Response(403, json=RESTRICTED)})
    receipt = await _publish(fake, _teaser(*FINDINGS))
    bodies = fake.bodies()
    assert [b["text"] for b in bodies] == [FINDINGS[0], FINDINGS[1], *FINDINGS[1:]]
    assert "reply" in bodies[1]
    assert all("reply" not in body for body in bodies[2:])
    assert receipt.part_ids == tuple(str(1880000000000000001 + i) for i in range(3))
    assert "parts 2–3 went out as standalone posts" in receipt.detail
    assert "not as replies to part 1" in receipt.detail


@pytest.mark.anyio
async def test_standalone_part_failure_says_which_parts_are_standalone() -> None:
    """A failure after the restriction names the live parts and the standalone ones."""
    refused = {"title": "Forbidden", "detail": "This request is not allowed."}
    fake = FakeX(
        {
            2: lambda request: httpx.Response(403, json=RESTRICTED),
            4: lambda request: httpx.Response(403, json=refused),
        }
    )
    with pytest.raises(Rejected) as caught:
        await _publish(fake, _teaser(*FINDINGS))
    assert caught.value.live_part_ids == ("1880000000000000001", "1880000000000000002")
    assert "part 2 as a standalone post" in caught.value.message


@pytest.mark.anyio
async def test_reply_to_not_yet_visible_parent_is_retried_once() -> None:
    """A reply refused as "deleted or not visible" is sent again after a pause."""
    body = {
        "detail": "You attempted to reply to a Tweet that is deleted or not visible "
        "to you.",
        "title": "Forbidden",
        "status": 403,
    }
    fake = FakeX({2: lambda request: httpx.Response(403, json=body)})
    receipt = await _publish(fake, _teaser(*FINDINGS[:2]))
    assert len(fake.requests) == 3
    assert fake.bodies()[2]["reply"] == {"in_reply_to_tweet_id": "1880000000000000001"}
    assert len(receipt.part_ids) == 2


@pytest.mark.anyio
async def test_first_part_not_visible_refusal_is_not_retried() -> None:
    """The pause-and-retry applies to replies only; a first part's 403 is final."""
    body = {"detail": "The post is deleted or not visible to you.", "status": 403}
    fake = FakeX({1: lambda request: httpx.Response(403, json=body)})
    with pytest.raises(Rejected):
        await _publish(fake, _teaser(FINDINGS[0]))
    assert len(fake.requests) == 1


@pytest.mark.anyio
async def test_thread_unknown_outcome_keeps_live_parts() -> None:
    """A timeout on part 2 is OutcomeUnknown, still naming part 1 as live."""

    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("no answer", request=request)

    fake = FakeX({2: timeout})
    with pytest.raises(OutcomeUnknown) as caught:
        await _publish(fake, _teaser(*FINDINGS))
    assert caught.value.live_part_ids == ("1880000000000000001",)
    assert "part 1 live, part 2 of 3 failed" in caught.value.message
    assert len(fake.requests) == 2


@pytest.mark.anyio
async def test_card_upload_alt_text_then_media_ids_on_first_part() -> None:
    """A card goes up as multipart, gets alt text, and is attached to part 1 only."""
    fake = FakeX()
    await _publish(fake, _teaser(*FINDINGS[:2], card=_card()))
    upload, metadata = fake.requests[0], fake.requests[1]
    assert (upload.method, upload.url.path) == ("POST", "/2/media/upload")
    assert upload.headers["Content-Type"].startswith("multipart/form-data")
    assert b'name="media_category"\r\n\r\ntweet_image' in upload.content
    # OpenAPI 2.167 allows only media, media_category and additional_owners.
    assert b'name="media_type"' not in upload.content
    assert b'name="shared"' not in upload.content
    assert b"\x89PNG\r\n-ms-card-bytes" in upload.content
    assert upload.headers["Authorization"].startswith("OAuth ")
    assert metadata.url.path == "/2/media/metadata"
    assert json.loads(metadata.content) == {
        "id": "1990000000000000001",
        "metadata": {"alt_text": {"text": _card().alt_text}},
    }
    bodies = fake.bodies()
    assert bodies[0]["media"] == {"media_ids": ["1990000000000000001"]}
    assert "media" not in bodies[1]


@pytest.mark.anyio
async def test_card_upload_without_answer_is_transient_and_posts_nothing() -> None:
    """An upload that times out after sending is Transient, and no post is attempted."""

    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("no answer", request=request)

    fake = FakeX({1: timeout})
    with pytest.raises(Transient, match="nothing was posted"):
        await _publish(fake, _teaser(FINDINGS[0], card=_card()))
    assert fake.bodies() == []


@pytest.mark.anyio
async def test_overlong_alt_text_is_refused_before_any_request() -> None:
    """Alt text over 1,000 characters is Rejected without touching the network."""
    card = _card().model_copy(update={"alt_text": "MS lesion map. " * 70})
    fake = FakeX()
    with pytest.raises(Rejected, match="1000"):
        await _publish(fake, _teaser(FINDINGS[0], card=card))
    assert fake.requests == []


@pytest.mark.anyio
async def test_oauth1_401_is_auth_error_without_retry() -> None:
    """With OAuth 1.0a a 401 is an AuthError after exactly one request."""
    fake = FakeX({1: lambda r: httpx.Response(401, json={"title": "Unauthorized"})})
    with pytest.raises(AuthError, match="CROSSPOST_X__") as caught:
        await _publish(fake, _teaser(FINDINGS[0]))
    assert len(fake.requests) == 1
    _assert_no_secrets(caught.value)


@pytest.mark.anyio
async def test_oauth2_401_refreshes_once_and_stores_pair_before_use(
    tmp_path: Path,
) -> None:
    """A refused OAuth 2.0 token is refreshed; the new pair is on disk before use."""
    config = _oauth2(tmp_path)
    on_disk_at_retry: list[Any] = []

    def token(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={
                "access_token": "oauth2-access-new-0002",
                "refresh_token": "oauth2-refresh-new-0002",
                "expires_in": 7200,
            },
        )

    def retry(request: httpx.Request) -> httpx.Response:
        on_disk_at_retry.append(load_tokens(config.token_file))
        on_disk_at_retry.append(stat.S_IMODE(config.token_file.stat().st_mode))
        return httpx.Response(201, json={"data": {"id": "1880000000000000099"}})

    fake = FakeX(
        {
            1: lambda r: httpx.Response(401, json={"title": "Unauthorized"}),
            2: token,
            3: retry,
        }
    )
    receipt = await _publish(fake, _teaser(FINDINGS[0]), config)
    first, refresh, second = fake.requests
    assert first.headers["Authorization"] == f"Bearer {OAUTH2_ACCESS}"
    assert refresh.url.path == "/2/oauth2/token"
    assert second.headers["Authorization"] == "Bearer oauth2-access-new-0002"
    stored, mode = on_disk_at_retry
    assert stored.refresh_token == "oauth2-refresh-new-0002"
    assert mode == 0o600
    assert receipt.post_id == "1880000000000000099"


@pytest.mark.anyio
async def test_oauth2_second_401_is_auth_error(tmp_path: Path) -> None:
    """A token refused again after one refresh is an AuthError; no second refresh."""
    refused = lambda r: httpx.Response(401, json={"title": "Unauthorized"})  # noqa: E731
    token = lambda r: httpx.Response(  # noqa: E731
        200,
        json={"access_token": "oauth2-access-new-0003", "refresh_token": "rt-new-0003"},
    )
    fake = FakeX({1: refused, 2: token, 3: refused})
    with pytest.raises(AuthError) as caught:
        await _publish(fake, _teaser(FINDINGS[0]), _oauth2(tmp_path))
    assert len(fake.requests) == 3
    _assert_no_secrets(caught.value, "oauth2-access-new-0003", "rt-new-0003")


DUPLICATE = {
    "detail": "You are not allowed to create a Tweet with duplicate content.",
    "type": "about:blank",
    "title": "Forbidden",
    "status": 403,
}


def _listing(*texts: str) -> Handler:
    """GET /2/users/42/tweets listing `texts` (newest first), made just now."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    data = [
        {"id": str(1770000000000000000 + i), "text": text, "created_at": now}
        for i, text in enumerate(texts)
    ]
    return lambda request: httpx.Response(200, json={"data": data, "meta": {}})


@pytest.mark.anyio
async def test_403_duplicate_found_live_is_duplicate_naming_it() -> None:
    """X's duplicate-content 403 is looked up with find: Duplicate naming the post."""
    fake = FakeX(
        {
            1: lambda r: httpx.Response(403, json=DUPLICATE),
            3: _listing("Unrelated post", FINDINGS[0]),
        }
    )
    with pytest.raises(Duplicate, match="duplicate content") as caught:
        await _publish(fake, _teaser(FINDINGS[0]))
    assert caught.value.existing_id == "1770000000000000001"
    assert caught.value.existing_url == (
        "https://x.com/MSResearchLab/status/1770000000000000001"
    )
    assert [r.url.path for r in fake.requests[1:]] == [
        "/2/users/me",
        "/2/users/42/tweets",
    ]


@pytest.mark.anyio
async def test_403_duplicate_not_found_is_unknown_for_a_person() -> None:
    """A duplicate refusal whose live post cannot be found is OutcomeUnknown."""
    fake = FakeX(
        {1: lambda r: httpx.Response(403, json=DUPLICATE), 3: _listing("Other")}
    )
    with pytest.raises(OutcomeUnknown, match="check the account"):
        await _publish(fake, _teaser(FINDINGS[0]))


@pytest.mark.anyio
async def test_403_duplicate_lookup_failing_is_unknown() -> None:
    """When the lookup itself fails, the outcome is still OutcomeUnknown, not failed."""
    fake = FakeX(
        {
            1: lambda r: httpx.Response(403, json=DUPLICATE),
            3: lambda r: httpx.Response(403, json={"title": "Forbidden"}),
        }
    )
    with pytest.raises(OutcomeUnknown, match="looking it up failed"):
        await _publish(fake, _teaser(FINDINGS[0]))


@pytest.mark.anyio
async def test_duplicate_of_an_unfinished_thread_finishes_it() -> None:
    """Part 1 refused as a duplicate and found live alone: parts 2–3 reply to it."""
    fake = FakeX(
        {1: lambda r: httpx.Response(403, json=DUPLICATE), 3: _listing(FINDINGS[0])}
    )
    receipt = await _publish(fake, _teaser(*FINDINGS))
    bodies = fake.bodies()
    assert [b["text"] for b in bodies] == list(FINDINGS)
    assert bodies[1]["reply"] == {"in_reply_to_tweet_id": "1770000000000000000"}
    assert receipt.part_ids[0] == "1770000000000000000"
    assert len(receipt.part_ids) == 3
    assert "part 1 were already live" in receipt.detail


@pytest.mark.parametrize("status", [400, 403])
@pytest.mark.anyio
async def test_too_long_is_rejected_with_platform_detail(status: int) -> None:
    """ "Too long" as 400 or 403 is Rejected with X's own words, not retried."""
    body = {
        "detail": "Your Tweet text is too long.",
        "title": "Forbidden",
        "status": status,
    }
    fake = FakeX({1: lambda r: httpx.Response(status, json=body)})
    with pytest.raises(Rejected) as caught:
        await _publish(fake, _teaser(FINDINGS[0]))
    assert not isinstance(caught.value, Duplicate)
    assert "Your Tweet text is too long." in caught.value.message
    assert caught.value.status == status
    assert len(fake.requests) == 1


@pytest.mark.anyio
async def test_429_carries_retry_at_from_reset_header() -> None:
    """A 429 is RateLimited with retry_at from x-rate-limit-reset (epoch seconds)."""
    reset = 4102444800  # 2100-01-01: too far away to wait for
    headers = {
        "x-rate-limit-limit": "100",
        "x-rate-limit-remaining": "0",
        "x-rate-limit-reset": str(reset),
    }
    body = {"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429}
    fake = FakeX({1: lambda r: httpx.Response(429, json=body, headers=headers)})
    with pytest.raises(RateLimited) as caught:
        await _publish(fake, _teaser(FINDINGS[0]))
    assert caught.value.retry_at == datetime.fromtimestamp(reset, UTC)
    assert len(fake.requests) == 1


@pytest.mark.anyio
async def test_429_on_a_daily_cap_waits_for_the_daily_reset() -> None:
    """A spent 24-hour cap wins over a sooner 15-minute reset: never retried early."""
    soon = int(datetime.now(UTC).timestamp()) + 60
    tomorrow = soon + 86400
    headers = {
        "x-rate-limit-remaining": "37",
        "x-rate-limit-reset": str(soon),
        "x-user-limit-24hour-limit": "100",
        "x-user-limit-24hour-remaining": "0",
        "x-user-limit-24hour-reset": str(tomorrow),
        "x-app-limit-24hour-remaining": "9000",
        "x-app-limit-24hour-reset": str(tomorrow + 600),
    }
    fake = FakeX({1: lambda r: httpx.Response(429, headers=headers)})
    with pytest.raises(RateLimited) as caught:
        await _publish(fake, _teaser(FINDINGS[0]))
    assert caught.value.retry_at == datetime.fromtimestamp(tomorrow, UTC)
    assert "the account's 24-hour cap is used up" in caught.value.message
    assert len(fake.requests) == 1


@pytest.mark.anyio
async def test_429_on_the_app_daily_cap_reads_its_headers() -> None:
    """The app's 24-hour cap is read from x-app-limit-24hour-*."""
    reset = int(datetime.now(UTC).timestamp()) + 7200
    headers = {
        "x-app-limit-24hour-remaining": "0",
        "x-app-limit-24hour-reset": str(reset),
    }
    fake = FakeX({1: lambda r: httpx.Response(429, headers=headers)})
    with pytest.raises(RateLimited) as caught:
        await _publish(fake, _teaser(FINDINGS[0]))
    assert caught.value.retry_at == datetime.fromtimestamp(reset, UTC)
    assert "the app's 24-hour cap" in caught.value.message


def test_invalid_request_reads_its_errors_message() -> None:
    """A 400 invalid request is told by its errors[].message, not its generic detail."""
    body = {
        "errors": [{"message": "Your Tweet text is too long. For more information"}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.x.com/2/problems/invalid-request",
    }
    request = httpx.Request("POST", "https://api.x.com/2/tweets")
    error = classify(httpx.Response(400, json=body, request=request))
    assert isinstance(error, Rejected)
    assert "Your Tweet text is too long" in error.message


@pytest.mark.anyio
async def test_429_with_near_reset_is_retried() -> None:
    """A short rate-limit wait is slept through and the post then goes out."""
    soon = int(datetime.now(UTC).timestamp())
    fake = FakeX(
        {1: lambda r: httpx.Response(429, headers={"x-rate-limit-reset": str(soon)})}
    )
    receipt = await _publish(fake, _teaser(FINDINGS[0]))
    assert len(fake.requests) == 2
    assert receipt.post_id == "1880000000000000001"


@pytest.mark.anyio
async def test_5xx_on_post_is_outcome_unknown_not_retried() -> None:
    """A 503 on POST /2/tweets is OutcomeUnknown after one request."""
    fake = FakeX({1: lambda r: httpx.Response(503, text="Service Unavailable")})
    with pytest.raises(OutcomeUnknown):
        await _publish(fake, _teaser(FINDINGS[0]))
    assert len(fake.requests) == 1


@pytest.mark.anyio
async def test_connect_timeout_is_retried() -> None:
    """A timeout before the request left is retried and the post goes out once."""

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("connect timed out", request=request)

    fake = FakeX({1: refuse})
    receipt = await _publish(fake, _teaser(FINDINGS[0]))
    assert len(fake.requests) == 2
    assert fake.tweets == 1
    assert receipt.post_id == "1880000000000000001"


@pytest.mark.anyio
async def test_read_timeout_on_post_is_outcome_unknown_with_one_request() -> None:
    """A timeout after sending is OutcomeUnknown and only ONE request went out."""

    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read timed out", request=request)

    fake = FakeX({1: timeout, 2: timeout})
    with pytest.raises(OutcomeUnknown):
        await _publish(fake, _teaser(FINDINGS[0]))
    assert len(fake.requests) == 1


@pytest.mark.anyio
async def test_malformed_json_on_created_post_is_outcome_unknown() -> None:
    """A 201 whose body cannot be read means the post may be live: OutcomeUnknown."""
    fake = FakeX({1: lambda r: httpx.Response(201, content=b'{"data": {"id": ')})
    with pytest.raises(OutcomeUnknown, match="no post id"):
        await _publish(fake, _teaser(FINDINGS[0]))


@pytest.mark.parametrize("status", [400, 401, 403, 422, 429])
@pytest.mark.anyio
async def test_secrets_absent_from_error_messages(status: int) -> None:
    """An error body that echoes credentials never leaks them into the message."""
    echoed = " ".join(SECRETS.values())
    fake = FakeX(
        {
            i: lambda r: httpx.Response(status, json={"detail": f"bad {echoed}"})
            for i in range(1, 6)
        }
    )
    with pytest.raises(PublishError) as caught:
        await _publish(fake, _teaser(FINDINGS[0]), policy=RetryPolicy(attempts=1))
    _assert_no_secrets(caught.value)
    assert "[redacted]" in caught.value.message


@pytest.mark.anyio
async def test_no_credentials_is_auth_error_before_any_request(tmp_path: Path) -> None:
    """Without any credentials, publish raises AuthError naming the variables."""
    fake = FakeX()
    config = XSettings(token_file=tmp_path / "none.json")
    with pytest.raises(AuthError, match="CROSSPOST_X__CONSUMER_KEY"):
        await _publish(fake, _teaser(FINDINGS[0]), config)
    assert fake.requests == []


@pytest.mark.anyio
async def test_check_reports_the_account() -> None:
    """check() calls GET /2/users/me and reports @username."""
    fake = FakeX()
    async with httpx.AsyncClient(transport=httpx.MockTransport(fake)) as client:
        result = await XAdapter(_oauth1(), client).check()
    assert (fake.requests[0].method, fake.requests[0].url.path) == (
        "GET",
        "/2/users/me",
    )
    assert result.ok
    assert result.account == "@MSResearchLab"


@pytest.mark.anyio
async def test_check_flags_a_username_mismatch() -> None:
    """check() fails when the credentials belong to another account than x.username."""
    async with httpx.AsyncClient(transport=httpx.MockTransport(FakeX())) as client:
        result = await XAdapter(_oauth1(username="SomeoneElse"), client).check()
    assert not result.ok
    assert "@MSResearchLab" in result.detail


@pytest.mark.anyio
async def test_check_failure_holds_no_secret() -> None:
    """A refused check is ok=False with a message free of secrets."""
    echoed = " ".join(SECRETS.values())
    fake = FakeX({1: lambda r: httpx.Response(401, json={"detail": echoed})})
    async with httpx.AsyncClient(transport=httpx.MockTransport(fake)) as client:
        result = await XAdapter(_oauth1(), client).check()
    assert not result.ok
    for secret in SECRETS.values():
        assert secret not in result.model_dump_json()


def test_classify_success_is_none() -> None:
    """2xx answers are not errors."""
    request = httpx.Request("POST", "https://api.x.com/2/tweets")
    assert classify(httpx.Response(201, json={}, request=request)) is None


SINCE = datetime(2026, 4, 2, 9, 50, tzinfo=UTC)
LISTED_ANNOUNCE = (
    "New: early treatment &amp; fewer MS relapses. Summary: https://t.co/AbCdEf123 "
    "https://t.co/MediaLink9"
)


def _timeline(*pages: dict[str, Any]) -> tuple[list[httpx.Request], Handler]:
    """X answering /2/users/me and then each timeline page in turn."""
    seen: list[httpx.Request] = []

    def app(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/2/users/me":
            return httpx.Response(200, json={"data": {"id": "42", "username": "a"}})
        if request.url.path == "/2/users/42/tweets":
            listed = sum(1 for r in seen if r.url.path.endswith("/tweets"))
            return httpx.Response(200, json=pages[listed - 1])
        return httpx.Response(404, json={"title": "Not Found"})

    return seen, app


async def _find(app: Handler, teaser: Teaser) -> Receipt | None:
    async with httpx.AsyncClient(transport=httpx.MockTransport(app)) as client:
        adapter = XAdapter(_oauth1(), client, sleep=[].append)
        return await adapter.find(teaser, since=SINCE)


@pytest.mark.anyio
async def test_find_lists_the_timeline_since_the_claim_and_matches_loosely() -> None:
    """find reads /2/users/me, then the timeline from `since`; t.co links, an
    appended image link and HTML entities still match the sent text."""
    seen, app = _timeline(
        {
            "data": [
                {"id": "1880000000000000009", "text": "Another post entirely."},
                {"id": "1880000000000000007", "text": LISTED_ANNOUNCE},
            ],
            "meta": {"result_count": 2},
        }
    )
    sent = (
        "New: early treatment & fewer MS relapses.\n"
        "Summary: https://example.org/ms-early?utm_source=x"
    )
    receipt = await _find(app, _teaser(sent))
    assert receipt is not None
    assert receipt.post_id == "1880000000000000007"
    assert receipt.url == "https://x.com/MSResearchLab/status/1880000000000000007"
    listing = seen[1]
    assert listing.method == "GET"
    assert dict(listing.url.params) == {
        "max_results": "100",
        "start_time": "2026-04-02T09:50:00Z",
        "tweet.fields": "created_at",
    }
    assert listing.headers["authorization"].startswith("OAuth ")


@pytest.mark.anyio
async def test_find_returns_none_when_the_text_is_not_listed() -> None:
    """A timeline without the text is a confident None; an empty one too."""
    _, app = _timeline({"data": [{"id": "1", "text": "Unrelated MS news."}]})
    assert await _find(app, _teaser(FINDINGS[0])) is None
    _, empty = _timeline({"meta": {"result_count": 0}})
    assert await _find(empty, _teaser(FINDINGS[0])) is None


@pytest.mark.anyio
async def test_find_pages_on_and_names_the_thread_parts_in_order() -> None:
    """next_token is followed; a thread's receipt lists the parts found, in order."""
    seen, app = _timeline(
        {
            "data": [{"id": "13", "text": "3/3 Read the summary: https://t.co/x1"}],
            "meta": {"next_token": "page2"},
        },
        {
            "data": [
                {"id": "12", "text": FINDINGS[1]},
                {"id": "11", "text": FINDINGS[0]},
            ]
        },
    )
    receipt = await _find(app, _teaser(*FINDINGS))
    assert receipt is not None
    assert receipt.part_ids == ("11", "12", "13")
    assert seen[2].url.params["pagination_token"] == "page2"


@pytest.mark.anyio
async def test_find_reports_a_partial_thread_by_its_live_parts() -> None:
    """Only the parts found from part 1 on are named."""
    _, app = _timeline({"data": [{"id": "11", "text": FINDINGS[0]}]})
    receipt = await _find(app, _teaser(*FINDINGS))
    assert receipt is not None
    assert receipt.part_ids == ("11",)


@pytest.mark.anyio
async def test_find_raises_when_the_listing_fails_or_is_unreadable() -> None:
    """A failed or malformed listing is a PublishError: nothing is concluded."""

    def failing(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/2/users/me":
            return httpx.Response(200, json={"data": {"id": "42"}})
        return httpx.Response(503, json={"title": "Service Unavailable"})

    with pytest.raises(PublishError):
        await _find(failing, _teaser(FINDINGS[0]))
    _, garbled = _timeline({"data": [{"text": "no id here"}]})
    with pytest.raises(PublishError, match="unexpected shape"):
        await _find(garbled, _teaser(FINDINGS[0]))


@pytest.mark.anyio
async def test_find_in_the_sandbox_found_and_absent(tmp_path: Path) -> None:
    """Against the sandbox: a published post (link shown as t.co) is found, an
    unsent text is not."""
    settings = dry_run_settings(Settings(state_dir=tmp_path))
    sandbox = create_sandbox()
    sent = _teaser("Early MS treatment: fewer relapses. https://example.org/ms-early")
    async with httpx.AsyncClient(transport=sandbox.transport()) as client:
        adapter = XAdapter(settings.x, client, sleep=[].append)
        since = datetime.now(UTC) - timedelta(minutes=10)
        published = await adapter.publish(sent)
        found = await adapter.find(sent, since=since)
        absent = await adapter.find(_teaser(FINDINGS[1]), since=since)
    assert sandbox.posts[0].text == sent.text  # listed with the link as t.co
    assert found is not None
    assert found.post_id == published.post_id
    assert absent is None


@pytest.mark.anyio
async def test_thread_under_the_reply_restriction_in_the_sandbox(
    tmp_path: Path,
) -> None:
    """With the sandbox refusing replies as X does, every part still goes out, in
    order, parts 2–3 standalone; `find` then finds the whole thread."""
    settings = dry_run_settings(Settings(state_dir=tmp_path))
    sandbox = create_sandbox()
    sandbox.config.x_self_replies_allowed = False
    thread = _teaser(*FINDINGS)
    async with httpx.AsyncClient(transport=sandbox.transport()) as client:
        adapter = XAdapter(settings.x, client, sleep=[].append)
        since = datetime.now(UTC) - timedelta(minutes=10)
        receipt = await adapter.publish(thread)
        found = await adapter.find(thread, since=since)
    assert [p.text for p in sandbox.posts] == list(FINDINGS)
    assert all("reply" not in p.fields for p in sandbox.posts)
    assert receipt.part_ids == tuple(p.id for p in sandbox.posts)
    assert "parts 2–3 went out as standalone posts" in receipt.detail
    assert found is not None
    assert found.part_ids == receipt.part_ids


def test_403_for_a_missing_permission_is_an_auth_error() -> None:
    """A read-only app's 403 is an AuthError naming the access it needs."""
    response = httpx.Response(
        403,
        json={
            "title": "Forbidden",
            "type": "https://api.x.com/2/problems/client-forbidden",
            "detail": "You are not permitted to perform this action.",
            "status": 403,
        },
        request=httpx.Request("POST", "https://api.x.com/2/tweets"),
    )
    error = classify(response)
    assert isinstance(error, AuthError)
    assert "tweet.write" in error.message


def test_403_reply_restriction_stays_rejected() -> None:
    """A 403 about the conversation (not the app) is a refusal of the post."""
    response = httpx.Response(
        403,
        json={
            "detail": "Reply to this conversation is not allowed because you have not "
            "been mentioned or otherwise engaged by the author of the post you are "
            "replying to.",
            "title": "Forbidden",
            "status": 403,
        },
        request=httpx.Request("POST", "https://api.x.com/2/tweets"),
    )
    error = classify(response)
    # Rejected (nothing posted, not a permission), of the kind the adapter answers by
    # posting the part standalone.
    assert isinstance(error, ReplyRestricted)
    assert isinstance(error, Rejected)
    assert not isinstance(error, AuthError)
