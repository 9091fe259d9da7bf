"""`crosspost sandbox serve`: the fake platform APIs on a loopback port."""

from __future__ import annotations

import argparse
import ipaddress
import shutil
import socket
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import SecretStr

from crosspost.cli.common import settings_from
from crosspost.errors import CrosspostError, UsageError
from crosspost.settings import ENV_PREFIX, Settings

if TYPE_CHECKING:
    import uvicorn

    from crosspost.sandbox import Sandbox


def serve(args: argparse.Namespace) -> int:
    from crosspost.sandbox.dryrun import dry_run_settings, make_dry_run_sandbox

    host: str = args.host
    if not is_loopback(host):
        raise UsageError(
            f"--host {host} is not a loopback address",
            hint="the sandbox serves this machine only: use --host 127.0.0.1 (the "
            "default), ::1 or localhost",
        )
    if not 0 <= args.port <= MAX_PORT:
        raise UsageError(
            f"--port {args.port} is not a port number",
            hint=f"choose one from 1 to {MAX_PORT}, or 0 for any free port",
        )
    listener = bind(host, args.port)
    # A folder of its own for what crosspost writes while pointed at this sandbox
    # (ledger, cards, hand-offs), so that sandbox posts never enter the real ledger.
    state = Path(tempfile.mkdtemp(prefix="crosspost-sandbox-"))
    try:
        settings = settings_from(args).model_copy(update={"state_dir": state})
    except BaseException:
        listener.close()
        shutil.rmtree(state, ignore_errors=True)
        raise
    port = listener.getsockname()[1]
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}"
    dry = dry_run_settings(settings, base_url=url)
    print(f"crosspost sandbox at {url}/  (pages per platform, /_sandbox/posts as JSON)")
    print("point crosspost at it with these variables (the sandbox's own fake")
    print("accounts, and a state folder and ledger of its own, removed when it stops;")
    print("put them in the environment or .env, not in the config file):")
    for name, value in sandbox_environment(dry).items():
        print(f"  {name}={value}")
    print(f"notification receiver (Apprise URL): {dry.notify.urls[0]}")
    print("Ctrl-C stops it.", flush=True)
    server = sandbox_server(make_dry_run_sandbox(settings))
    try:
        server.run(sockets=[listener])
    except KeyboardInterrupt:
        pass
    finally:
        listener.close()
        shutil.rmtree(state, ignore_errors=True)
    print(f"crosspost sandbox stopped; removed its state folder {state}")
    return 0


def sandbox_server(sandbox: Sandbox) -> uvicorn.Server:
    """The loopback server `serve` runs (and the client tests start on port 0)."""
    import uvicorn

    return uvicorn.Server(
        uvicorn.Config(sandbox.app, log_level="warning", lifespan="on")
    )


# Which settings a served sandbox needs, per section: where it is and whose accounts.
_SANDBOX_KEYS = {
    "x": (
        "base_url", "username", "consumer_key", "consumer_secret", "access_token",
        "access_token_secret",
    ),
    "facebook": ("base_url", "page_id", "page_access_token"),
    "instagram": ("base_url", "user_id", "access_token", "card_base_url", "card_dir"),
    "linkedin": ("base_url", "organization_id", "access_token"),
    "youtube": ("handoff_dir",),
}  # fmt: skip
MAX_PORT = 65535


def sandbox_environment(dry: Settings) -> dict[str, str]:
    """CROSSPOST_* variables pointing real adapters at a served sandbox: its state
    folder and ledger first, then each platform's. Instagram "fetches" each card
    from card_dir, so the adapter must write its cards there."""
    state = dry.state_dir.resolve()
    found = {
        f"{ENV_PREFIX}STATE_DIR": str(state),
        f"{ENV_PREFIX}LEDGER_URL": f"sqlite:///{state / 'ledger.db'}",
    }
    for section, keys in _SANDBOX_KEYS.items():
        values = getattr(dry, section)
        for key in keys:
            value = getattr(values, key)
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            elif isinstance(value, Path):
                value = value.resolve()
            found[f"{ENV_PREFIX}{section.upper()}__{key.upper()}"] = str(value)
    return found


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
    except OverflowError:
        listener.close()
        raise UsageError(
            f"--port {port} is not a port number",
            hint=f"choose one from 1 to {MAX_PORT}, or 0 for any free port",
        ) from None
    except OSError as exc:
        listener.close()
        raise CrosspostError(
            f"cannot serve the sandbox on {host}:{port}: {exc.strerror}",
            hint="choose another --port, or stop what is using this one",
        ) from None
    return listener
