"""The sandbox: one ASGI app for every fake platform, routed by Host (in process) or
by path prefix (served), with its records, pages and fault controls under /_sandbox."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, unquote

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send

from crosspost.errors import UsageError
from crosspost.sandbox import faults, graph, linkedin, notify, pages, x
from crosspost.sandbox.config import Fault, SandboxConfig
from crosspost.sandbox.state import PostRecord, SandboxState
from crosspost.sandbox.wire import Incoming, json_response

Handler = Callable[[Incoming, SandboxState], Awaitable[Response]]
HANDLERS: dict[str, Handler] = {
    "x": x.handle,
    "graph": graph.handle,
    "linkedin": linkedin.handle,
}
HOSTS = {
    "api.x.com": "x",
    "api.twitter.com": "x",
    "graph.facebook.com": "graph",
    "api.linkedin.com": "linkedin",
    "www.linkedin.com": "linkedin",
}
PUBLIC_HOSTS = frozenset(
    {"x.com", "www.facebook.com", "www.instagram.com", "www.linkedin.com"}
)
PREFIXES = {"x": "x", "facebook": "graph", "linkedin": "linkedin"}


class Sandbox:
    """Fake platform APIs in one ASGI `app`; `posts` holds every post they accepted."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.state = SandboxState(config)
        self.app = SandboxApp(self.state)

    @property
    def posts(self) -> list[PostRecord]:
        return self.state.posts

    @property
    def notifications(self) -> list[dict[str, Any]]:
        return self.state.notifications

    def transport(self) -> faults.SandboxTransport:
        """An httpx transport sending requests to this sandbox in process."""
        return faults.SandboxTransport(self.app)

    def reset(self) -> None:
        self.state.reset()


def create_sandbox(config: SandboxConfig | None = None) -> Sandbox:
    return Sandbox(config or SandboxConfig())


class SandboxApp:
    """The ASGI callable; when served, a reset fault breaks the connection itself."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        response = await self.respond(request, await request.body())
        served = faults.IN_PROCESS_HEADER not in request.headers
        if served and response.headers.get(faults.SIGNAL_HEADER) == "reset_after":
            await send({"type": "http.response.start", "status": response.status_code,
                        "headers": [(b"content-length", b"100000")]})  # fmt: skip
            await send({"type": "http.response.body", "body": b"{", "more_body": True})
            return
        await response(scope, receive, send)

    async def respond(self, request: Request, body: bytes) -> Response:
        host_header = request.headers.get("host", "localhost")
        host = (
            host_header.rsplit(":", 1)[0].lower()
            if "]" not in host_header
            else host_header
        )
        origin = f"{request.url.scheme}://{host_header}"
        raw = request.scope.get("raw_path") or request.url.path.encode()
        signed_path = raw.decode("latin-1").split("?", 1)[0]
        path = unquote(signed_path)
        query = parse_qsl(request.url.query, keep_blank_values=True)
        in_process = faults.IN_PROCESS_HEADER in request.headers
        fields: dict[str, Any] = {
            "method": request.method, "query": query, "headers": request.headers,
            "body": body, "url": origin + signed_path, "origin": origin,
        }  # fmt: skip
        if host in PUBLIC_HOSTS and not (
            host in HOSTS and not path.startswith("/feed/")
        ):
            return self._public(origin + path)
        if host in HOSTS:
            req = Incoming(path=path, base=origin, host_mode=True, **fields)
            return await self._platform(HOSTS[host], req, in_process=in_process)
        first, _, rest = path.lstrip("/").partition("/")
        if first in PREFIXES:
            req = Incoming(
                path="/" + rest, base=f"{origin}/{first}", host_mode=False, **fields
            )
            return await self._platform(PREFIXES[first], req, in_process=in_process)
        if notify.is_receiver(path):
            kind = request.headers.get("content-type", "")
            return notify.receive(request.method, kind, body, self.state)
        return self._control(request.method, path, body)

    async def _platform(
        self, router: str, req: Incoming, *, in_process: bool
    ) -> Response:
        platform = graph.platform_of(req, self.state) if router == "graph" else router
        latency, fault = faults.take(self.state.config.faults, platform, req.path)
        if latency:
            await asyncio.sleep(latency)
        if fault is not None and fault.kind in faults.BEFORE:
            return await faults.before(
                fault, platform, req, self.state, in_process=in_process
            )
        response = await HANDLERS[router](req, self.state)
        if fault is not None:
            response = await faults.after(fault, response, in_process=in_process)
        return response

    def _public(self, url: str) -> Response:
        wanted = url.rstrip("/")
        found = [p for p in self.state.posts if p.url.rstrip("/") == wanted]
        if not found:
            return HTMLResponse("<!doctype html><p>This post does not exist.</p>", 404)
        title = pages.PLATFORM_TITLES[found[0].platform]
        return HTMLResponse(pages.posts_page(title, found))

    def _control(self, method: str, path: str, body: bytes) -> Response:
        state = self.state
        route = (method, path.rstrip("/") or "/")
        if route == ("GET", "/"):
            return HTMLResponse(pages.index_page(state.posts, state.notifications))
        if route == ("GET", "/_sandbox/posts"):
            return json_response([p.to_json() for p in state.posts])
        if route == ("POST", "/_sandbox/reset"):
            state.reset()
            return json_response({"reset": True})
        if route[1] == "/_sandbox/faults":
            return self._faults(method, body)
        name = path.removeprefix("/_sandbox/").strip("/")
        if method == "GET" and name == "notifications":
            return HTMLResponse(pages.notifications_page(state.notifications))
        if method == "GET" and name in pages.PLATFORM_TITLES:
            shown = [p for p in state.posts if p.platform == name]
            return HTMLResponse(pages.posts_page(pages.PLATFORM_TITLES[name], shown))
        if method == "GET" and name.startswith("posts/"):
            platform, _, post_id = name.removeprefix("posts/").partition("/")
            post = state.find(platform, post_id)
            if post is not None:
                return HTMLResponse(
                    pages.posts_page(pages.PLATFORM_TITLES[platform], [post])
                )
        return json_response({"error": f"no sandbox resource at {method} {path}"}, 404)

    def _faults(self, method: str, body: bytes) -> Response:
        configured = self.state.config.faults
        if method == "DELETE":
            configured.clear()
        elif method == "POST":
            try:
                data = json.loads(body)
                items = data.get("faults", [data]) if isinstance(data, dict) else data
                configured.extend(Fault.from_json(item) for item in items)
            except (ValueError, TypeError) as exc:
                return json_response({"error": f"faults must be JSON: {exc}"}, 400)
            except UsageError as exc:
                return json_response({"error": str(exc)}, 400)
        elif method != "GET":
            return json_response({"error": "use GET, POST or DELETE"}, 405)
        return json_response({"faults": [vars(f) for f in configured]})
