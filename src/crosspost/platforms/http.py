"""One way for every adapter to make an HTTP call.

Transport errors classified, retries bounded.

A request that fails before it reached the platform is `Transient` and retried; one
whose fate is unknown (a timeout or reset after the body was sent, a 5xx on a write) is
`OutcomeUnknown` and is never retried here. Status codes are classified by the adapter's
own `classify` function.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from crosspost.platforms.errors import (
    OutcomeUnknown,
    PublishError,
    RateLimited,
    Transient,
)
from crosspost.redaction import redact

Classifier = Callable[[httpx.Response], PublishError | None]


class _HiddenQueryFilter(logging.Filter):
    """httpx logs every request's full URL at INFO; a query or a path can carry a
    secret (a webhook's token), so logged URLs lose them (see `loggable_url`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                loggable_url(arg) if isinstance(arg, httpx.URL) else arg
                for arg in record.args
            )
        return True


# Webhook URLs carry their secret in the path: Slack's hooks.slack.com/services/T/B/
# SECRET, Discord's discord.com/api/webhooks/ID/TOKEN, Teams' .../webhookb2/...,
# Mattermost's /hooks/KEY. Every segment after one of these is hidden.
_WEBHOOK_SEGMENTS = frozenset({"services", "webhooks", "hooks", "webhookb2"})
# A segment that looks like a random token (long, letters and digits) is hidden too.
_TOKENISH = re.compile(r"^(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9_-]{24,}$")


def loggable_url(url: httpx.URL) -> str:
    """`url` as safe to log: no query, fragment, user name or password, and no path
    segment that may be a secret (after a webhook marker, or token-shaped)."""
    segments = url.path.split("/")
    hiding = False
    for index, segment in enumerate(segments):
        if (hiding and segment) or _TOKENISH.match(segment):
            segments[index] = "[hidden]"
        hiding = hiding or segment.lower() in _WEBHOOK_SEGMENTS
    safe = url.copy_with(query=None, fragment=None, userinfo=b"")
    shown = str(safe).removesuffix(safe.raw_path.decode("ascii"))
    shown += "/".join(segments)
    return f"{shown}?[hidden]" if url.query else shown


logging.getLogger("httpx").addFilter(_HiddenQueryFilter())


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter, for Transient and RateLimited only."""

    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_rate_limit_wait: float = 60.0  # longer waits are reported, not slept through

    def delay(self, attempt: int) -> float:
        return random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))


NO_RETRY = RetryPolicy(attempts=1)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def call(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    platform: str,
    classify: Classifier,
    policy: RetryPolicy = RetryPolicy(),
    secrets: Iterable[str] = (),
    sleep: Callable[[float], object] = asyncio.sleep,
    **kwargs: object,
) -> httpx.Response:
    """Send one request.

    Return a response the adapter's `classify` accepted, or raise.
    """
    secrets = tuple(secrets)  # read on every attempt, so a generator must not run dry
    last: PublishError | None = None
    for attempt in range(policy.attempts):
        try:
            response = await client.request(method, url, **kwargs)  # type: ignore[arg-type]
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            last = Transient(
                f"could not connect: {type(exc).__name__}", platform=platform
            )
        except httpx.TransportError as exc:
            # The request may have reached the platform; only a read is safe to repeat.
            message = redact(f"no answer after sending: {type(exc).__name__}", secrets)
            if method.upper() not in SAFE_METHODS:
                raise OutcomeUnknown(message, platform=platform) from None
            last = Transient(message, platform=platform)
        else:
            error = classify(response)
            if error is None:
                return response
            error.message = redact(error.message, secrets)
            error.args = (error.message,)  # str(error) reads args, not message
            error.platform = error.platform or platform
            if not error.retryable:
                raise error
            last = error
        if attempt + 1 >= policy.attempts:
            break
        wait = policy.delay(attempt)
        if isinstance(last, RateLimited) and last.retry_at is not None:
            wait = max(wait, (last.retry_at - datetime.now(UTC)).total_seconds())
            if wait > policy.max_rate_limit_wait:
                break
        await pause(sleep, wait)
    assert last is not None
    raise last


async def pause(sleep: Callable[[float], object], seconds: float) -> None:
    """Wait with `sleep`: `asyncio.sleep`, or a plain function (a test's recorder)."""
    result = sleep(seconds)
    if asyncio.iscoroutine(result):
        await result


def server_error(response: httpx.Response, platform: str) -> PublishError | None:
    """The shared rule for 5xx.

    A write may have been applied, a read may be repeated.
    """
    if response.status_code < 500:
        return None
    message = f"{platform} answered HTTP {response.status_code}"
    if response.request.method.upper() in SAFE_METHODS:
        return Transient(message, platform=platform, status=response.status_code)
    return OutcomeUnknown(message, platform=platform, status=response.status_code)
