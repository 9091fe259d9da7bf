"""Image cards: sizes, formats, determinism, text within margins, branding errors."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops

from crosspost.errors import ConfigError, UsageError
from crosspost.settings import BrandingSettings
from crosspost.summaries.model import Paragraph, Summary
from crosspost.teasers.cards import (
    IN_THE_POST,
    LANDSCAPE,
    PORTRAIT,
    SIZES,
    CardSize,
    make_card,
    short_address,
)

BRANDING = BrandingSettings()
FINDING = Paragraph(
    number=1,
    text="Walking speed improved by a fifth after twelve weeks of balance training.",
)
SUMMARY = Summary(
    title="Research Summary: Balance training and walking in progressive MS",
    findings=(
        FINDING,
        Paragraph(number=2, text="Falls halved in the training group."),
    ),
)
LONG_WORDS = " ".join(["neuroinflammation and remyelination"] * 300)
GIANT_WORD = "demyelination" * 400


def _image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _ink_box(
    image: Image.Image, background: str, stripe: int
) -> tuple[int, ...] | None:
    """Box around all that clearly differs from the background, below the stripe."""
    plain = Image.new("RGB", image.size, background)
    difference = ImageChops.difference(image.convert("RGB"), plain).convert("L")
    difference = difference.point(lambda value: 255 if value > 48 else 0)
    below = difference.crop((0, stripe + 1, image.width, image.height))
    box = below.getbbox()
    return (
        None
        if box is None
        else (box[0], box[1] + stripe + 1, box[2], box[3] + stripe + 1)
    )


def _assert_inside_margins(
    platform: str, summary: Summary, finding: Paragraph | None
) -> None:
    card = make_card(summary, platform, finding=finding, branding=BRANDING)
    size = SIZES[platform]
    box = _ink_box(_image(card.data), BRANDING.background, size.margin // 4)
    assert box is not None
    left, top, right, bottom = box
    assert left >= size.margin
    assert top >= size.margin
    assert right <= size.width - size.margin
    assert bottom <= size.height - size.margin


def test_landscape_cards_are_1200_by_675_png() -> None:
    """X, Facebook, LinkedIn and YouTube cards are 1200×675 lossless PNG."""
    for platform in ("x", "facebook", "linkedin", "youtube"):
        card = make_card(SUMMARY, platform, finding=FINDING, branding=BRANDING)
        image = _image(card.data)
        assert (card.width, card.height, card.format) == (1200, 675, "PNG")
        assert image.format == "PNG"
        assert image.size == (1200, 675)
        assert card.media_type == "image/png"


def test_instagram_card_meets_instagram_limits() -> None:
    """Instagram gets a 1080×1350 baseline sRGB JPEG under 8 MB with no EXIF."""
    card = make_card(SUMMARY, "instagram", finding=FINDING, branding=BRANDING)
    image = _image(card.data)
    assert image.format == "JPEG"
    assert image.size == (card.width, card.height) == (1080, 1350)
    assert 0.8 <= image.width / image.height <= 1.91
    assert len(card.data) <= 8 * 1024 * 1024
    assert image.mode == "RGB"
    assert "progressive" not in image.info
    assert "progression" not in image.info
    assert "exif" not in image.info
    assert "icc_profile" not in image.info  # untagged RGB is read as sRGB
    assert card.media_type == "image/jpeg"


def test_instagram_card_stays_small_with_the_most_text() -> None:
    """Even a card packed with text stays far below Instagram's 8 MB."""
    summary = Summary(
        title=LONG_WORDS, findings=(Paragraph(number=1, text=LONG_WORDS),)
    )
    card = make_card(summary, "instagram", finding=None, branding=BRANDING)
    assert len(card.data) < 2 * 1024 * 1024


def test_same_input_gives_same_bytes() -> None:
    """Two cards drawn from the same input are byte for byte the same."""
    for platform in ("x", "instagram"):
        first = make_card(SUMMARY, platform, finding=FINDING, branding=BRANDING)
        second = make_card(SUMMARY, platform, finding=FINDING, branding=BRANDING)
        assert first.data == second.data


