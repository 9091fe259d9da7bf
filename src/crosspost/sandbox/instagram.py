"""The fake Instagram publishing endpoints: containers, status, publish, quota."""

from __future__ import annotations

import base64
import re
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
from crosspost.sandbox.state import Container, SandboxState
from crosspost.sandbox.wire import Incoming, inspect_image, json_response

MAX_CAPTION = 2200
MAX_HASHTAGS = 30
MAX_MENTIONS = 20
MAX_IMAGE_BYTES = 8 * 1024 * 1024
ASPECT_RANGE = (0.8, 1.91)
CONTAINER_LIFETIME = 86400
_HASHTAG = re.compile(r"(?<![\w#])#\w+")
_MENTION = re.compile(r"(?<![\w@])@[\w.]+")


async def handle(req: Incoming, state: SandboxState, parts: list[str]) -> Response:
    user_id = state.config.accounts.instagram_user_id
    fields = req.params().get("fields")
    edge = parts[1] if len(parts) == 2 and parts[0] == user_id else None
    node = parts[0] if parts else ""
    known = node == user_id or node in state.graph.containers
    if not known and state.find("instagram", node) is None:
        return not_found(node)
    if req.method == "GET" and parts == [user_id]:
        user = {"id": user_id, "username": state.config.accounts.instagram_username}
        return json_response(pick(user, fields))
    if req.method == "POST" and edge == "media":
        return _create_container(req, state)
    if req.method == "POST" and edge == "media_publish":
        return _publish(req, state)
    if req.method == "GET" and edge == "content_publishing_limit":
        return _publishing_limit(req, state)
    if req.method == "GET" and edge == "media":
        media = [
            _media(state, p.id)
            for p in reversed(state.posts)
            if p.platform == "instagram"
        ]
        return edge_page(req, media, fields or "id")
    if req.method == "GET" and len(parts) == 1:
        container = state.graph.containers.get(parts[0])
        if container is not None:
            return json_response(pick(_status(container, state), fields))
        if state.find("instagram", parts[0]) is not None:
            return json_response(pick(_media(state, parts[0]), fields))
        return not_found(parts[0])
    return unknown_path(req)


def _create_container(req: Incoming, state: SandboxState) -> Response:
    params = req.params()
    if params.get("media_type", "IMAGE") != "IMAGE" or params.get("is_carousel_item"):
        return invalid_parameter("The sandbox publishes single-image posts only")
    url = params.get("image_url", "")
    if not url:
        return invalid_parameter("The parameter image_url is required")
    refusal = _caption_problem(params.get("caption", ""))
    if refusal is not None:
        return refusal
    data = state.config.image_fetcher(url)
    if data is None:
        return graph_error(
            400,
            9004,
            "(#9004) The media could not be fetched from this URI",
            subcode=2207052,
            user_message="Media download has failed. The media URI doesn't meet our "
            f"requirements: {url}",
        )
    refusal = _image_problem(data)
    if refusal is not None:
        return refusal
    container_id = str(17_900_000_000_000_000 + state.serial())
    kept = {
        k: v for k, v in params.items() if k in ("image_url", "caption", "alt_text")
    }
    state.graph.containers[container_id] = Container(container_id, kept, state.now())
    return json_response({"id": container_id})


# Image and caption refusals come from the container request itself, with the codes
# of Instagram's Error Codes reference (developers.facebook.com/docs/instagram-api/
# reference/error-codes): 36000/2207004 size, 36001/2207005 format, 36003/2207009
# aspect ratio, 36004/2207010 caption length, 100/2207040 too many @ tags.
def _image_problem(data: bytes) -> Response | None:
    image = inspect_image(data)
    if image is not None and image.size > MAX_IMAGE_BYTES:
        return _refused(
            36000,
            2207004,
            "The image size is too large.",
            "Image size too large",
            "The image is too large to download. It should be less than 8 MiB.",
        )
    if image is None or image.format != "JPEG":
        shown = image.format if image is not None else "unknown"
        return _refused(
            36001,
            2207005,
            "The image format is not supported.",
            "Image format not supported",
            f"The image format {shown} is not supported. Supported formats are: JPEG.",
        )
    ratio = image.width / image.height
    if not ASPECT_RANGE[0] <= ratio <= ASPECT_RANGE[1]:
        return _refused(
            36003,
            2207009,
            "The aspect ratio is not supported.",
            "Invalid aspect ratio",
            f"The submitted image with aspect ratio {image.width}:{image.height} "
            "cannot be published. Please submit an image with a valid aspect ratio.",
        )
    return None


