"""A loopback notification receiver: what Apprise's `json://` and `form://` plugins
send (version, title, message, type, attachments), kept without the URL or headers,
which may carry the team's tokens (in the path, `?-name=` parameters or the user)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from datetime import UTC, datetime
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

from starlette.responses import Response

from crosspost.sandbox.state import SandboxState
from crosspost.sandbox.wire import json_response

NOTIFY_PATH = "/_sandbox/notify"
FIELDS = ("version", "title", "message", "type")


def receiver_url(base_url: str) -> str:
    """The Apprise URL of a served sandbox's receiver (`json://127.0.0.1:8765/...`)."""
    scheme, _, rest = base_url.rstrip("/").partition("://")
    return f"{'jsons' if scheme == 'https' else 'json'}://{rest}{NOTIFY_PATH}"


def is_receiver(path: str) -> bool:
    """The receiver's path, or one below it (a token in the path, as Slack's and
    Discord's webhooks have)."""
    return path.rstrip("/") == NOTIFY_PATH or path.startswith(NOTIFY_PATH + "/")


def receive(
    method: str, content_type: str, body: bytes, state: SandboxState
) -> Response:
    """POST: record one notification; GET: every notification received, as JSON."""
    if method == "GET":
        return json_response(state.notifications)
    if method != "POST":
        return json_response({"error": "use POST (Apprise) or GET"}, 405)
    kind = content_type.split(";", 1)[0].strip().lower()
    try:
        if kind == "application/json":
            via, fields, attachments = "json", *_from_json(body)
        elif kind == "application/x-www-form-urlencoded":
            via, fields, attachments = "form", _from_urlencoded(body), []
        elif kind == "multipart/form-data":
            via, fields, attachments = "form", *_from_multipart(content_type, body)
        else:
            return json_response({"error": f"unsupported body type {kind!r}"}, 415)
    except ValueError as exc:
        return json_response({"error": str(exc)}, 400)
    if not isinstance(fields.get("message"), str):
        return json_response({"error": "Apprise always sends a message"}, 400)
    received = datetime.fromtimestamp(state.now(), UTC).isoformat()
    state.notifications.append(
        {
            "via": via,
            **{name: fields.get(name) for name in FIELDS},
            "attachments": attachments,
            "received_at": received,
        }
    )
    return json_response({"received": len(state.notifications)})


def _from_json(body: bytes) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    try:
        data = json.loads(body)
    except ValueError:
        raise ValueError("the body must be JSON") from None
    if not isinstance(data, dict):
        raise ValueError("the body must be a JSON object")
    attachments = []
    for item in data.get("attachments") or []:
        try:
            content = base64.b64decode(item["base64"], validate=True)
        except (KeyError, TypeError, binascii.Error):
            raise ValueError("an attachment has no valid base64 content") from None
        attachments.append(
            _attachment(item.get("filename"), item.get("mimetype"), content)
        )
    return data, attachments


def _from_urlencoded(body: bytes) -> dict[str, Any]:
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def _from_multipart(
    content_type: str, body: bytes
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise ValueError("the multipart body cannot be read")
    fields: dict[str, Any] = {}
    attachments = []
    for part in message.iter_parts():
        assert isinstance(part, Message)
        content = part.get_payload(decode=True)
        data = content if isinstance(content, bytes) else b""
        if part.get_filename() is not None:
            attachments.append(
                _attachment(part.get_filename(), part.get_content_type(), data)
            )
        else:
            name = part.get_param("name", header="content-disposition")
            fields[str(name)] = data.decode("utf-8", "replace")
    return fields, attachments


def _attachment(name: object, mimetype: object, content: bytes) -> dict[str, Any]:
    return {
        "filename": str(name or ""),
        "mimetype": str(mimetype or ""),
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }
