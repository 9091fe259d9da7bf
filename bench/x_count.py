"""X weighted counting: twitter-text's conformance cases passed (ours and the Python
peer twitter-text-parser), and counts per second for both on 240 realistic texts (about
260 characters: URLs with and without protocol, emoji and ZWJ sequences, CJK, ©)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from twitter_text import parse_tweet as peer_parse_tweet
from twitter_text.config import config as PEER_CONFIGS

from crosspost.teasers.twitter_text import V2, V3, TextConfig, parse_tweet
from crosspost.teasers.twitter_urls import _urls_in_chunk

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
TEXTS = 240
SECONDS = 2.0
_OPENERS = [
    "New research summary:", "Finding 2 of 4 from our summary:", "Recap:",
    "What the study found:", "2/5 Finding 1 of 3 (1 of 2):", "多発性硬化症の研究：",
    "Νέα περίληψη:",
]  # fmt: skip
_CLAIMS = [
    "relapses fell by {n}% with vitamin D compared with {m}% on placebo",
    "walking speed over 25 feet improved after {n} weeks of supervised exercise",
    "fatigue scores (MFIS, 0–84) dropped by {n} points 💪 in the treated group",
    "people with MS 👩🏽‍🔬 and their families 👨‍👩‍👧 found the app easy to use",
    "髓鞘修复在{n}个月后改善，安慰剂组为{m}%",
    "the Zürich cohort (n={n}) showed slower progression © {m} Example Trials®",
    "brain volume loss was {n}.{m}% lower; however, disability did not change",
]  # fmt: skip
_LINKS = [
    "https://research.example.org/summaries/{n}-vitamin-d/?utm_source=x&utm_medium=social",
    "example.org/ms/{n}",
    "https://t.co/abc{n}",
    "www.example.co.uk/research/{n}?lang=en",
]  # fmt: skip
_TAGS = ["#MSResearch", "#MultipleSclerosis", "#Fatigue", "#MS🧠", ""]


def texts(count: int = TEXTS, seed: int = 5) -> list[str]:
    """`count` different posts of about 260 characters, as the templates make them."""
    rng = random.Random(seed)
    made: list[str] = []
    while len(made) < count:
        parts = [rng.choice(_OPENERS)]
        while sum(map(len, parts)) < 170:
            claim = rng.choice(_CLAIMS).format(
                n=rng.randint(2, 99), m=rng.randint(1, 9)
            )
            parts.append(claim[:1].upper() + claim[1:] + ".")
        parts.append(rng.choice(_LINKS).format(n=rng.randint(10, 9999)))
        parts.append(rng.choice(_TAGS))
        made.append(" ".join(part for part in parts if part))
    return made


def conformance(
    label: str, parse: Callable[[str, TextConfig], dict[str, object]]
) -> None:
    if not VALIDATE.is_file():
        print(f"conformance: {VALIDATE} is absent (shared/ is not beside the repo)")
        return
    tests = yaml.safe_load(VALIDATE.read_text(encoding="utf-8"))["tests"]
    passed = total = 0
    for section, config in SECTIONS.items():
        cases = tests[section]
        passed += sum(parse(case["text"], config) == case["expected"] for case in cases)
        total += len(cases)
    print(f"conformance {label}: {passed}/{total}")


def _ours(text: str, config: TextConfig) -> dict[str, object]:
    return dict(parse_tweet(text, config).as_dict())


def _peer(text: str, config: TextConfig) -> dict[str, object]:
    options = PEER_CONFIGS[f"version{config.version}"]
    try:
        result = peer_parse_tweet(text, options)
    except Exception as exc:  # the peer's own failure, reported as a miss
        return {"error": repr(exc)}
    return {
        key: getattr(result, key)
        for key in (
            "weightedLength", "valid", "permillage", "displayRangeStart",
            "displayRangeEnd", "validRangeStart", "validRangeEnd",
        )
    }  # fmt: skip


def rate(label: str, count: Callable[[str], object], batch: list[str]) -> float:
    for text in batch:  # warm lazily compiled patterns
        count(text)
    counted = 0
    start = time.perf_counter()
    while time.perf_counter() - start < SECONDS:
        # Each pass counts texts never seen: no link found in an earlier pass is reused.
        _urls_in_chunk.cache_clear()
        for text in batch:
            count(text)
        counted += len(batch)
    per_second = counted / (time.perf_counter() - start)
    print(f"{label}: {per_second:,.0f} counts/s")
    return per_second


def main() -> None:
    conformance("crosspost", _ours)
    conformance("twitter-text-parser", _peer)
    batch = texts()
    mean = sum(map(len, batch)) / len(batch)
    print(f"texts: {len(batch)} different ones, mean {mean:.0f} characters")
    ours = rate("crosspost (parse_tweet, v3)", parse_tweet, batch)
    peer = rate("twitter-text-parser (parse_tweet)", peer_parse_tweet, batch)
    print(f"ratio: {ours / peer:.1f}x")
    differ = [
        text
        for text in batch
        if parse_tweet(text).weighted_length != peer_parse_tweet(text).weightedLength
    ]
    signs = sum(1 for text in differ if "©" in text or "®" in text)
    print(
        f"counts that differ: {len(differ)} of {len(batch)} "
        f"({signs} with © or ®, which the peer weighs 2 and twitter-text 1)"
    )


if __name__ == "__main__":
    main()
