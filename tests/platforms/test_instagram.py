"""Tests for the Instagram adapter: card hosting, quota, polling, publishing."""

from __future__ import annotations

import io
import logging
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
    OutcomeUnknown,
    PublishError,
    RateLimited,
    Rejected,
    Transient,
)
from crosspost.platforms.http import RetryPolicy
from crosspost.platforms.instagram import MAX_POLL_WAIT, InstagramAdapter
from crosspost.sandbox.dryrun import dry_run_settings, make_dry_run_sandbox
from crosspost.settings import InstagramSettings, Settings
from crosspost.teasers.model import Card, Teaser, TeaserPart

from .conftest import form, graph_error

TOKEN = "IGQVJInstagramToken98765"
USER = "17841400000000001"
CONTAINER = "90010001"
MEDIA = "18000000000000042"
CAPTION = "Cooling the body after a relapse did not speed recovery in MS. #MSResearch"
ALT = (
    "Bar chart comparing recovery times with and without cooling in 120 people with MS."
)
BASE = "https://research.example/cards"
App = Callable[[httpx.Request], httpx.Response]


def image(width: int = 1080, height: int = 1350, fmt: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#16324f").save(out, format=fmt)
    return out.getvalue()


def teaser(card: Card | None = None, *, no_card: bool = False) -> Teaser:
    return Teaser(
        summary_id="cooling-relapse",
        summary_title="Cooling after relapse in MS",
        platform="instagram",
        variant="finding",
        key="finding-1",
        parts=(TeaserPart(text=CAPTION, count=len(CAPTION)),),
        limit=2200,
        card=None
        if no_card
        else card
        or Card(width=1080, height=1350, format="JPEG", data=image(), alt_text=ALT),
    )


class Instagram:
    """A scripted Instagram: container states in order, then answers per endpoint."""

    def __init__(
        self,
        states: list[str] | None = None,
        *,
        publish: list[httpx.Response] | None = None,
        quota: tuple[int, int] = (3, 50),
        media: httpx.Response | None = None,
        permalink: httpx.Response | None = None,
    ) -> None:
        self.states = states or ["FINISHED"]
        self.publish = publish or []
        self.quota = quota
        self.media = media
        self.permalink = permalink
        self.seen: list[httpx.Request] = []

    def sent(self, suffix: str, method: str = "POST") -> list[httpx.Request]:
        return [
            r for r in self.seen if r.method == method and r.url.path.endswith(suffix)
        ]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        path = request.url.path
        if path.endswith("/content_publishing_limit"):
            used, total = self.quota
            config = {"quota_total": total, "quota_duration": 86400}
            return httpx.Response(
                200, json={"data": [{"quota_usage": used, "config": config}]}
            )
        if path.endswith("/media"):
            return self.media or httpx.Response(200, json={"id": CONTAINER})
        if path.endswith("/media_publish"):
            if self.publish:
                return self.publish.pop(0)
            return httpx.Response(200, json={"id": MEDIA})
        if path.endswith(f"/{CONTAINER}"):
            state = self.states.pop(0) if len(self.states) > 1 else self.states[0]
            return httpx.Response(
                200, json={"status_code": state, "status": f"{state}: note"}
            )
        if path.endswith(f"/{MEDIA}"):
            link = "https://www.instagram.com/p/Cx1Abc/"
            return self.permalink or httpx.Response(200, json={"permalink": link})
        if path.endswith(f"/{USER}"):
            return httpx.Response(200, json={"id": USER, "username": "msresearch"})
        return httpx.Response(
            404, json={"error": {"message": "no such path", "code": 803}}
        )


def adapter(
    app: App,
    tmp_path: Path,
    *,
    sleeps: list[float] | None = None,
    **settings: object,
) -> InstagramAdapter:
    config = InstagramSettings.model_validate(
        {
            "base_url": "https://graph.test",
            "user_id": USER,
            "access_token": SecretStr(TOKEN),
            "card_dir": tmp_path / "cards",
            "card_base_url": BASE + "/",
            "poll_interval": 2.0,
            "poll_timeout": 300.0,
            **settings,
        }
    )
    waits = sleeps if sleeps is not None else []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    client = httpx.AsyncClient(transport=httpx.MockTransport(app))
    return InstagramAdapter(
        config, client, policy=RetryPolicy(attempts=3, base_delay=0.01), sleep=sleep
    )


@pytest.mark.anyio
async def test_progress_is_told_and_logged_while_the_container_processes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Each IN_PROGRESS status is one line to on_progress and one INFO log record."""
    instagram = Instagram(["IN_PROGRESS", "IN_PROGRESS", "FINISHED"])
    lines: list[str] = []
    publisher = adapter(instagram, tmp_path)
    publisher.on_progress = lines.append
    with caplog.at_level(logging.INFO, logger="crosspost.platforms.instagram"):
        await publisher.publish(teaser())
    assert lines == [
        f"instagram: media container {CONTAINER} created",
        f"instagram: media container {CONTAINER} is in progress; checking again in "
        "2 s (300 s left)",
        f"instagram: media container {CONTAINER} is in progress; checking again in "
        "4 s (298 s left)",
    ]
    assert [r.getMessage() for r in caplog.records] == lines


@pytest.mark.anyio
async def test_publish_creates_polls_and_publishes(tmp_path: Path) -> None:
    """The whole flow: quota, container, polling, media_publish, permalink."""
    instagram = Instagram(["IN_PROGRESS", "IN_PROGRESS", "FINISHED"])
    sleeps: list[float] = []
    receipt = await adapter(instagram, tmp_path, sleeps=sleeps).publish(teaser())
    assert receipt.platform == "instagram"
    assert receipt.post_id == MEDIA
    assert receipt.url == "https://www.instagram.com/p/Cx1Abc/"
    assert sleeps == [2.0, 4.0]
    steps = [(r.method, r.url.path) for r in instagram.seen]
    assert steps == [
        ("GET", f"/v25.0/{USER}/content_publishing_limit"),
        ("POST", f"/v25.0/{USER}/media"),
        ("GET", f"/v25.0/{CONTAINER}"),
        ("GET", f"/v25.0/{CONTAINER}"),
        ("GET", f"/v25.0/{CONTAINER}"),
        ("POST", f"/v25.0/{USER}/media_publish"),
        ("GET", f"/v25.0/{MEDIA}"),
    ]
    assert instagram.seen[0].url.params["fields"] == "quota_usage,config"
    assert instagram.seen[2].url.params["fields"] == "status_code,status"
    assert instagram.seen[-1].url.params["fields"] == "permalink"


@pytest.mark.anyio
async def test_container_request_fields(tmp_path: Path) -> None:
    """The container POST has image_url, caption, alt_text and the token in its body."""
    instagram = Instagram()
    await adapter(instagram, tmp_path).publish(teaser())
    fields = form(instagram.sent("/media")[0])
    assert fields["caption"] == CAPTION
    assert fields["alt_text"] == ALT
    assert fields["access_token"] == TOKEN
    assert fields["image_url"].startswith(BASE + "/cooling-relapse-finding-1-")
    assert fields["image_url"].endswith(".jpg")
    assert form(instagram.sent("/media_publish")[0]) == {
        "creation_id": CONTAINER,
        "access_token": TOKEN,
    }
    assert all(TOKEN not in str(request.url) for request in instagram.seen)
    reads = [request for request in instagram.seen if request.method == "GET"]
    assert all(r.headers["Authorization"] == f"Bearer {TOKEN}" for r in reads)


@pytest.mark.anyio
async def test_card_is_written_once_and_reused(tmp_path: Path) -> None:
    """The card lands in card_dir under a content-hashed name, reused on re-runs."""
    first, second = Instagram(), Instagram()
    card_teaser = teaser()
    await adapter(first, tmp_path).publish(card_teaser)
    files = list((tmp_path / "cards").iterdir())
    assert len(files) == 1
    assert card_teaser.card is not None
    assert files[0].read_bytes() == card_teaser.card.data
    stamp = files[0].stat().st_mtime_ns
    await adapter(second, tmp_path).publish(card_teaser)
    assert list((tmp_path / "cards").iterdir()) == files
    assert files[0].stat().st_mtime_ns == stamp
    url = form(second.sent("/media")[0])["image_url"]
    assert url == f"{BASE}/{files[0].name}"


@pytest.mark.anyio
async def test_png_card_is_hosted_as_jpeg(tmp_path: Path) -> None:
    """A PNG card is converted, since Instagram takes JPEG only."""
    card = Card(
        width=1080,
        height=1080,
        format="PNG",
        data=image(1080, 1080, "PNG"),
        alt_text=ALT,
    )
    await adapter(Instagram(), tmp_path).publish(teaser(card))
    (hosted,) = (tmp_path / "cards").iterdir()
    assert hosted.read_bytes()[:2] == b"\xff\xd8"


@pytest.mark.anyio
async def test_card_outside_the_aspect_range_is_rejected_unsent(tmp_path: Path) -> None:
    """A card taller than 4:5 is Rejected before any request."""
    instagram = Instagram()
    card = Card(
        width=1080, height=1920, format="JPEG", data=image(1080, 1920), alt_text=ALT
    )
    with pytest.raises(Rejected, match="aspect"):
        await adapter(instagram, tmp_path).publish(teaser(card))
    assert instagram.seen == []


@pytest.mark.anyio
async def test_teaser_without_card_is_rejected(tmp_path: Path) -> None:
    """Instagram has no text-only posts."""
    instagram = Instagram()
    with pytest.raises(Rejected, match="no image card"):
        await adapter(instagram, tmp_path).publish(teaser(no_card=True))
    assert instagram.seen == []


@pytest.mark.anyio
async def test_missing_card_base_url_says_what_to_set(tmp_path: Path) -> None:
    """No card_base_url is a ConfigError naming the variable; nothing is sent."""
    instagram = Instagram()
    with pytest.raises(ConfigError) as caught:
        await adapter(instagram, tmp_path, card_base_url="").publish(teaser())
    assert "CROSSPOST_INSTAGRAM__CARD_BASE_URL" in str(caught.value)
    assert "instagram.card_base_url" in str(caught.value)
    assert instagram.seen == []


@pytest.mark.anyio
async def test_quota_reached_stops_before_creating_a_container(tmp_path: Path) -> None:
    """quota_usage at quota_total is RateLimited with retry_at, no container made."""
    instagram = Instagram(quota=(50, 50))
    with pytest.raises(RateLimited) as caught:
        await adapter(instagram, tmp_path).publish(teaser())
    assert caught.value.retry_at is not None
    assert instagram.sent("/media") == []


@pytest.mark.anyio
@pytest.mark.parametrize("state", ["ERROR", "EXPIRED"])
async def test_failed_container_is_rejected_with_its_status(
    state: str, tmp_path: Path
) -> None:
    """ERROR and EXPIRED containers are Rejected with Instagram's status text."""
    instagram = Instagram(["IN_PROGRESS", state])
    with pytest.raises(Rejected, match=f"{state}: note"):
        await adapter(instagram, tmp_path).publish(teaser())
    assert instagram.sent("/media_publish") == []


@pytest.mark.anyio
async def test_polling_gives_up_within_the_timeout(tmp_path: Path) -> None:
    """A container stuck IN_PROGRESS is Rejected once the waits reach poll_timeout."""
    instagram = Instagram(["IN_PROGRESS"])
    sleeps: list[float] = []
    ig = adapter(
        instagram, tmp_path, sleeps=sleeps, poll_interval=1.0, poll_timeout=10.0
    )
    with pytest.raises(Rejected, match="never finished"):
        await ig.publish(teaser())
    assert sleeps == [1.0, 2.0, 4.0, 3.0]
    assert instagram.sent("/media_publish") == []


@pytest.mark.anyio
async def test_polling_waits_are_capped(tmp_path: Path) -> None:
    """Doubling waits stop growing at the cap."""
    instagram = Instagram(["IN_PROGRESS"] * 5 + ["FINISHED"])
    sleeps: list[float] = []
    ig = adapter(
        instagram, tmp_path, sleeps=sleeps, poll_interval=20.0, poll_timeout=600.0
    )
    await ig.publish(teaser())
    assert sleeps == [20.0, 40.0, MAX_POLL_WAIT, MAX_POLL_WAIT, MAX_POLL_WAIT]


@pytest.mark.anyio
async def test_not_ready_publish_polls_again_then_publishes(tmp_path: Path) -> None:
    """A 9007/2207027 answer means wait, poll and publish again: nothing went out."""
    not_ready = httpx.Response(
        400, json=graph_error(9007, 2207027, "Media ID is not available")
    )
    instagram = Instagram(["FINISHED"], publish=[not_ready])
    sleeps: list[float] = []
    receipt = await adapter(instagram, tmp_path, sleeps=sleeps).publish(teaser())
    assert receipt.post_id == MEDIA
    assert len(instagram.sent("/media_publish")) == 2
    assert sleeps == [2.0]
    steps = [r.url.path.rsplit("/", 1)[-1] for r in instagram.seen]
    assert steps[steps.index("media_publish") + 1] == CONTAINER


@pytest.mark.anyio
async def test_never_ready_publish_is_bounded(tmp_path: Path) -> None:
    """Repeated not-ready answers end in Rejected after a bounded number of tries."""
    answers = [httpx.Response(400, json=graph_error(9007, 2207027)) for _ in range(10)]
    instagram = Instagram(["FINISHED"], publish=answers)
    with pytest.raises(Rejected, match="not ready"):
        await adapter(instagram, tmp_path).publish(teaser())
    assert len(instagram.sent("/media_publish")) == 3


@pytest.mark.anyio
async def test_quota_error_on_publish_is_rate_limited(tmp_path: Path) -> None:
    """Code 9 subcode 2207042 is RateLimited, not retried blindly."""
    quota = httpx.Response(400, json=graph_error(9, 2207042, "reached maximum posts"))
    instagram = Instagram(publish=[quota])
    with pytest.raises(RateLimited) as caught:
        await adapter(instagram, tmp_path).publish(teaser())
    assert caught.value.retry_at is not None


@pytest.mark.anyio
async def test_server_error_on_publish_is_unknown_and_sent_once(tmp_path: Path) -> None:
    """A 5xx on media_publish is OutcomeUnknown after exactly one publish request."""
    instagram = Instagram(publish=[httpx.Response(500, text="oops")] * 3)
    with pytest.raises(OutcomeUnknown):
        await adapter(instagram, tmp_path).publish(teaser())
    assert len(instagram.sent("/media_publish")) == 1


@pytest.mark.anyio
async def test_read_timeout_on_publish_is_unknown_and_not_retried(
    tmp_path: Path,
) -> None:
    """A read timeout after media_publish was sent is OutcomeUnknown, sent once."""
    instagram = Instagram()

    def app(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/media_publish"):
            instagram.seen.append(request)
            raise httpx.ReadTimeout("read timed out", request=request)
        return instagram(request)

    with pytest.raises(OutcomeUnknown):
        await adapter(app, tmp_path).publish(teaser())
    assert len(instagram.sent("/media_publish")) == 1


@pytest.mark.anyio
async def test_connect_timeout_on_publish_is_retried(tmp_path: Path) -> None:
    """A connect timeout never reached Instagram, so media_publish is tried again."""
    instagram = Instagram()
    failures = [httpx.ConnectTimeout("connect timed out")]

    def app(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/media_publish") and failures:
            raise failures.pop()
        return instagram(request)

    receipt = await adapter(app, tmp_path).publish(teaser())
    assert receipt.post_id == MEDIA
    assert len(instagram.sent("/media_publish")) == 1


@pytest.mark.anyio
async def test_unknown_container_creation_is_transient(tmp_path: Path) -> None:
    """A lost answer to the container POST is safe to retry: no post exists yet."""
    instagram = Instagram(media=httpx.Response(502, text="bad gateway"))
    with pytest.raises(Transient, match="nothing was published"):
        await adapter(instagram, tmp_path).publish(teaser())
    assert len(instagram.sent("/media")) == 1
    assert instagram.sent("/media_publish") == []


@pytest.mark.anyio
async def test_card_fetch_failure_is_transient_and_names_the_setting(
    tmp_path: Path,
) -> None:
    """Instagram failing to fetch image_url is retryable and points at card_base_url."""
    failed = httpx.Response(
        400, json=graph_error(9004, 2207052, "The media could not be fetched")
    )
    instagram = Instagram(media=failed)
    with pytest.raises(Transient, match="card_base_url"):
        await adapter(instagram, tmp_path).publish(teaser())
    assert len(instagram.sent("/media")) == 3
    assert instagram.sent("/media_publish") == []


@pytest.mark.anyio
async def test_malformed_json_on_publish_is_unknown(tmp_path: Path) -> None:
    """A 200 media_publish answer that is not JSON is an unknown outcome."""
    instagram = Instagram(publish=[httpx.Response(200, content=b"{truncated")])
    with pytest.raises(OutcomeUnknown):
        await adapter(instagram, tmp_path).publish(teaser())


@pytest.mark.anyio
async def test_failed_permalink_read_still_publishes(tmp_path: Path) -> None:
    """The post is live even when its permalink cannot be read."""
    instagram = Instagram(permalink=httpx.Response(500, text="oops"))
    receipt = await adapter(instagram, tmp_path).publish(teaser())
    assert receipt.post_id == MEDIA
    assert receipt.url is None


@pytest.mark.anyio
async def test_expired_token_is_an_auth_error_without_the_token(tmp_path: Path) -> None:
    """Code 190 is an AuthError naming the setting, and the token never appears."""
    echo = httpx.Response(400, json=graph_error(190, 463, f"expired token {TOKEN}"))
    instagram = Instagram(media=echo)
    with pytest.raises(AuthError) as caught:
        await adapter(instagram, tmp_path).publish(teaser())
    assert "CROSSPOST_INSTAGRAM__ACCESS_TOKEN" in caught.value.message
    assert TOKEN not in str(caught.value)


@pytest.mark.anyio
async def test_secrets_never_reach_error_messages(tmp_path: Path) -> None:
    """No failure on media_publish shows the token, even when Graph echoes it."""
    echo = f"token {TOKEN} rejected"
    for answer in [
        httpx.Response(400, json=graph_error(100, message=echo)),
        httpx.Response(400, json=graph_error(9, 2207042, echo)),
        httpx.Response(500, json=graph_error(1, message=echo)),
        httpx.Response(400, json=graph_error(10, message=echo)),
    ]:
        instagram = Instagram(publish=[answer])
        with pytest.raises(PublishError) as caught:
            await adapter(instagram, tmp_path).publish(teaser())
        assert TOKEN not in caught.value.message
        assert TOKEN not in str(caught.value)


@pytest.mark.anyio
async def test_missing_user_id_is_a_config_error(tmp_path: Path) -> None:
    """No Instagram user id is a ConfigError; nothing is sent."""
    instagram = Instagram()
    with pytest.raises(ConfigError, match="user id"):
        await adapter(instagram, tmp_path, user_id="").publish(teaser())
    assert instagram.seen == []


@pytest.mark.anyio
async def test_check_reports_the_username(tmp_path: Path) -> None:
    """check() reads the account's username."""
    result = await adapter(Instagram(), tmp_path).check()
    assert result.ok
    assert result.account == "@msresearch"


@pytest.mark.anyio
async def test_check_flags_a_missing_card_base_url(tmp_path: Path) -> None:
    """check() is not ok when cards have nowhere public to live."""
    result = await adapter(Instagram(), tmp_path, card_base_url="").check()
    assert not result.ok
    assert "card_base_url" in result.detail


FIND_SINCE = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)


@pytest.mark.anyio
async def test_find_lists_the_accounts_media_and_matches_the_caption(
    tmp_path: Path,
) -> None:
    """find reads /{ig-user}/media with the documented fields; the caption matches."""
    listed = {
        "data": [
            {
                "id": "18000000000000077",
                "caption": CAPTION,
                "permalink": "https://www.instagram.com/p/Cx9Zz/",
                "timestamp": "2026-04-02T09:10:00+0000",
            }
        ]
    }
    fake = Instagram(media=httpx.Response(200, json=listed))
    found = await adapter(fake, tmp_path).find(teaser(), since=FIND_SINCE)
    assert found is not None
    assert found.post_id == "18000000000000077"
    assert found.url == "https://www.instagram.com/p/Cx9Zz/"
    [request] = fake.sent("/media", method="GET")
    assert request.url.path == f"/v25.0/{USER}/media"
    assert request.url.params["fields"] == "id,caption,permalink,timestamp"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert not fake.sent("/media")  # nothing was posted


@pytest.mark.anyio
async def test_find_is_none_without_the_caption_and_raises_on_errors(
    tmp_path: Path,
) -> None:
    """Other captions find nothing; a Graph error while listing is a PublishError."""
    other = {"data": [{"id": "1", "caption": "Another MS study", "timestamp": ""}]}
    fake = Instagram(media=httpx.Response(200, json=other))
    assert await adapter(fake, tmp_path).find(teaser(), since=FIND_SINCE) is None
    refused = Instagram(media=httpx.Response(400, json=graph_error(190)))
    with pytest.raises(PublishError):
        await adapter(refused, tmp_path).find(teaser(), since=FIND_SINCE)


@pytest.mark.anyio
async def test_find_in_the_sandbox_found_and_absent(tmp_path: Path) -> None:
    """Against the sandbox, a published image post is found; an unsent one is not."""
    settings = dry_run_settings(Settings(state_dir=tmp_path))
    sandbox = make_dry_run_sandbox(settings)
    since = datetime.now(UTC) - timedelta(minutes=10)
    async with httpx.AsyncClient(transport=sandbox.transport()) as client:
        account = InstagramAdapter(settings.instagram, client)
        published = await account.publish(teaser())
        found = await account.find(teaser(), since=since)
        other = teaser().model_copy(
            update={"parts": (TeaserPart(text="Not posted.", count=11),)}
        )
        absent = await account.find(other, since=since)
    assert found is not None
    assert (found.post_id, found.url) == (published.post_id, published.url)
    assert absent is None
