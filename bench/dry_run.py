"""`crosspost dry-run` over 100 varied realistic summaries, as CI runs it: every
platform and every variant rendered (the campaigns post announce, thread on X, each
finding and the recap), a month simulated against the in-process sandbox, the three
reports written. Prints the wall time, CPU time and peak RSS of the process, the posts
and failures, and the reports' sizes; then again, with the cards the first run drew.

The schedule has a slot every half hour from 06:00 to 22:00 on every platform and no
daily cap, so all 100 campaigns go out within the month.
Usage: bench/dry_run.py [SUMMARIES] [DAYS]  (default 100 30)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from realistic import as_markdown, summaries

ROOT = Path(__file__).resolve().parent.parent
CROSSPOST = Path(sys.executable).parent / "crosspost"
SLOTS = [
    f"daily {hour:02d}:{minute:02d}" for hour in range(6, 22) for minute in (0, 30)
]
PLATFORMS = ("x", "facebook", "instagram", "linkedin", "youtube")


def environment(state: Path) -> dict[str, str]:
    variants = {p: ["announce", "finding", "recap"] for p in PLATFORMS}
    variants["x"] = ["announce", "thread", "finding", "recap"]
    return {
        **os.environ,
        "CROSSPOST_STATE_DIR": str(state),
        "CROSSPOST_TEMPLATES_DIR": str(ROOT / "templates"),
        "CROSSPOST_SCHEDULE__SLOTS": json.dumps(dict.fromkeys(PLATFORMS, SLOTS)),
        "CROSSPOST_SCHEDULE__VARIANTS": json.dumps(variants),
        "CROSSPOST_SCHEDULE__DAILY_CAP": "0",
        "CROSSPOST_SCHEDULE__GAP_DAYS": "1",
    }


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    days = sys.argv[2] if len(sys.argv) > 2 else "30"
    with tempfile.TemporaryDirectory(prefix="crosspost-bench-") as scratch:
        folder = Path(scratch) / "summaries"
        folder.mkdir()
        for number, summary in enumerate(summaries(count)):
            (folder / f"summary-{number:03d}.md").write_text(
                as_markdown(summary), encoding="utf-8"
            )
        print(
            f"dry-run: {count} summaries, every platform and variant, {days} days "
            "simulated, three reports"
        )
        state = Path(scratch) / "state"
        for label in ("first run (no cards drawn yet)", "again (cards kept)"):
            _run(folder, days, Path(scratch), state, label)


def _run(folder: Path, days: str, scratch: Path, state: Path, label: str) -> None:
    reports = [scratch / f"report.{kind}" for kind in ("json", "md", "html")]
    command = [str(CROSSPOST), "dry-run", str(folder)]
    command += ["--now", "2027-03-01T06:00Z", "--days", days]
    for report in reports:
        command += ["--report", str(report)]
    err = scratch / "stderr.txt"
    started = time.perf_counter()
    with err.open("w") as stderr:
        process = subprocess.Popen(
            command,
            env=environment(state),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        print(err.read_text(), file=sys.stderr)
        raise SystemExit(f"crosspost dry-run exited {code}")
    counts = json.loads(reports[0].read_text(encoding="utf-8"))["counts"]
    cpu = usage.ru_utime + usage.ru_stime
    print(
        f"  {label:<31} wall {elapsed:6.1f} s   CPU {cpu:6.1f} s   "
        f"peak RSS {usage.ru_maxrss / 1024:4.0f} MiB   exit {code}"
    )
    if "again" in label:
        return
    print(
        f"    {counts['posts']} posts, {counts['sent']} sent "
        f"({counts.get('published', 0)} published, "
        f"{counts.get('awaiting_manual', 0)} handed off), "
        f"{counts.get('planned', 0)} planned later, {counts['problems']} failures"
    )
    sizes = ", ".join(
        f"{report.suffix[1:]} {report.stat().st_size / 1e6:.1f} MB"
        for report in reports
    )
    print(f"    reports: {sizes}")
    for line in err.read_text().splitlines():
        if line.startswith("crosspost: "):
            print(f"    {line[:160]}")


if __name__ == "__main__":
    main()
