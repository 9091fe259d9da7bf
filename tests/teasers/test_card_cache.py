"""Cards drawn once per distinct card and size, and found on disk by a later run."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosspost.settings import BrandingSettings, Settings
from crosspost.summaries.model import Paragraph, Summary
from crosspost.teasers.card_cache import CardCache
from crosspost.teasers.cards import make_card
from crosspost.teasers.render import render_all

SUMMARY = Summary(
    title="Research Summary: Balance training and walking in MS",
    findings=(
        Paragraph(number=1, text="Sixty people took part."),
        Paragraph(number=2, text="Walking speed rose by 12%."),
    ),
    url="https://example.org/summaries/balance",
)


def test_one_render_draws_each_distinct_card_once(
    settings: Settings, tmp_path: Path
) -> None:
    """Four landscape platforms share a card; Instagram has its own size."""
    cache = CardCache(settings.branding, None)
    rendered = render_all(
        SUMMARY,
        settings,
        platforms=["x", "facebook", "linkedin", "youtube", "instagram"],
        cards=True,
        card_maker=cache.card,
    )
    teasers = rendered.teasers
    distinct = {(t.card.width, t.card.data) for t in teasers if t.card}
    assert cache.drawn == len(distinct)
    # announce/recap/thread (headline FINDING #2) and finding-1, finding-2: 2 per size
    assert cache.drawn == 4
    assert cache.reused == len(teasers) - 4


def test_a_later_run_finds_the_cards_on_disk(tmp_path: Path) -> None:
    """A second cache on the same folder draws nothing and returns the same bytes."""
    branding = BrandingSettings()
    first = CardCache(branding, tmp_path / "cards")
    card = first.card(SUMMARY, "x", SUMMARY.findings[1])
    second = CardCache(branding, tmp_path / "cards")
    again = second.card(SUMMARY, "facebook", SUMMARY.findings[1])
    assert (second.drawn, second.reused) == (0, 1)
    assert again == card
    assert card == make_card(
        SUMMARY, "x", finding=SUMMARY.findings[1], branding=branding
    )


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Research Summary: Balance training and running in MS"},
        {"url": "https://example.org/summaries/other"},
    ],
)
def test_a_changed_summary_draws_a_new_card(
    tmp_path: Path, change: dict[str, str]
) -> None:
    """What the card shows is in its key: a new title or address is a new card."""
    cache = CardCache(BrandingSettings(), tmp_path)
    cache.card(SUMMARY, "x", None)
    cache.card(SUMMARY.model_copy(update=change), "x", None)
    assert cache.drawn == 2


def test_a_replaced_logo_draws_new_cards(tmp_path: Path) -> None:
    """The logo is keyed by its content, not its path."""
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 40), "red").save(logo)
    branding = BrandingSettings(logo=logo)
    CardCache(branding, tmp_path / "cards").card(SUMMARY, "x", None)
    Image.new("RGB", (40, 40), "blue").save(logo)
    cache = CardCache(branding, tmp_path / "cards")
    cache.card(SUMMARY, "x", None)
    assert cache.drawn == 1


def test_a_damaged_cache_entry_is_drawn_again(tmp_path: Path) -> None:
    """A truncated metadata file is not an error: the card is drawn again."""
    cache = CardCache(BrandingSettings(), tmp_path)
    cache.card(SUMMARY, "x", None)
    for meta in tmp_path.glob("*.json"):
        meta.write_text("{", encoding="utf-8")
    again = CardCache(BrandingSettings(), tmp_path)
    again.card(SUMMARY, "x", None)
    assert again.drawn == 1
