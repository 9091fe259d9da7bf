"""The fake X API's user timeline (GET /2/users/:id/tweets), as X lists posts: links
as t.co, an image's link appended, `& < >` as HTML entities, newest first, paged."""

from __future__ import annotations

import hashlib
import html
import re
from datetime import UTC, datetime
from typing import Any

from starlette.responses import Response

from crosspost.sandbox.state import PostRecord, SandboxState
from crosspost.sandbox.wire import Incoming, json_response
from crosspost.sandbox.x_auth import invalid_request

_URL = re.compile(r"https?://\S+", re.IGNORECASE)
DEFAULT_MAX_RESULTS = 10


def user_posts(req: Incoming, state: SandboxState) -> Response:
    """One page of the account's posts, honouring max_results, start_time and
    pagination_token; `created_at` only when tweet.fields asks for it."""
    raw_max = req.q("max_results") or str(DEFAULT_MAX_RESULTS)
    if not raw_max.isdigit() or not 5 <= int(raw_max) <= 100:
        return invalid_request(
            f"The `max_results` query parameter value [{raw_max}] is not between 5 "
            "and 100",
            {"max_results": [raw_max]},
        )
    start = _time(req.q("start_time"))
    if req.q("start_time") and start is None:
        return invalid_request(
            f"Invalid 'start_time':'{req.q('start_time')}'.",
            {"start_time": [req.q("start_time")]},
        )
    token = req.q("pagination_token") or "0"
    if not token.isdigit():
        return invalid_request("The `pagination_token` query parameter is invalid.")
    fields = set((req.q("tweet.fields") or "").split(","))
    posts = [
        p
        for p in reversed(state.posts)
        if p.platform == "x" and (start is None or p.created_at >= start)
    ]
    offset, size = int(token), int(raw_max)
    page = [_listed(p, fields) for p in posts[offset : offset + size]]
    meta: dict[str, Any] = {"result_count": len(page)}
    if offset + size < len(posts):
        meta["next_token"] = str(offset + size)
    return json_response({"data": page, "meta": meta} if page else {"meta": meta})


def _listed(post: PostRecord, fields: set[str]) -> dict[str, Any]:
    text = _URL.sub(lambda match: _short(match.group(0)), post.text)
    media = post.fields.get("media")
    if isinstance(media, dict) and media.get("media_ids"):
        text = f"{text} {_short('media:' + str(media['media_ids'][0]))}"
    item: dict[str, Any] = {
        "id": post.id,
        "text": html.escape(text, quote=False),
        "edit_history_tweet_ids": [post.id],
    }
    if "created_at" in fields:
        moment = datetime.fromtimestamp(post.created_at, UTC)
        item["created_at"] = moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return item


def _short(target: str) -> str:
    return "https://t.co/" + hashlib.sha256(target.encode()).hexdigest()[:10]


def _time(value: str | None) -> float | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
