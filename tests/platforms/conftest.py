"""Helpers shared by the Graph adapters' tests: an error envelope, a sent form."""

from __future__ import annotations

from urllib.parse import parse_qsl

import httpx


def graph_error(
    code: int, subcode: int | None = None, message: str = ""
) -> dict[str, object]:
    error: dict[str, object] = {
        "message": message or f"Graph error {code}",
        "code": code,
    }
    if subcode:
        error["error_subcode"] = subcode
    return {"error": error}


def form(request: httpx.Request) -> dict[str, str]:
    return dict(parse_qsl(request.content.decode()))
