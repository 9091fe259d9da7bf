"""The fake LinkedIn REST API: posts, the Images API and upload URLs, who-am-I."""

from __future__ import annotations

import hmac
import re
from datetime import UTC, datetime
from typing import Any

from starlette.responses import Response

from crosspost.sandbox.little_text import displayed
from crosspost.sandbox.state import SandboxState
from crosspost.sandbox.wire import Incoming, inspect_image, json_response

REQUIRED = ("author", "commentary", "visibility", "distribution", "lifecycleState")
VISIBILITIES = frozenset({"PUBLIC", "CONNECTIONS", "LOGGED_IN", "CONTAINER"})
LIFECYCLES = frozenset({"PUBLISHED", "DRAFT"})
MAX_COMMENTARY = 3000
UPLOAD_LIFETIME = 86400
MISSING = "field is required but not found and has no default value"
_UPLOAD_PATH = re.compile(r"^/dms-uploads/sp/([A-Za-z0-9]+)/uploaded-image/0$")
_VERSION = re.compile(r"^(\d{4})(0[1-9]|1[0-2])$")


def error(status: int, message: str, **extra: Any) -> Response:
    return json_response({"status": status, **extra, "message": message}, status)


def expired_token() -> Response:
    return error(
        401,
        "The token used in the request has expired",
        serviceErrorCode=65601,
        code="EXPIRED_ACCESS_TOKEN",
    )


def rate_limited() -> Response:
    return error(
        429,
        "Resource level throttle APPLICATION DAY limit for calls to this resource "
        "is reached.",
    )


async def handle(req: Incoming, state: SandboxState) -> Response:
    upload = _UPLOAD_PATH.match(req.path)
    refusal = _check_token(req, state)
    if refusal is not None:
        return refusal
    if upload is not None and req.method == "PUT":
        return _upload(req, state, upload.group(1))
    accounts = state.config.accounts
    if (req.method, req.path) == ("GET", "/v2/userinfo"):
        return json_response(
            {"sub": accounts.linkedin_person_id, "name": "MS Research Sandbox"}
        )
    if not req.path.startswith("/rest/"):
        return error(404, f"No resource found at {req.path}")
    refusal = _check_headers(req, state)
    if refusal is not None:
        return refusal
    org_path = f"/rest/organizations/{accounts.linkedin_organization_id}"
    if (req.method, req.path) == ("GET", org_path):
        org = {
            "id": int(accounts.linkedin_organization_id),
            "localizedName": accounts.linkedin_organization_name,
            "vanityName": "ms-research-sandbox",
        }
        return json_response(org)
    if (req.method, req.path) == ("POST", "/rest/posts"):
        return _create_post(req, state)
    if (req.method, req.path) == ("GET", "/rest/posts") and req.q("q") == "author":
        return _list_posts(req, state)
    if (req.method, req.path) == ("POST", "/rest/images"):
        return _initialize_upload(req, state)
    if req.method == "GET" and req.path.startswith("/rest/images/"):
        image = state.linkedin.images.get(req.path.removeprefix("/rest/images/"))
        if image is None:
            return error(404, "Image not found")
        return json_response(
            {
                "id": image["urn"],
                "status": "AVAILABLE" if image["uploaded"] else "WAITING_UPLOAD",
            }
        )
    return error(404, f"No resource found at {req.path}")


def _list_posts(req: Incoming, state: SandboxState) -> Response:
    """The author's posts, newest first, `count` (default 10, at most 100) from
    `start`, with the commentary as LinkedIn shows it."""
    count, start = req.q("count") or "10", req.q("start") or "0"
    if not (count.isdigit() and start.isdigit() and 0 < int(count) <= 100):
        return error(400, "Invalid count or start parameter")
    posts = [
        {"id": p.id, "author": p.fields.get("author"), "commentary": p.text,
         "createdAt": int(p.created_at * 1000),
         "lastModifiedAt": int(p.created_at * 1000), "lifecycleState": "PUBLISHED"}
        for p in reversed(state.posts)
        if p.platform == "linkedin" and p.fields.get("author") == req.q("author")
    ]  # fmt: skip
    first, size = int(start), int(count)
    paging = {"start": first, "count": size, "total": len(posts)}
    return json_response({"elements": posts[first : first + size], "paging": paging})


