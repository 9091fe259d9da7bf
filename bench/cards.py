"""Card drawing speed and memory: median ms per card for each size, and peak memory."""

from __future__ import annotations

import resource
import statistics
import time
import tracemalloc

from crosspost.report.preview import preview_html
from crosspost.settings import BrandingSettings
from crosspost.summaries.model import Paragraph, Summary
from crosspost.teasers.cards import make_card

CARDS_PER_SIZE = 50
TARGET_MS = 50.0


def _summary(number: int) -> Summary:
    """Summaries of realistic and of absurd length, a different one each time."""
    finding = (
        f"In cohort {number}, people who kept to the programme had {number % 40 + 5}% "
        "fewer relapses over two years, and their MRI showed fewer new lesions."
    )
    if number % 10 == 9:  # one card in ten gets a finding that must be shortened
        finding = " ".join([finding] * 30)
    return Summary(
        title=f"Research Summary: Vitamin D, sleep and relapse risk in MS ({number})",
        findings=(Paragraph(number=1, text=finding),),
    )


def _time_cards(platform: str, branding: BrandingSettings) -> list[float]:
    timings = []
    for number in range(CARDS_PER_SIZE):
        summary = _summary(number)
        start = time.perf_counter()
        make_card(summary, platform, finding=None, branding=branding)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> None:
    branding = BrandingSettings()
    make_card(_summary(0), "x", finding=None, branding=branding)  # load the font once
    print(f"cards: {CARDS_PER_SIZE} per size, target median <= {TARGET_MS:.0f} ms")
    for platform, label in (("x", "1200x675 PNG"), ("instagram", "1080x1350 JPEG")):
        timings = _time_cards(platform, branding)
        median = statistics.median(timings)
        flag = "ok" if median <= TARGET_MS else "OVER TARGET"
        print(
            f"  {label:<15} median {median:6.1f} ms  p90 "
            f"{statistics.quantiles(timings, n=10)[-1]:6.1f} ms  "
            f"max {max(timings):6.1f} ms  [{flag}]"
        )

    tracemalloc.start()
    summary = _summary(3)
    cards = [
        make_card(summary, p, finding=None, branding=branding)
        for p in ("x", "instagram")
    ]
    _, peak_one = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    from crosspost.teasers.model import Teaser, TeaserPart

    teasers = [
        Teaser(
            summary_id=summary.id,
            summary_title=summary.title,
            platform=p,
            variant="announce",
            key="announce",
            parts=(TeaserPart(text="A post about vitamin D and MS.", count=30),),
            limit=280,
            card=card,
        )
        for p, card in zip(("x", "instagram"), cards, strict=True)
    ] * 10
    start = time.perf_counter()
    html = preview_html(summary, teasers)
    page_ms = (time.perf_counter() - start) * 1000
    _, peak_page = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  python heap peak, drawing two cards: {peak_one / 1e6:.1f} MB")
    print(
        f"preview page: 20 posts with cards in {page_ms:.1f} ms, "
        f"{len(html) / 1e6:.1f} MB of HTML, heap peak {peak_page / 1e6:.1f} MB"
    )
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS (ru_maxrss): {peak_rss:.0f} MB")


if __name__ == "__main__":
    main()
