"""Text on image cards: the font, the letters it can draw, wrapping and shortening."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from crosspost.errors import ConfigError
from crosspost.teasers.alt_text import ELLIPSIS

# Pillow's own font (Aileron) lacks accented letters and Greek: DejaVu Sans ships here
DEFAULT_FONT = Path(__file__).parent / "fonts" / "DejaVuSans.ttf"
_SPACE = re.compile(r"\s+")
_DROPPED = re.compile(r"\s*\0+(?=[\s.,;:!?)\]}»”’]|$)")
_SENTENCE_END = re.compile(r"[.!?…](?=\s)")
_NOTDEF_PROBE = "\U0010fffd"  # a private-use code point no font maps: the missing glyph


@lru_cache(maxsize=256)
def load_font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """The font at `path` in `size` pixels; an unreadable file is a ConfigError."""
    try:
        # BASIC layout: the same pixels whether or not libraqm is installed
        return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)
    except OSError as exc:
        raise ConfigError(
            f"branding.font: cannot load {path}: {exc}",
            hint="give a TrueType or OpenType file, or remove it to use DejaVu Sans",
        ) from None


def line_height(font: ImageFont.FreeTypeFont) -> int:
    """Distance between baselines: the font's own extent, at least 1.25 em."""
    ascent, descent = font.getmetrics()
    return max(ascent + descent, round(font.size * 1.25))


def drawable(text: str, font_path: Path) -> str:
    """`text` in NFC, spaces collapsed, minus what the font cannot draw (emoji, CJK)."""
    text = unicodedata.normalize("NFC", text)
    # soft hyphens, joiners and variation selectors are invisible: leave them out
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    kept = "".join(
        ch if ch.isspace() or has_glyph(font_path, ch) else "\0" for ch in text
    )
    # "two years 🧠." reads "two years." and "brain🧠health" reads "brain health"
    kept = _DROPPED.sub("", kept).replace("\0", " ")
    return _SPACE.sub(" ", kept).strip()


@lru_cache(maxsize=8192)
def has_glyph(font_path: Path, char: str) -> bool:
    """Whether the font draws `char` as itself rather than as its missing-glyph box."""
    if unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn"}:
        return False
    font = load_font(font_path, 24)
    mask, notdef = font.getmask(char), font.getmask(_NOTDEF_PROBE)
    return (mask.size, bytes(mask)) != (notdef.size, bytes(notdef))


def wrap(
    text: str, font: ImageFont.FreeTypeFont, width: int, max_lines: int = 10_000
) -> list[str]:
    """Greedy wrap to `width` pixels; a word wider than a line breaks between letters.

    Stops after `max_lines` + 1 lines: enough for a caller to see the text is too long.
    """
    width -= max(int(font.size) // 12, 1)  # ink may overhang the advance width a little
    lines = _wrap_by_words(text, font, width, max_lines)
    # word widths are summed for speed; a line that kerning made too wide is re-measured
    if any(font.getlength(line) > width for line in lines):
        lines = _wrap_by_words(text, font, width, max_lines, exact=True)
    return lines


def text_width(font: ImageFont.FreeTypeFont, text: str) -> float:
    """The advance width of `text`, words measured once each and remembered."""
    words = text.split(" ")
    return sum(_width(font, word) for word in words) + _width(font, " ") * (
        len(words) - 1
    )


@lru_cache(maxsize=65_536)
def _width(font: ImageFont.FreeTypeFont, word: str) -> float:
    return font.getlength(word)


def _wrap_by_words(
    text: str,
    font: ImageFont.FreeTypeFont,
    width: int,
    max_lines: int,
    *,
    exact: bool = False,
) -> list[str]:
    space = _width(font, " ")
    most = max(width * 5 // int(font.size), 1)  # no line holds more letters than this
    lines: list[str] = []
    current, current_width = "", 0.0
    for word in text.split():
        word_width = _width(font, word)
        if current:
            fits = (
                font.getlength(f"{current} {word}") <= width
                if exact
                else current_width + space + word_width <= width
            )
            if fits:
                current, current_width = (
                    f"{current} {word}",
                    current_width + space + word_width,
                )
                continue
            lines.append(current)
        rest = word
        while len(rest) > 1 and _too_wide(rest, font, width, most):
            cut = _longest_prefix(rest[:most], font, width)
            lines.append(rest[:cut])
            rest = rest[cut:]
            if len(lines) > max_lines:
                return lines
        current, current_width = rest, _width(font, rest)
        if len(lines) > max_lines:
            return lines
    return [*lines, current] if current else lines


def _too_wide(word: str, font: ImageFont.FreeTypeFont, width: int, most: int) -> bool:
    if font.getlength(word[: most + 1]) > width:
        return True
    # only zero-width letters (combining marks) let a longer word hide past `most`
    return len(word) > most + 1 and font.getlength(word) > width


def _longest_prefix(word: str, font: ImageFont.FreeTypeFont, width: int) -> int:
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if font.getlength(word[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def shorten(text: str, fits: Callable[[str], bool]) -> str:
    """The longest start of `text` that `fits`, ending in an ellipsis: cut at a sentence
    end if one fits, else at a word, else (a single giant word) between letters."""
    if not text or fits(text):
        return text
    sentences = [m.end() for m in _SENTENCE_END.finditer(text)]
    words = [m.start() for m in re.finditer(" ", text)]
    for cuts, mark in (
        (sentences, " " + ELLIPSIS),
        (words, ELLIPSIS),
        (list(range(1, len(text))), ELLIPSIS),
    ):
        low, high, best = 0, len(cuts) - 1, ""
        while low <= high:
            middle = (low + high) // 2
            candidate = text[: cuts[middle]].rstrip(" ,;:–—-") + mark
            if fits(candidate):
                best, low = candidate, middle + 1
            else:
                high = middle - 1
        if best:
            return best
    return ""
