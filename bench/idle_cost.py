"""Idle cost of `crosspost run`: CPU seconds per hour with nothing due.

A real `crosspost run` process (the default one-minute tick, a poll of an unchanged
folder every 15 minutes) runs against a ledger holding 10,000 posts planned weeks ahead;
its user+system CPU time is read from /proc over the measuring window (default 10
minutes, after a start-up minute) and scaled to an hour (target <= 1 s/h). Its peak RSS
is printed too (target <= 150 MiB).
Usage: bench/idle_cost.py [MINUTES]  (default 10)
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crosspost.ledger.store import Ledger
from fire_precision import peak_rss_mib, plan

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 60.0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of the process so far."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def main() -> None:
    minutes = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    with tempfile.TemporaryDirectory(prefix="crosspost-idle-") as folder:
        work = Path(folder)
        url = f"sqlite:///{work}/ledger.db"
        with Ledger(url) as ledger:
            plan(ledger, 10_000, datetime.now(UTC) + timedelta(days=21), 86_400.0)
        summaries = work / "summaries"
        summaries.mkdir()
        for example in (ROOT / "examples" / "summaries").iterdir():
            (summaries / example.name).write_bytes(example.read_bytes())
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("CROSSPOST")},
            "CROSSPOST_LEDGER_URL": url,
            "CROSSPOST_STATE_DIR": str(work / "var"),
            "CROSSPOST_TEMPLATES_DIR": str(ROOT / "templates"),
        }
        runner = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "crosspost",
                "-q",
                "run",
                "--dry-run",
                str(summaries),
            ],
            cwd=work,
            env=env,
        )
        time.sleep(WARM_UP)
        before = cpu_seconds(runner.pid)
        started = time.monotonic()
        time.sleep(minutes * 60)
        used = cpu_seconds(runner.pid) - before
        elapsed = time.monotonic() - started
        rss = peak_rss_mib(runner.pid)
        runner.send_signal(signal.SIGTERM)
        code = runner.wait(timeout=60)
    per_hour = used * 3600 / elapsed
    print(f"idle cost: {used:.2f} CPU s over {elapsed / 60:.1f} min with nothing due")
    print(f"  = {per_hour:.2f} CPU s per hour (target <= 1 s/h)")
    print(f"  peak RSS with 10,000 planned posts: {rss:.1f} MiB (target <= 150 MiB)")
    print(f"  exit {code} on SIGTERM")


if __name__ == "__main__":
    main()
