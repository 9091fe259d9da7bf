"""The fake X API v2: posts (text, media, replies), media upload, alt text, who-am-I."""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import Response

from crosspost.sandbox import x_media
from crosspost.sandbox.state import SandboxState
from crosspost.sandbox.wire import Incoming, json_response
from crosspost.sandbox.x_auth import (
    authenticate,
    invalid_request,
    problem,
    token_endpoint,
)
from crosspost.sandbox.x_listing import user_posts

POST_FIELDS = frozenset(
    {
        "text", "media", "reply", "quote_tweet_id", "poll", "reply_settings",
        "for_super_followers_only", "community_id", "share_with_followers", "geo",
        "nullcast", "paid_partnership", "made_with_ai", "card_uri",
        "direct_message_deep_link", "edit_options",
    }
)  # fmt: skip
# CreatePostsMedia and CreatePostsReply in OpenAPI 2.167 (additionalProperties: false).
MEDIA_FIELDS = frozenset(
    {
        "media_ids", "tagged_user_ids", "call_to_actions", "description",
        "embeddable", "preview_media_id", "title",
    }
)  # fmt: skip
REPLY_FIELDS = frozenset(
    {"in_reply_to_tweet_id", "exclude_reply_user_ids", "auto_populate_reply_metadata"}
)
ID_PATTERN = re.compile(r"^[0-9]{1,19}$")
DAY = 86400
# Observed answers (platforms.md 1.2, 1.4): a body over 280 weighted characters is a
# 400 invalid request whose errors[].message says so (tweepy's BadRequest and
# twitter-api-v2's errors[0].message in public code), not a 403.
TOO_LONG = (
    "Your Tweet text is too long. For more information on how Twitter determines "
    "text length see https://github.com/twitter/twitter-text."
)
# Since 2026-02-23 self-serve tiers may reply only when summoned (X changelog
# "Addressing LLM-generated spam"); the body is the one public repositories record.
REPLY_RESTRICTED = (
    "Reply to this conversation is not allowed because you have not been mentioned "
    "or otherwise engaged by the author of the post you are replying to."
)


async def handle(req: Incoming, state: SandboxState) -> Response:
    route = (req.method, req.path)
    if route == ("POST", "/2/oauth2/token"):
        return token_endpoint(req, state)
    if not req.path.startswith("/2/"):
        return problem(404, "Not Found Error", f"Could not find {req.path}.")
    accounts = state.config.accounts
    timeline = route == ("GET", f"/2/users/{accounts.x_user_id}/tweets")
    # GET /2/users/:id/tweets also takes an app-only bearer (OpenAPI: BearerToken).
    refusal = authenticate(req, state, app_only=timeline)
    if refusal is not None:
        return refusal
    if timeline:
        return user_posts(req, state)
    if route == ("POST", "/2/tweets"):
        return _create_post(req, state)
    media = x_media.route(req, state)
    if media is not None:
        return media
    if route == ("GET", "/2/users/me"):
        user = {
            "id": accounts.x_user_id,
            "name": "MS Research",
            "username": accounts.x_username,
        }
        return json_response({"data": user})
    return problem(404, "Not Found Error", f"Could not find {req.path}.")


_LIMITS = ("x-rate-limit", "x-app-limit-24hour", "x-user-limit-24hour")


def weighted_length(text: str) -> int:
    """X's weighted length, by twitter-text (imported on first use: it is heavy)."""
    from crosspost.teasers.twitter_text import weighted_length as twitter_length

    return twitter_length(text)


def _rate_headers(state: SandboxState) -> dict[str, str]:
    """The 15-minute window's headers, and the 24-hour caps' (app always; user when
    configured): each reset in epoch seconds (platforms.md 1.5)."""
    config = state.config
    now = state.now()
    times = [t for t in state.x.post_times if t > now - DAY]
    state.x.post_times = times
    window = [t for t in times if t > now - config.x_window_seconds]
    limit = config.x_posts_per_window
    headers = _window("x-rate-limit", limit, window, config.x_window_seconds, now)
    limit = config.x_app_posts_per_day
    headers |= _window("x-app-limit-24hour", limit, times, DAY, now)
    if config.x_user_posts_per_day is not None:
        limit = config.x_user_posts_per_day
        headers |= _window("x-user-limit-24hour", limit, times, DAY, now)
    return headers


