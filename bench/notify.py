"""Notifications through Apprise to the served sandbox's receiver on loopback: the
cost of building the first notifier, delivery latency per notice, and how long a
dead or silent notification server holds a send."""

from __future__ import annotations

import asyncio
import socket
import statistics
import time
from pathlib import Path

from crosspost.notify import AppriseNotifier, Notice, handoff_notice
from crosspost.sandbox import create_sandbox
from fanout import served

NOTICES = 200
SILENT_TIMEOUT = 1.0


def notice(bundle: Path) -> Notice:
    return handoff_notice(
        ledger_id=1,
        summary_id="rs-aaaaaaaaaaaa",
        summary_title="Cooling vests and walking in heat-sensitive MS",
        key="announce",
        bundle=bundle,
        studio_url="https://studio.youtube.com",
        text="Cooling vests helped people with MS walk further in the heat. " * 3,
    )


async def figures(host: str, bundle: Path) -> None:
    started = time.perf_counter()
    notifier = AppriseNotifier([f"json://{host}/_sandbox/notify"], timeout=5)
    print(
        f"first notifier (Apprise import and plugins): "
        f"{time.perf_counter() - started:.3f} s"
    )
    item = notice(bundle)
    latencies = []
    for _ in range(NOTICES):
        started = time.perf_counter()
        assert await notifier.send(item)
        latencies.append(time.perf_counter() - started)
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(
        f"delivery to the loopback receiver (card attached), {NOTICES} notices: "
        f"median {statistics.median(latencies) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms"
    )
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    ports = {"refused": closed_port(), "silent": silent.getsockname()[1]}
    for label, port in ports.items():
        dead = AppriseNotifier(
            [f"json://127.0.0.1:{port}/notify"], timeout=SILENT_TIMEOUT
        )
        started = time.perf_counter()
        delivered = await dead.send(item)
        elapsed = time.perf_counter() - started
        print(
            f"{label} server (timeout {SILENT_TIMEOUT:.0f} s): send() returned "
            f"{delivered} after {elapsed:.3f} s"
        )
    silent.close()


def closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port: int = probe.getsockname()[1]
    probe.close()
    return port


def main() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        bundle = Path(folder)
        (bundle / "card.jpg").write_bytes(b"\xff\xd8" + bytes(60_000))
        sandbox = create_sandbox()
        with served(sandbox) as base_url:
            asyncio.run(figures(base_url.removeprefix("http://"), bundle))
        print(f"received by the sandbox: {len(sandbox.notifications)}")


if __name__ == "__main__":
    main()