def test_bytes_are_the_same_in_a_fresh_process() -> None:
    """A new interpreter (cold caches) draws exactly the same bytes."""
    script = (
        "import hashlib\n"
        "from crosspost.settings import BrandingSettings\n"
        "from crosspost.summaries.model import Paragraph, Summary\n"
        "from crosspost.teasers.cards import make_card\n"
        f"f = (Paragraph(number=1, text={FINDING.text!r}),)\n"
        f"s = Summary(title={SUMMARY.title!r}, findings=f)\n"
        "for p in ('x', 'instagram'):\n"
        "    c = make_card(s, p, finding=None, branding=BrandingSettings())\n"
        "    print(hashlib.sha256(c.data).hexdigest())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    here = [
        hashlib.sha256(
            make_card(SUMMARY, p, finding=FINDING, branding=BRANDING).data
        ).hexdigest()
        for p in ("x", "instagram")
    ]
    assert result.stdout.split() == here


def test_different_findings_give_different_cards() -> None:
    """The finding drawn changes the image and the alt text."""
    first = make_card(SUMMARY, "x", finding=SUMMARY.findings[0], branding=BRANDING)
    second = make_card(SUMMARY, "x", finding=SUMMARY.findings[1], branding=BRANDING)
    assert first.data != second.data
    assert "Finding 2: Falls halved" in second.alt_text


def test_first_finding_is_the_default() -> None:
    """Without a finding the card shows the summary's first one."""
    card = make_card(SUMMARY, "x", finding=None, branding=BRANDING)
    assert card.data == make_card(SUMMARY, "x", finding=FINDING, branding=BRANDING).data
    assert "Finding 1: Walking speed improved" in card.alt_text


def test_summary_without_findings_shows_its_title() -> None:
    """A summary with no findings still gets a card with its title."""
    summary = Summary(title="Research Summary: Sleep quality in relapsing MS")
    card = make_card(summary, "x", finding=None, branding=BRANDING)
    assert "Title: Sleep quality in relapsing MS." in card.alt_text
    assert "Finding" not in card.alt_text


@pytest.mark.parametrize("platform", ["x", "instagram"])
@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Short title", "Short finding."),
        (LONG_WORDS, "Short finding."),
        ("Short title", LONG_WORDS),
        (LONG_WORDS, LONG_WORDS),
        (GIANT_WORD, GIANT_WORD),
        ("Ελληνικά: σκλήρυνση κατά πλάκας 🧠" * 20, "Δοκιμή 😀 café naïve Ω " * 80),
    ],
)
def test_text_never_crosses_the_margins(platform: str, title: str, text: str) -> None:
    """Whatever the length, every drawn pixel stays inside the card's margins."""
    summary = Summary(title=title, findings=(Paragraph(number=3, text=text),))
    _assert_inside_margins(platform, summary, None)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=st.text(min_size=1, max_size=400),
    text=st.text(min_size=0, max_size=1500),
)
def test_any_text_stays_inside_the_margins(title: str, text: str) -> None:
    """Random Unicode titles and findings never crash and never overflow."""
    findings = (Paragraph(number=1, text=text),) if text.strip() else ()
    summary = Summary(title=title, findings=findings)
    _assert_inside_margins("x", summary, None)


def test_a_finding_too_long_for_legible_type_moves_to_the_post() -> None:
    """Text that would need type below the legible minimum is not squeezed or cut: the
    card says the finding is in the post."""
    sentences = " ".join(
        f"Sentence {n} reports a change in lesion load." for n in range(200)
    )
    summary = Summary(
        title="Lesion load", findings=(Paragraph(number=1, text=sentences),)
    )
    card = make_card(summary, "x", finding=None, branding=BRANDING)
    assert card.alt_text.endswith(f"Finding 1: {IN_THE_POST}")
    assert "Sentence 0" not in card.alt_text


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT])
def test_type_never_goes_below_the_legible_minimum(size: CardSize) -> None:
    """The smallest title size keeps body text at or above body_min pixels (28 on
    1200×675, 32 on 1080×1350)."""
    assert (LANDSCAPE.body_min, PORTRAIT.body_min) == (28, 32)
    assert round(size.title_min * size.body_ratio) >= size.body_min


def test_the_card_shows_the_short_address_at_its_foot() -> None:
    """The summary's address, without scheme, query or trailing slash, or a plain
    label when it has none."""
    with_url = SUMMARY.model_copy(
        update={"url": "https://www.example.org/research/balance/?utm_source=x"}
    )
    assert short_address(with_url) == "example.org/research/balance"
    assert short_address(SUMMARY) == "Research summary"
    plain = make_card(SUMMARY, "x", finding=None, branding=BRANDING)
    addressed = make_card(with_url, "x", finding=None, branding=BRANDING)
    assert plain.data != addressed.data


