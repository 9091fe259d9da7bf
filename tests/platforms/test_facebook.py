"""Tests for the Facebook Page adapter against a MockTransport app."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from PIL import Image
from pydantic import SecretStr

from crosspost.errors import ConfigError
from crosspost.platforms.errors import (
    AuthError,
    Duplicate,
    OutcomeUnknown,
    PublishError,
    RateLimited,
    Rejected,
)
from crosspost.platforms.facebook import FacebookAdapter
from crosspost.platforms.http import RetryPolicy
from crosspost.sandbox import create_sandbox
from crosspost.sandbox.dryrun import dry_run_settings
from crosspost.settings import FacebookSettings, Settings
from crosspost.teasers.model import Card, Teaser, TeaserPart

from .conftest import form, graph_error

TOKEN = "EAAFacebookPageToken42xyz"
PAGE = "1029384756"
TEXT = "Vitamin D levels tracked for 10 years did not predict MS relapses. #MSResearch"
LINK = "https://research.example/summaries/vitamin-d-relapse?utm_source=facebook"
App = Callable[[httpx.Request], httpx.Response]
QUICK = RetryPolicy(attempts=3, base_delay=0.01)


def jpeg(width: int = 1200, height: int = 630) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#16324f").save(out, format="JPEG")
    return out.getvalue()


def teaser(*, card: bool = False, link: str | None = LINK) -> Teaser:
    return Teaser(
        summary_id="vitamin-d-relapse",
        summary_title="Vitamin D and relapse risk in MS",
        platform="facebook",
        variant="announce",
        key="announce",
        parts=(TeaserPart(text=TEXT, count=len(TEXT)),),
        limit=63206,
        link=link,
        card=Card(
            width=1200,
            height=630,
            format="JPEG",
            data=jpeg(),
            alt_text="Line chart of vitamin D levels over ten years in 400 people.",
        )
        if card
        else None,
    )


def adapter(
    app: App,
    *,
    sleeps: list[float] | None = None,
    policy: RetryPolicy = QUICK,
    **settings: object,
) -> FacebookAdapter:
    config = FacebookSettings.model_validate(
        {
            "base_url": "https://graph.test",
            "page_id": PAGE,
            "page_access_token": SecretStr(TOKEN),
            **settings,
        }
    )
    waits = sleeps if sleeps is not None else []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    client = httpx.AsyncClient(transport=httpx.MockTransport(app))
    return FacebookAdapter(config, client, policy=policy, sleep=sleep)


def graph_app(seen: list[httpx.Request], **overrides: httpx.Response) -> App:
    """A Page accepting posts; `overrides` maps feed/photos/read to an answer."""

    def app(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        path = request.url.path
        if path.endswith("/feed"):
            return overrides.get("feed") or httpx.Response(
                200, json={"id": f"{PAGE}_777"}
            )
        if path.endswith("/photos"):
            return overrides.get("photos") or httpx.Response(
                200, json={"id": "555", "post_id": f"{PAGE}_888"}
            )
        if request.method == "GET":
            post = path.rsplit("/", 1)[-1]
            url = f"https://www.facebook.com/msresearch/posts/{post}"
            return overrides.get("read") or httpx.Response(
                200, json={"id": post, "permalink_url": url, "name": "MS Research"}
            )
        return httpx.Response(404, json={"error": {"message": "unknown", "code": 803}})

    return app


@pytest.mark.anyio
async def test_feed_post_sends_message_and_link() -> None:
    """A card-less teaser is POST /{page}/feed: message, link, token in the body."""
    seen: list[httpx.Request] = []
    receipt = await adapter(graph_app(seen)).publish(teaser())
    post = seen[0]
    assert post.method == "POST"
    assert str(post.url) == f"https://graph.test/v25.0/{PAGE}/feed"
    assert form(post) == {"message": TEXT, "link": LINK, "access_token": TOKEN}
    assert receipt.platform == "facebook"
    assert receipt.post_id == f"{PAGE}_777"
    assert receipt.url == f"https://www.facebook.com/msresearch/posts/{PAGE}_777"


@pytest.mark.anyio
async def test_feed_post_without_link_sends_no_link() -> None:
    """A teaser without a link sends only the message."""
    seen: list[httpx.Request] = []
    await adapter(graph_app(seen)).publish(teaser(link=None))
    assert "link" not in form(seen[0])


@pytest.mark.anyio
async def test_api_version_comes_from_settings() -> None:
    """The configured Graph version is in every URL."""
    seen: list[httpx.Request] = []
    await adapter(graph_app(seen), api_version="v27.0").publish(teaser())
    assert all(request.url.path.startswith("/v27.0/") for request in seen)


@pytest.mark.anyio
async def test_permalink_read_keeps_the_token_out_of_the_url() -> None:
    """The permalink GET asks for permalink_url with the token in a header."""
    seen: list[httpx.Request] = []
    await adapter(graph_app(seen)).publish(teaser())
    read = seen[1]
    assert read.method == "GET"
    assert read.url.path == f"/v25.0/{PAGE}_777"
    assert read.url.params["fields"] == "permalink_url"
    assert all(TOKEN not in str(request.url) for request in seen)
    assert read.headers["Authorization"] == f"Bearer {TOKEN}"


@pytest.mark.anyio
async def test_photo_post_is_multipart_and_returns_the_post_id() -> None:
    """A carded teaser uploads `source` with caption, alt text and published=true."""
    seen: list[httpx.Request] = []
    card_teaser = teaser(card=True)
    receipt = await adapter(graph_app(seen)).publish(card_teaser)
    upload = seen[0]
    assert str(upload.url) == f"https://graph.test/v25.0/{PAGE}/photos"
    assert upload.headers["Content-Type"].startswith("multipart/form-data")
    body = upload.content
    assert card_teaser.card is not None
    assert card_teaser.card.data in body
    for name, value in [
        ("caption", TEXT),
        ("alt_text_custom", card_teaser.card.alt_text),
        ("published", "true"),
        ("access_token", TOKEN),
    ]:
        assert f'name="{name}"\r\n\r\n{value}\r\n'.encode() in body
    assert b'name="source"; filename="card.jpg"' in body
    assert receipt.post_id == f"{PAGE}_888"
    assert seen[1].url.path == f"/v25.0/{PAGE}_888"


@pytest.mark.anyio
async def test_photo_answer_without_post_id_is_unknown() -> None:
    """A photo answer naming no post is an unknown outcome, never the photo id."""
    seen: list[httpx.Request] = []
    photos = httpx.Response(200, json={"id": "555"})
    with pytest.raises(OutcomeUnknown, match="555"):
        await adapter(graph_app(seen, photos=photos)).publish(teaser(card=True))


@pytest.mark.anyio
async def test_failed_permalink_read_falls_back_to_the_post_url() -> None:
    """The post is live, so a failing permalink read gives the fallback URL."""
    seen: list[httpx.Request] = []
    read = httpx.Response(500, text="oops")
    receipt = await adapter(graph_app(seen, read=read)).publish(teaser())
    assert receipt.post_id == f"{PAGE}_777"
    assert receipt.url == f"https://www.facebook.com/{PAGE}_777"


@pytest.mark.anyio
async def test_expired_token_is_an_auth_error() -> None:
    """Code 190 is an AuthError naming the setting to renew."""
    seen: list[httpx.Request] = []
    feed = httpx.Response(400, json=graph_error(190, 463, "Session has expired"))
    with pytest.raises(AuthError, match="CROSSPOST_FACEBOOK__PAGE_ACCESS_TOKEN"):
        await adapter(graph_app(seen, feed=feed)).publish(teaser())
    assert len(seen) == 1


@pytest.mark.anyio
async def test_page_throttling_sets_retry_at_from_usage_header() -> None:
    """Code 32 with Business-Use-Case usage waits the minutes it names, unsent again."""
    seen: list[httpx.Request] = []
    usage = {
        PAGE: [
            {"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 20}
        ]
    }
    feed = httpx.Response(
        400,
        json=graph_error(32, message="Page request limit reached"),
        headers={"X-Business-Use-Case-Usage": json.dumps(usage)},
    )
    before = datetime.now(UTC)
    with pytest.raises(RateLimited) as caught:
        await adapter(graph_app(seen, feed=feed)).publish(teaser())
    assert caught.value.retry_at is not None
    assert caught.value.retry_at >= before + timedelta(minutes=20)
    assert len(seen) == 1


@pytest.mark.anyio
async def test_full_usage_refuses_the_next_write_before_sending() -> None:
    """An answer at 100% usage makes the next publish raise without a request."""
    seen: list[httpx.Request] = []
    usage = {"call_count": 100, "total_cputime": 10, "total_time": 12}
    feed = httpx.Response(
        200, json={"id": f"{PAGE}_777"}, headers={"X-App-Usage": json.dumps(usage)}
    )
    facebook = adapter(graph_app(seen, feed=feed))
    await facebook.publish(teaser())
    sent = len(seen)
    with pytest.raises(RateLimited) as caught:
        await facebook.publish(teaser())
    assert len(seen) == sent
    assert caught.value.retry_at is not None


@pytest.mark.anyio
async def test_duplicate_status_is_a_duplicate() -> None:
    """Code 506 is a Duplicate."""
    seen: list[httpx.Request] = []
    feed = httpx.Response(
        400, json=graph_error(506, message="Duplicate status message")
    )
    with pytest.raises(Duplicate):
        await adapter(graph_app(seen, feed=feed)).publish(teaser())


@pytest.mark.anyio
async def test_policy_block_and_bad_parameter_are_rejected() -> None:
    """Codes 368 and 100 are Rejected, not retried."""
    for code in (368, 100):
        seen: list[httpx.Request] = []
        feed = httpx.Response(400, json=graph_error(code))
        with pytest.raises(Rejected):
            await adapter(graph_app(seen, feed=feed)).publish(teaser())
        assert len(seen) == 1


@pytest.mark.anyio
async def test_server_error_on_a_write_is_unknown_and_sent_once() -> None:
    """A 5xx on the feed POST is OutcomeUnknown after exactly one request."""
    seen: list[httpx.Request] = []
    feed = httpx.Response(503, text="Service Unavailable")
    with pytest.raises(OutcomeUnknown):
        await adapter(graph_app(seen, feed=feed)).publish(teaser())
    assert len(seen) == 1


@pytest.mark.anyio
async def test_transient_code_on_a_write_is_unknown() -> None:
    """Code 2 on a POST may have been applied, so it is never retried."""
    seen: list[httpx.Request] = []
    feed = httpx.Response(
        500, json=graph_error(2, message="Service temporarily unavailable")
    )
    with pytest.raises(OutcomeUnknown):
        await adapter(graph_app(seen, feed=feed)).publish(teaser())
    assert len(seen) == 1


@pytest.mark.anyio
async def test_connect_timeout_is_retried() -> None:
    """A connect timeout never reached Facebook, so the POST is tried again."""
    seen: list[httpx.Request] = []
    inner = graph_app(seen)
    failures = [httpx.ConnectTimeout("connect timed out")]

    def app(request: httpx.Request) -> httpx.Response:
        if failures:
            raise failures.pop()
        return inner(request)

    sleeps: list[float] = []
    receipt = await adapter(app, sleeps=sleeps).publish(teaser())
    assert receipt.post_id == f"{PAGE}_777"
    assert len(sleeps) == 1
    assert seen[0].url.path.endswith("/feed")


@pytest.mark.anyio
async def test_read_timeout_on_a_write_is_unknown_and_not_retried() -> None:
    """A read timeout after sending the POST is OutcomeUnknown, sent once."""
    attempts: list[httpx.Request] = []

    def app(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        raise httpx.ReadTimeout("read timed out", request=request)

    with pytest.raises(OutcomeUnknown):
        await adapter(app).publish(teaser())
    assert len(attempts) == 1


@pytest.mark.anyio
async def test_malformed_json_on_a_write_is_unknown() -> None:
    """A 200 feed answer that is not JSON is an unknown outcome."""
    seen: list[httpx.Request] = []
    feed = httpx.Response(200, content=b"<html>ok</html>")
    with pytest.raises(OutcomeUnknown):
        await adapter(graph_app(seen, feed=feed)).publish(teaser())
    assert len(seen) == 1


@pytest.mark.anyio
async def test_secrets_never_reach_error_messages() -> None:
    """No failure's message or str() shows the token, even when Graph echoes it."""
    echo = f"Invalid OAuth access token {TOKEN}"
    answers = [
        httpx.Response(400, json=graph_error(190, 467, echo)),
        httpx.Response(400, json=graph_error(100, message=echo)),
        httpx.Response(400, json=graph_error(506, message=echo)),
        httpx.Response(400, json=graph_error(4, message=echo)),
        httpx.Response(500, json=graph_error(1, message=echo)),
        httpx.Response(200, text=echo),
    ]
    for answer in answers:
        seen: list[httpx.Request] = []
        with pytest.raises(PublishError) as caught:
            await adapter(graph_app(seen, feed=answer)).publish(teaser())
        assert TOKEN not in caught.value.message
        assert TOKEN not in str(caught.value)


