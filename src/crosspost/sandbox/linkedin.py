"""The fake LinkedIn REST API: headers and versions, tokens and permissions, the
Images API and upload URLs, the organisation lookup; posts in `linkedin_posts`."""

from __future__ import annotations

import hmac
import re
from datetime import UTC, date, datetime
from typing import Any

from starlette.responses import Response

from crosspost.sandbox import linkedin_posts
from crosspost.sandbox.linkedin_posts import MISSING, error, unprocessable
from crosspost.sandbox.state import SandboxState
from crosspost.sandbox.wire import Incoming, inspect_image, json_response

UPLOAD_LIFETIME = 86400
_UPLOAD_PATH = re.compile(r"^/dms-uploads/sp/([A-Za-z0-9]+)/uploaded-image/0$")
_POST_PATH = re.compile(r"^/rest/posts/(urn:li:(?:share|ugcPost):[0-9]+)$")
# YYYYMM, or YYYYMM.RR for a revision of that month's version (LinkedIn publishes
# revisions such as 202508.02 in its versioning tables).
_VERSION = re.compile(r"^(\d{4})(0[1-9]|1[0-2])(?:\.(\d{2}))?$")
# A version is sunset a year after its month, mid-month: LinkedIn's migration table
# gives 15 September 2025 for 202409, 15 October for 202410, 17 November for
# 202411, and its notices 15 January 2027 for 202601. The sandbox keeps a version
# until the 15th, the earliest of those days.
SUNSET_DAY = 15


def expired_token() -> Response:
    # 65602 EXPIRED_ACCESS_TOKEN for an expired token (65601 is a revoked one), as
    # LinkedIn answers in the error bodies public code records.
    return error(
        401,
        "The token used in the request has expired",
        serviceErrorCode=65602,
        code="EXPIRED_ACCESS_TOKEN",
    )


def rate_limited() -> Response:
    return error(
        429,
        "Resource level throttle APPLICATION DAY limit for calls to this resource "
        "is reached.",
    )


def access_denied(resource: str, req: Incoming) -> Response:
    """403 for a token without the permission the resource needs."""
    version = req.headers.get("linkedin-version") or "NO_VERSION"
    return error(
        403,
        f"Not enough permissions to access: {resource}.{req.method}.{version}",
        serviceErrorCode=100,
        code="ACCESS_DENIED",
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
        # The organisation lookup documents rw_organization_admin (learn.microsoft.com
        # .../organization-lookup-api); posting needs only w_organization_social.
        if "rw_organization_admin" not in state.config.linkedin_scopes:
            return access_denied("organizations", req)
        org = {
            "id": int(accounts.linkedin_organization_id),
            "localizedName": accounts.linkedin_organization_name,
            "vanityName": "ms-research-sandbox",
        }
        return json_response(org)
    if (req.method, req.path) == ("POST", "/rest/posts"):
        return _create_post(req, state)
    post = _POST_PATH.match(req.path)
    if req.method == "GET" and (post or req.path == "/rest/posts"):
        if "r_organization_social" not in state.config.linkedin_scopes:
            return access_denied("partnerApiPostsExternal", req)
        if post is not None:
            return linkedin_posts.get(state, post.group(1))
        if req.q("q") == "author":
            return linkedin_posts.find_by_author(req, state)
    if req.method == "DELETE" and post is not None:
        return linkedin_posts.delete(state, post.group(1))
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
            f"Invalid version format {version}; expected YYYYMM or YYYYMM.RR",
            code="VERSION_INVALID",
        )
    year, month = int(match.group(1)), int(match.group(2))
    # Which versions are live is today's question, even in a simulated run on a
    # virtual clock: the team moves linkedin.version on as LinkedIn does.
    today = datetime.fromtimestamp(state.config.auth_clock(), UTC).date()
    months = state.config.linkedin_version_months + month - 1
    sunset = date(year + months // 12, months % 12 + 1, SUNSET_DAY)
    if not date(year, month, 1) <= today < sunset:
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


def _create_post(req: Incoming, state: SandboxState) -> Response:
    body = _json_body(req)
    if body is None:
        return error(
            400,
            "Request body could not be converted to data map",
            code="ILLEGAL_ARGUMENT",
        )
    refusal = linkedin_posts.validate(body)
    if refusal is not None:
        return refusal
    if body["author"] not in _authors(state) or not _may_write(state, body["author"]):
        return error(
            403,
            "Not enough permissions to access: "
            "partnerApiPostsExternal.CREATE.NO_VERSION",
            serviceErrorCode=100,
            code="ACCESS_DENIED",
        )
    refusal = _check_content(body.get("content"), state)
    if refusal is not None:
        return refusal
    today = datetime.fromtimestamp(state.now(), UTC).date().isoformat()
    if state.linkedin.post_days.count(today) >= state.config.linkedin_posts_per_day:
        return rate_limited()
    response = linkedin_posts.create(req, state, body)
    if response.status_code == 201:
        state.linkedin.post_days.append(today)
    return response


def _may_write(state: SandboxState, author: str) -> bool:
    """w_organization_social posts as an organisation, w_member_social as a member."""
    needed = (
        "w_organization_social" if ":organization:" in author else "w_member_social"
    )
    return needed in state.config.linkedin_scopes


def _check_content(content: Any, state: SandboxState) -> Response | None:
    if content is None:
        return None
    if not isinstance(content, dict):
        return unprocessable("/content", "expected a record")
    images = state.linkedin.images
    if "article" in content:
        article = content["article"]
        if not isinstance(article, dict) or not isinstance(article.get("source"), str):
            return unprocessable(
                "/content/article/source",
                MISSING,
            )
        thumbnail = article.get("thumbnail")
        if thumbnail is not None and not images.get(thumbnail, {}).get("uploaded"):
            return unprocessable(
                "/content/article/thumbnail", f"{thumbnail} is not an uploaded image"
            )
    if "media" in content:
        media = content["media"]
        urn = media.get("id") if isinstance(media, dict) else None
        if not isinstance(urn, str):
            return unprocessable(
                "/content/media/id",
                MISSING,
            )
        if not images.get(urn, {}).get("uploaded"):
            return unprocessable("/content/media/id", f"{urn} is not an uploaded image")
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
        return unprocessable(
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
