"""The adapter contract: shared scenarios for each automated adapter, in the sandbox.

Each platform's expected outcome is spelled out per scenario, from platforms.md.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import httpx
import pytest
from pydantic import BaseModel, SecretStr

from crosspost.platforms.base import Adapter, Receipt
from crosspost.platforms.errors import (
    AuthError,
    Duplicate,
    OutcomeUnknown,
    PublishError,
    RateLimited,
    Rejected,
    Transient,
)
from crosspost.platforms.facebook import FacebookAdapter
from crosspost.platforms.http import RetryPolicy
from crosspost.platforms.instagram import InstagramAdapter
from crosspost.platforms.linkedin import LinkedInAdapter
from crosspost.platforms.x import XAdapter
from crosspost.platforms.youtube import YouTubeAdapter
from crosspost.sandbox import Fault, PostRecord, Sandbox, SandboxAccounts, SandboxConfig
from crosspost.sandbox.config import FaultKind
from crosspost.sandbox.dryrun import dry_run_settings, make_dry_run_sandbox
from crosspost.settings import BrandingSettings, LinkedInSettings, Settings
from crosspost.summaries.model import Paragraph, Summary
from crosspost.teasers.cards import make_card
from crosspost.teasers.model import Card, Teaser, TeaserPart
from crosspost.teasers.rules import rule_for, unescape_little_text

pytestmark = pytest.mark.anyio

ACCOUNTS = SandboxAccounts()
POLICY = RetryPolicy()  # every adapter's default
LINK = "https://research.example/summaries/daily-walking"
TEXT = (
    "New finding: a daily 30-minute walk (on most days) went with steadier disability "
    f"scores in relapsing MS over two years. {LINK} #MSResearch"
)
SUMMARY = Summary(
    title="Research Summary: Daily walking and disability in relapsing MS",
    findings=(
        Paragraph(
            number=1,
            text="People with relapsing MS who walked for 30 minutes on most days had "
            "steadier disability scores over two years than those who walked less.",
        ),
    ),
)
RATE_LIMIT_SECONDS = 1200.0
SECRETS = (
    *(
        getattr(ACCOUNTS, f.name)
        for f in dataclasses.fields(ACCOUNTS)
        if any(word in f.name for word in ("token", "secret", "key"))
    ),
    # every token X's OAuth 2.0 refresh rotates to
    "sandbox-x-oauth2-access-token-",
    "sandbox-x-oauth2-refresh-token-",
)

Sleep = Callable[[float], object]


@dataclass(frozen=True)
class Platform:
    """An adapter as the contract drives it; `write`: the path it publishes to."""

    id: str
    name: str
    write: str
    build: Callable[[Settings, httpx.AsyncClient, Sleep], Adapter]
    tune: Callable[[Settings], Settings] = lambda settings: settings


def with_section(settings: Settings, name: str, **values: object) -> Settings:
    section: BaseModel = getattr(settings, name)
    return settings.model_copy(update={name: section.model_copy(update=values)})


def oauth2_only(settings: Settings) -> Settings:
    return with_section(
        settings,
        "x",
        consumer_key=None,
        consumer_secret=None,
        access_token=None,
        access_token_secret=None,
    )


PLATFORMS = [
    Platform("x", "x", "/2/tweets", lambda s, c, z: XAdapter(s.x, c, sleep=z)),
    Platform(
        "x-oauth2",
        "x",
        "/2/tweets",
        lambda s, c, z: XAdapter(s.x, c, sleep=z),
        oauth2_only,
    ),
    Platform(
        "facebook",
        "facebook",
        "/feed",
        lambda s, c, z: FacebookAdapter(s.facebook, c, sleep=z),
    ),
    Platform(
        "instagram",
        "instagram",
        "/media_publish",
        lambda s, c, z: InstagramAdapter(s.instagram, c, sleep=z),
    ),
    Platform(
        "linkedin",
        "linkedin",
        "/rest/posts",
        lambda s, c, z: LinkedInAdapter(s.linkedin, c, sleep=z),
    ),
]
each_platform = pytest.mark.parametrize("platform", PLATFORMS, ids=lambda p: p.id)


@functools.cache
def card(platform: str) -> Card:
    return make_card(SUMMARY, platform, finding=None, branding=BrandingSettings())


def teaser(platform: str) -> Teaser:
    """A real teaser: LinkedIn's text is escaped little text; Instagram has its card."""
    rule = rule_for(platform)
    wire = rule.wire(TEXT)
    return Teaser(
        summary_id=SUMMARY.id,
        summary_title=SUMMARY.title,
        platform=platform,
        variant="finding",
        key="finding-1",
        parts=(TeaserPart(text=wire, count=rule.count(wire)),),
        limit=rule.limit,
        link=LINK,
        hashtags=("MSResearch",),
        card=card(platform) if platform in ("instagram", "youtube") else None,
    )


