"""The fake LinkedIn Posts API: create (schema, duplicates), get, delete, find.

A deleted post stays a "ghost" for a while: reposting its text is still refused as a
duplicate naming its URN, which now answers 404 (gh:ComposioHQ/composio#2710).
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from crosspost.sandbox.little_text import displayed
from crosspost.sandbox.state import PostRecord, SandboxState
from crosspost.sandbox.wire import Incoming, json_response

REQUIRED = ("author", "commentary", "visibility", "distribution", "lifecycleState")
VISIBILITIES = frozenset({"PUBLIC", "CONNECTIONS", "LOGGED_IN", "CONTAINER"})
LIFECYCLES = frozenset({"PUBLISHED", "DRAFT"})
MAX_COMMENTARY = 3000
MISSING = "field is required but not found and has no default value"
UNRECOGNIZED = "unrecognized field found but not allowed"
# The Posts API's create schema, by path (learn.microsoft.com .../posts-api): a
# field outside it is refused, as Rest.li refuses it, with 422 "unrecognized field
# found but not allowed" (LinkedIn's Videos API answer to a misspelt field, in
# public code). `None` marks a field whose value is not checked further here.
SCHEMA: dict[str, Any] = {
    "author": None,
    "commentary": None,
    "visibility": None,
    "distribution": {
        "feedDistribution": None,
        "targetEntities": None,
        "thirdPartyDistributionChannels": None,
    },
    "content": {
        "article": {
            "source": None,
            "title": None,
            "description": None,
            "thumbnail": None,
            "thumbnailAltText": None,
        },
        "media": {"id": None, "title": None, "altText": None},
        "multiImage": None,
        "poll": None,
        "celebration": None,
        "carousel": None,
        "reference": None,
    },
    "contentLandingPage": None,
    "contentCallToActionLabel": None,
    "lifecycleState": None,
    "isReshareDisabledByAuthor": None,
    "reshareContext": None,
    "adContext": None,
    "container": None,
}


def error(status: int, message: str, **extra: Any) -> Response:
    return json_response({"status": status, **extra, "message": message}, status)


def unprocessable(path: str, problem: str) -> Response:
    return error(422, f"ERROR :: {path} :: {problem}\n")


def not_found(urn: str) -> Response:
    return error(404, f"Not Found: {urn}", code="NOT_FOUND")


def validate(body: dict[str, Any]) -> Response | None:
    """422 naming every missing or unrecognized field, or a bad value; else None."""
    problems = unrecognized(body, SCHEMA, "")
    missing = [
        f"ERROR :: /{name} :: {MISSING}\n" for name in REQUIRED if name not in body
    ]
    if problems or missing:
        return error(422, "".join(missing + problems))
    return _check_values(body)


def create(req: Incoming, state: SandboxState, body: dict[str, Any]) -> Response:
    """POST /rest/posts, its body valid: a duplicate's refusal, or the new post."""
    text = displayed(body["commentary"])
    existing = duplicate_of(state, text)
    if existing is not None:
        # The body LinkedIn sends (recorded in gh:Arisamiga/Linkedin-RSS#5).
        return json_response(
            {
                "errorDetailType": "com.linkedin.common.error.BadRequest",
                "message": "com.linkedin.content.common.exception."
                f"BadRequestResponseException: Content is a duplicate of {existing}",
                "errorDetails": {
                    "inputErrors": [
                        {
                            "description": "Duplicate post is detected",
                            "input": {},
                            "code": "DUPLICATE_POST",
                        }
                    ]
                },
                "status": 422,
            },
            422,
        )
    urn = f"urn:li:share:{7_400_000_000_000_000_000 + state.serial()}"
    url = (
        f"https://www.linkedin.com/feed/update/{urn}/"
        if req.host_mode
        else f"{req.origin}/_sandbox/posts/linkedin/{urn}"
    )
    state.record("linkedin", urn, url, text, body)
    return Response(b"", 201, headers={"x-restli-id": urn})


