"""Card text: glyph coverage, wrapping by pixels, shortening at sentences and words."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosspost.errors import ConfigError
from crosspost.teasers.card_text import (
    DEFAULT_FONT,
    drawable,
    has_glyph,
    line_height,
    load_font,
    shorten,
    wrap,
)


def test_bundled_font_draws_accents_and_greek() -> None:
    """The bundled font has the letters Pillow's own default lacks."""
    for char in "éüñøÅßαβγΩλμ–—’“”…":
        assert has_glyph(DEFAULT_FONT, char), char


def test_missing_glyphs_are_detected() -> None:
    """Emoji the font lacks, CJK and control characters count as not drawable."""
    for char in "🧠中\x07":
        assert not has_glyph(DEFAULT_FONT, char), char


def test_drawable_drops_what_cannot_be_drawn_cleanly() -> None:
    """Dropped characters leave no stray spaces before punctuation or between words."""
    assert drawable("two years 🧠. The end", DEFAULT_FONT) == "two years. The end"
    assert drawable("brain🧠health", DEFAULT_FONT) == "brain health"
    assert drawable("🧠 Sclérose   en\nplaques", DEFAULT_FONT) == "Sclérose en plaques"
    assert drawable("re\u00adlapse", DEFAULT_FONT) == "relapse"
    assert drawable("e\u0301te", DEFAULT_FONT) == "éte"


def test_wrap_keeps_each_line_within_the_width() -> None:
    """No wrapped line is wider than the width asked for."""
    font = load_font(DEFAULT_FONT, 30)
    text = "Grey matter atrophy slowed in people who exercised three times a week. " * 5
    lines = wrap(text, font, 500)
    assert len(lines) > 5
    assert all(font.getlength(line) <= 500 for line in lines)
    assert " ".join(lines) == text.strip()


def test_wrap_breaks_a_word_wider_than_the_line() -> None:
    """A single giant word is broken between letters rather than overflowing."""
    font = load_font(DEFAULT_FONT, 30)
    word = "immunomodulation" * 20
    lines = wrap(word, font, 300)
    assert "".join(lines) == word
    assert all(font.getlength(line) <= 300 for line in lines)


def test_wrap_stops_early_past_max_lines() -> None:
    """With a line budget, wrapping stops one line past it."""
    font = load_font(DEFAULT_FONT, 30)
    assert len(wrap("word " * 1000, font, 200, max_lines=3)) == 4


def test_shorten_prefers_a_sentence_end() -> None:
    """When a whole sentence fits, the cut falls after it."""
    text = "Lesions shrank. Fatigue eased in most people. Sleep improved too."
    assert shorten(text, lambda t: len(t) <= 40) == "Lesions shrank. …"


def test_shorten_falls_back_to_a_word() -> None:
    """Without a fitting sentence end, the cut falls between words."""
    text = "Lesions shrank markedly across the whole cohort"
    assert shorten(text, lambda t: len(t) <= 20) == "Lesions shrank…"


def test_shorten_leaves_fitting_text_alone() -> None:
    """Text that fits comes back unchanged."""
    assert shorten("Short.", lambda t: len(t) <= 40) == "Short."


def test_line_height_is_at_least_the_font_extent() -> None:
    """Lines never overlap: the pitch covers ascent plus descent."""
    font = load_font(DEFAULT_FONT, 40)
    ascent, descent = font.getmetrics()
    assert line_height(font) >= ascent + descent


def test_unloadable_font_names_the_setting(tmp_path: Path) -> None:
    """A missing font file is a ConfigError about branding.font."""
    with pytest.raises(ConfigError, match=r"branding\.font"):
        load_font(tmp_path / "missing.ttf", 20)
