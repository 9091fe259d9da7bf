"""Kill test: one-off `crosspost post` processes SIGKILLed at random, rerun until done.

Against the served sandbox on loopback. A rerun reconciles its summary's unknown posts
first; at the end `crosspost reconcile` settles the rest (--min-age 0: the sandbox's
listings never lag) and summaries with posts confirmed absent are posted once more.
Counts duplicates on the sandbox (target 0), posts lost (target 0), rows settled by
reconcile, and rows still left unknown/sending for a person to resolve.
Usage: bench/kill_test.py [SUMMARIES]  (default 100)
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from crosspost.cli.sandbox_cmd import sandbox_environment
from crosspost.sandbox.app import create_sandbox
from crosspost.sandbox.config import Fault, SandboxConfig
from crosspost.sandbox.dryrun import card_fetcher, dry_run_card_dir, dry_run_settings
from crosspost.sandbox.notify import receiver_url
from crosspost.sandbox.state import PostRecord
from crosspost.settings import Settings
from fanout import bench_settings, served

ROOT = Path(__file__).resolve().parent.parent
SUMMARIES = 100
PLATFORMS = ("x", "facebook", "instagram", "linkedin", "youtube")
KILL_PROBABILITY = 0.5
MAX_KILLS = 3  # per summary; after that a run is left to finish
LATENCY = 0.05
WORKERS = 4
PROCESS_TIMEOUT = 90.0
DEADLINE = 900.0
SEED = 20261125

TEXT = """\
Research Summary: Retinal scans and MS progression, cohort {n:03d}

How the eye's nerve layer might warn of disability years ahead.

What?

A cohort study measuring the retina with optical coherence tomography.

Who?

Neurologists and eye specialists at MS centre {n:03d}.

Where?

A neurology journal.

When?

Published in 2026.

BACKGROUND #1:  The retina grows out of the brain and can be scanned in minutes.

FINDING #1:  In cohort {n:03d}, faster retinal thinning went with faster progression.

THOUGHT #1:  Quick eye scans could one day help follow people in routine clinics.
"""


@dataclass
class Tally:
    kills: int = 0
    runs: int = 0
    timeouts: int = 0
    abandoned: int = 0
    durations: list[float] = field(default_factory=list)
    exit_codes: Counter[int] = field(default_factory=Counter)
    final_reruns: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def environment(base_url: str, work: Path, settings: Settings) -> dict[str, str]:
    """The settings of every `crosspost post` process: the served sandbox's accounts."""
    values = {
        "LEDGER_URL": f"sqlite:///{work}/ledger.db",
        "STATE_DIR": str(work / "var"),
        "TEMPLATES_DIR": str(ROOT / "templates"),
        "INSTAGRAM__POLL_INTERVAL": "0.05",
        "YOUTUBE__CHANNEL_ID": "UCkilltest000000000000",
        "YOUTUBE__HANDOFF_DIR": str(work / "handoff"),
        # Hand-off notices (once the publish stage sends them) go to the receiver.
        "NOTIFY__URLS": json.dumps([receiver_url(base_url)]),
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("CROSSPOST_")}
    env.update(sandbox_environment(dry_run_settings(settings, base_url=base_url)))
    env.update({f"CROSSPOST_{key}": value for key, value in values.items()})
    return env


def post_until_done(
    n: int,
    *,
    work: Path,
    env: dict[str, str],
    tally: Tally,
    rng: random.Random,
    deadline: float,
) -> None:
    """Run `crosspost post` for summary n, killing it at random, until a run ends."""
    script = str(Path(sys.executable).parent / "crosspost")
    source = str(work / f"s{n:03d}.txt")
    command = [script, "post", source, "--platforms", ",".join(PLATFORMS)]
    kills = 0
    while True:
        with tally.lock:
            if time.monotonic() > deadline:
                tally.abandoned += 1
                return
            typical = statistics.median(tally.durations) if tally.durations else 1.5
        kill_at = None
        if kills < MAX_KILLS and rng.random() < KILL_PROBABILITY:
            kill_at = rng.uniform(0, typical)
        start = time.monotonic()
        process = subprocess.Popen(
            command,
            cwd=work,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            code = process.wait(timeout=PROCESS_TIMEOUT if kill_at is None else kill_at)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            with tally.lock:
                tally.runs += 1
                if kill_at is None:
                    tally.timeouts += 1
                    return
                tally.kills += 1
            kills += 1
            continue
        with tally.lock:
            tally.runs += 1
            tally.durations.append(time.monotonic() - start)
            tally.exit_codes[code] += 1
        return


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else SUMMARIES
    rng = random.Random(SEED)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="crosspost-kill-") as folder:
        work = Path(folder)
        for n in range(count):
            (work / f"s{n:03d}.txt").write_text(TEXT.format(n=n), encoding="utf-8")
        settings = bench_settings(work / "var")
        config = SandboxConfig(
            faults=[Fault(platform="*", kind="latency", times=None, seconds=LATENCY)],
            image_fetcher=card_fetcher(dry_run_card_dir(settings)),
        )
        config.x_posts_per_window = 10_000
        config.graph_calls_per_hour = 100_000
        config.instagram_quota_total = 10_000
        config.linkedin_posts_per_day = 10_000
        sandbox = create_sandbox(config)
        tally = Tally()
        with served(sandbox) as base_url:
            env = environment(base_url, work, settings)
            seeds = [rng.randrange(2**32) for _ in range(count)]
            deadline = started + DEADLINE
            with ThreadPoolExecutor(WORKERS) as pool:
                futures = [
                    pool.submit(
                        post_until_done,
                        n,
                        work=work,
                        env=env,
                        tally=tally,
                        rng=random.Random(seeds[n]),
                        deadline=deadline,
                    )
                    for n in range(count)
                ]
                for future in futures:
                    future.result()
            final = settle_and_finish(work, env, count, tally)
            posts = list(sandbox.posts)
        elapsed = time.monotonic() - started
        report(work, count, posts, tally=tally, final=final, elapsed=elapsed)


