"""Tests for finding a post on X by its text: timeline paging and part matching."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from crosspost.platforms.errors import PublishError
from crosspost.platforms.listing import MAX_PAGES, ListedPost
from crosspost.platforms.x_find import account_id, match_parts, recent_posts
from crosspost.teasers.model import Teaser, TeaserPart

SINCE = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)
PARTS = (
    "1/2 Fatigue in MS eased with a paced activity plan.",
    "2/2 Details & the trial: https://example.org/ms-fatigue-pacing",
)


def thread(*texts: str) -> Teaser:
    return Teaser(
        summary_id="rs-000000000002",
        summary_title="Pacing and fatigue in MS",
        platform="x",
        variant="thread",
        key="thread",
        parts=tuple(TeaserPart(text=text, count=len(text)) for text in texts),
        limit=280,
    )


def sender(*bodies: Any) -> tuple[list[dict[str, Any]], Any]:
    calls: list[dict[str, Any]] = []

    async def send(method: str, path: str, **options: Any) -> httpx.Response:
        calls.append({"method": method, "path": path, **options})
        request = httpx.Request(method, f"https://api.x.com{path}")
        return httpx.Response(200, json=bodies[len(calls) - 1], request=request)

    return calls, send


def test_match_parts_follows_the_thread_in_order() -> None:
    """Parts are matched oldest first, each once; an unmatched part ends the run."""
    newest_first = [
        ListedPost("3", "2/2 Details &amp; the trial: https://t.co/q"),
        ListedPost("2", PARTS[0]),
        ListedPost("1", "1/2 Fatigue in MS eased with a paced activity plan. Old."),
    ]
    assert match_parts(thread(*PARTS), newest_first, SINCE) == ["2", "3"]
    assert match_parts(thread(PARTS[1], PARTS[0]), newest_first, SINCE) == ["3"]
    assert match_parts(thread("Never posted."), newest_first, SINCE) == []


@pytest.mark.anyio
async def test_account_id_comes_from_users_me() -> None:
    """The numeric id is read from /2/users/me; a reply without it is refused."""
    calls, send = sender({"data": {"id": "1790000000000000001"}})
    assert await account_id(send) == "1790000000000000001"
    assert calls[0]["path"] == "/2/users/me"
    _, bare = sender({"data": {}})
    with pytest.raises(PublishError, match="without an id"):
        await account_id(bare)


@pytest.mark.anyio
async def test_a_timeline_longer_than_the_page_limit_concludes_nothing() -> None:
    """After MAX_PAGES pages with a next_token still given, find gives up loudly."""
    page = {"data": [{"id": "9", "text": "Busy day."}], "meta": {"next_token": "n"}}
    calls, send = sender(*[page] * MAX_PAGES)
    with pytest.raises(PublishError, match="not searched to the end"):
        await recent_posts(send, "42", SINCE)
    assert len(calls) == MAX_PAGES
