"""Parsing requests the way the fake platforms read them."""

from __future__ import annotations

import httpx
from starlette.datastructures import Headers

from crosspost.sandbox.wire import Incoming, inspect_image, json_response

from .conftest import image_bytes


def incoming(request: httpx.Request) -> Incoming:
    return Incoming(
        method=request.method,
        path=request.url.path,
        query=list(request.url.params.multi_items()),
        headers=Headers(headers=dict(request.headers)),
        body=request.read(),
        url=str(request.url.copy_with(query=None)),
        base="https://api.example",
        origin="https://api.example",
        host_mode=True,
    )


def test_multipart_fields_and_binary_files() -> None:
    """Text parts become form fields; file parts keep their exact bytes."""
    data = image_bytes(40, 30) + b"\r\n--boundary-lookalike\r\n"
    request = httpx.Request(
        "POST",
        "https://api.example/upload",
        data={"caption": "Myélin"},
        files={"source": ("c.jpg", data, "image/jpeg")},
    )
    parsed = incoming(request)
    assert parsed.form() == {"caption": "Myélin"}
    assert parsed.files()["source"] == data


def test_params_merge_query_and_form() -> None:
    """Graph-style params take the query, then the form body over it."""
    request = httpx.Request(
        "POST", "https://api.example/feed?access_token=q&a=1", data={"a": "2"}
    )
    assert incoming(request).params() == {"access_token": "q", "a": "2"}


def test_bearer_and_json() -> None:
    """A Bearer token is read from Authorization; the JSON body parses."""
    request = httpx.Request(
        "POST",
        "https://api.example/p",
        json={"k": 1},
        headers={"Authorization": "Bearer t"},
    )
    parsed = incoming(request)
    assert parsed.bearer() == "t"
    assert parsed.json() == {"k": 1}
    assert parsed.content_type == "application/json"


def test_inspect_image() -> None:
    """Pillow names the format and size; junk is None."""
    info = inspect_image(image_bytes(30, 20, "PNG"))
    assert info is not None
    assert (info.format, info.width, info.height) == ("PNG", 30, 20)
    assert inspect_image(b"GIF89a but not really") is None


def test_json_response_is_compact_utf8() -> None:
    """Answers are compact JSON with non-ASCII kept."""
    response = json_response({"t": "Ü"}, 201)
    assert response.status_code == 201
    assert bytes(response.body) == '{"t":"Ü"}'.encode()


def test_params_read_a_json_body() -> None:
    """A JSON object body gives Graph params too, non-strings as JSON text."""
    request = httpx.Request(
        "POST", "https://api.example/feed", json={"message": "m", "published": False}
    )
    assert incoming(request).params() == {"message": "m", "published": "false"}