def _window(
    prefix: str, limit: int, times: list[float], seconds: int, now: float
) -> dict[str, str]:
    return {
        f"{prefix}-limit": str(limit),
        f"{prefix}-remaining": str(max(0, limit - len(times))),
        f"{prefix}-reset": str(int((times[0] if times else now) + seconds)),
    }


def _create_post(req: Incoming, state: SandboxState) -> Response:
    headers = _rate_headers(state)
    if any(headers.get(f"{p}-remaining") == "0" for p in _LIMITS):
        return problem(429, "Too Many Requests", "Too Many Requests", headers=headers)
    try:
        body = req.json()
    except ValueError:
        return invalid_request("Request body is not valid JSON.")
    if not isinstance(body, dict):
        return invalid_request("$: must be an object.")
    unknown = sorted(set(body) - POST_FIELDS)
    if unknown:
        return x_media.not_in_schema(unknown[0])
    text = body.get("text", "")
    media_ids, refusal = _media_ids(body.get("media"), state)
    if refusal is not None:
        return refusal
    if not isinstance(text, str):
        return invalid_request("$.text: string found, but expected a string")
    if not text.strip() and not media_ids:
        return invalid_request("$.text: is missing but it is required")
    if weighted_length(text) > state.config.x_max_weighted_length:
        return invalid_request(TOO_LONG)
    reply = body.get("reply")
    if reply is not None:
        refusal = _check_reply(reply, state)
        if refusal is not None:
            return refusal
    if any(p.platform == "x" and p.text == text for p in state.posts):
        return problem(
            403,
            "Forbidden",
            "You are not allowed to create a Tweet with duplicate content.",
        )
    post_id = str(1_861_000_000_000_000_000 + state.serial() * 4_194_304)
    url = (
        f"https://x.com/{state.config.accounts.x_username}/status/{post_id}"
        if req.host_mode
        else f"{req.origin}/_sandbox/posts/x/{post_id}"
    )
    state.record("x", post_id, url, text, body)
    state.x.post_times.append(state.now())
    return json_response({"data": _as_data(post_id, text)}, 201, _rate_headers(state))


def _as_data(post_id: str, text: str) -> dict[str, Any]:
    return {"id": post_id, "text": text, "edit_history_tweet_ids": [post_id]}


def _media_ids(media: Any, state: SandboxState) -> tuple[list[str], Response | None]:
    if media is None:
        return [], None
    if not isinstance(media, dict) or set(media) - MEDIA_FIELDS:
        return [], invalid_request("$.media: has properties the schema does not allow")
    ids = media.get("media_ids")
    if (
        not isinstance(ids, list)
        or not 1 <= len(ids) <= 4
        or not all(isinstance(i, str) and ID_PATTERN.match(i) for i in ids)
    ):
        return [], invalid_request("$.media.media_ids: must be 1 to 4 numeric strings")
    unknown = [i for i in ids if not x_media.usable(state, i)]
    if unknown:
        return [], invalid_request(
            "Your media IDs are invalid.", {"media.media_ids": unknown}
        )
    return ids, None


def _check_reply(reply: Any, state: SandboxState) -> Response | None:
    if (
        not isinstance(reply, dict)
        or set(reply) - REPLY_FIELDS
        or not isinstance(reply.get("in_reply_to_tweet_id"), str)
        or not ID_PATTERN.match(reply["in_reply_to_tweet_id"])
    ):
        return invalid_request(
            "$.reply.in_reply_to_tweet_id: is missing but it is required"
        )
    if state.find("x", reply["in_reply_to_tweet_id"]) is None:
        return problem(
            403,
            "Forbidden",
            "You attempted to reply to a Tweet that is deleted or not visible to you.",
        )
    if not state.config.x_self_replies_allowed:
        return problem(403, "Forbidden", REPLY_RESTRICTED)
    return None