def _check_token(req: Incoming, state: SandboxState) -> Response | None:
    token = req.bearer()
    if token is None or not hmac.compare_digest(
        token, state.config.accounts.linkedin_token
    ):
        return error(
            401,
            "Invalid access token",
            serviceErrorCode=65600,
            code="INVALID_ACCESS_TOKEN",
        )
    return None


def _check_headers(req: Incoming, state: SandboxState) -> Response | None:
    version = req.headers.get("linkedin-version")
    if not version:
        return error(
            400,
            "A version must be present. Please specify a version by adding the "
            "LinkedIn-Version header.",
            code="VERSION_MISSING",
        )
    match = _VERSION.match(version)
    if match is None:
        return error(
            400,
            f"Invalid version format {version}; expected YYYYMM",
            code="VERSION_INVALID",
        )
    now = datetime.fromtimestamp(state.now(), UTC)
    months_old = (now.year - int(match.group(1))) * 12 + now.month - int(match.group(2))
    if not 0 <= months_old < state.config.linkedin_version_months:
        return error(
            426,
            f"Requested version {version} is not active",
            code="NONEXISTENT_VERSION",
        )
    if req.headers.get("x-restli-protocol-version") != "2.0.0":
        return error(
            400,
            "This resource requires the X-Restli-Protocol-Version: 2.0.0 header.",
            code="ILLEGAL_ARGUMENT",
        )
    return None


def _authors(state: SandboxState) -> set[str]:
    accounts = state.config.accounts
    return {
        f"urn:li:organization:{accounts.linkedin_organization_id}",
        f"urn:li:person:{accounts.linkedin_person_id}",
    }


def _json_body(req: Incoming) -> dict[str, Any] | None:
    try:
        body = req.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _unprocessable(path: str, problem: str) -> Response:
    return error(422, f"ERROR :: {path} :: {problem}\n")


def _create_post(req: Incoming, state: SandboxState) -> Response:
    body = _json_body(req)
    if body is None:
        return error(
            400,
            "Request body could not be converted to data map",
            code="ILLEGAL_ARGUMENT",
        )
    missing = [name for name in REQUIRED if name not in body]
    if missing:
        lines = [f"ERROR :: /{name} :: {MISSING}\n" for name in missing]
        return error(422, "".join(lines))
    if body["author"] not in _authors(state):
        return error(
            403,
            "Not enough permissions to access: "
            "partnerApiPostsExternal.CREATE.NO_VERSION",
            serviceErrorCode=100,
            code="ACCESS_DENIED",
        )
    commentary = body["commentary"]
    if not isinstance(commentary, str):
        return _unprocessable("/commentary", "expected a string")
    if len(commentary) > MAX_COMMENTARY:
        return _unprocessable(
            "/commentary",
            f"length {len(commentary)} exceeds the maximum of {MAX_COMMENTARY}",
        )
    if body["visibility"] not in VISIBILITIES:
        return _unprocessable(
            "/visibility", f"{body['visibility']!r} is not an enum symbol"
        )
    if body["lifecycleState"] not in LIFECYCLES:
        return _unprocessable(
            "/lifecycleState", f"{body['lifecycleState']!r} is not an enum symbol"
        )
    distribution = body["distribution"]
    if not isinstance(distribution, dict) or "feedDistribution" not in distribution:
        return _unprocessable(
            "/distribution/feedDistribution",
            MISSING,
        )
    refusal = _check_content(body.get("content"), state)
    if refusal is not None:
        return refusal
    today = datetime.fromtimestamp(state.now(), UTC).date().isoformat()
    if state.linkedin.post_days.count(today) >= state.config.linkedin_posts_per_day:
        return rate_limited()
    text = displayed(commentary)
    for post in state.posts:
        if post.platform == "linkedin" and post.text == text:
            return error(422, f"Content is a duplicate of {post.id}")
    urn = f"urn:li:share:{7_400_000_000_000_000_000 + state.serial()}"
    url = (
        f"https://www.linkedin.com/feed/update/{urn}/"
        if req.host_mode
        else f"{req.origin}/_sandbox/posts/linkedin/{urn}"
    )
    state.record("linkedin", urn, url, text, body)
    state.linkedin.post_days.append(today)
    return Response(b"", 201, headers={"x-restli-id": urn})


