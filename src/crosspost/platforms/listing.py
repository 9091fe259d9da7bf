"""Finding a teaser among the posts an account lists: text compared loosely, Graph
edges paged back to a point in time. Used by the adapters' optional `find`."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from crosspost.platforms.errors import PublishError
from crosspost.platforms.graph import GraphSession
from crosspost.teasers.rules import unescape_little_text

# A listing longer than this since the claim is not read to its end: nothing is
# concluded from it (a busy account should be settled by hand).
MAX_PAGES = 5
_SPACE = re.compile(r"\s+")
_URL = re.compile(r"https?://\S+")
_ANY_URL = "\x00url\x00"


@dataclass(frozen=True)
class ListedPost:
    """One post as the platform lists it."""

    id: str
    text: str
    url: str | None = None
    created_at: datetime | None = None


def normalise(text: str, *, any_url: bool = False, entities: bool = False) -> str:
    """`text` with runs of whitespace made one space; with `any_url`, every link
    stands for any other; with `entities`, HTML entities (&amp;) are decoded."""
    if entities:
        text = html.unescape(text)
    text = unicodedata.normalize("NFC", text)
    if any_url:
        text = _URL.sub(_ANY_URL, text)
    return _SPACE.sub(" ", text).strip()


def same_text(
    listed: str, sent: str, *, any_url: bool = False, entities: bool = False
) -> bool:
    """Whether a listed post's text is the text that was sent.

    With `any_url` (X), links match any link and trailing links the listing adds (X
    appends the link of an attached image) are ignored."""
    shown = normalise(listed, any_url=any_url, entities=entities)
    wanted = normalise(sent, any_url=any_url, entities=entities)
    if shown == wanted:
        return True
    if not any_url or not shown.startswith(wanted):
        return False
    rest = shown[len(wanted) :]
    return rest.startswith(" ") and not rest.replace(_ANY_URL, "").strip()


def first_match(
    posts: Iterable[ListedPost],
    sent: str,
    *,
    since: datetime,
    any_url: bool = False,
    entities: bool = False,
) -> ListedPost | None:
    """The first of `posts` (give them oldest first) made since `since` whose text is
    `sent`."""
    for post in posts:
        if post.created_at is not None and post.created_at < since:
            continue
        if same_text(post.text, sent, any_url=any_url, entities=entities):
            return post
    return None


def parse_time(value: object) -> datetime | None:
    """A listing's timestamp: ISO 8601 (`+0000` or `Z`) or epoch milliseconds."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, UTC)
    if not isinstance(value, str) or not value:
        return None
    text = value.replace("Z", "+00:00")
    if re.search(r"[+-]\d{4}$", text):
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def unreadable(platform: str, what: str) -> PublishError:
    """The listing could not be read: nothing may be concluded from it."""
    return PublishError(
        f"{platform} listed its posts in an unexpected shape ({what}); "
        "nothing concluded",
        platform=platform,
    )


def too_long(platform: str, since: datetime) -> PublishError:
    return PublishError(
        f"{platform} lists more than {MAX_PAGES} pages of posts since "
        f"{since:%Y-%m-%d %H:%M} UTC; not searched to the end, nothing concluded",
        platform=platform,
    )


async def graph_edge(
    graph: GraphSession,
    path: str,
    params: Mapping[str, str],
    *,
    since: datetime,
    time_field: str,
) -> list[dict[str, Any]]:
    """Every node of a Graph edge (newest first) back to `since`, page by page."""
    nodes: list[dict[str, Any]] = []
    query = dict(params)
    for _ in range(MAX_PAGES):
        body = await graph.get(path, query)
        data = body.get("data")
        if not isinstance(data, list) or not all(isinstance(n, dict) for n in data):
            raise unreadable(graph.platform, "no data list")
        nodes += data
        times = [parse_time(node.get(time_field)) for node in data]
        if any(t is not None and t < since for t in times):
            return nodes
        following = _next_query(body.get("paging"))
        if not data or following is None:
            return nodes
        query = {**dict(params), **following}
    raise too_long(graph.platform, since)


async def graph_find(
    graph: GraphSession,
    path: str,
    sent: str,
    *,
    since: datetime,
    text_field: str,
    url_field: str,
    time_field: str,
) -> ListedPost | None:
    """The node of a Graph edge made since `since` whose text is `sent`, or None."""
    fields = f"id,{text_field},{url_field},{time_field}"
    nodes = await graph_edge(
        graph,
        path,
        {"fields": fields, "limit": "100"},
        since=since,
        time_field=time_field,
    )
    posts = [
        ListedPost(
            str(node.get("id", "")),
            str(node.get(text_field) or ""),
            url=url if isinstance(url := node.get(url_field), str) else None,
            created_at=parse_time(node.get(time_field)),
        )
        for node in reversed(nodes)
    ]
    return first_match(posts, sent, since=since)


async def restli_posts(
    page: Callable[[int], Awaitable[httpx.Response]], size: int, since: datetime
) -> list[ListedPost]:
    """LinkedIn's posts by an author (`page(start)` fetches one), newest-modified
    first, back to `since`; commentary with its little-text escapes undone."""
    posts: list[ListedPost] = []
    for number in range(MAX_PAGES):
        response = await page(number * size)
        try:
            elements = response.json()["elements"]
            batch = [
                ListedPost(
                    str(element["id"]),
                    unescape_little_text(str(element.get("commentary") or "")),
                    created_at=parse_time(element.get("createdAt")),
                )
                for element in elements
            ]
            # Past a post last changed before `since`, every later one was made
            # before it too.
            changed = [
                parse_time(e.get("lastModifiedAt") or e.get("createdAt"))
                for e in elements
            ]
        except (ValueError, KeyError, TypeError, AttributeError):
            raise unreadable("linkedin", "no elements with ids") from None
        posts += batch
        if len(batch) < size or any(t and t < since for t in changed):
            return posts
    raise too_long("linkedin", since)


def _next_query(paging: object) -> dict[str, str] | None:
    """The query of the next page, from `paging.next` (its token left out)."""
    if not isinstance(paging, dict) or not isinstance(paging.get("next"), str):
        return None
    pairs = parse_qsl(urlsplit(paging["next"]).query, keep_blank_values=True)
    return {key: value for key, value in pairs if key != "access_token"}
