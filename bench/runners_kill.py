"""Runners killed at random: three `crosspost run` processes share a PostgreSQL
ledger of POSTS due posts (X and Facebook, served sandbox, 50 ms a request); a
supervisor SIGKILLs a random runner every 0.3-2 s and starts a new one a second later
(as systemd's Restart=on-failure would), KILLS times, then lets them finish. Prints
duplicates on the sandbox (target 0), posts lost (target 0), posts left for a person
(`unknown`), the ledger's statuses, how the dead runners' claims were settled, and the
wall time.
Usage: bench/runners_kill.py [POSTS] [KILLS] [SEED]  (default 1000 12 7)
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select

from crosspost.ledger import due
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import Attempt, PlannedPost
from crosspost.ledger.wire import text_hash
from crosspost.sandbox.app import create_sandbox
from crosspost.sandbox.config import Fault, SandboxConfig
from fanout import bench_settings, served
from fire_precision import runner_env
from runners import LOCAL, own_schema

LATENCY = 0.05
RUNNERS = 3
DEADLINE = 300.0


def plan_posts(ledger: Ledger, count: int) -> list[str]:
    now = datetime.now(UTC)
    texts = [
        f"Kill test post {n}: {n % 89} people, {n % 7 + 1} sites." for n in range(count)
    ]
    rows = [
        {
            "summary_id": f"rs-kill{n // 25:05d}",
            "summary_title": "Killed runners",
            "platform": ("x", "facebook")[n % 2],
            "variant": "finding",
            "key": f"finding-{n}",
            "text_hash": text_hash(text),
            "wire_text": text,
            "due_at": now,
            "zone": "UTC",
            "local_time": now.isoformat(),
            "status": "planned",
            "attempts": 0,
            "created_at": now,
            "updated_at": now,
        }
        for n, text in enumerate(texts)
    ]
    with ledger.writing() as session:
        session.execute(insert(PlannedPost), rows)
    return texts


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    kills = int(sys.argv[2]) if len(sys.argv) > 2 else 12
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    base_url = os.environ.get("CROSSPOST_TEST_POSTGRES_URL", LOCAL)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="crosspost-kill-runners-") as folder:
        work = Path(folder)
        settings = bench_settings(work / "var")
        sandbox = create_sandbox(
            SandboxConfig(
                faults=[
                    Fault(platform="*", kind="latency", times=None, seconds=LATENCY)
                ],
                x_posts_per_window=10**9,
                graph_calls_per_hour=10**9,
            )
        )
        with own_schema(base_url) as url, served(sandbox) as sandbox_url:
            env = runner_env(
                settings,
                sandbox_url,
                url,
                work,
                LINKEDIN__ENABLED="false",
                SCHEDULE__TICK="1",
                SCHEDULE__LEASE="10s",
                SCHEDULE__LISTING_LAG="2s",
            )

            def start() -> subprocess.Popen[bytes]:
                return subprocess.Popen(
                    [sys.executable, "-m", "crosspost", "-q", "run"],
                    cwd=work,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )

            with Ledger(url, marker_dir=work / "var") as ledger:
                texts = plan_posts(ledger, count)
                running = [start() for _ in range(RUNNERS)]
                done = 0
                while done < kills and time.monotonic() - started < DEADLINE:
                    time.sleep(rng.uniform(0.3, 2.0))
                    victim = running.pop(rng.randrange(len(running)))
                    victim.send_signal(signal.SIGKILL)
                    victim.wait()
                    done += 1
                    time.sleep(1.0)
                    running.append(start())
                # Stopped once started (a runner stopped while it starts up dies of
                # the signal: nothing claimed yet, but not a clean exit).
                names = {f"{socket.gethostname()}:{p.pid}" for p in running}
                while not names <= {r.id for r in due.runners(ledger)}:
                    if time.monotonic() - started > DEADLINE:
                        break
                    time.sleep(0.1)
                while ledger.rows(statuses=("planned", "sending")):
                    if time.monotonic() - started > DEADLINE:
                        break
                    time.sleep(0.2)
                for process in running:
                    process.send_signal(signal.SIGTERM)
                codes = [process.wait(timeout=60) for process in running]
                rows = ledger.rows()
                with ledger.reading() as session:
                    outcomes = Counter(
                        e.outcome
                        for e in session.scalars(select(Attempt))
                        if e.outcome.startswith(("reconciled", "disowned", "released"))
                    )
            on_sandbox = Counter(post.text for post in sandbox.posts)
    statuses = Counter(row.status for row in rows)
    twice = sum(n - 1 for n in on_sandbox.values() if n > 1)
    lost = [text for text in texts if text not in on_sandbox]
    unknown_live = sum(
        1 for row in rows if row.status == "unknown" and row.wire_text in on_sandbox
    )
    print(
        f"runners killed at random: {count} posts, {RUNNERS} runners, {done} SIGKILLs "
        f"(each restarted after 1 s), {LATENCY * 1000:.0f} ms a request"
    )
    print(f"  duplicates on the sandbox: {twice} (target 0)")
    print(f"  lost (never on the sandbox): {len(lost)} (target 0)")
    print(
        f"  left for a person (unknown): {statuses['unknown']} "
        f"({unknown_live} of them live on the sandbox)"
    )
    print(f"  ledger: {dict(statuses)}")
    print(f"  dead runners' claims: {dict(outcomes)}")
    print(
        f"  survivors' exit codes {codes}; wall time {time.monotonic() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
