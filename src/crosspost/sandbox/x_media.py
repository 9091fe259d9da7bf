"""The fake X media endpoints: one-shot and chunked upload, status, alt text.

Schemas from X's OpenAPI 2.167 (platforms.md 1.3): `MediaUploadRequest` allows only
`media`, `media_category` and `additional_owners` (`additionalProperties: false`);
`InitializeMediaUploadRequest` takes `media_type`, `total_bytes`, `media_category`,
`additional_owners` and `shared`. The sandbox processes images only.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from starlette.responses import Response

from crosspost.sandbox.state import SandboxState
from crosspost.sandbox.wire import Incoming, inspect_image, json_response
from crosspost.sandbox.x_auth import invalid_request, problem

UPLOAD_FIELDS = frozenset({"media", "media_category", "additional_owners"})
INITIALIZE_FIELDS = frozenset(
    {"media_type", "total_bytes", "media_category", "additional_owners", "shared"}
)
APPEND_FIELDS = frozenset({"media", "segment_index"})
MEDIA_CATEGORIES = frozenset(
    {
        "tweet_image",
        "tweet_gif",
        "tweet_video",
        "amplify_video",
        "subtitles",
        "dm_image",
        "dm_gif",
        "dm_video",
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
MAX_SEGMENT_INDEX = 999
MEDIA_LIFETIME = 86400
CHUNKED = re.compile(r"^/2/media/upload/([0-9]{1,19})/(append|finalize)$")


def route(req: Incoming, state: SandboxState) -> Response | None:
    """The answer to a media request, or None when the path is not a media one."""
    route = (req.method, req.path)
    if route == ("POST", "/2/media/upload"):
        return _upload(req, state)
    if route == ("GET", "/2/media/upload"):
        return _status(req, state)
    if route == ("POST", "/2/media/upload/initialize"):
        return _initialize(req, state)
    if route == ("POST", "/2/media/metadata"):
        return _metadata(req, state)
    chunked = CHUNKED.match(req.path)
    if req.method == "POST" and chunked is not None:
        media_id, step = chunked.groups()
        if step == "append":
            return _append(req, state, media_id)
        return _finalize(state, media_id)
    return None


def usable(state: SandboxState, media_id: str) -> bool:
    """Whether `media_id` is an uploaded, finalized, unexpired image."""
    media = state.x.media.get(media_id)
    return (
        media is not None
        and media.get("finalized", True)
        and media["expires_at"] > state.now()
    )


def not_in_schema(key: str) -> Response:
    return invalid_request(
        f"$.{key}: is not defined in the schema and the schema does not allow "
        "additional properties"
    )


def _fields(req: Incoming) -> tuple[dict[str, Any], bytes | None] | Response:
    """The body's fields and its `media` bytes (multipart, or base64 in JSON)."""
    if req.content_type == "multipart/form-data":
        fields: dict[str, Any] = {**req.form(), **req.files()}
        return fields, req.files().get("media")
    if req.content_type == "application/json":
        try:
            fields = req.json()
            if not isinstance(fields, dict):
                return invalid_request("$: must be an object.")
            encoded = fields.get("media")
            data = base64.b64decode(encoded, validate=True) if encoded else None
        except (ValueError, binascii.Error, TypeError):
            return invalid_request("$.media: must be base64-encoded media bytes")
        return fields, data
    return invalid_request("Upload media as multipart/form-data or JSON.")


def _category(fields: dict[str, Any], *, required: bool) -> Response | None:
    category = fields.get("media_category")
    if category is None and not required:
        return None
    if category not in MEDIA_CATEGORIES:
        return invalid_request(
            "$.media_category: is missing but it is required"
            if category is None
            else f"$.media_category: not a value in the enumeration: {category}"
        )
    return None


def _upload(req: Incoming, state: SandboxState) -> Response:
    parsed = _fields(req)
    if isinstance(parsed, Response):
        return parsed
    fields, data = parsed
    unknown = sorted(set(fields) - UPLOAD_FIELDS)
    if unknown:
        return not_in_schema(unknown[0])
    if not data:
        return invalid_request("$.media: is missing but it is required")
    refusal = _category(fields, required=True)
    if refusal is not None:
        return refusal
    media_id = _new_media_id(state)
    return _accept_image(state, media_id, data)


