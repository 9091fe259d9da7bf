"""Simulated run: a month of campaigns for 20 varied summaries on five platforms.

The summaries are written to a folder in the house format and
`crosspost run --dry-run --now ... --simulate-until ... --json` runs them on the
virtual clock against the in-process sandbox, as a team would. Prints the wall time
(target <= 10 s), the posts fired and how they ended, and that none fired twice.
Usage: bench/simulate_month.py [SUMMARIES] [DAYS]  (default 20 30)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from realistic import as_markdown, summaries

ROOT = Path(__file__).resolve().parent.parent
START = "2027-03-01T07:00:00Z"
PLATFORMS = ("x", "facebook", "instagram", "linkedin", "youtube")
SLOTS = tuple(f"daily {hour:02d}:00" for hour in (8, 10, 12, 14, 16, 18))


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    days = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    with tempfile.TemporaryDirectory(prefix="crosspost-month-") as folder:
        work = Path(folder)
        sources = work / "summaries"
        sources.mkdir()
        for n, summary in enumerate(summaries(count)):
            (sources / f"summary-{n:03d}.md").write_text(
                as_markdown(summary), encoding="utf-8"
            )
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("CROSSPOST")},
            "CROSSPOST_TEMPLATES_DIR": str(ROOT / "templates"),
            "CROSSPOST_STATE_DIR": str(work / "var"),
            # 20 campaigns in a month need about four posts a day on each platform.
            "CROSSPOST_SCHEDULE__SLOTS": json.dumps(dict.fromkeys(PLATFORMS, SLOTS)),
            "CROSSPOST_SCHEDULE__DAILY_CAP": "6",
            "CROSSPOST_SCHEDULE__GAP_DAYS": "1",
        }
        until = (
            f"2027-03-{1 + days:02d}T07:00:00Z" if days < 31 else "2027-04-01T07:00Z"
        )
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "crosspost", "-q", "run", str(sources), "--dry-run",
             "--now", START, "--simulate-until", until, "--json"],
            cwd=work, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        wall = time.perf_counter() - started
    fired = json.loads(done.stdout or "[]")
    statuses = Counter(entry["status"] for entry in fired)
    twice = sum(n - 1 for n in Counter(e["id"] for e in fired).values() if n > 1)
    late = sum(1 for e in fired if e["fired_at"] != e["due_at"])
    print(f"simulated run: {count} summaries, five platforms, {days} days")
    print(f"  wall time {wall:.1f} s (target <= 10 s), exit {done.returncode}")
    print(f"  posts fired: {len(fired)}: {dict(sorted(statuses.items()))}")
    print(f"  fired twice: {twice}; fired off their due instant: {late}")
    for entry in fired:
        if entry["status"] not in ("published", "awaiting_manual"):
            print(f"  {entry['status']}: {entry['platform']} {entry['key']}: "
                  f"{entry['error']}")  # fmt: skip
    if done.returncode != 0 and not fired:
        print(done.stderr[-2000:])


if __name__ == "__main__":
    main()
