"""One incoming request as a fake platform sees it, and helpers every fake shares."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from email.message import Message
from typing import Any
from urllib.parse import parse_qsl

from PIL import Image, UnidentifiedImageError
from starlette.datastructures import Headers
from starlette.responses import Response


@dataclass
class Incoming:
    """A request routed to one platform. `path` is relative to the platform's base.

    `url` is the full URL the client addressed (no query), which OAuth 1.0a signs;
    `base` is where this platform lives as the client sees it, for building URLs that
    work in either mode.
    """

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: Headers
    body: bytes
    url: str
    base: str
    origin: str
    host_mode: bool
    _form: dict[str, str] | None = field(default=None, repr=False)
    _files: dict[str, bytes] = field(default_factory=dict, repr=False)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def q(self, name: str) -> str | None:
        return next((v for k, v in self.query if k == name), None)

    def json(self) -> Any:
        """The JSON body; raises ValueError when it is not JSON."""
        return json.loads(self.body.decode("utf-8"))

    def form(self) -> dict[str, str]:
        """Text fields of an urlencoded or multipart body; {} for other bodies."""
        if self._form is None:
            self._form = {}
            if self.content_type == "application/x-www-form-urlencoded":
                pairs = parse_qsl(self.body.decode("utf-8"), keep_blank_values=True)
                self._form = dict(pairs)
            elif self.content_type == "multipart/form-data":
                self._parse_multipart()
        return self._form

    def files(self) -> dict[str, bytes]:
        """Parts of a multipart body that carried a filename, by field name."""
        self.form()
        return self._files

    def params(self) -> dict[str, str]:
        """Query, then form or JSON body fields, as the Graph API reads them."""
        body: dict[str, str] = self.form()
        if self.content_type == "application/json":
            try:
                data = self.json()
            except ValueError:
                data = None
            if isinstance(data, dict):
                body = {k: _as_param(v) for k, v in data.items()}
        return {**dict(self.query), **body}

    def bearer(self) -> str | None:
        scheme, _, token = self.headers.get("authorization", "").partition(" ")
        return token.strip() if scheme.lower() == "bearer" and token.strip() else None

    def _parse_multipart(self) -> None:
        # Split on the boundary by hand: the email parser reads an image part line by
        # line, which costs milliseconds a request.
        boundary = _header_param(self.headers.get("content-type", ""), "boundary")
        assert self._form is not None
        if not boundary:
            return
        for chunk in self.body.split(b"--" + boundary.encode("latin-1"))[1:]:
            if chunk.startswith(b"--"):
                break  # the closing delimiter
            head, found, payload = chunk.partition(b"\r\n\r\n")
            if not found:
                continue
            fields: dict[str, str] = {}
            for line in head.decode("latin-1").split("\r\n"):
                key, colon, value = line.partition(":")
                if colon:
                    fields[key.strip().lower()] = value.strip()
            disposition = fields.get("content-disposition", "")
            name = _header_param(disposition, "name")
            if name is None:
                continue
            payload = payload.removesuffix(b"\r\n")
            kind = fields.get("content-type", "text/plain").split(";")[0].strip()
            filename = _header_param(disposition, "filename")
            if filename is not None or kind.lower() != "text/plain":
                self._files[name] = payload
            else:
                self._form[name] = payload.decode("utf-8", errors="replace")


def _header_param(value: str, name: str) -> str | None:
    """A parameter of a MIME header value (`name` of a Content-Disposition)."""
    message = Message()
    message["x"] = value
    found = message.get_param(name, header="x")
    return found if isinstance(found, str) else None


def _as_param(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value)


@dataclass(frozen=True)
class ImageInfo:
    format: str  # Pillow's name: JPEG, PNG, GIF, WEBP, ...
    width: int
    height: int
    size: int


def inspect_image(data: bytes) -> ImageInfo | None:
    """What the bytes are, if they are an image Pillow can read; None otherwise."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return ImageInfo(image.format or "", image.width, image.height, len(data))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Response(body, status, headers=headers, media_type="application/json")
