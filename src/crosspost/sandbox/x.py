"""The fake X API v2: posts (text, media, replies), media upload, alt text, who-am-I."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from starlette.responses import Response

from crosspost.sandbox.state import SandboxState
from crosspost.sandbox.wire import Incoming, inspect_image, json_response
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
UPLOAD_FIELDS = frozenset(
    {"media", "media_category", "media_type", "additional_owners", "shared"}
)
MEDIA_CATEGORIES = frozenset(
    {
        "tweet_image",
        "tweet_gif",
        "tweet_video",
        "amplify_video",
        "subtitles",
        "dm_image",
    }
)
IMAGE_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_GIF_BYTES = 15 * 1024 * 1024
MEDIA_LIFETIME = 86400
ID_PATTERN = re.compile(r"^[0-9]{1,19}$")


async def handle(req: Incoming, state: SandboxState) -> Response:
    route = (req.method, req.path)
    if route == ("POST", "/2/oauth2/token"):
        return token_endpoint(req, state)
    if not req.path.startswith("/2/"):
        return problem(404, "Not Found Error", f"Could not find {req.path}.")
    refusal = authenticate(req, state)
    if refusal is not None:
        return refusal
    if route == ("POST", "/2/tweets"):
        return _create_post(req, state)
    if route == ("POST", "/2/media/upload"):
        return _upload(req, state)
    if route == ("POST", "/2/media/metadata"):
        return _metadata(req, state)
    accounts = state.config.accounts
    if route == ("GET", "/2/users/me"):
        user = {
            "id": accounts.x_user_id,
            "name": "MS Research",
            "username": accounts.x_username,
        }
        return json_response({"data": user})
    if route == ("GET", f"/2/users/{accounts.x_user_id}/tweets"):
        return user_posts(req, state)
    return problem(404, "Not Found Error", f"Could not find {req.path}.")


def weighted_length(text: str) -> int:
    """X's weighted length, by twitter-text (imported on first use: it is heavy)."""
    from crosspost.teasers.twitter_text import weighted_length as twitter_length

    return twitter_length(text)


def _rate_headers(state: SandboxState) -> dict[str, str]:
    config = state.config
    now = state.now()
    window = [t for t in state.x.post_times if t > now - config.x_window_seconds]
    state.x.post_times = window
    reset = int((window[0] if window else now) + config.x_window_seconds)
    return {
        "x-rate-limit-limit": str(config.x_posts_per_window),
        "x-rate-limit-remaining": str(max(0, config.x_posts_per_window - len(window))),
        "x-rate-limit-reset": str(reset),
    }


def _create_post(req: Incoming, state: SandboxState) -> Response:
    headers = _rate_headers(state)
    if headers["x-rate-limit-remaining"] == "0":
        return problem(429, "Too Many Requests", "Too Many Requests", headers=headers)
    try:
        body = req.json()
    except ValueError:
        return invalid_request("Request body is not valid JSON.")
    if not isinstance(body, dict):
        return invalid_request("$: must be an object.")
    unknown = sorted(set(body) - POST_FIELDS)
    if unknown:
        return _not_in_schema(unknown[0])
    text = body.get("text", "")
    media_ids, refusal = _media_ids(body.get("media"), state)
    if refusal is not None:
        return refusal
    if not isinstance(text, str):
        return invalid_request("$.text: string found, but expected a string")
    if not text.strip() and not media_ids:
        return invalid_request("$.text: is missing but it is required")
    if weighted_length(text) > state.config.x_max_weighted_length:
        return problem(403, "Forbidden", "Your Tweet text is too long.")
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


def _not_in_schema(key: str) -> Response:
    return invalid_request(
        f"$.{key}: is not defined in the schema and the schema does not allow "
        "additional properties"
    )


def _as_data(post_id: str, text: str) -> dict[str, Any]:
    return {"id": post_id, "text": text, "edit_history_tweet_ids": [post_id]}


def _media_ids(media: Any, state: SandboxState) -> tuple[list[str], Response | None]:
    if media is None:
        return [], None
    if not isinstance(media, dict) or set(media) - {"media_ids", "tagged_user_ids"}:
        return [], invalid_request("$.media: has properties the schema does not allow")
    ids = media.get("media_ids")
    if (
        not isinstance(ids, list)
        or not 1 <= len(ids) <= 4
        or not all(isinstance(i, str) and ID_PATTERN.match(i) for i in ids)
    ):
        return [], invalid_request("$.media.media_ids: must be 1 to 4 numeric strings")
    now = state.now()
    unknown = [i for i in ids if state.x.media.get(i, {}).get("expires_at", 0) <= now]
    if unknown:
        return [], invalid_request(
            "Your media IDs are invalid.", {"media.media_ids": unknown}
        )
    return ids, None


def _check_reply(reply: Any, state: SandboxState) -> Response | None:
    if (
        not isinstance(reply, dict)
        or set(reply) - {"in_reply_to_tweet_id", "exclude_reply_user_ids"}
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
        return problem(
            403,
            "Forbidden",
            "Reply to this conversation is not allowed because you have not been "
            "mentioned or otherwise engaged by the author of the post you are "
            "replying to.",
        )
    return None


def _upload(req: Incoming, state: SandboxState) -> Response:
    if req.content_type == "multipart/form-data":
        fields: dict[str, Any] = {**req.form(), **req.files()}
        data = req.files().get("media")
    elif req.content_type == "application/json":
        try:
            fields = req.json()
            data = base64.b64decode(fields.get("media", ""), validate=True)
        except (ValueError, binascii.Error, AttributeError):
            return invalid_request("$.media: must be base64-encoded media bytes")
    else:
        return invalid_request("Upload media as multipart/form-data or JSON.")
    unknown = sorted(set(fields) - UPLOAD_FIELDS)
    if unknown:
        return _not_in_schema(unknown[0])
    if not data:
        return invalid_request("$.media: is missing but it is required")
    category = fields.get("media_category")
    if category not in MEDIA_CATEGORIES:
        return invalid_request(
            "$.media_category: is missing but it is required"
            if category is None
            else f"$.media_category: not a value in the enumeration: {category}"
        )
    image = inspect_image(data)
    if image is None or image.format not in IMAGE_TYPES:
        return invalid_request("media type unrecognized.")
    if image.size > (MAX_GIF_BYTES if image.format == "GIF" else MAX_IMAGE_BYTES):
        return invalid_request(f"File size exceeds {MAX_IMAGE_BYTES} bytes.")
    media_id = str(1_862_000_000_000_000_000 + state.serial() * 4_194_304)
    state.x.media[media_id] = {
        "expires_at": state.now() + MEDIA_LIFETIME,
        "alt_text": "",
    }
    info = {
        "image_type": IMAGE_TYPES[image.format],
        "w": image.width,
        "h": image.height,
    }
    return json_response(
        {
            "data": {
                "id": media_id,
                "media_key": f"3_{media_id}",
                "expires_after_secs": MEDIA_LIFETIME,
                "size": image.size,
                "image": info,
            }
        }
    )


def _metadata(req: Incoming, state: SandboxState) -> Response:
    try:
        body = req.json()
        media_id = body["id"]
        alt = body["metadata"]["alt_text"]["text"]
    except (ValueError, KeyError, TypeError):
        return invalid_request(
            "$.metadata.alt_text.text: is missing but it is required"
        )
    if not isinstance(alt, str) or not isinstance(media_id, str):
        return invalid_request("$.metadata.alt_text.text: must be a string")
    if len(alt) > 1000:
        return invalid_request(
            "$.metadata.alt_text.text: must be at most 1000 characters"
        )
    media = state.x.media.get(media_id)
    if media is None or media["expires_at"] <= state.now():
        return invalid_request("Your media IDs are invalid.", {"id": [media_id]})
    media["alt_text"] = alt
    return json_response(
        {"data": {"id": media_id, "associated_metadata": {"alt_text": {"text": alt}}}}
    )
