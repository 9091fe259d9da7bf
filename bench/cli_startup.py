"""Cold start of `crosspost --help`.

Median of 10 runs of the installed console script.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 10


def main() -> None:
    script = shutil.which("crosspost") or str(Path(sys.executable).parent / "crosspost")
    timings = []
    for _ in range(RUNS + 1):
        start = time.perf_counter()
        subprocess.run([script, "--help"], check=True, stdout=subprocess.DEVNULL)
        timings.append(time.perf_counter() - start)
    timings = timings[1:]  # the first run warms the OS file cache, not Python's
    imported = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import crosspost.cli.main"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    heavy = [
        m
        for m in (
            "pydantic",
            "httpx",
            "PIL",
            "jinja2",
            "sqlalchemy",
            "apprise",
            "icalendar",
        )
        if f" {m}" in imported
    ]
    print(
        f"crosspost --help cold start: median {statistics.median(timings):.3f} s "
        f"(min {min(timings):.3f}, max {max(timings):.3f}) over {RUNS} runs; "
        "target <= 0.100 s"
    )
    print(f"heavy modules imported for --help: {', '.join(heavy) or 'none'}")


if __name__ == "__main__":
    main()
