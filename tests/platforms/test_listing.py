"""Tests for finding a teaser among listed posts: loose text matching, Graph paging."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from crosspost.platforms.errors import PublishError
from crosspost.platforms.graph import GraphSession
from crosspost.platforms.http import RetryPolicy
from crosspost.platforms.listing import (
    MAX_PAGES,
    ListedPost,
    first_match,
    graph_edge,
    normalise,
    parse_time,
    same_text,
)

SINCE = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)
TOKEN = "EAAListingToken0001"


def test_normalise_collapses_whitespace_and_optionally_links() -> None:
    """Runs of spaces and newlines become one space; links can stand for any link."""
    assert normalise("  MS  relapse\n\nrates ") == "MS relapse rates"
    assert normalise("a https://x.org/1 b", any_url=True) == normalise(
        "a https://t.co/Zz b", any_url=True
    )
    assert normalise("a &amp; b", entities=True) == "a & b"
    assert normalise("a &amp; b") == "a &amp; b"


def test_same_text_is_strict_unless_asked() -> None:
    """Different words never match; links and an appended link only with any_url."""
    sent = "Trial news: https://example.org/ms"
    assert same_text("Trial news:\n https://example.org/ms", sent)
    assert not same_text("Trial news: https://t.co/abc", sent)
    assert same_text("Trial news: https://t.co/abc", sent, any_url=True)
    assert same_text(
        "Trial news: https://t.co/abc https://t.co/img", sent, any_url=True
    )
    assert not same_text("Trial news: https://t.co/abc and more", sent, any_url=True)
    assert not same_text("Trial newsletter", "Trial news", any_url=True)


def test_first_match_skips_posts_made_before_since() -> None:
    """Posts before `since` are passed over; one without a time is considered."""
    text = "Sleep and MS fatigue."
    posts = [
        ListedPost("1", text, created_at=SINCE - timedelta(minutes=1)),
        ListedPost("2", text, created_at=SINCE + timedelta(minutes=1)),
        ListedPost("3", text),
    ]
    assert first_match(posts, text, since=SINCE) == posts[1]
    assert first_match(posts[::2], text, since=SINCE) == posts[2]
    assert first_match(posts, "Other text.", since=SINCE) is None


def test_parse_time_reads_graph_iso_and_epoch_milliseconds() -> None:
    """`+0000`, `Z` and epoch milliseconds all parse to aware UTC; junk is None."""
    moment = datetime(2026, 4, 2, 9, 30, tzinfo=UTC)
    assert parse_time("2026-04-02T09:30:00+0000") == moment
    assert parse_time("2026-04-02T09:30:00.000Z") == moment
    assert parse_time(int(moment.timestamp() * 1000)) == moment
    assert parse_time("yesterday") is None
    assert parse_time(None) is None
    assert parse_time(True) is None


def session(app: Any, client: httpx.AsyncClient) -> GraphSession:
    return GraphSession(
        platform="facebook",
        base_url="https://graph.facebook.com",
        api_version="v25.0",
        token=SecretStr(TOKEN),
        token_setting="CROSSPOST_FACEBOOK__PAGE_ACCESS_TOKEN",
        client=client,
        policy=RetryPolicy(attempts=1),
    )


def node(n: int, minutes: int) -> dict[str, Any]:
    moment = SINCE + timedelta(minutes=minutes)
    return {"id": str(n), "created_time": moment.strftime("%Y-%m-%dT%H:%M:%S+0000")}


@pytest.mark.anyio
async def test_graph_edge_follows_next_without_its_token_until_since() -> None:
    """Pages are followed by `paging.next` (its access_token dropped) and stop at a
    node older than `since`."""
    seen: list[httpx.Request] = []
    pages = [
        {
            "data": [node(1, 30)],
            "paging": {
                "next": "https://graph.facebook.com/v25.0/p/feed?access_token=LEAK"
                "&after=QVFI&limit=100"
            },
        },
        {"data": [node(2, 5), node(3, -5)], "paging": {"next": "https://g/next"}},
    ]

    def app(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=pages[len(seen) - 1])

    async with httpx.AsyncClient(transport=httpx.MockTransport(app)) as client:
        nodes = await graph_edge(
            session(app, client),
            "p/feed",
            {"fields": "id", "limit": "100"},
            since=SINCE,
            time_field="created_time",
        )
    assert [n["id"] for n in nodes] == ["1", "2", "3"]
    assert len(seen) == 2
    assert seen[1].url.params["after"] == "QVFI"
    assert "access_token" not in seen[1].url.params
    assert seen[1].headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.anyio
async def test_graph_edge_refuses_an_endless_or_malformed_listing() -> None:
    """More than MAX_PAGES pages, or a body without a data list, concludes nothing."""

    def endless(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, json={"data": [node(1, 1)], "paging": {"next": "https://g/?after=x"}}
        )

    def malformed(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"feed": []})

    for app, message in ((endless, f"more than {MAX_PAGES}"), (malformed, "shape")):
        async with httpx.AsyncClient(transport=httpx.MockTransport(app)) as client:
            with pytest.raises(PublishError, match=message) as caught:
                await graph_edge(
                    session(app, client),
                    "p/feed",
                    {},
                    since=SINCE,
                    time_field="created_time",
                )
        assert TOKEN not in str(caught.value)