@pytest.mark.anyio
async def test_missing_token_fails_before_sending() -> None:
    """No Page token is an AuthError naming the variable; nothing is sent."""
    seen: list[httpx.Request] = []
    facebook = adapter(graph_app(seen), page_access_token=None)
    with pytest.raises(AuthError, match="CROSSPOST_FACEBOOK__PAGE_ACCESS_TOKEN"):
        await facebook.publish(teaser())
    assert seen == []


@pytest.mark.anyio
async def test_missing_page_id_is_a_config_error() -> None:
    """No Page id is a ConfigError with a hint; nothing is sent."""
    seen: list[httpx.Request] = []
    with pytest.raises(ConfigError) as caught:
        await adapter(graph_app(seen), page_id="").publish(teaser())
    assert "facebook.page_id" in str(caught.value)
    assert seen == []


@pytest.mark.anyio
async def test_check_reports_the_page_name() -> None:
    """check() reads the Page's id and name."""
    seen: list[httpx.Request] = []
    result = await adapter(graph_app(seen)).check()
    assert result.ok
    assert result.account == f"MS Research ({PAGE})"
    assert seen[0].url.params["fields"] == "id,name"


@pytest.mark.anyio
async def test_check_with_a_dead_token_is_not_ok() -> None:
    """check() turns a 190 into ok=False with a token-free detail."""
    seen: list[httpx.Request] = []
    read = httpx.Response(400, json=graph_error(190, 460, f"password changed {TOKEN}"))
    result = await adapter(graph_app(seen, read=read)).check()
    assert not result.ok
    assert "password" in result.detail
    assert TOKEN not in result.detail


