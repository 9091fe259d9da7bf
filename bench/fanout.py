"""Fan-out: one summary to all five platforms via the served sandbox, 100 ms a request.

Prints the wall time of the concurrent run, the critical path (the slowest platform run
alone), their ratio (target <= 1.15), and CPU time per post with the network taken out.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

from crosspost.cli.sandbox_cmd import bind
from crosspost.ledger.store import Ledger
from crosspost.platforms.registry import build_adapters
from crosspost.publish.deliver import Delivery, deliver
from crosspost.sandbox.app import Sandbox, create_sandbox
from crosspost.sandbox.config import Fault, SandboxConfig
from crosspost.sandbox.dryrun import card_fetcher, dry_run_card_dir, dry_run_settings
from crosspost.settings import Settings, load_settings
from crosspost.summaries.model import Summary
from crosspost.summaries.parse import parse_summary
from crosspost.teasers.model import PLATFORMS, Teaser
from crosspost.teasers.render import render_teasers

ROOT = Path(__file__).resolve().parent.parent
LATENCY = 0.100
ROUNDS = 5
CPU_ROUNDS = 20

SUMMARY_TEXT = """\
Research Summary: Retinal thinning as an early marker of progression in MS

How the eye's nerve layer might warn of disability years ahead.

What?

A cohort study measuring the retina with optical coherence tomography each year.

Who?

Neurologists and eye specialists at three MS centres.

Where?

A neurology journal.

When?

Published in 2026.

BACKGROUND #1:  The retina grows out of the brain and can be scanned in minutes.

FINDING #1:  People whose retinal layer thinned fastest were more likely to progress.

FINDING #2:  The scan added warning beyond MRI and clinical scores alone (cohort {n}).

THOUGHT #1:  Cheap, quick eye scans could one day help follow people in routine clinics.
"""


@contextmanager
def served(sandbox: Sandbox) -> Iterator[str]:
    """Serve `sandbox` with uvicorn on a free loopback port; yield its base URL."""
    listener = bind("127.0.0.1", 0)
    config = uvicorn.Config(sandbox.app, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the sandbox server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


def bench_settings(state: Path) -> Settings:
    return load_settings(
        None, env_file=None, templates_dir=ROOT / "templates", state_dir=state
    )


def summary(n: int = 1) -> Summary:
    return parse_summary(SUMMARY_TEXT.replace("{n}", str(n)).encode(), f"bench-{n}.txt")


async def publish(
    settings: Settings,
    client: httpx.AsyncClient,
    subject: Summary,
    teasers: list[Teaser],
    ledger_url: str,
) -> float:
    """Seconds to publish `teasers` through the ledger; raises if any post failed."""
    adapters = build_adapters(settings, client, {t.platform for t in teasers})
    with Ledger(ledger_url) as ledger:
        start = time.perf_counter()
        outcomes = await deliver(teasers, Delivery(ledger, adapters))
        elapsed = time.perf_counter() - start
    bad = [o for o in outcomes if not o.ok]
    if bad:
        raise RuntimeError(f"not published: {[(o.platform, o.error) for o in bad]}")
    return elapsed


async def served_figures(state: Path) -> None:
    settings = bench_settings(state)
    subject = summary()
    teasers = render_teasers(
        subject, settings, platforms=PLATFORMS, variants=["announce"], cards=True
    )
    config = SandboxConfig(
        faults=[Fault(platform="*", kind="latency", times=None, seconds=LATENCY)],
        image_fetcher=card_fetcher(dry_run_card_dir(settings)),
    )
    sandbox = create_sandbox(config)
    counts: Counter[str] = Counter()
    with served(sandbox) as base_url:
        run_settings = dry_run_settings(settings, base_url=base_url)
        run = 0

        async def once(chosen: list[Teaser], tag: str) -> float:
            nonlocal run
            run += 1
            sandbox.reset()

            async def count(request: httpx.Request) -> None:
                counts[tag] += 1

            async with httpx.AsyncClient(
                timeout=30, event_hooks={"request": [count]}
            ) as client:
                url = f"sqlite:///{state}/ledger-{run}.db"
                return await publish(run_settings, client, subject, chosen, url)

        alone: dict[str, list[float]] = {}
        for teaser in teasers:
            alone[teaser.platform] = [
                await once([teaser], teaser.platform) for _ in range(ROUNDS)
            ]
        together = [await once(teasers, "all") for _ in range(ROUNDS)]
    print(f"fan-out against the served sandbox, {LATENCY * 1000:.0f} ms per request, "
          f"median of {ROUNDS} runs")  # fmt: skip
    print(f"{'platform':<10} {'requests':>8} {'chain':>9} {'alone':>9}")
    for platform, times in alone.items():
        requests = counts[platform] // ROUNDS
        # The YouTube hand-off makes no request: it writes a bundle on disk.
        chain = "-" if platform == "youtube" else f"{requests * LATENCY * 1000:.0f}ms"
        print(
            f"{platform:<10} {requests:>8} {chain:>9} "
            f"{statistics.median(times) * 1000:>7.0f}ms"
        )
    slowest = max(alone, key=lambda p: statistics.median(alone[p]))
    critical = statistics.median(alone[slowest])
    wall = statistics.median(together)
    print(f"all five at once: {wall * 1000:.0f} ms, {counts['all'] // ROUNDS} requests")
    print(f"critical path ({slowest} alone): {critical * 1000:.0f} ms")
    print(f"ratio wall / critical path: {wall / critical:.3f} (target <= 1.15)")


async def cpu_figures(state: Path) -> None:
    """CPU per post against the in-process sandbox with no latency: no network waits."""
    from crosspost.sandbox.dryrun import make_dry_run_sandbox

    settings = bench_settings(state)
    run_settings = dry_run_settings(settings)
    subjects = [summary(n) for n in range(CPU_ROUNDS)]
    all_teasers = [
        render_teasers(
            s, settings, platforms=PLATFORMS, variants=["announce"], cards=True
        )
        for s in subjects
    ]
    sandbox = make_dry_run_sandbox(run_settings)
    posts = 0
    async with httpx.AsyncClient(transport=sandbox.transport()) as client:
        start = time.process_time()
        for subject, teasers in zip(subjects, all_teasers, strict=True):
            await publish(
                run_settings, client, subject, teasers, f"sqlite:///{state}/cpu.db"
            )
            posts += len(teasers)
        cpu = time.process_time() - start
    print(
        f"CPU per post (adapters + ledger + in-process sandbox, no network): "
        f"{cpu / posts * 1000:.1f} ms over {posts} posts"
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="crosspost-fanout-") as folder:
        asyncio.run(served_figures(Path(folder) / "served"))
        asyncio.run(cpu_figures(Path(folder) / "cpu"))


if __name__ == "__main__":
    main()
