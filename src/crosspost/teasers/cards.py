"""Image cards: a summary's title and one finding, drawn in the brand's colours, with
the organisation (and its logo) on top and the summary's short address at the foot.

Body text is never smaller than `body_min` pixels (28 on 1200×675, 32 on 1080×1350:
about 9–10 points once a phone shows the card 360 points wide); a finding that cannot
fit at that size is left to the post text, and the card says so."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image, ImageColor, ImageDraw, ImageFont

from crosspost.errors import ConfigError, UsageError
from crosspost.settings import BrandingSettings
from crosspost.summaries.model import Paragraph, Summary, without_prefix
from crosspost.teasers.alt_text import card_alt_text, shorten_words
from crosspost.teasers.card_text import (
    DEFAULT_FONT,
    drawable,
    line_height,
    load_font,
    shorten,
    text_width,
    wrap,
)
from crosspost.teasers.model import PLATFORMS, Card

JPEG_QUALITY = 90


@dataclass(frozen=True)
class CardSize:
    """One card format: pixels, encoding, and the type scale that shrinks to fit."""

    width: int
    height: int
    format: str
    margin: int
    title_max: int
    title_min: int
    brand_size: int
    logo_height: int
    max_title_lines: int
    body_min: int
    body_ratio: float = 0.68


# title_min * body_ratio rounds to at least body_min: type never shrinks below legible.
LANDSCAPE = CardSize(1200, 675, "PNG", 64, 60, 42, 26, 64, 3, body_min=28)
PORTRAIT = CardSize(1080, 1350, "JPEG", 80, 76, 48, 32, 96, 5, body_min=32)
IN_THE_POST = "The whole finding is in the post."
SIZES: dict[str, CardSize] = dict.fromkeys(PLATFORMS, LANDSCAPE) | {
    "instagram": PORTRAIT
}


@dataclass(frozen=True)
class _Block:
    text: str  # as fitted, before wrapping: what the alt text repeats
    lines: tuple[str, ...]
    font: ImageFont.FreeTypeFont
    line_height: int
    stroke: int = 0


Layout = tuple[_Block, _Block, _Block]  # title, finding label, finding


def make_card(
    summary: Summary,
    platform: str,
    *,
    finding: Paragraph | None,
    branding: BrandingSettings,
) -> Card:
    """Draw `summary`'s card for `platform` with `finding` (default: its first finding).

    The same input gives the same bytes. Text shrinks step by step to fit; only if it
    cannot fit at the smallest size is it shortened at a sentence or word boundary.
    """
    size = SIZES.get(platform)
    if size is None:
        raise UsageError(
            f"no card format for platform {platform!r}", hint=", ".join(PLATFORMS)
        )
    finding = finding or (summary.findings[0] if summary.findings else None)
    font_path = branding.font or DEFAULT_FONT
    background, foreground, accent = (
        _colour(branding, name) for name in ("background", "foreground", "accent")
    )
    image = Image.new("RGB", (size.width, size.height), background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size.width - 1, size.margin // 4), fill=accent)
    left, right, top = size.margin, size.width - size.margin, size.margin

    logo_room = _paste_logo(image, branding.logo, size, right) if branding.logo else 0
    brand_font = load_font(font_path, size.brand_size)
    organisation = shorten(
        drawable(branding.organisation, font_path),
        lambda text: brand_font.getlength(text) <= right - left - logo_room,
    )
    draw.text((left, top), organisation, font=brand_font, fill=accent, anchor="la")
    header = max(size.logo_height if branding.logo else 0, line_height(brand_font))
    box_top = top + header + size.margin // 2
    footer = shorten(
        drawable(short_address(summary), font_path),
        lambda text: brand_font.getlength(text) <= right - left,
    )
    footer_room = line_height(brand_font) + size.margin // 3 if footer else 0
    if footer:
        draw.text(
            (left, size.height - size.margin),
            footer,
            font=brand_font,
            fill=accent,
            anchor="ld",
        )
    title = drawable(without_prefix(summary.title), font_path)
    body = drawable(finding.text, font_path) if finding else ""
    label = f"FINDING {finding.number}" if finding else ""
    box = (right - left, size.height - size.margin - box_top - footer_room)
    layout = _layout(
        title, label=label, body=body, font_path=font_path, size=size, box=box
    )

    y = box_top
    for block, colour in zip(layout, (foreground, accent, foreground), strict=True):
        for line in block.lines:
            # shift right or down by any ink that overhangs the origin ("ì", a stroke)
            ink_left, ink_top, _, _ = block.font.getbbox(
                line, anchor="la", stroke_width=block.stroke
            )
            y += max(0, -int(ink_top)) if y == box_top else 0
            draw.text(
                (left - min(0, int(ink_left)), y),
                line,
                font=block.font,
                fill=colour,
                anchor="la",
                stroke_width=block.stroke,
                stroke_fill=colour,
            )
            y += block.line_height
        y += _gap(block)

    title_block, _, body_block = layout
    alt = card_alt_text(
        title=title_block.text,
        finding=body_block.text or None,
        finding_number=finding.number if finding and body_block.lines else None,
        organisation=organisation,
    )
    data = _encode(image, size.format)
    return Card(
        width=size.width,
        height=size.height,
        format=size.format,
        data=data,
        alt_text=alt,
    )


def _layout(
    title: str,
    *,
    label: str,
    body: str,
    font_path: Path,
    size: CardSize,
    box: tuple[int, int],
) -> Layout:
    """Fit title and finding into the box: smaller type first, shorter text last."""
    width, height = box

    def blocks(title_px: int, title_text: str, body_text: str) -> Layout:
        body_px = max(round(title_px * size.body_ratio), size.body_min)
        title_font, body_font = (
            load_font(font_path, title_px),
            load_font(font_path, body_px),
        )
        label_font = load_font(font_path, max(round(body_px * 0.7), size.body_min))
        stroke = max(title_px // 30, 1)  # a drawn stroke stands in for a bold face
        most = height // line_height(body_font)
        title_lines = tuple(wrap(title_text, title_font, width - 2 * stroke, most))
        body_lines = tuple(wrap(body_text, body_font, width, most))
        return (
            _Block(
                title_text,
                title_lines,
                title_font,
                line_height(title_font) + stroke,
                stroke,
            ),
            _Block(
                label,
                (label,) if body_lines else (),
                label_font,
                line_height(label_font),
            ),
            _Block(body_text, body_lines, body_font, line_height(body_font)),
        )

    def fits(layout: Layout) -> bool:
        return sum(len(b.lines) * b.line_height + _gap(b) for b in layout) <= height

    def surely_too_long(title_px: int, title_text: str, body_text: str) -> bool:
        """A cheap lower bound on the height, to skip wrapping what cannot fit."""
        body_px = max(round(title_px * size.body_ratio), size.body_min)
        needed = 0
        for text, px in ((title_text, title_px), (body_text, body_px)):
            if text:
                font = load_font(font_path, px)
                lines = -(-int(text_width(font, text)) // int(width * 1.1))
                needed += lines * line_height(font)
        return needed > height

    def fitting(title_px: int, title_text: str, body_text: str) -> bool:
        return not surely_too_long(title_px, title_text, body_text) and fits(
            blocks(title_px, title_text, body_text)
        )

    title, body = _cap(title, box, size), _cap(body, box, size)
    title_px = size.title_max
    while title_px > size.title_min:
        if fitting(title_px, title, body):
            return blocks(title_px, title, body)
        title_px = max(round(title_px * 0.92), size.title_min)
    if fitting(title_px, title, body):
        return blocks(title_px, title, body)

    smallest = size.title_min
    if body:  # leave the finding room: the title gets a few lines at most
        title = shorten(
            title,
            lambda text: (
                len(blocks(smallest, text, "")[0].lines) <= size.max_title_lines
            ),
        )
    title = shorten(title, lambda text: fitting(smallest, text, ""))
    if body and not fitting(smallest, title, body):
        # Never smaller than legible, never a claim cut short: the post has it whole.
        body = IN_THE_POST if fitting(smallest, title, IN_THE_POST) else ""
    return blocks(smallest, title, body)


def short_address(summary: Summary) -> str:
    """The summary's address as a reader would type it ("example.org/research/x"),
    or "Research summary" and its date when it has none."""
    if summary.url:
        parts = urlsplit(summary.url)
        host = parts.hostname or ""
        host = host.removeprefix("www.")
        return f"{host}{parts.path}".rstrip("/")
    if summary.published:
        return f"Research summary, {summary.published.isoformat()}"
    return "Research summary"


def _gap(block: _Block) -> int:
    return block.line_height // 3 if block.lines else 0


def _cap(text: str, box: tuple[int, int], size: CardSize) -> str:
    """Cut absurd lengths early: past what the box holds in its narrowest letters."""
    smallest = max(round(size.title_min * size.body_ratio), 12)
    return shorten_words(text, (box[0] * 4 // smallest) * (box[1] // smallest + 1))


def _colour(branding: BrandingSettings, name: str) -> tuple[int, int, int]:
    value = getattr(branding, name)
    try:
        red, green, blue = ImageColor.getrgb(value)[:3]
    except ValueError:
        raise ConfigError(
            f"branding.{name}: {value!r} is not a colour",
            hint="use a CSS colour such as #16324f or rgb(22, 50, 79)",
        ) from None
    return red, green, blue


def _paste_logo(image: Image.Image, path: Path, size: CardSize, right: int) -> int:
    """Paste the logo top right at the header's height; return the width it takes."""
    try:
        with Image.open(path) as source:
            logo = source.convert("RGBA")
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"branding.logo: cannot read {path}: {exc}",
            hint="give a PNG or JPEG file, or remove the setting",
        ) from None
    logo.thumbnail((size.width // 4, size.logo_height), Image.Resampling.LANCZOS)
    image.paste(logo, (right - logo.width, size.margin), logo)
    return logo.width + size.margin // 2


def _encode(image: Image.Image, format: str) -> bytes:
    buffer = io.BytesIO()
    if format == "JPEG":
        # fixed quality, 4:4:4 (crisp text), baseline, no EXIF: the same bytes each time
        image.save(
            buffer,
            "JPEG",
            quality=JPEG_QUALITY,
            subsampling=0,
            optimize=False,
            progressive=False,
        )
    else:
        # Flat colours and text: the fastest level is a few percent larger, 3x faster.
        image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()