@pytest.mark.anyio
async def test_check_retries_a_transient_read() -> None:
    """A code-2 answer to a read is transient, so check() tries again."""
    seen: list[httpx.Request] = []
    inner = graph_app(seen)
    flaky = [httpx.Response(500, json=graph_error(2))]

    def app(request: httpx.Request) -> httpx.Response:
        return flaky.pop() if flaky else inner(request)

    result = await adapter(app).check()
    assert result.ok


FIND_SINCE = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)


def feed_app(seen: list[httpx.Request], *nodes: dict[str, str]) -> App:
    """A Page whose feed lists `nodes` (newest first) on one page."""

    def app(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"data": list(nodes)})

    return app


@pytest.mark.anyio
async def test_find_reads_the_page_feed_and_matches_the_message() -> None:
    """find lists /{page}/feed with the documented fields, token in the header."""
    seen: list[httpx.Request] = []
    live = {
        "id": f"{PAGE}_901",
        "message": TEXT.replace(" #", "\n#"),
        "permalink_url": f"https://www.facebook.com/msresearch/posts/{PAGE}_901",
        "created_time": "2026-04-02T09:05:00+0000",
    }
    found = await adapter(feed_app(seen, live)).find(teaser(), since=FIND_SINCE)
    assert found is not None
    assert (found.post_id, found.url) == (live["id"], live["permalink_url"])
    [request] = seen
    assert request.method == "GET"
    assert request.url.path == f"/v25.0/{PAGE}/feed"
    assert request.url.params["fields"] == "id,message,permalink_url,created_time"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in str(request.url)