def settle_and_finish(
    work: Path, env: dict[str, str], count: int, tally: Tally
) -> Counter[str]:
    """`crosspost reconcile` over the whole ledger, then one more `post` (no kill)
    for each summary with a post confirmed absent; the reconcile's actions."""
    script = str(Path(sys.executable).parent / "crosspost")
    command = [script, "reconcile", "--min-age", "0", "--json"]
    done = subprocess.run(
        command, cwd=work, env=env, capture_output=True, text=True, check=False
    )
    actions = Counter(item["action"] for item in json.loads(done.stdout or "[]"))
    database = sqlite3.connect(work / "ledger.db")
    titles = database.execute(
        "SELECT DISTINCT summary_title FROM planned_posts WHERE status = 'failed'"
    ).fetchall()
    database.close()
    for (title,) in titles:
        n = next((n for n in range(count) if f"cohort {n:03d}" in title), None)
        if n is None:
            continue
        source = str(work / f"s{n:03d}.txt")
        rerun = [script, "post", source, "--platforms", ",".join(PLATFORMS)]
        subprocess.run(rerun, cwd=work, env=env, capture_output=True, check=False)
        tally.final_reruns += 1
    return actions


def report(
    work: Path,
    count: int,
    posts: list[PostRecord],
    *,
    tally: Tally,
    final: Counter[str],
    elapsed: float,
) -> None:
    database = sqlite3.connect(work / "ledger.db")
    rows = database.execute(
        "SELECT summary_id, summary_title, platform, status FROM planned_posts"
    ).fetchall()
    events = Counter(
        outcome if outcome.startswith("reconciled") else "stale claim"
        for outcome, error in database.execute("SELECT outcome, error FROM attempts")
        if outcome.startswith("reconciled")
        or (outcome == "unknown" and (error or "").startswith("stale claim"))
    )
    database.close()

    def summary_of(text: str) -> int | None:
        for n in range(count):
            if f"cohort {n:03d}" in text or f"centre {n:03d}" in text:
                return n
        return None

    texts = Counter((post.platform, post.text) for post in posts)
    duplicates = sum(times - 1 for times in texts.values() if times > 1)
    live = Counter((summary_of(post.text), post.platform) for post in posts)
    unattributed = sum(times for (n, _), times in live.items() if n is None)
    ledger = {
        (summary_of(title), platform): (sid, status)
        for sid, title, platform, status in rows
    }
    waiting = {"unknown", "sending", "awaiting_manual"}
    lost = phantom = 0
    stuck: Counter[str] = Counter()
    stuck_live = 0
    for n in range(count):
        for platform in PLATFORMS:
            sid, status = ledger.get((n, platform), ("", "missing"))
            if platform == "youtube":
                is_live = (work / "handoff" / f"{sid}-announce" / "post.txt").is_file()
            else:
                is_live = live[(n, platform)] > 0
            if not is_live and status not in waiting:
                lost += 1
            if status == "published" and not is_live:
                phantom += 1
            if status in ("unknown", "sending"):
                stuck[platform] += 1
                stuck_live += is_live
    statuses = Counter(status for *_, status in rows)
    print(
        f"kill test: {count} summaries x {len(PLATFORMS)} platforms, "
        f"{LATENCY * 1000:.0f} ms a request, kill probability {KILL_PROBABILITY}, "
        f"{WORKERS} processes at a time, {elapsed:.0f} s"
    )
    print(
        f"processes run: {tally.runs}, SIGKILLed: {tally.kills}, "
        f"timed out: {tally.timeouts}, abandoned at the deadline: {tally.abandoned}; "
        f"exit codes of finished runs: {dict(sorted(tally.exit_codes.items()))}"
    )
    print(
        f"posts on the sandbox: {len(posts)} ({unattributed} unattributed); "
        f"ledger rows by status: {dict(sorted(statuses.items()))}"
    )
    print(f"duplicates on the sandbox (same text twice): {duplicates} (target 0)")
    print(f"posts lost (neither live nor unknown/awaiting): {lost} (target 0)")
    print(f"ledger says published but not on the sandbox: {phantom} (target 0)")
    print(
        f"stale `sending` claims taken as interrupted: {events['stale claim']}; "
        f"settled by reconcile: {events['reconciled: published']} found live "
        f"(published), {events['reconciled: failed']} confirmed absent (failed, "
        "then sent again)"
    )
    print(
        f"  of which by the final `crosspost reconcile`: {final['found']} found, "
        f"{final['absent']} absent; summaries posted once more after it: "
        f"{tally.final_reruns}"
    )
    total = sum(stuck.values())
    print(
        f"rows left unknown/sending for `crosspost resolve`: {total} "
        f"({stuck_live} of them live on the sandbox, {total - stuck_live} not; "
        f"by platform: {dict(sorted(stuck.items()))})"
    )


if __name__ == "__main__":
    main()