def _check_content(content: Any, state: SandboxState) -> Response | None:
    if content is None:
        return None
    if not isinstance(content, dict):
        return _unprocessable("/content", "expected a record")
    images = state.linkedin.images
    if "article" in content:
        article = content["article"]
        if not isinstance(article, dict) or not isinstance(article.get("source"), str):
            return _unprocessable(
                "/content/article/source",
                MISSING,
            )
        thumbnail = article.get("thumbnail")
        if thumbnail is not None and not images.get(thumbnail, {}).get("uploaded"):
            return _unprocessable(
                "/content/article/thumbnail", f"{thumbnail} is not an uploaded image"
            )
    if "media" in content:
        media = content["media"]
        urn = media.get("id") if isinstance(media, dict) else None
        if not isinstance(urn, str):
            return _unprocessable(
                "/content/media/id",
                MISSING,
            )
        if not images.get(urn, {}).get("uploaded"):
            return _unprocessable(
                "/content/media/id", f"{urn} is not an uploaded image"
            )
    return None


def _initialize_upload(req: Incoming, state: SandboxState) -> Response:
    if req.q("action") != "initializeUpload":
        return error(
            400,
            "Unsupported action; use ?action=initializeUpload",
            code="ILLEGAL_ARGUMENT",
        )
    body = _json_body(req)
    request = body.get("initializeUploadRequest") if body else None
    owner = request.get("owner") if isinstance(request, dict) else None
    if owner is None:
        return _unprocessable(
            "/initializeUploadRequest/owner",
            MISSING,
        )
    if owner not in _authors(state):
        return error(
            403, f"Not enough permissions to upload as {owner}", code="ACCESS_DENIED"
        )
    serial = state.serial()
    urn = f"urn:li:image:C4E10AQ{serial:08d}SbX"
    token = f"sandbox{serial:06d}"
    expires = int((state.now() + UPLOAD_LIFETIME) * 1000)
    state.linkedin.images[urn] = {
        "urn": urn, "uploaded": False, "owner": owner, "expires_at": expires
    }  # fmt: skip
    state.linkedin.uploads[token] = urn
    base = "https://www.linkedin.com" if req.host_mode else req.base
    value = {
        "uploadUrlExpiresAt": expires,
        "uploadUrl": f"{base}/dms-uploads/sp/{token}/uploaded-image/0",
        "image": urn,
    }
    return json_response({"value": value})


def _upload(req: Incoming, state: SandboxState, token: str) -> Response:
    urn = state.linkedin.uploads.get(token)
    expired = (
        urn is None or state.linkedin.images[urn]["expires_at"] < state.now() * 1000
    )
    if urn is None or expired:
        return error(404, "Upload URL not found or expired")
    image = inspect_image(req.body)
    if image is None or image.format not in ("JPEG", "PNG", "GIF"):
        return error(
            400,
            "Uploaded bytes are not a JPG, PNG or GIF image",
            code="ILLEGAL_ARGUMENT",
        )
    state.linkedin.images[urn]["uploaded"] = True
    return Response(b"", 201)