@pytest.mark.anyio
async def test_find_is_none_for_an_absent_or_older_post() -> None:
    """A feed without the message, or with it only before `since`, finds nothing."""
    old = {"id": "1", "message": TEXT, "created_time": "2026-04-01T09:00:00+0000"}
    other = {
        "id": "2",
        "message": "Other MS news",
        "created_time": "2026-04-02T09:30:00+0000",
    }
    assert (
        await adapter(feed_app([], other, old)).find(teaser(), since=FIND_SINCE) is None
    )


@pytest.mark.anyio
async def test_find_raises_when_the_feed_cannot_be_read() -> None:
    """An expired token while listing is a PublishError (nothing concluded)."""
    expired = httpx.Response(400, json=graph_error(190, 463))
    with pytest.raises(PublishError):
        await adapter(lambda request: expired).find(teaser(), since=FIND_SINCE)


@pytest.mark.anyio
async def test_find_in_the_sandbox_found_and_absent(tmp_path: Path) -> None:
    """Against the sandbox, a published post is found; an unsent one is not."""
    settings = dry_run_settings(Settings(state_dir=tmp_path))
    sandbox = create_sandbox()
    since = datetime.now(UTC) - timedelta(minutes=10)
    async with httpx.AsyncClient(transport=sandbox.transport()) as client:
        page = FacebookAdapter(settings.facebook, client)
        published = await page.publish(teaser())
        found = await page.find(teaser(), since=since)
        other = teaser().model_copy(
            update={"parts": (TeaserPart(text="Not posted.", count=11),)}
        )
        absent = await page.find(other, since=since)
    assert found is not None
    assert (found.post_id, found.url) == (published.post_id, published.url)
    assert absent is None
