"""Lost ledger: 20 summaries posted through the served sandbox, then the ledger is
truncated (a full disk, a bad restore), then deleted; each time the same summaries are
posted again; then `crosspost reconcile --rebuild` and one more post.

Every step is a real `crosspost` process pointed at the sandbox with the variables
`crosspost sandbox serve` prints. Prints, per step, the exit code, what it said and
the posts that reached the sandbox; at the end the duplicates on the sandbox (target 0)
and posts lost (target 0).
Usage: bench/lost_ledger.py [SUMMARIES]  (default 20)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from crosspost.sandbox.app import create_sandbox
from crosspost.sandbox.config import Fault, SandboxConfig
from crosspost.sandbox.dryrun import card_fetcher, dry_run_card_dir
from fanout import bench_settings, served
from kill_test import TEXT, environment

SUMMARIES = 20
PLATFORMS = ("x", "facebook", "instagram", "linkedin", "youtube")
LATENCY = 0.02


def crosspost(
    work: Path, env: dict[str, str], *args: str
) -> tuple[int, str, str, float]:
    """One `crosspost` process: exit code, stdout, stderr, wall seconds."""
    script = str(Path(sys.executable).parent / "crosspost")
    started = time.monotonic()
    done = subprocess.run(
        [script, *args], cwd=work, env=env, capture_output=True, text=True, check=False
    )
    return done.returncode, done.stdout, done.stderr, time.monotonic() - started


def first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else SUMMARIES
    with tempfile.TemporaryDirectory(prefix="crosspost-lost-") as folder:
        work = Path(folder)
        sources = []
        for n in range(count):
            path = work / f"s{n:03d}.txt"
            path.write_text(TEXT.format(n=n), encoding="utf-8")
            sources.append(str(path))
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
        ledger = work / "ledger.db"
        post = ["post", *sources, "--platforms", ",".join(PLATFORMS), "--json"]
        print(
            f"lost ledger: {count} summaries x {len(PLATFORMS)} platforms through the "
            f"served sandbox ({LATENCY * 1000:.0f} ms a request), each step a "
            "`crosspost` process"
        )
        with served(sandbox) as base_url:
            env = environment(base_url, work, settings)

            def step(name: str, *args: str) -> tuple[int, str]:
                before = len(sandbox.posts)
                code, out, err, wall = crosspost(work, env, *args)
                sent = len(sandbox.posts) - before
                said = first_line(err).removeprefix("crosspost: error: ")
                if out.startswith("["):
                    items = json.loads(out)
                    statuses = Counter(
                        i.get("status") or i.get("action") for i in items
                    )
                    said = f"{dict(sorted(statuses.items()))} {said}".strip()
                print(f"{name}: exit {code}, {wall:.1f} s, {sent} posts sent; {said}")
                return code, out

            step("1. post", *post)
            ledger.write_bytes(b"")
            step("2. ledger truncated to 0 bytes, post again", *post)
            for suffix in ("", "-wal", "-shm"):
                ledger.with_name(ledger.name + suffix).unlink(missing_ok=True)
            step("3. ledger deleted, post again", *post)
            step("4. reconcile --rebuild", "reconcile", "--rebuild", *sources, "--json")
            _, out = step("5. post again", *post)
            posts = list(sandbox.posts)
        texts = Counter((p.platform, p.text) for p in posts)
        duplicates = sum(times - 1 for times in texts.values())
        live = Counter(p.platform for p in posts)
        final = {(o["summary_id"], o["platform"]): o["status"] for o in json.loads(out)}
        done = ("published", "already_published", "awaiting_manual")
        lost = sum(1 for status in final.values() if status not in done)
        print(
            f"posts on the sandbox: {len(posts)} ({dict(sorted(live.items()))}), "
            f"for {count} summaries on 4 platforms with an API"
        )
        print(f"duplicates on the sandbox (same text twice): {duplicates} (target 0)")
        print(f"posts lost (not published, handed off or known): {lost} (target 0)")


if __name__ == "__main__":
    main()
