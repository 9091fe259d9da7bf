"""`crosspost sandbox serve`: the fake platform APIs on a loopback port."""

from __future__ import annotations

import argparse
import ipaddress
import socket

from crosspost.cli.common import settings_from
from crosspost.errors import CrosspostError, UsageError


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from crosspost.sandbox.dryrun import dry_run_settings, make_dry_run_sandbox

    host: str = args.host
    if not is_loopback(host):
        raise UsageError(
            f"--host {host} is not a loopback address",
            hint="the sandbox serves this machine only: use --host 127.0.0.1 (the "
            "default), ::1 or localhost",
        )
    settings = settings_from(args)
    listener = bind(host, args.port)
    port = listener.getsockname()[1]
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}"
    dry = dry_run_settings(settings, base_url=url)
    webhook = (
        dry.youtube.webhook_url.get_secret_value() if dry.youtube.webhook_url else ""
    )
    print(f"crosspost sandbox at {url}/  (pages per platform, /_sandbox/posts as JSON)")
    print("point crosspost at it (config/crosspost.toml or .env):")
    print(f"  CROSSPOST_X__BASE_URL={dry.x.base_url}")
    print(f"  CROSSPOST_FACEBOOK__BASE_URL={dry.facebook.base_url}")
    print(f"  CROSSPOST_INSTAGRAM__BASE_URL={dry.instagram.base_url}")
    print(f"  CROSSPOST_LINKEDIN__BASE_URL={dry.linkedin.base_url}")
    print(f"  YouTube hand-off webhook: {webhook}")
    print("it accepts only its own accounts (crosspost.sandbox.SandboxAccounts).")
    print("Ctrl-C stops it.", flush=True)
    sandbox = make_dry_run_sandbox(settings)
    server = uvicorn.Server(
        uvicorn.Config(sandbox.app, log_level="warning", lifespan="on")
    )
    try:
        server.run(sockets=[listener])
    except KeyboardInterrupt:
        pass
    finally:
        listener.close()
    print("crosspost sandbox stopped")
    return 0


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0 picks a free one), or a clear error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host.strip("[]"), port))
        listener.listen(128)
    except OSError as exc:
        listener.close()
        raise CrosspostError(
            f"cannot serve the sandbox on {host}:{port}: {exc.strerror}",
            hint="choose another --port, or stop what is using this one",
        ) from None
    return listener
