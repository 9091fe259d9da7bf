"""Render time against finding length: one summary with a 1 KB, 10 KB and 100 KB
finding, every platform and variant (X as chains), fitted and counted. Target: linear,
and 100 KB within 1 s."""

from __future__ import annotations

import time
from pathlib import Path

from crosspost.settings import Settings
from crosspost.summaries.model import Paragraph, Summary
from crosspost.teasers.model import PLATFORMS
from crosspost.teasers.render import render_all

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = [
    "Relapses fell by {n}% in the treated group, compared with {m}% on placebo.",
    "Walking speed over 25 feet improved, and fatigue scores were steady; side "
    "effects were mild.",
    "However, the difference in disability was not significant after {n} months.",
    "A post hoc analysis suggested a larger gain in women (see "
    "https://example.org/trials/{n}).",
    "Brain volume loss was {n}.{m}% a year, against {m}.{n}% without treatment.",
]


def finding(size: int) -> str:
    """About `size` characters of different sentences."""
    parts: list[str] = []
    length = number = 0
    while length < size:
        number += 1
        sentence = SENTENCES[number % len(SENTENCES)].format(
            n=number % 97 + 2, m=number % 9 + 1
        )
        parts.append(sentence)
        length += len(sentence) + 1
    return " ".join(parts)


def main() -> None:
    settings = Settings(templates_dir=ROOT / "templates")
    warm = Summary(
        title="Research Summary: Warm-up", findings=(Paragraph(number=1, text="A."),)
    )
    render_all(warm, settings, platforms=list(PLATFORMS))
    previous = None
    for kilobytes in (1, 10, 100):
        summary = Summary(
            title="Research Summary: A trial of a remyelinating drug in relapsing MS",
            findings=(
                Paragraph(number=1, text=finding(kilobytes * 1024)),
                Paragraph(number=2, text="Side effects were mild."),
            ),
            url="https://example.org/summaries/remyelination",
        )
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            rendered = render_all(summary, settings, platforms=list(PLATFORMS))
            best = min(best, time.perf_counter() - started)
        chain = max(len(t.parts) for t in rendered.teasers if t.platform == "x")
        growth = f", x{best / previous:.1f} for 10x the text" if previous else ""
        print(
            f"{kilobytes:>3} KB finding: {best * 1000:7.1f} ms, "
            f"{len(rendered.teasers)} teasers, {len(rendered.failures)} failed, "
            f"longest X chain {chain} posts{growth}"
        )
        previous = best
    print("target: linear, 100 KB <= 1000 ms")


if __name__ == "__main__":
    main()