def _caption_problem(caption: str) -> Response | None:
    if len(caption) > MAX_CAPTION:
        return _refused(
            36004,
            2207010,
            "The caption is too long.",
            "Caption too long",
            f"The submitted image's caption was {len(caption)} characters long. The "
            f"maximum number of characters permitted for a caption is {MAX_CAPTION}. "
            "Please submit media with a shorter caption.",
        )
    if len(_HASHTAG.findall(caption)) > MAX_HASHTAGS:
        return invalid_parameter(f"The caption has more than {MAX_HASHTAGS} hashtags")
    if len(_MENTION.findall(caption)) > MAX_MENTIONS:
        return graph_error(
            400,
            100,
            f"(#100) Cannot use more than {MAX_MENTIONS} tags per created media.",
            subcode=2207040,
        )
    return None


def _refused(code: int, subcode: int, message: str, title: str, said: str) -> Response:
    return graph_error(
        400,
        code,
        message,
        subcode=subcode,
        user_title=title,
        user_message=said,
        transient=False,
    )


def _status_code(container: Container, state: SandboxState) -> str:
    if container.published_id:
        return "PUBLISHED"
    if container.created_at + CONTAINER_LIFETIME <= state.now():
        return "EXPIRED"
    if container.polls < state.config.instagram_polls_in_progress:
        return "IN_PROGRESS"
    return "ERROR" if container.error else "FINISHED"


def _status(container: Container, state: SandboxState) -> dict[str, Any]:
    code = _status_code(container, state)
    container.polls += 1
    status = {
        "IN_PROGRESS": "In Progress: Media is still being processed.",
        "FINISHED": "Finished: Media has been uploaded and is ready to be published.",
        "PUBLISHED": "Published: Media has been successfully published.",
        "EXPIRED": "Expired: Media container was not published within 24 hours.",
        "ERROR": container.error,
    }[code]
    return {"id": container.id, "status_code": code, "status": status}


def _publish(req: Incoming, state: SandboxState) -> Response:
    config = state.config
    creation_id = req.params().get("creation_id", "")
    container = state.graph.containers.get(creation_id)
    if container is None:
        return invalid_parameter(
            "The parameter creation_id is required"
            if not creation_id
            else f"Param creation_id {creation_id} is not a valid media container"
        )
    if (
        _quota_usage(state, config.instagram_quota_duration)
        >= config.instagram_quota_total
    ):
        return graph_error(
            400,
            9,
            "(#9) Application request limit reached",
            subcode=2207042,
            user_message="You reached the maximum number of posts that is allowed to "
            "be "
            "published by Content Publishing API.",
        )
    if container.published_id:
        return invalid_parameter(
            f"Media container {creation_id} has already been published"
        )
    if _status_code(container, state) != "FINISHED":
        return graph_error(
            400,
            9007,
            "(#9007) Media ID is not available",
            subcode=2207027,
            user_message="The media is not ready for publishing, please wait a moment",
        )
    media_id = str(17_800_000_000_000_000 + state.serial())
    container.published_id = media_id
    url = (
        f"https://www.instagram.com/p/{_shortcode(media_id)}/"
        if req.host_mode
        else f"{req.origin}/_sandbox/posts/instagram/{media_id}"
    )
    caption = container.fields.get("caption", "")
    state.record(
        "instagram",
        media_id,
        url,
        caption,
        {**container.fields, "creation_id": creation_id},
    )
    state.graph.instagram_publish_times.append(state.now())
    return json_response({"id": media_id})


def _shortcode(media_id: str) -> str:
    raw = int(media_id).to_bytes(8, "big")
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _media(state: SandboxState, media_id: str) -> dict[str, Any]:
    post = state.find("instagram", media_id)
    assert post is not None
    return {
        "id": post.id,
        "caption": post.text,
        "permalink": post.url,
        "media_type": "IMAGE",
        "timestamp": graph_time(post.created_at),
    }


def _quota_usage(state: SandboxState, within: float) -> int:
    since = state.now() - min(within, state.config.instagram_quota_duration)
    return sum(1 for t in state.graph.instagram_publish_times if t > since)


def _publishing_limit(req: Incoming, state: SandboxState) -> Response:
    params = req.params()
    duration = state.config.instagram_quota_duration
    since = params.get("since", "")
    within = state.now() - int(since) if since.isdigit() else duration
    available = {
        "quota_usage": _quota_usage(state, within),
        "config": {
            "quota_total": state.config.instagram_quota_total,
            "quota_duration": duration,
        },
    }
    wanted = [
        f for f in params.get("fields", "quota_usage").split(",") if f in available
    ]
    return json_response({"data": [{name: available[name] for name in wanted}]})