def _initialize(req: Incoming, state: SandboxState) -> Response:
    try:
        fields = req.json()
    except ValueError:
        return invalid_request("Request body is not valid JSON.")
    if not isinstance(fields, dict):
        return invalid_request("$: must be an object.")
    unknown = sorted(set(fields) - INITIALIZE_FIELDS)
    if unknown:
        return not_in_schema(unknown[0])
    total = fields.get("total_bytes")
    if not isinstance(total, int) or isinstance(total, bool) or total <= 0:
        return invalid_request("$.total_bytes: must be a positive integer")
    refusal = _category(fields, required=False)
    if refusal is not None:
        return refusal
    media_id = _new_media_id(state)
    state.x.media[media_id] = {
        "expires_at": state.now() + MEDIA_LIFETIME,
        "alt_text": "",
        "finalized": False,
        "total_bytes": total,
        "segments": {},
    }
    data = {
        "id": media_id,
        "media_key": f"3_{media_id}",
        "expires_after_secs": MEDIA_LIFETIME,
    }
    return json_response({"data": data})


def _append(req: Incoming, state: SandboxState, media_id: str) -> Response:
    media = state.x.media.get(media_id)
    if media is None or media.get("finalized", True):
        return _unknown_upload(media_id)
    parsed = _fields(req)
    if isinstance(parsed, Response):
        return parsed
    fields, data = parsed
    unknown = sorted(set(fields) - APPEND_FIELDS)
    if unknown:
        return not_in_schema(unknown[0])
    index = str(fields.get("segment_index", ""))
    if not index.isdigit() or int(index) > MAX_SEGMENT_INDEX:
        return invalid_request("$.segment_index: must be an integer from 0 to 999")
    if not data:
        return invalid_request("$.media: is missing but it is required")
    media["segments"][int(index)] = data
    return json_response({"data": {"expires_at": int(media["expires_at"])}})


def _finalize(state: SandboxState, media_id: str) -> Response:
    media = state.x.media.get(media_id)
    if media is None or media.get("finalized", True):
        return _unknown_upload(media_id)
    segments: dict[int, bytes] = media["segments"]
    data = b"".join(segments[i] for i in sorted(segments))
    if len(data) != media["total_bytes"]:
        # X does not document this message; the rule (segments must add up to
        # total_bytes) is from InitializeMediaUploadRequest.
        return invalid_request(
            f"The uploaded segments are {len(data)} bytes; total_bytes said "
            f"{media['total_bytes']}."
        )
    del state.x.media[media_id]
    return _accept_image(state, media_id, data)


def _status(req: Incoming, state: SandboxState) -> Response:
    media_id = req.q("media_id") or ""
    if req.q("command") not in (None, "STATUS"):
        return invalid_request("$.command: not a value in the enumeration")
    if not usable(state, media_id):
        return _unknown_upload(media_id)
    data = {
        "id": media_id,
        "media_key": f"3_{media_id}",
        "processing_info": {"state": "succeeded", "progress_percent": 100},
    }
    return json_response({"data": data})


def _accept_image(state: SandboxState, media_id: str, data: bytes) -> Response:
    image = inspect_image(data)
    if image is None or image.format not in IMAGE_TYPES:
        return invalid_request("media type unrecognized.")
    if image.size > (MAX_GIF_BYTES if image.format == "GIF" else MAX_IMAGE_BYTES):
        return invalid_request(f"File size exceeds {MAX_IMAGE_BYTES} bytes.")
    state.x.media[media_id] = {
        "expires_at": state.now() + MEDIA_LIFETIME,
        "alt_text": "",
    }
    kind = IMAGE_TYPES[image.format]
    info = {"image_type": kind, "w": image.width, "h": image.height}
    data_out = {
        "id": media_id,
        "media_key": f"3_{media_id}",
        "expires_after_secs": MEDIA_LIFETIME,
        "size": image.size,
        "image": info,
    }
    return json_response({"data": data_out})


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
    if not usable(state, media_id):
        return invalid_request("Your media IDs are invalid.", {"id": [media_id]})
    state.x.media[media_id]["alt_text"] = alt
    return json_response(
        {"data": {"id": media_id, "associated_metadata": {"alt_text": {"text": alt}}}}
    )


def _new_media_id(state: SandboxState) -> str:
    return str(1_862_000_000_000_000_000 + state.serial() * 4_194_304)


def _unknown_upload(media_id: str) -> Response:
    return problem(
        404,
        "Not Found Error",
        f"Could not find media with id: [{media_id}].",
        "https://api.x.com/2/problems/resource-not-found",
    )
