"""Parse throughput: 10,000 varied generated summaries parsed on one core."""

from __future__ import annotations

import html
import random
import re
import statistics
import time

from crosspost.summaries.parse import parse_summary

COUNT = 10_000
TARGET_PER_SECOND = 5_000

_WORDS = [
    *("relapse", "lesion", "myelin", "fatigue", "cohort", "placebo", "trial", "MRI"),
    *("walking", "vision", "neurofilament", "(NfL)", "B-cell", "25–60", "“brain fog”"),
    *("Zürich", "β-interferon", "2:1", "p_value", "#MSResearch", "@MSTeam", "[note]"),
    *("https://example.org/study_(v2)", "*twelve*", "😊"),
]
_FINDING_FORMS = ("FINDING #{n}:", "Finding #{n} -", "FINDING {n}:", "finding #{n} –")
_BOILERPLATE = (
    "As always, if you have any questions, please comment below.\n\n"
    "You can find us on FacebookTwitterYouTubeInstagram and LinkedIn.\n\n"
    "2 Responses\n\nA reader\nFINDING #2: a comment that is not a finding.\n\n"
    "Leave a Reply\n\nYour email address will not be published.\n"
)


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_WORDS, k=rng.randint(8, 30))
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return "  ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))


def _summary(rng: random.Random, index: int) -> tuple[str, str]:
    lines = [f"Research Summary: Generated study {index} of {_sentence(rng)}", ""]
    lines += [_paragraph(rng), ""]
    for label in rng.sample(["What?", "Who?", "Where?", "When?"], k=rng.randint(0, 4)):
        lines += [label, _paragraph(rng), ""]
    for n in range(1, rng.randint(0, 3) + 1):
        lines += [f"BACKGROUND #{n}:  {_paragraph(rng)}", ""]
    form = rng.choice(_FINDING_FORMS)
    for n in range(1, rng.randint(1, 5) + 1):
        lines += [f"{form.format(n=n)}  {_paragraph(rng)}", ""]
    thoughts = rng.randint(0, 3)
    if thoughts:
        lines += [_paragraph(rng), ""]
    for n in range(1, thoughts + 1):
        lines += [f"THOUGHT #{n}: {_paragraph(rng)}", ""]
    newline = "\r\n" if rng.random() < 0.2 else "\n"
    text = newline.join(lines) + newline + _BOILERPLATE
    return text, f"generated-{index}.txt"


def _as_markdown(text: str) -> str:
    paragraphs = text.replace("\r\n", "\n").split("\n\n")
    title, rest = paragraphs[0], paragraphs[1:]
    bold = [re.sub(r"^((?:BACKGROUND|THOUGHT) #\d+:)", r"**\1**", p) for p in rest]
    return "\n\n".join([f"# {title}", *bold])


def _as_html(text: str) -> str:
    paragraphs = text.replace("\r\n", "\n").split("\n\n")
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs[1:])
    return (
        f"<html><head><title>{html.escape(paragraphs[0])}</title></head><body>"
        f'<div class="entry-content">{body}</div></body></html>'
    )


def _rate(payloads: list[tuple[bytes, str]]) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for data, source in payloads:
            parse_summary(data, source)
        best = min(best, time.perf_counter() - started)
    return len(payloads) / best


def main() -> None:
    rng = random.Random(20240611)
    corpus = [_summary(rng, index) for index in range(COUNT)]
    payloads = [(text.encode("utf-8"), source) for text, source in corpus]
    for data, source in payloads[:200]:
        parse_summary(data, source)
    timings: list[float] = []
    clock = time.perf_counter
    elapsed = []
    # Best of three: other processes on a shared machine only ever slow a pass down.
    for _ in range(3):
        timings = []
        started = clock()
        for data, source in payloads:
            before = clock()
            parse_summary(data, source)
            timings.append(clock() - before)
        elapsed.append(clock() - started)
    per_second = COUNT / min(elapsed)
    size = sum(len(data) for data, _ in payloads) / COUNT
    print(f"summaries parsed:       {COUNT} (text, mean {size:,.0f} bytes each)")
    print(
        f"throughput:             {per_second:,.0f} summaries/s (one core, best of 3)"
    )
    print(f"median per summary:     {statistics.median(timings) * 1e6:,.1f} µs")
    p95 = statistics.quantiles(timings, n=20)[18]
    print(f"p95 per summary:        {p95 * 1e6:,.1f} µs")
    verdict = "meets" if per_second >= TARGET_PER_SECOND else "MISSES"
    print(f"target:                 {TARGET_PER_SECOND:,}/s ({verdict})")
    sample = corpus[:1_000]
    markdown = [(_as_markdown(t).encode(), s.replace(".txt", ".md")) for t, s in sample]
    pages = [(_as_html(t).encode(), s.replace(".txt", ".html")) for t, s in sample]
    print(f"Markdown, 1,000 (best of 3): {_rate(markdown):,.0f} summaries/s")
    print(f"HTML pages, 1,000 (best of 3): {_rate(pages):,.0f} summaries/s")


if __name__ == "__main__":
    main()
