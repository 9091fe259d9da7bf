"""Several runners sharing one PostgreSQL ledger.

POSTS posts fall due at one moment on X, Facebook and LinkedIn, in a PostgreSQL schema
of the bench's own (dropped at the end); 1, 2 and 3 real `crosspost run` processes
send them to the served sandbox on loopback, with 50 ms of injected latency on every
request. Prints, per count of runners: posts per second (from the due moment to the
last post reaching the sandbox), duplicates on the sandbox (target 0), posts not
published, each runner's share, and the CPU the runners and the sandbox used; then
the speed-up of 3 runners over one (target >= 2.5).
Usage: bench/runners.py [POSTS] [POSTGRES_URL]
  (default 1000; CROSSPOST_TEST_POSTGRES_URL, else the local crosspost_runners database)
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from crosspost.ledger.store import Ledger
from crosspost.sandbox.app import create_sandbox
from crosspost.sandbox.config import Fault, SandboxConfig
from fanout import bench_settings, served
from fire_precision import PLATFORMS, plan, runner_env

LOCAL = "postgresql+psycopg://crosspost:crosspost@127.0.0.1:5432/crosspost_runners"
LATENCY = 0.05
LEAD = 10.0  # seconds before the posts fall due, for the runners to start
TIMEOUT = 300.0


@dataclass
class Figures:
    runners: int
    posts: int
    seconds: float
    duplicates: int
    unpublished: Counter[str]
    shares: list[int]
    runner_cpu: float
    sandbox_cpu: float
    postgres_cpu: float
    machine_busy: float

    @property
    def rate(self) -> float:
        return self.posts / self.seconds if self.seconds > 0 else float("nan")


@contextmanager
def own_schema(base_url: str) -> Iterator[str]:
    """A schema of the bench's own in the database at `base_url`; its ledger URL."""
    name = f"bench_runners_{uuid.uuid4().hex[:10]}"
    engine = create_engine(base_url)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {name}"))
    joiner = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{joiner}options=-csearch_path%3D{name}"
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {name} CASCADE"))
        engine.dispose()


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a live process."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_cpu() -> float:
    """CPU time of this machine's PostgreSQL processes (0 if none are visible)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() == "postgres":
                total += cpu_seconds(int(entry.name))
        except OSError:
            continue
    return total


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    with open("/proc/stat", encoding="ascii") as stat:
        ticks = [int(n) for n in stat.readline().split()[1:]]
    idle = ticks[3] + ticks[4]
    rate = os.sysconf("SC_CLK_TCK")
    return (sum(ticks) - idle) / rate, sum(ticks) / rate


def measure(runners: int, count: int, base_url: str) -> Figures:
    with tempfile.TemporaryDirectory(prefix="crosspost-runners-") as folder:
        work = Path(folder)
        settings = bench_settings(work / "var")
        config = SandboxConfig(
            faults=[Fault(platform="*", kind="latency", times=None, seconds=LATENCY)],
            x_posts_per_window=10**9,
            graph_calls_per_hour=10**9,
            linkedin_posts_per_day=10**9,
        )
        sandbox = create_sandbox(config)
        with own_schema(base_url) as url, served(sandbox) as sandbox_url:
            start = datetime.now(UTC) + timedelta(seconds=LEAD)
            with Ledger(url, marker_dir=work / "var") as ledger:
                plan(ledger, count, start, 0.0)
            env = runner_env(settings, sandbox_url, url, work)
            processes = [
                subprocess.Popen(
                    [sys.executable, "-m", "crosspost", "-q", "run"], cwd=work, env=env
                )
                for _ in range(runners)
            ]
            deadline = time.time() + LEAD + TIMEOUT
            while time.time() < start.timestamp() - 0.5:
                time.sleep(0.05)
            # The runners have started up; count their CPU from here.
            cpu_before = [cpu_seconds(p.pid) for p in processes]
            sandbox_before = time.process_time()
            postgres_before = postgres_cpu()
            busy_before, total_before = machine_busy()
            while time.time() < deadline and len(sandbox.state.posts) < count:
                time.sleep(0.05)
            runner_cpu = sum(
                cpu_seconds(p.pid) - before
                for p, before in zip(processes, cpu_before, strict=True)
            )
            sandbox_cpu = time.process_time() - sandbox_before
            postgres_used = postgres_cpu() - postgres_before
            busy_after, total_after = machine_busy()
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait(timeout=120)
            posts = list(sandbox.state.posts)
            with Ledger(url, marker_dir=work / "var") as ledger:
                rows = ledger.rows()
    last = max(post.created_at for post in posts)
    texts = Counter(post.text for post in posts)
    return Figures(
        runners=runners,
        posts=len(texts),
        seconds=last - start.timestamp(),
        duplicates=sum(n - 1 for n in texts.values()),
        unpublished=Counter(row.status for row in rows if row.status != "published"),
        shares=sorted(Counter(row.claimed_by for row in rows).values(), reverse=True),
        runner_cpu=runner_cpu,
        sandbox_cpu=sandbox_cpu,
        postgres_cpu=postgres_used,
        machine_busy=(busy_after - busy_before) / (total_after - total_before),
    )


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    base_url = (
        sys.argv[2]
        if len(sys.argv) > 2
        else os.environ.get("CROSSPOST_TEST_POSTGRES_URL", LOCAL)
    )
    print(
        f"runners on PostgreSQL: {count} posts due at once on {', '.join(PLATFORMS)}, "
        f"{LATENCY * 1000:.0f} ms latency per request, {os.cpu_count()} CPUs"
    )
    busy, total = machine_busy()
    time.sleep(3)
    busy_after, total_after = machine_busy()
    background = (busy_after - busy) / (total_after - total)
    print(
        f"  before the runs this machine was {background:.0%} busy with other work "
        "(the figures below share the CPUs with it)"
    )
    results = []
    for runners in (1, 2, 3):
        figures = measure(runners, count, base_url)
        results.append(figures)
        print(
            f"  {runners} runner{'s' if runners > 1 else ' '}: "
            f"{figures.rate:6.1f} posts/s ({figures.posts} in {figures.seconds:.2f} s)"
            f", duplicates {figures.duplicates}, not published "
            f"{dict(figures.unpublished) or 0}, shares {figures.shares}, "
            f"CPU s: runners {figures.runner_cpu:.1f}, sandbox "
            f"{figures.sandbox_cpu:.1f}, PostgreSQL {figures.postgres_cpu:.1f}; "
            f"machine {figures.machine_busy:.0%} busy"
        )
    speedup = results[2].rate / results[0].rate
    print(f"  3 runners / 1 runner: {speedup:.2f}x (target >= 2.5x)")


if __name__ == "__main__":
    main()