def test_short_finding_is_not_shortened() -> None:
    """A finding that fits is shown whole, without an ellipsis."""
    card = make_card(SUMMARY, "instagram", finding=FINDING, branding=BRANDING)
    assert card.alt_text.endswith(FINDING.text)
    assert "…" not in card.alt_text


def test_emoji_are_left_off_the_card_but_greek_is_kept() -> None:
    """Letters the font lacks (emoji) are dropped cleanly; Greek and accents stay."""
    summary = Summary(
        title="Myelin repair 🧠 in MS",
        findings=(
            Paragraph(
                number=1, text="The β-interferon arm did better 🧬. Café-au-lait."
            ),
        ),
    )
    card = make_card(summary, "x", finding=None, branding=BRANDING)
    assert "Title: Myelin repair in MS." in card.alt_text
    assert "The β-interferon arm did better. Café-au-lait." in card.alt_text


def test_branding_colours_are_used() -> None:
    """The background setting is the card's background colour."""
    branding = BrandingSettings(background="#204020", accent="#e0e0e0")
    card = make_card(SUMMARY, "x", finding=FINDING, branding=branding)
    image = _image(card.data).convert("RGB")
    assert image.getpixel((5, LANDSCAPE.height - 5)) == (0x20, 0x40, 0x20)
    assert image.getpixel((5, 2)) == (0xE0, 0xE0, 0xE0)


def test_bad_colour_is_a_config_error_naming_the_setting() -> None:
    """A colour Pillow cannot read names the setting and how to write one."""
    with pytest.raises(ConfigError, match=r"branding\.accent: 'blurple'") as caught:
        make_card(
            SUMMARY, "x", finding=FINDING, branding=BrandingSettings(accent="blurple")
        )
    assert caught.value.hint is not None


def test_unreadable_font_is_a_config_error(tmp_path: Path) -> None:
    """A font setting that is not a font file names the file."""
    bad = tmp_path / "not-a-font.ttf"
    bad.write_text("plain text")
    with pytest.raises(ConfigError, match=r"branding\.font: cannot load .*not-a-font"):
        make_card(SUMMARY, "x", finding=FINDING, branding=BrandingSettings(font=bad))


def test_configured_font_changes_the_card() -> None:
    """A configured font is the one drawn with."""
    other = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
    if not other.is_file():
        pytest.skip("no second font on this machine (DejaVu Serif) to compare with")
    card = make_card(
        SUMMARY, "x", finding=FINDING, branding=BrandingSettings(font=other)
    )
    assert card.data != make_card(SUMMARY, "x", finding=FINDING, branding=BRANDING).data


def test_logo_is_drawn_top_right(tmp_path: Path) -> None:
    """A configured logo is scaled into the header's top-right corner."""
    logo = tmp_path / "logo.png"
    Image.new("RGB", (400, 200), (255, 0, 0)).save(logo)
    card = make_card(
        SUMMARY, "x", finding=FINDING, branding=BrandingSettings(logo=logo)
    )
    image = _image(card.data).convert("RGB")
    right = LANDSCAPE.width - LANDSCAPE.margin
    assert image.getpixel((right - 5, LANDSCAPE.margin + 5)) == (255, 0, 0)
    assert image.getpixel(
        (right - 5, LANDSCAPE.margin + LANDSCAPE.logo_height + 5)
    ) != (
        255,
        0,
        0,
    )


def test_missing_logo_is_a_config_error(tmp_path: Path) -> None:
    """A logo path that does not exist names the setting."""
    branding = BrandingSettings(logo=tmp_path / "missing.png")
    with pytest.raises(ConfigError, match=r"branding\.logo: cannot read"):
        make_card(SUMMARY, "x", finding=FINDING, branding=branding)


def test_unknown_platform_is_refused() -> None:
    """Only the five platforms have a card format."""
    with pytest.raises(UsageError, match="mastodon"):
        make_card(SUMMARY, "mastodon", finding=FINDING, branding=BRANDING)


def test_portrait_margins_hold_for_instagram() -> None:
    """The portrait format keeps its wider margins."""
    assert PORTRAIT.margin > LANDSCAPE.margin
    _assert_inside_margins("instagram", SUMMARY, FINDING)