def unrecognized(value: Any, schema: Any, path: str) -> list[str]:
    """One Rest.li error line per field of `value` that `schema` does not know."""
    if not isinstance(schema, dict) or not isinstance(value, dict):
        return []
    lines: list[str] = []
    for key, inner in value.items():
        where = f"{path}/{key}"
        if key not in schema:
            lines.append(f"ERROR :: {where} :: {UNRECOGNIZED}\n")
        else:
            lines += unrecognized(inner, schema[key], where)
    return lines


def duplicate_of(state: SandboxState, text: str) -> str | None:
    """The URN of a live or recently deleted post showing `text`, if any."""
    for post in state.posts:
        if post.platform == "linkedin" and post.text == text:
            return post.id
    now = state.now()
    for urn, (shown, deleted_at) in state.linkedin.deleted.items():
        if shown == text and now - deleted_at < state.config.linkedin_ghost_seconds:
            return urn
    return None


def get(state: SandboxState, urn: str) -> Response:
    """GET /rest/posts/{urn}: the post, or 404 (deleted ones included)."""
    post = state.find("linkedin", urn)
    if post is None:
        return not_found(urn)
    return json_response(as_json(post))


def delete(state: SandboxState, urn: str) -> Response:
    """DELETE /rest/posts/{urn}: gone from the feed; a ghost for duplicates."""
    post = state.find("linkedin", urn)
    if post is None:
        return not_found(urn)
    state.posts.remove(post)
    state.linkedin.deleted[urn] = (post.text, state.now())
    return Response(b"", 204)


def find_by_author(req: Incoming, state: SandboxState) -> Response:
    """The author's posts, newest first, `count` (default 10, at most 100) from
    `start`, with the commentary as LinkedIn shows it."""
    count, start = req.q("count") or "10", req.q("start") or "0"
    if not (count.isdigit() and start.isdigit() and 0 < int(count) <= 100):
        return error(400, "Invalid count or start parameter")
    posts = [
        as_json(p)
        for p in reversed(state.posts)
        if p.platform == "linkedin" and p.fields.get("author") == req.q("author")
    ]
    first, size = int(start), int(count)
    paging = {"start": first, "count": size, "total": len(posts)}
    return json_response({"elements": posts[first : first + size], "paging": paging})


def as_json(post: PostRecord) -> dict[str, Any]:
    """A post as the Posts API returns it (commentary as LinkedIn shows it)."""
    made = int(post.created_at * 1000)
    return {
        "id": post.id,
        "author": post.fields.get("author"),
        "commentary": post.text,
        "visibility": post.fields.get("visibility"),
        "distribution": post.fields.get("distribution"),
        "lifecycleState": post.fields.get("lifecycleState", "PUBLISHED"),
        "isReshareDisabledByAuthor": post.fields.get(
            "isReshareDisabledByAuthor", False
        ),
        "createdAt": made,
        "lastModifiedAt": made,
        "publishedAt": made,
    }


def _check_values(body: dict[str, Any]) -> Response | None:
    commentary = body["commentary"]
    if not isinstance(commentary, str):
        return unprocessable("/commentary", "expected a string")
    if len(commentary) > MAX_COMMENTARY:
        return unprocessable(
            "/commentary",
            f"length {len(commentary)} exceeds the maximum of {MAX_COMMENTARY}",
        )
    if body["visibility"] not in VISIBILITIES:
        return unprocessable(
            "/visibility", f"{body['visibility']!r} is not an enum symbol"
        )
    if body["lifecycleState"] not in LIFECYCLES:
        return unprocessable(
            "/lifecycleState", f"{body['lifecycleState']!r} is not an enum symbol"
        )
    distribution = body["distribution"]
    if not isinstance(distribution, dict) or "feedDistribution" not in distribution:
        return unprocessable("/distribution/feedDistribution", MISSING)
    return None
