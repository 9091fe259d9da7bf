"""X weighted counting: conformance cases passed per section, and counts per second."""

from __future__ import annotations

import time
from pathlib import Path

import yaml

from crosspost.teasers.twitter_text import V2, V3, TextConfig, parse_tweet

VALIDATE = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "conformance"
    / "twitter-text"
    / "validate.yml"
)
SECTIONS: dict[str, TextConfig] = {
    "WeightedTweetsCounterTest": V2,
    "WeightedTweetsWithDiscountedEmojiCounterTest": V3,
    "UnicodeDirectionalMarkerCounterTest": V3,
}
# Teasers as the templates make them: a finding, a link (with or without protocol),
# hashtags, now and then emoji, accents, a typographic dash or CJK.
TEASERS = [
    "New finding: remyelination improved in 62% of people with relapsing MS after "
    "12 months. Read the summary: https://research.example.org/summaries/"
    "ms-remyelination?utm_source=x&utm_medium=social #MultipleSclerosis #MSResearch",
    "Café-au-lait spots aside, the Zürich cohort (n=412) showed slower disability "
    "progression with early high-efficacy therapy. 👩🏽‍🔬 Details → example.org/ms",
    "What? A trial of vitamin D in early MS. Who? 300 adults. Where? Five clinics in "
    "Norway. When? 2019–2023. Finding: no fewer relapses. 🧠 https://example.org/vd",
    "Fatigue is the symptom people with MS rank worst — and a 12-week exercise "
    "programme cut it by a third. #MS #Fatigue #Rehab 💪",
    "Plain ASCII teaser without links: MRI lesion counts fell in both arms of the "
    "trial, so the difference came from relapses, not scans",
    "多发性硬化症研究：髓鞘修复在12个月后改善。https://example.org/zh/ms 🇨🇳",
    "THOUGHT: if B cells drive early damage, timing matters more than dose. Our "
    "summary weighs the evidence (and its limits): https://example.org/b-cells.",
    "Smokers with MS progressed faster 🚭 — quitting slowed it again within 5 years. "
    "Full write-up → https://research.example.org/s/smoking #MultipleSclerosis",
]
SECONDS = 2.0


def conformance() -> None:
    if not VALIDATE.is_file():
        print(f"conformance: {VALIDATE} is absent (shared/ is not beside the repo)")
        return
    tests = yaml.safe_load(VALIDATE.read_text(encoding="utf-8"))["tests"]
    passed_all = total_all = 0
    for section, config in SECTIONS.items():
        cases = tests[section]
        passed = sum(
            parse_tweet(case["text"], config).as_dict() == case["expected"]
            for case in cases
        )
        passed_all += passed
        total_all += len(cases)
        print(f"conformance {section} (v{config.version}): {passed}/{len(cases)}")
    print(f"conformance total: {passed_all}/{total_all}")


def throughput() -> None:
    for text in TEASERS:  # warm the lazily compiled patterns
        parse_tweet(text)
    counted = 0
    start = time.perf_counter()
    while time.perf_counter() - start < SECONDS:
        for text in TEASERS:
            parse_tweet(text)
        counted += len(TEASERS)
    rate = counted / (time.perf_counter() - start)
    print(
        f"weighted counts: {rate:,.0f} teasers/s over a mix of {len(TEASERS)} "
        f"(mean {sum(map(len, TEASERS)) / len(TEASERS):.0f} chars); target >= 20,000/s"
    )
    for label, text in (("ASCII, no URL", TEASERS[4]), ("URL + emoji", TEASERS[1])):
        runs = 20_000
        start = time.perf_counter()
        for _ in range(runs):
            parse_tweet(text)
        per = (time.perf_counter() - start) / runs
        print(f"  {label}: {per * 1e6:.1f} us per count ({1 / per:,.0f}/s)")


def main() -> None:
    conformance()
    throughput()


if __name__ == "__main__":
    main()
