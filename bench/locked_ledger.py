"""A locked ledger during `crosspost post` to five platforms (the served sandbox on
loopback, 300 ms a request, `ledger_timeout` 3 s).

Another connection holds the SQLite ledger's write lock (`BEGIN IMMEDIATE`):
1. for the whole run: wall time of the `post` process until its clear failure (target
   <= ledger_timeout + 2 s, start-up included), the message, and what reached the
   sandbox (target: nothing, since no claim could be recorded);
2. from the first request on, for 2 s (less than the timeout): requests keep flowing
   while the ledger is locked; their latency at the sandbox against an unlocked run
   (target: the same), and every post published and recorded;
3. from the first request on, for 8 s (more than the timeout): posts already claimed
   go out but cannot be recorded (left `sending`); the next `post` reconciles them:
   duplicates on the sandbox (target 0), posts lost (target 0).
Usage: bench/locked_ledger.py
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crosspost.sandbox.app import create_sandbox
from crosspost.sandbox.config import Fault, SandboxConfig
from crosspost.sandbox.dryrun import card_fetcher, dry_run_card_dir
from fanout import bench_settings, served
from kill_test import TEXT, environment

PLATFORMS = ("x", "facebook", "instagram", "linkedin", "youtube")
LATENCY = 0.3
TIMEOUT = 3.0
SHORT_LOCK = 2.0
LONG_LOCK = 8.0
DONE = ("published", "already_published", "awaiting_manual")

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass
class Watch:
    """An ASGI wrapper around the sandbox recording each platform request's arrival
    and answer (monotonic seconds) and telling `first` when one arrives."""

    app: Any
    requests: list[tuple[float, float, str]] = field(default_factory=list)
    first: threading.Event = field(default_factory=threading.Event)

    async def __call__(
        self, scope: dict[str, Any], receive: Receive, send: Send
    ) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or path.startswith("/_sandbox"):
            await self.app(scope, receive, send)
            return
        start = time.monotonic()
        self.first.set()
        await self.app(scope, receive, send)
        self.requests.append((start, time.monotonic(), path))


@dataclass
class Lock:
    """The write lock another connection holds: when it was taken and let go."""

    database: Path
    seconds: float
    wait_for: threading.Event | None = None
    taken: float = 0.0
    released: float = 0.0
    ready: threading.Event = field(default_factory=threading.Event)

    def hold(self) -> None:
        if self.wait_for is not None:
            self.wait_for.wait(60)
        connection = sqlite3.connect(self.database, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        self.taken = time.monotonic()
        self.ready.set()
        time.sleep(self.seconds)
        connection.execute("ROLLBACK")
        self.released = time.monotonic()
        connection.close()

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.hold)
        thread.start()
        return thread


def post(work: Path, env: dict[str, str], n: int) -> tuple[int, list[Any], float]:
    """One `crosspost post --json` process: exit code, outcomes, wall seconds."""
    script = str(Path(sys.executable).parent / "crosspost")
    command = [script, "post", str(work / f"s{n:03d}.txt"), "--json"]
    command += ["--platforms", ",".join(PLATFORMS)]
    started = time.monotonic()
    done = subprocess.run(
        command, cwd=work, env=env, capture_output=True, text=True, check=False
    )
    outcomes = json.loads(done.stdout) if done.stdout.startswith("[") else []
    return done.returncode, outcomes, time.monotonic() - started


def latencies(watch: Watch, since: float, until: float) -> list[float]:
    return [end - start for start, end, _ in watch.requests if since <= start < until]


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms" if values else "-"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="crosspost-locked-") as folder:
        work = Path(folder)
        for n in range(5):
            (work / f"s{n:03d}.txt").write_text(TEXT.format(n=n), encoding="utf-8")
        settings = bench_settings(work / "var")
        config = SandboxConfig(
            faults=[Fault(platform="*", kind="latency", times=None, seconds=LATENCY)],
            image_fetcher=card_fetcher(dry_run_card_dir(settings)),
        )
        sandbox = create_sandbox(config)
        watch = Watch(sandbox.app)
        sandbox.app = watch  # type: ignore[assignment]
        with served(sandbox) as base_url:
            env = environment(base_url, work, settings)
            env["CROSSPOST_LEDGER_TIMEOUT"] = str(TIMEOUT)
            database = work / "ledger.db"

            # An unlocked run: the ledger exists, and the requests' usual latency.
            code, _, baseline = post(work, env, 0)
            assert code == 0, "the unlocked run failed"
            usual = latencies(watch, 0, time.monotonic())

            # 1. Locked for the whole run.
            lock = Lock(database, TIMEOUT + 5)
            holder = lock.start()
            lock.ready.wait(10)
            before = len(sandbox.posts)
            code, outcomes, wall = post(work, env, 1)
            sent = len(sandbox.posts) - before
            holder.join()
            rows = sqlite3.connect(database).execute(
                "SELECT count(*) FROM planned_posts WHERE summary_title LIKE '%001'"
            )
            recorded = rows.fetchone()[0]
            print(
                f"locked ledger: post to {len(PLATFORMS)} platforms through the served "
                f"sandbox, {LATENCY * 1000:.0f} ms a request, ledger_timeout "
                f"{TIMEOUT:g} s; an unlocked post takes {baseline:.2f} s (process "
                "start-up included)"
            )
            print(
                "1. locked for the whole run: the post process ended after "
                f"{wall:.2f} s (target <= {TIMEOUT + 2:g} s), exit {code}; posts "
                f"reaching the sandbox: {sent} (target 0); ledger rows for it: "
                f"{recorded}"
            )
            messages = {str(o.get("error")) for o in outcomes}
            for message in sorted(messages):
                print(f"   each of {len(outcomes)} outcomes: {message}")

            # 2. Locked for less than the bound, from the first request on.
            watch.first.clear()
            lock = Lock(database, SHORT_LOCK, wait_for=watch.first)
            holder = lock.start()
            code, outcomes, wall = post(work, env, 2)
            holder.join()
            during = latencies(watch, lock.taken, lock.released)
            print(
                f"2. locked for {SHORT_LOCK:g} s from the first request on: "
                f"{len(during)} requests reached the sandbox while the ledger was "
                f"locked, median latency {median_ms(during)} (unlocked: "
                f"{median_ms(usual)}); statuses "
                f"{sorted({o['status'] for o in outcomes})}, exit {code}, "
                f"{wall:.2f} s"
            )

            # 3. Locked for longer than the bound, from the first request on.
            watch.first.clear()
            before = len(sandbox.posts)
            lock = Lock(database, LONG_LOCK, wait_for=watch.first)
            holder = lock.start()
            code, outcomes, wall = post(work, env, 3)
            sent_during = len(sandbox.posts) - before
            holder.join()
            kept = sum("NOT recorded" in str(o.get("error")) for o in outcomes)
            rerun_code, rerun, _ = post(work, env, 3)
            texts = [(p.platform, p.text) for p in sandbox.posts if "003" in p.text]
            duplicates = len(texts) - len(set(texts))
            ok = {o["platform"]: o["status"] for o in rerun}
            lost = [p for p in PLATFORMS if ok.get(p) not in DONE]
            print(
                f"3. locked for {LONG_LOCK:g} s from the first request on: the post "
                f"process ended after {wall:.2f} s, exit {code}; {sent_during} posts "
                f"went out, {kept} of them not recorded (left `sending`); the next "
                f"post (exit {rerun_code}) settled them: {ok}"
            )
            print(
                f"   duplicates on the sandbox: {duplicates} (target 0); "
                f"posts lost: {len(lost)} (target 0)"
            )


if __name__ == "__main__":
    main()
