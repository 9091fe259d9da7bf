"""Finding a post on X by its text: the account's id, its recent posts, the match.

X lists every link as t.co (and appends the link of an attached image), and escapes
`&`, `<` and `>` as HTML entities, so links match any link and entities are decoded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from crosspost.platforms.listing import (
    MAX_PAGES,
    ListedPost,
    first_match,
    parse_time,
    too_long,
    unreadable,
)
from crosspost.teasers.model import Teaser

USERS_ME = "/2/users/me"
USER_POSTS = "/2/users/{id}/tweets"
Send = Callable[..., Awaitable[httpx.Response]]


async def account_id(send: Send) -> str:
    """The numeric id of the account the credentials act for (GET /2/users/me)."""
    response = await send("GET", USERS_ME)
    try:
        return str(response.json()["data"]["id"])
    except (ValueError, KeyError, TypeError):
        raise unreadable("x", "/2/users/me without an id") from None


async def recent_posts(send: Send, user_id: str, since: datetime) -> list[ListedPost]:
    """The account's posts since `since`, newest first (GET /2/users/:id/tweets)."""
    path = USER_POSTS.format(id=user_id)
    params = {
        "max_results": "100",
        "start_time": since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tweet.fields": "created_at",
    }
    posts: list[ListedPost] = []
    for _ in range(MAX_PAGES):
        response = await send("GET", path, params=params)
        try:
            body: dict[str, Any] = response.json()
            posts += [
                ListedPost(
                    str(item["id"]),
                    str(item["text"]),
                    created_at=parse_time(item.get("created_at")),
                )
                for item in body.get("data", [])
            ]
            token = body.get("meta", {}).get("next_token")
        except (ValueError, KeyError, TypeError, AttributeError):
            raise unreadable("x", "posts without id or text") from None
        if not token:
            return posts
        params["pagination_token"] = str(token)
    raise too_long("x", since)


def match_parts(teaser: Teaser, listed: list[ListedPost], since: datetime) -> list[str]:
    """The ids of the teaser's parts found in `listed` (newest first, as listed), each
    after the one before, from part 1 up to the first part not found."""
    remaining = list(reversed(listed))  # oldest first: a reply follows its parent
    ids: list[str] = []
    for part in teaser.parts:
        found = first_match(
            remaining, part.text, since=since, any_url=True, entities=True
        )
        if found is None:
            break
        ids.append(found.id)
        remaining = remaining[remaining.index(found) + 1 :]
    return ids