def displayed(teaser: Teaser) -> str:
    """The text the platform shows for `teaser`: LinkedIn undoes the escapes."""
    if teaser.platform == "linkedin":
        return unescape_little_text(teaser.text)
    return teaser.text


class Recording(httpx.AsyncBaseTransport):
    """Passes requests to the sandbox and keeps each one, to count what was sent."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.seen: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass
class Run:
    platform: Platform
    settings: Settings
    sandbox: Sandbox
    adapter: Adapter
    teaser: Teaser
    transport: Recording
    sleeps: list[float]

    def writes(self) -> int:
        """How many publishing requests reached the transport."""
        return sum(
            1
            for r in self.transport.seen
            if r.method == "POST" and r.url.path.endswith(self.platform.write)
        )

    def posts(self) -> list[PostRecord]:
        return [p for p in self.sandbox.posts if p.platform == self.platform.name]

    async def failure(self) -> PublishError:
        """Publish, expecting a typed failure that holds no secret."""
        with pytest.raises(PublishError) as caught:
            await self.adapter.publish(self.teaser)
        assert_secret_free(caught.value)
        return caught.value


def sandbox_settings(root: Path) -> Settings:
    """Dry-run settings (the sandbox's accounts), a LinkedIn-Version still active."""
    version = datetime.now(UTC).strftime("%Y%m")
    real = Settings(state_dir=root / "var", linkedin=LinkedInSettings(version=version))
    return dry_run_settings(real)


@asynccontextmanager
async def running(
    platform: Platform,
    root: Path,
    *faults: Fault,
    tune: Callable[[Settings], Settings] = lambda settings: settings,
) -> AsyncIterator[Run]:
    """The adapter on dry-run settings, wired to a fresh sandbox with `faults`."""
    settings = tune(platform.tune(sandbox_settings(root)))
    sandbox = make_dry_run_sandbox(settings, SandboxConfig(faults=list(faults)))
    transport = Recording(sandbox.transport())
    sleeps: list[float] = []
    async with httpx.AsyncClient(transport=transport) as client:
        adapter = platform.build(settings, client, sleeps.append)
        yield Run(
            platform,
            settings,
            sandbox,
            adapter,
            teaser(platform.name),
            transport,
            sleeps,
        )


def on_write(
    platform: Platform, kind: FaultKind, *, times: int | None = 1, seconds: float = 0.0
) -> Fault:
    """A fault aimed at the publishing call only."""
    return Fault(platform.name, kind, times, path=platform.write, seconds=seconds)


def assert_secret_free(value: object) -> None:
    shown = [str(value), repr(value)]
    if isinstance(value, PublishError):
        shown.append(value.message)
    for text in shown:
        leaked = [secret for secret in SECRETS if secret in text]
        assert not leaked, f"secret shown: {text!r}"


def assert_published(run: Run, receipt: Receipt) -> None:
    assert receipt.platform == run.platform.name
    assert receipt.status == "published"
    assert receipt.post_id
    assert receipt.url is not None
    assert receipt.url.startswith("https://")
    assert [p.id for p in run.posts()] == [receipt.post_id]
    assert run.posts()[0].text == displayed(run.teaser)


@each_platform
async def test_success_records_one_post_with_the_teaser_text(
    platform: Platform, isolated: Path
) -> None:
    """A publish returns an https Receipt; the sandbox shows the teaser's very text."""
    async with running(platform, isolated) as run:
        receipt = await run.adapter.publish(run.teaser)
    assert_published(run, receipt)
    assert run.writes() == 1
    assert run.sleeps == [] or platform.name == "instagram"  # it polls its container


# X with OAuth 1.0a: tokens never expire, so a 401 is final. X with OAuth 2.0: refresh
# once, then retry (platforms.md 1.4). Graph: code 190/463. LinkedIn: 401 (4.4).
EXPIRED: dict[str, type[PublishError] | None] = {
    "x": AuthError,
    "x-oauth2": None,
    "facebook": AuthError,
    "instagram": AuthError,
    "linkedin": AuthError,
}


@each_platform
async def test_expired_token(platform: Platform, isolated: Path) -> None:
    """A refused token is AuthError, but X on OAuth 2.0 refreshes it and posts."""
    fault = on_write(platform, "expired_token")
    async with running(platform, isolated, fault) as run:
        expected = EXPIRED[platform.id]
        if expected is None:
            assert_published(run, await run.adapter.publish(run.teaser))
            assert run.writes() == 2
            return
        error = await run.failure()
    assert type(error) is expected
    assert run.writes() == 1
    assert run.posts() == []


def app_only_bearer(settings: Settings) -> Settings:
    token = SecretStr(ACCOUNTS.x_app_bearer_token)
    return with_section(oauth2_only(settings), "x", oauth2_access_token=token)


# How each sandbox refuses an account the credentials may not post as, and what the
# adapter documents for it: X's 403 is Rejected (only its duplicate 403 is special);
# Graph code 100/33 ("missing permissions") is Rejected; LinkedIn's 403 is AuthError.
FORBIDDEN: dict[str, tuple[Callable[[Settings], Settings], type[PublishError]]] = {
    "x": (app_only_bearer, Rejected),
    "x-oauth2": (app_only_bearer, Rejected),
    "facebook": (
        lambda s: with_section(s, "facebook", page_id="104000000000999"),
        Rejected,
    ),
    "instagram": (
        lambda s: with_section(s, "instagram", user_id="17841400000000999"),
        Rejected,
    ),
    "linkedin": (
        lambda s: with_section(s, "linkedin", organization_id="90000999"),
        AuthError,
    ),
}


@each_platform
async def test_forbidden_is_refused_once_without_retries(
    platform: Platform, isolated: Path
) -> None:
    """A missing permission is the documented AuthError or Rejected, and not retried."""
    tune, expected = FORBIDDEN[platform.id]
    async with running(platform, isolated, tune=tune) as run:
        error = await run.failure()
    assert type(error) is expected
    assert run.writes() <= 1
    assert run.sleeps == []
    assert len(run.transport.seen) <= 2
    assert run.posts() == []


@each_platform
async def test_rate_limited_carries_retry_at(
    platform: Platform, isolated: Path
) -> None:
    """A 429 or Graph throttle is RateLimited, retry_at from the platform's own word."""
    fault = on_write(platform, "rate_limit", seconds=RATE_LIMIT_SECONDS)
    async with running(platform, isolated, fault) as run:
        error = await run.failure()
    now = datetime.now(UTC)
    assert isinstance(error, RateLimited)
    assert error.retry_at is not None
    if platform.name == "linkedin":
        # No reset header: LinkedIn's daily limits reset at 00:00 UTC (platforms 4.4).
        assert error.retry_at.time() == time(0, tzinfo=None)
        assert timedelta(0) < error.retry_at - now <= timedelta(days=1)
    else:
        # X: x-rate-limit-reset; Graph: estimated_time_to_regain_access in minutes.
        wait = (error.retry_at - now).total_seconds()
        assert abs(wait - RATE_LIMIT_SECONDS) < 5
    assert run.writes() == 1
    assert run.posts() == []


@each_platform
async def test_server_error_on_the_write_is_unknown_and_sent_once(
    platform: Platform, isolated: Path
) -> None:
    """A 5xx on the publishing write is OutcomeUnknown, with one request sent."""
    async with running(platform, isolated, on_write(platform, "server_error")) as run:
        error = await run.failure()
    assert isinstance(error, OutcomeUnknown)
    assert run.writes() == 1
    assert run.posts() == []  # the sandbox failed it before applying it


@each_platform
async def test_timeout_before_sending_is_retried_then_published(
    platform: Platform, isolated: Path
) -> None:
    """A timeout before the request left is retried; one post results."""
    fault = on_write(platform, "timeout_before")
    async with running(platform, isolated, fault) as run:
        receipt = await run.adapter.publish(run.teaser)
    assert_published(run, receipt)
    assert run.writes() == 2
    assert run.sleeps


@each_platform
async def test_lasting_timeout_before_sending_is_bounded(
    platform: Platform, isolated: Path
) -> None:
    """A timeout that never clears is retried only up to the policy, then Transient."""
    fault = on_write(platform, "timeout_before", times=None)
    async with running(platform, isolated, fault) as run:
        error = await run.failure()
    assert isinstance(error, Transient)
    assert run.writes() == POLICY.attempts
    assert run.posts() == []


@each_platform
async def test_timeout_after_sending_is_unknown_and_not_retried(
    platform: Platform, isolated: Path
) -> None:
    """A timeout after the platform applied the post is OutcomeUnknown; it is live."""
    fault = on_write(platform, "timeout_after")
    async with running(platform, isolated, fault) as run:
        error = await run.failure()
    assert isinstance(error, OutcomeUnknown)
    assert run.writes() == 1
    assert [p.text for p in run.posts()] == [displayed(run.teaser)]


@each_platform
async def test_reset_after_applying_is_unknown(
    platform: Platform, isolated: Path
) -> None:
    """A connection reset after the platform applied the post is OutcomeUnknown."""
    async with running(platform, isolated, on_write(platform, "reset_after")) as run:
        error = await run.failure()
    assert isinstance(error, OutcomeUnknown)
    assert run.writes() == 1
    assert len(run.posts()) == 1


@each_platform
async def test_malformed_answer_to_the_write(
    platform: Platform, isolated: Path
) -> None:
    """A garbled body is OutcomeUnknown; LinkedIn reads its id from a header: posted."""
    fault = on_write(platform, "malformed_json")
    async with running(platform, isolated, fault) as run:
        if platform.name == "linkedin":
            # LinkedIn answers a post with 201, an empty body and x-restli-id (4.2).
            assert_published(run, await run.adapter.publish(run.teaser))
            return
        error = await run.failure()
    assert isinstance(error, OutcomeUnknown)
    assert run.writes() == 1
    assert len(run.posts()) == 1


@each_platform
async def test_duplicate(platform: Platform, isolated: Path) -> None:
    """Posting the same text twice: Duplicate; X (found by `find`) and LinkedIn
    (checked with GET /rest/posts/{urn}) name the live post."""
    async with running(platform, isolated) as run:
        first = await run.adapter.publish(run.teaser)
        if platform.name == "instagram":
            # Instagram refuses no duplicate (platforms.md 3); only the ledger stops it.
            again = await run.adapter.publish(run.teaser)
            assert again.post_id != first.post_id
            assert len(run.posts()) == 2
            return
        error = await run.failure()
    assert type(error) is Duplicate
    if platform.name in ("x", "linkedin"):
        assert (error.existing_id, error.existing_url) == (first.post_id, first.url)
    assert run.writes() == 2
    assert len(run.posts()) == 1


LASTING_FAULTS: tuple[FaultKind, ...] = (
    "expired_token",
    "rate_limit",
    "server_error",
    "timeout_before",
    "timeout_after",
    "reset_after",
    "malformed_json",
)


@each_platform
@pytest.mark.parametrize("kind", LASTING_FAULTS)
async def test_no_secret_in_any_outcome(
    platform: Platform, kind: FaultKind, isolated: Path
) -> None:
    """Whatever a lasting fault makes of a publish, no sandbox credential is shown."""
    fault = Fault(platform.name, kind, times=None)
    async with running(platform, isolated, fault) as run:
        try:
            outcome: object = await run.adapter.publish(run.teaser)
        except PublishError as exc:
            outcome = exc
    assert_secret_free(outcome)


CHECKED_ACCOUNT = {
    "x": "@" + ACCOUNTS.x_username,
    "x-oauth2": "@" + ACCOUNTS.x_username,
    "facebook": ACCOUNTS.facebook_page_name,
    "instagram": "@" + ACCOUNTS.instagram_username,
    "linkedin": ACCOUNTS.linkedin_organization_name,
}


@each_platform
async def test_check_names_the_sandbox_account(
    platform: Platform, isolated: Path
) -> None:
    """check() accepts the sandbox's credentials and names its account, secret-free."""
    async with running(platform, isolated) as run:
        check = await run.adapter.check()
    assert check.ok, check.detail
    assert check.account is not None
    assert CHECKED_ACCOUNT[platform.id] in check.account
    assert_secret_free(check.model_dump_json())


async def test_youtube_hands_off_awaiting_manual(isolated: Path) -> None:
    """YouTube writes a paste-ready bundle and sends nothing anywhere."""
    settings = sandbox_settings(isolated)
    sandbox = make_dry_run_sandbox(settings)
    sleeps: list[float] = []
    youtube = teaser("youtube")
    async with httpx.AsyncClient(transport=sandbox.transport()) as client:
        receipt = await YouTubeAdapter(
            settings.youtube, client, sleep=sleeps.append
        ).publish(youtube)
    assert receipt.status == "awaiting_manual"
    assert receipt.post_id is None
    assert receipt.handoff_path is not None
    bundle = Path(receipt.handoff_path)
    assert (bundle / "post.txt").read_text(encoding="utf-8") == youtube.text
    assert (bundle / "card.png").read_bytes() == card("youtube").data
    alt = (bundle / "alt.txt").read_text(encoding="utf-8")
    assert alt.strip() == card("youtube").alt_text
    assert sandbox.posts == []
    assert sandbox.notifications == []
    assert sleeps == []
    assert_secret_free(receipt.model_dump_json())
