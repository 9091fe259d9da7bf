"""Fire precision and memory of `crosspost run` on the real clock.

10,000 posts are planned in a ledger, due over the next few minutes on X, Facebook and
LinkedIn; a real `crosspost run` process sends them to the served sandbox on loopback.
Prints, per post, the delay from its due time to the request reaching the sandbox
(median, p90, p99, max; target p99 <= 1 s), duplicates on the sandbox (target 0), and
the runner's peak RSS with the 10,000 planned posts (target <= 150 MiB).
Usage: bench/fire_precision.py [POSTS] [SPREAD_SECONDS]  (default 10000 300)
"""

from __future__ import annotations

import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from crosspost.cli.sandbox_cmd import sandbox_environment
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import PlannedPost
from crosspost.ledger.wire import text_hash
from crosspost.sandbox.app import create_sandbox
from crosspost.sandbox.config import SandboxConfig
from crosspost.sandbox.dryrun import dry_run_settings
from crosspost.settings import Settings
from fanout import bench_settings, served

PLATFORMS = ("x", "facebook", "linkedin")
LEAD = 20.0  # seconds before the first post falls due, for the runner to start
WORDS = (
    "relapse",
    "rate",
    "fatigue",
    "lesion",
    "cohort",
    "trial",
    "placebo",
    "walking",
    "cognition",
    "vitamin",
    "sleep",
    "retina",
    "balance",
    "exercise",
    "myelin",
    "therapy",
    "dose",
    "scan",
    "progression",
    "biomarker",
    "survey",
    "clinic",
    "symptom",
    "quality",
    "heat",
    "bladder",
    "vision",
    "memory",
    "mood",
    "pain",
    "spasticity",
)


def texts(count: int, seed: int = 11) -> list[str]:
    """Varied, unique post texts of realistic length (X refuses duplicate content)."""
    rng = random.Random(seed)
    made = []
    for n in range(count):
        words = rng.sample(WORDS, rng.randint(8, 20))
        made.append(
            f"New research {n}: " + " ".join(words).capitalize() + ". "
            f"{rng.randint(12, 480)} people took part; {rng.randint(5, 60)}% improved."
        )
    return made


def plan(ledger: Ledger, count: int, start: datetime, spread: float) -> None:
    rows = []
    step = spread / count
    for n, text in enumerate(texts(count)):
        due = start + timedelta(seconds=n * step)
        rows.append(
            {
                "summary_id": f"rs-bench{n // 30:06d}",
                "summary_title": "Fire precision",
                "platform": PLATFORMS[n % len(PLATFORMS)],
                "variant": "finding",
                "key": f"finding-{n}",
                "text_hash": text_hash(text),
                "wire_text": text,
                "due_at": due,
                "zone": "UTC",
                "local_time": due.isoformat(),
                "status": "planned",
                "attempts": 0,
                "created_at": start,
                "updated_at": start,
            }
        )
    with ledger.writing() as session:
        session.execute(insert(PlannedPost), rows)


def runner_env(
    settings: Settings, sandbox_url: str, ledger_url: str, work: Path, **extra: str
) -> dict[str, str]:
    """The environment of a `crosspost run` process sending to the served sandbox:
    this one without CROSSPOST_* variables, X, Facebook and LinkedIn enabled, then
    `extra` (CROSSPOST_... names without the prefix)."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("CROSSPOST")},
        **sandbox_environment(dry_run_settings(settings, base_url=sandbox_url)),
        "CROSSPOST_LEDGER_URL": ledger_url,
        "CROSSPOST_STATE_DIR": str(work / "var"),
        "CROSSPOST_INSTAGRAM__ENABLED": "false",
        "CROSSPOST_YOUTUBE__ENABLED": "false",
        **{f"CROSSPOST_{name}": value for name, value in extra.items()},
    }


def peak_rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    spread = float(sys.argv[2]) if len(sys.argv) > 2 else 300.0
    with tempfile.TemporaryDirectory(prefix="crosspost-fire-") as folder:
        work = Path(folder)
        settings = bench_settings(work / "var")
        config = SandboxConfig(
            x_posts_per_window=10**9,
            graph_calls_per_hour=10**9,
            linkedin_posts_per_day=10**9,
        )
        if hasattr(config, "x_app_posts_per_day"):
            config.x_app_posts_per_day = 10**9
        sandbox = create_sandbox(config)
        url = f"sqlite:///{work}/ledger.db"
        start = datetime.now(UTC) + timedelta(seconds=LEAD)
        with Ledger(url) as ledger:
            plan(ledger, count, start, spread)
            due = {row.wire_text: row.due_at for row in ledger.rows()}
        with served(sandbox) as base_url:
            runner = subprocess.Popen(
                [sys.executable, "-m", "crosspost", "-q", "run"],
                cwd=work,
                env=runner_env(settings, base_url, url, work),
            )
            deadline = time.time() + LEAD + spread + 120
            rss = 0.0
            while time.time() < deadline and len(sandbox.state.posts) < count:
                rss = max(rss, peak_rss_mib(runner.pid))
                time.sleep(0.5)
            rss = max(rss, peak_rss_mib(runner.pid))
            runner.send_signal(signal.SIGTERM)
            code = runner.wait(timeout=120)
        posts = sandbox.state.posts
        with Ledger(url) as ledger:
            statuses = Counter((row.platform, row.status) for row in ledger.rows())
            errors = Counter(
                (row.platform, (row.last_error or "")[:160])
                for row in ledger.rows()
                if row.status != "published"
            )
        delays = sorted(
            post.created_at - due[post.text].timestamp()
            for post in posts
            if post.text in due
        )
        repeats = sum(n - 1 for n in Counter(p.text for p in posts).values() if n > 1)

    def pct(q: float) -> float:
        return delays[min(len(delays) - 1, int(q * len(delays)))]

    print(
        f"fire precision: {count} posts due over {spread:.0f} s "
        f"on {', '.join(PLATFORMS)}"
    )
    print(f"  published on the sandbox: {len(posts)}; duplicates: {repeats}")
    print(f"  ledger: {dict(sorted(statuses.items()))}")
    for (platform, error), times in errors.most_common(3):
        print(f"  not published: {times} x {platform}: {error}")
    print(
        f"  delay due -> sandbox: median {statistics.median(delays) * 1000:.0f} ms, "
        f"p90 {pct(0.90) * 1000:.0f} ms, p99 {pct(0.99) * 1000:.0f} ms, "
        f"max {delays[-1] * 1000:.0f} ms (target p99 <= 1000 ms)"
    )
    print(
        f"  runner peak RSS: {rss:.1f} MiB (target <= 150 MiB); exit {code} on SIGTERM"
    )


if __name__ == "__main__":
    main()
