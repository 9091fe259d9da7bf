"""The sandbox's notification receiver: Apprise's json:// and form:// bodies."""

from __future__ import annotations

import base64
import hashlib

import httpx
import pytest

from crosspost.sandbox import Sandbox
from crosspost.sandbox.notify import is_receiver, receiver_url

pytestmark = pytest.mark.anyio

ROOT = "http://127.0.0.1:8765"
CARD = b"\xff\xd8card"
NOTE = {
    "version": "1.0",
    "title": "Due: vests",
    "message": "Paste it 🧊",
    "type": "info",
}


def test_receiver_url_is_apprise_json() -> None:
    """A served sandbox's receiver is json:// (jsons:// behind https)."""
    assert receiver_url("http://127.0.0.1:8765/") == (
        "json://127.0.0.1:8765/_sandbox/notify"
    )
    assert receiver_url("https://[::1]:9") == "jsons://[::1]:9/_sandbox/notify"
    assert is_receiver("/_sandbox/notify/T0k3n")
    assert not is_receiver("/_sandbox/notifyx")


async def test_json_body_with_attachment(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """The JSON body's fields are kept, and each attachment by name, type and hash."""
    attachment = {
        "filename": "card.jpg",
        "base64": base64.b64encode(CARD).decode(),
        "mimetype": "image/jpeg",
    }
    response = await client.post(
        f"{ROOT}/_sandbox/notify", json={**NOTE, "attachments": [attachment]}
    )
    assert response.json() == {"received": 1}
    [note] = sandbox.notifications
    assert {k: note[k] for k in NOTE} == NOTE
    assert note["via"] == "json"
    assert note["attachments"] == [
        {
            "filename": "card.jpg",
            "mimetype": "image/jpeg",
            "size": len(CARD),
            "sha256": hashlib.sha256(CARD).hexdigest(),
        }
    ]


async def test_form_bodies_plain_and_multipart(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """form:// sends URL-encoded fields, or multipart with files attached."""
    await client.post(f"{ROOT}/_sandbox/notify", data=NOTE)
    await client.post(
        f"{ROOT}/_sandbox/notify/tok",
        data=NOTE,
        files={"file01": ("card.jpg", CARD, "image/jpeg")},
    )
    plain, multipart = sandbox.notifications
    assert plain["message"] == multipart["message"] == "Paste it 🧊"
    assert plain["via"] == multipart["via"] == "form"
    assert plain["attachments"] == []
    assert multipart["attachments"][0]["size"] == len(CARD)


async def test_url_and_headers_are_not_kept(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    """Tokens in the path, query or Authorization header are never recorded."""
    await client.post(
        f"{ROOT}/_sandbox/notify/path-secret?token=query-secret",
        json=NOTE,
        headers={"Authorization": "Basic header-secret"},
    )
    kept = str(sandbox.notifications)
    shown = (await client.get(f"{ROOT}/_sandbox/notifications")).text
    for secret in ("path-secret", "query-secret", "header-secret"):
        assert secret not in kept
        assert secret not in shown


@pytest.mark.parametrize(
    ("method", "kwargs", "refusal"),
    [
        ("POST", {"content": b"{", "headers": {"content-type": "application/json"}},
         (400, "must be JSON")),
        ("POST", {"json": ["a"]}, (400, "JSON object")),
        ("POST", {"json": {"title": "no message"}}, (400, "always sends a message")),
        ("POST", {"json": {**NOTE, "attachments": [{"filename": "a"}]}},
         (400, "base64")),
        ("POST", {"content": b"x", "headers": {"content-type": "text/plain"}},
         (415, "unsupported")),
        ("PUT", {"json": NOTE}, (405, "use POST")),
    ],
)  # fmt: skip
async def test_bad_requests_are_refused(
    client: httpx.AsyncClient,
    sandbox: Sandbox,
    method: str,
    kwargs: dict[str, object],
    refusal: tuple[int, str],
) -> None:
    """Bad JSON, no message, a broken attachment, another body type or method."""
    response = await client.request(method, f"{ROOT}/_sandbox/notify", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == refusal[0]
    assert refusal[1] in response.json()["error"]
    assert sandbox.notifications == []
