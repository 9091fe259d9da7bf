"""Crash test of `crosspost run` on the real clock.

200 posts are planned, due within a few minutes on X, Facebook and LinkedIn; a real
`crosspost run` process sends them to the served sandbox (50 ms a request), and is
killed with SIGKILL at 20 random moments and started again each time. A last runner
then settles what the killed ones left in flight (reconcile: found on the platform, or
confirmed absent and sent once) until nothing is due or in flight.
Prints duplicates on the sandbox (target 0), posts lost (never published and not
left for a person; target 0), and rows left `unknown` for a person.
Usage: bench/run_kill_test.py [POSTS] [KILLS]  (default 200 20)
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crosspost.ledger.store import Ledger
from crosspost.sandbox.app import create_sandbox
from crosspost.sandbox.config import Fault, SandboxConfig
from fanout import bench_settings, served
from fire_precision import plan, runner_env

SEED = 20261203
SPREAD = 120.0
LEAD = 10.0
SETTLE_DEADLINE = 600.0


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    kills = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory(prefix="crosspost-runkill-") as folder:
        work = Path(folder)
        settings = bench_settings(work / "var")
        config = SandboxConfig(
            faults=[Fault(platform="*", kind="latency", times=None, seconds=0.05)],
            x_posts_per_window=10**9,
            graph_calls_per_hour=10**9,
            linkedin_posts_per_day=10**9,
        )
        sandbox = create_sandbox(config)
        url = f"sqlite:///{work}/ledger.db"
        with Ledger(url) as ledger:
            plan(ledger, count, datetime.now(UTC) + timedelta(seconds=LEAD), SPREAD)
            planned = {row.wire_text: row.id for row in ledger.rows()}
        with served(sandbox) as base_url:
            # A tick every few seconds, so a restarted runner settles soon.
            env = runner_env(settings, base_url, url, work, SCHEDULE__TICK="2")

            def start() -> subprocess.Popen[bytes]:
                return subprocess.Popen(
                    [sys.executable, "-m", "crosspost", "-q", "run"],
                    cwd=work,
                    env=env,
                    stderr=subprocess.DEVNULL,
                )

            killed = 0
            began = time.monotonic()
            while killed < kills:
                runner = start()
                time.sleep(rng.uniform(0.5, (LEAD + SPREAD) / kills * 1.5))
                runner.send_signal(signal.SIGKILL)
                runner.wait()
                killed += 1
            runner = start()
            deadline = time.monotonic() + SETTLE_DEADLINE
            while time.monotonic() < deadline:
                with Ledger(url) as ledger:
                    open_rows = ledger.rows(statuses=("planned", "sending"))
                if not open_rows:
                    break
                time.sleep(2)
            runner.send_signal(signal.SIGTERM)
            runner.wait(timeout=120)
            elapsed = time.monotonic() - began
        with Ledger(url) as ledger:
            rows = {row.id: row for row in ledger.rows()}
        seen = Counter(post.text for post in sandbox.state.posts)
    duplicates = sum(n - 1 for n in seen.values() if n > 1)
    statuses = Counter(row.status for row in rows.values())
    lost = [
        text
        for text, row_id in planned.items()
        if seen[text] == 0 and rows[row_id].status not in ("unknown", "sending")
    ]
    wrong = [
        text
        for text, row_id in planned.items()
        if seen[text] == 1 and rows[row_id].status != "published"
    ]
    print(f"crash test: {count} posts, `crosspost run` SIGKILLed {killed} times")
    print(f"  on the sandbox: {sum(seen.values())} posts; duplicates: {duplicates}")
    print(f"  lost (never published, not left for a person): {len(lost)}")
    print(f"  ledger: {dict(sorted(statuses.items()))}")
    print(f"  live on the sandbox but not published in the ledger: {len(wrong)}")
    print(f"  left unknown for a person: {statuses['unknown']}; took {elapsed:.0f} s")


if __name__ == "__main__":
    main()
