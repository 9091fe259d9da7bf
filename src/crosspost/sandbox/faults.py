"""Injected faults: which a request meets, each platform's answer, the transport.

In process, timeouts and resets cannot be real: the app marks its response with a
signal header and `SandboxTransport` raises the httpx exception a network would.
"""

from __future__ import annotations

import asyncio

import httpx
from starlette.responses import Response

from crosspost.sandbox import graph, linkedin
from crosspost.sandbox.config import Fault
from crosspost.sandbox.state import SandboxState
from crosspost.sandbox.wire import Incoming, json_response
from crosspost.sandbox.x_auth import problem, unauthorized

IN_PROCESS_HEADER = "x-crosspost-sandbox-in-process"
SIGNAL_HEADER = "x-crosspost-sandbox-fault"
BEFORE = frozenset({"server_error", "rate_limit", "timeout_before", "expired_token"})
SERVED_STALL = 30.0
_SIGNALS: dict[str, type[httpx.TransportError]] = {
    "timeout_before": httpx.ConnectTimeout,
    "timeout_after": httpx.ReadTimeout,
    "reset_after": httpx.RemoteProtocolError,
}


def take(faults: list[Fault], platform: str, path: str) -> tuple[float, Fault | None]:
    """The latency to add and the one disruptive fault this request meets (used up)."""
    latency = 0.0
    chosen: Fault | None = None
    for fault in faults:
        if (
            fault.platform not in (platform, "*")
            or (fault.path and fault.path not in path)
            or fault.times == 0
            or (fault.kind != "latency" and chosen is not None)
        ):
            continue
        if fault.kind == "latency":
            latency += fault.seconds
        else:
            chosen = fault
        if fault.times is not None:
            fault.times -= 1
    return latency, chosen


async def before(
    fault: Fault, platform: str, req: Incoming, state: SandboxState, *, in_process: bool
) -> Response:
    """The answer to a request a fault stops before the platform applies it."""
    if fault.kind == "timeout_before":
        if in_process:
            return Response(b"", 504, headers={SIGNAL_HEADER: fault.kind})
        await asyncio.sleep(fault.seconds or SERVED_STALL)
        return _server_error(platform, 504)
    if fault.kind == "server_error":
        return _server_error(platform, fault.status or 503)
    if fault.kind == "rate_limit":
        return _rate_limited(fault, platform, state)
    return _expired(platform, req, state)


async def after(fault: Fault, response: Response, *, in_process: bool) -> Response:
    """Spoil the answer to a request the platform has applied."""
    if fault.kind == "malformed_json":
        body = bytes(response.body)
        spoiled = body[: len(body) // 2] if len(body) > 1 else b'{"data":'
        headers = {k: v for k, v in response.headers.items() if k != "content-length"}
        return Response(spoiled, response.status_code, headers=headers)
    if in_process:
        response.headers[SIGNAL_HEADER] = fault.kind
    elif fault.kind == "timeout_after":
        await asyncio.sleep(fault.seconds or SERVED_STALL)
    else:
        response.headers[SIGNAL_HEADER] = fault.kind  # the app breaks the connection
    return response


def _server_error(platform: str, status: int) -> Response:
    if platform == "x":
        title = "Service Unavailable" if status == 503 else "Internal Server Error"
        return problem(status, title, title)
    if platform in ("facebook", "instagram"):
        return graph.server_error(status)
    return json_response({"status": status, "message": "Internal Server Error"}, status)


def _rate_limited(fault: Fault, platform: str, state: SandboxState) -> Response:
    if platform == "x":
        reset = int(state.now() + (fault.seconds or state.config.x_window_seconds))
        headers = {
            "x-rate-limit-limit": str(state.config.x_posts_per_window),
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": str(reset),
        }
        return problem(429, "Too Many Requests", "Too Many Requests", headers=headers)
    if platform in ("facebook", "instagram"):
        code = fault.code or (32 if platform == "facebook" else 4)
        minutes = max(1, int((fault.seconds or 600) // 60))
        return graph.throttled(state, platform, code, minutes=minutes)
    return linkedin.rate_limited()


def _expired(platform: str, req: Incoming, state: SandboxState) -> Response:
    if platform == "x":
        token = req.bearer()
        if token in state.x.access_tokens:
            state.x.access_tokens[token] = state.now()  # stays expired until refreshed
        return unauthorized()
    if platform in ("facebook", "instagram"):
        return graph.expired_token(state)
    return linkedin.expired_token()


class SandboxTransport(httpx.AsyncBaseTransport):
    """httpx.ASGITransport to the sandbox, raising the network errors faults ask for."""

    def __init__(self, app: object) -> None:
        self._inner = httpx.ASGITransport(app=app)  # type: ignore[arg-type]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.headers[IN_PROCESS_HEADER] = "1"
        try:
            response = await self._inner.handle_async_request(request)
        finally:
            del request.headers[IN_PROCESS_HEADER]
        signal = response.headers.get(SIGNAL_HEADER)
        if signal in _SIGNALS:
            await response.aclose()
            raise _SIGNALS[signal](f"sandbox fault: {signal}", request=request)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()
