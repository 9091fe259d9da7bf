"""`crosspost preview` on the example summaries, as a user runs it: wall time and cards
drawn, with an empty card cache and again with the cache the first run left (as `post`
finds it), one example at a time and all four together."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "summaries"
CROSSPOST = Path(sys.executable).parent / "crosspost"


def run(sources: list[str], state: Path, page: Path) -> tuple[float, str, int]:
    environment = {
        **os.environ,
        "CROSSPOST_STATE_DIR": str(state),
        "CROSSPOST_TEMPLATES_DIR": str(ROOT / "templates"),
    }
    started = time.perf_counter()
    result = subprocess.run(
        [str(CROSSPOST), "preview", *sources, "-o", str(page)],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        cwd=ROOT,
    )
    elapsed = time.perf_counter() - started
    cards = re.search(r"\d+ cards drawn, \d+ reused", result.stderr)
    return elapsed, cards[0] if cards else result.stderr.strip(), page.stat().st_size


def main() -> None:
    names = sorted(path.name for path in EXAMPLES.iterdir())
    cases = [[name] for name in names] + [names]
    with tempfile.TemporaryDirectory() as scratch:
        for number, case in enumerate(cases):
            state = Path(scratch) / f"state-{number}"
            page = Path(scratch) / f"preview-{number}.html"
            sources = [str(EXAMPLES / name) for name in case]
            label = "all four examples" if len(case) > 1 else case[0]
            first = run(sources, state, page)
            again = run(sources, state, page)
            print(
                f"{label:<26} {first[0]:5.2f} s ({first[1]}), "
                f"again {again[0]:5.2f} s ({again[1]}), page {first[2] / 1e6:.1f} MB"
            )


if __name__ == "__main__":
    main()
