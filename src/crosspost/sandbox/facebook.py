"""The fake Facebook Page endpoints on the Graph host: feed, photos, permalinks."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from crosspost.sandbox.graph import (
    edge_page,
    graph_error,
    graph_time,
    invalid_parameter,
    not_found,
    pick,
    unknown_path,
)
from crosspost.sandbox.state import PostRecord, SandboxState
from crosspost.sandbox.wire import Incoming, inspect_image, json_response

PHOTO_FORMATS = frozenset({"JPEG", "PNG", "GIF", "BMP", "TIFF"})
MAX_PHOTO_BYTES = 4 * 1024 * 1024


async def handle(req: Incoming, state: SandboxState, parts: list[str]) -> Response:
    accounts = state.config.accounts
    fields = req.params().get("fields")
    page = {"id": accounts.facebook_page_id, "name": accounts.facebook_page_name}
    if req.method == "GET" and parts == ["me"]:
        return json_response(pick(page, fields or "id,name"))
    if req.method == "GET" and len(parts) == 1:
        if parts[0] == accounts.facebook_page_id:
            return json_response(pick(page, fields))
        post = state.find("facebook", state.graph.photos.get(parts[0], parts[0]))
        if post is None:
            return not_found(parts[0])
        return json_response(pick(_node(post), fields))
    if len(parts) == 2 and parts[0] != accounts.facebook_page_id:
        return not_found(parts[0], req.method)
    edge = parts[1] if len(parts) == 2 else ""
    if req.method == "POST" and edge == "feed":
        return _feed(req, state)
    if req.method == "POST" and edge == "photos":
        return _photo(req, state)
    if req.method == "GET" and edge in ("feed", "posts"):
        posts = [_node(p) for p in reversed(state.posts) if p.platform == "facebook"]
        return edge_page(req, posts, fields or "id,message,created_time")
    return unknown_path(req)


def _node(post: PostRecord) -> dict[str, Any]:
    return {
        "id": post.id,
        "message": post.text,
        "permalink_url": post.url,
        "created_time": graph_time(post.created_at),
    }


def _new_post_id(req: Incoming, state: SandboxState) -> tuple[str, str]:
    page_id = state.config.accounts.facebook_page_id
    post_id = f"{page_id}_{122_100_000_000_000_000 + state.serial()}"
    url = (
        f"https://www.facebook.com/{page_id}/posts/{post_id.split('_')[1]}"
        if req.host_mode
        else f"{req.origin}/_sandbox/posts/facebook/{post_id}"
    )
    return post_id, url


def _feed(req: Incoming, state: SandboxState) -> Response:
    params = req.params()
    message = params.get("message", "")
    if not message.strip() and not params.get("link"):
        return invalid_parameter("Missing message or attachment")
    if message.strip() and any(
        p.platform == "facebook" and p.text == message for p in state.posts
    ):
        return graph_error(400, 506, "(#506) Duplicate status message")
    post_id, url = _new_post_id(req, state)
    state.record("facebook", post_id, url, message, params)
    return json_response({"id": post_id})


def _photo(req: Incoming, state: SandboxState) -> Response:
    params = req.params()
    data = req.files().get("source")
    if data is None and params.get("url"):
        data = state.config.image_fetcher(params["url"])
        if data is None:
            return graph_error(400, 324, "(#324) Missing or invalid image file")
    if data is None:
        return graph_error(400, 324, "(#324) Requires upload file")
    image = inspect_image(data)
    if (
        image is None
        or image.format not in PHOTO_FORMATS
        or image.size > MAX_PHOTO_BYTES
    ):
        return graph_error(400, 324, "(#324) Missing or invalid image file")
    photo_id = str(122_200_000_000_000_000 + state.serial())
    if params.get("published", "true").lower() in ("false", "0"):
        return json_response({"id": photo_id})
    post_id, url = _new_post_id(req, state)
    text = params.get("caption") or params.get("message", "")
    fields: dict[str, Any] = dict(params)
    if "source" in req.files():
        fields["source"] = f"<{image.format} {image.width}x{image.height} upload>"
    state.record("facebook", post_id, url, text, fields)
    state.graph.photos[photo_id] = post_id
    return json_response({"id": photo_id, "post_id": post_id})
