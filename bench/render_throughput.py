"""Render throughput: 1,000 generated summaries, all platforms and variants, fitted and
counted by each platform's rule, no cards. Prints teasers/s (target: 5,000/s)."""

from __future__ import annotations

import random
import time
from pathlib import Path

from crosspost.settings import Settings
from crosspost.summaries.model import Paragraph, Summary
from crosspost.teasers.render import render_teasers

ROOT = Path(__file__).resolve().parent.parent
SUMMARIES = 1_000

SUBJECTS = [
    "Relapse rates",
    "New MRI lesions",
    "Walking speed",
    "Fatigue scores",
    "Brain volume loss",
    "Retinal thickness",
    "Serum neurofilament levels",
]
CHANGES = [
    "fell by a third",
    "rose by 12% (p = 0.02)",
    "did not change",
    "improved slightly, e.g. by 0.4 points",
    "were 2.5 times lower vs. placebo",
]
QUALIFIERS = ["However, not after one year.", "This may not apply to progressive MS."]
DETAILS = [
    "The effect was largest in younger people.",
    "Side effects were mild.",
    "Dropouts were rare in both groups.",
    "Scans were read blind to treatment.",
]


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(CHANGES)} in the treated group."


def _paragraph(rng: random.Random, number: int) -> Paragraph:
    sentences = [_sentence(rng)]
    if rng.random() < 0.5:
        sentences.append(rng.choice(QUALIFIERS))
    sentences += rng.sample(DETAILS, rng.randint(0, 3))
    return Paragraph(number=number, text=" ".join(sentences))


def summaries(count: int, seed: int = 7) -> list[Summary]:
    rng = random.Random(seed)
    made = []
    for n in range(count):
        made.append(
            Summary(
                title=f"Research Summary: Trial {n} of a remyelinating drug in MS: "
                "a randomised, placebo-controlled study",
                what="A trial of a drug meant to repair myelin in people with MS.",
                who="A team of neurologists at several hospitals.",
                backgrounds=tuple(
                    _paragraph(rng, i) for i in range(1, rng.randint(2, 4))
                ),
                findings=tuple(_paragraph(rng, i) for i in range(1, rng.randint(3, 6))),
                thoughts=tuple(_paragraph(rng, i) for i in range(1, rng.randint(2, 3))),
                url=f"https://example.org/summaries/trial-{n}?lang=en",
                tags=("multiple sclerosis", "myelin repair"),
            )
        )
    return made


def main() -> None:
    settings = Settings(templates_dir=ROOT / "templates")
    batch = summaries(SUMMARIES)
    render_teasers(batch[0], settings)  # compile templates before timing
    started = time.perf_counter()
    teasers = parts = 0
    for summary in batch:
        rendered = render_teasers(summary, settings)
        teasers += len(rendered)
        parts += sum(len(teaser.parts) for teaser in rendered)
    elapsed = time.perf_counter() - started
    print(f"summaries: {SUMMARIES}")
    print(f"teasers:   {teasers} ({parts} posts counting each thread part)")
    print(f"seconds:   {elapsed:.2f}")
    print(f"teasers/s: {teasers / elapsed:,.0f} (target 5,000)")
    print(f"posts/s:   {parts / elapsed:,.0f}")


if __name__ == "__main__":
    main()
