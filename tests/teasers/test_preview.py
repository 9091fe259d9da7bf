"""The preview page: self-contained, escaped, accessible, and as Chromium shows it."""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from crosspost.settings import BrandingSettings
from crosspost.summaries.model import Paragraph, Summary
from crosspost.teasers.cards import make_card
from crosspost.teasers.model import Teaser, TeaserPart
from crosspost.teasers.preview import linkedin_reader_text, preview_html

CHROMIUM = Path("/usr/bin/chromium")
SCRIPT = "<script>document.title='pwned'</script>"
IMG = "<img src=x onerror=\"document.body.setAttribute('data-pwned','yes')\">"
SUMMARY = Summary(
    title=f"Research Summary: Cooling and fatigue in MS {SCRIPT}",
    findings=(
        Paragraph(number=1, text=f"Cooling vests eased fatigue on hot days. {IMG}"),
        Paragraph(number=2, text="Walking distance rose by a tenth."),
    ),
    url="https://example.org/summaries/cooling",
    source="examples/cooling.txt",
    warnings=("the When? block is missing",),
)
BRANDING = BrandingSettings()


def _teaser(
    platform: str, key: str, texts: list[tuple[str, int]], limit: int
) -> Teaser:
    variant = key.split("-", maxsplit=1)[0]
    return Teaser(
        summary_id=SUMMARY.id,
        summary_title=SUMMARY.title,
        platform=platform,
        variant=variant,
        key=key,
        parts=tuple(TeaserPart(text=text, count=count) for text, count in texts),
        limit=limit,
        card=make_card(SUMMARY, platform, finding=None, branding=BRANDING),
        warnings=("shortened to fit, giving up: THOUGHT #1",)
        if platform == "x"
        else (),
    )


TEASERS = [
    _teaser(
        "x",
        "thread",
        [
            (f"New summary: cooling and fatigue in MS {SCRIPT}", 70),
            (f"1/ Cooling vests eased fatigue on hot days. {IMG}", 265),
            ("2/ Walking distance rose by a tenth.", 37),
        ],
        280,
    ),
    _teaser(
        "linkedin",
        "announce",
        [(r"Fatigue \(on hot days\) eased {hashtag|\#|MSResearch}", 50)],
        3000,
    ),
    _teaser(
        "facebook", "finding-2", [("Walking distance rose by a tenth.", 70_000)], 63_206
    ),
    _teaser("instagram", "announce", [("Cooling vests eased fatigue.", 28)], 2200),
]


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the page's visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


def _assert_nothing_external_or_active(page: _Elements) -> None:
    for tag, attrs in page.tags:
        assert tag not in {"script", "iframe", "object", "embed", "link", "base"}, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in {"src", "href", "srcset", "action", "poster", "data"}:
                assert (value or "").startswith("data:"), (tag, name, value)


def test_page_shows_each_post_text_escaped() -> None:
    """Summary text containing HTML appears as text, never as markup."""
    html = preview_html(SUMMARY, TEASERS)
    assert "<script" not in html.lower()
    assert "<img src=x" not in html
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in html
    text = "".join(_parse(html).text)
    assert SCRIPT in text
    assert IMG in text


def test_page_loads_nothing_from_outside() -> None:
    """No scripts, event handlers or external URLs; cards are data: URIs."""
    html = preview_html(SUMMARY, TEASERS)
    page = _parse(html)
    _assert_nothing_external_or_active(page)
    images = [attrs for tag, attrs in page.tags if tag == "img"]
    assert len(images) == len(TEASERS)
    assert images[0]["src"] is not None
    assert images[0]["src"].startswith("data:image/png;base64,")
    assert "url(" not in html
    assert "default-src 'none'" in html


def test_cards_carry_their_alt_text() -> None:
    """Each card image has its alt text as the alt attribute and as a caption."""
    html = preview_html(SUMMARY, TEASERS)
    images = [attrs for tag, attrs in _parse(html).tags if tag == "img"]
    order = ("x", "facebook", "instagram", "linkedin")
    shown = sorted(TEASERS, key=lambda teaser: order.index(teaser.platform))
    for teaser, attrs in zip(shown, images, strict=True):
        assert teaser.card is not None
        assert attrs["alt"] == teaser.card.alt_text
    assert "Alt text (" in html
    assert "/1000 characters)" in html


def test_instagram_card_is_a_jpeg_data_uri() -> None:
    """Instagram's card is embedded as the JPEG it will be sent as."""
    html = preview_html(SUMMARY, TEASERS[3:])
    assert "data:image/jpeg;base64," in html


def test_thread_parts_are_numbered() -> None:
    """An X thread shows each post, numbered, with its own count."""
    text = " ".join("".join(_parse(preview_html(SUMMARY, TEASERS)).text).split())
    assert "Post 1 of 3 70/280" in text
    assert "Post 3 of 3 37/280" in text
    assert "a thread of 3 posts" in text


def test_counts_warn_when_close_and_over() -> None:
    """A post near its limit is flagged, and one over the limit says by how much."""
    html = preview_html(SUMMARY, TEASERS)
    assert 'class="count near">265/280 · close to the limit: 15 left' in html
    assert 'class="count over">70000/63206 · over the limit by 6794' in html
    assert 'class="count ok">37/280 · 243 left' in html


def test_linkedin_shows_reader_text_and_wire_text() -> None:
    """LinkedIn's post reads unescaped, with the escaped wire text in a details box."""
    html = preview_html(SUMMARY, TEASERS[1:2])
    assert '<p class="text">Fatigue (on hot days) eased #MSResearch</p>' in html
    assert "<details>" in html
    assert r"<pre>Fatigue \(on hot days\) eased {hashtag|\#|MSResearch}</pre>" in html


def test_linkedin_reader_text_undoes_little_text() -> None:
    """Escapes, hashtag templates and mentions become what readers see."""
    wire = (
        r"Lesions \(T2\) fell \_a lot\_ {hashtag|\#|MS} @[Org](urn:li:organization:1)"
    )
    assert linkedin_reader_text(wire) == "Lesions (T2) fell _a lot_ #MS Org"


def test_problems_and_warnings_are_shown() -> None:
    """Fit problems, teaser warnings and summary warnings all appear."""
    html = preview_html(
        SUMMARY, TEASERS, problems=["x recap: 12 over the x limit (292/280)"]
    )
    assert 'role="alert"' in html
    assert "Problems: 1 post does not fit" in html
    assert "x recap: 12 over the x limit (292/280)" in html
    assert "shortened to fit, giving up: THOUGHT #1" in html
    assert "the When? block is missing" in html


def test_headings_follow_platforms() -> None:
    """One h1 for the summary, an h2 per platform (and warnings), an h3 per post."""
    tags = [tag for tag, _ in _parse(preview_html(SUMMARY, TEASERS)).tags]
    assert tags.count("h1") == 1
    assert tags.count("h2") == 4 + 1
    assert tags.count("h3") == 4
    assert ("html", {"lang": "en"}) in _parse(preview_html(SUMMARY, TEASERS)).tags


def test_page_without_posts_says_so() -> None:
    """With nothing rendered the page says so instead of being blank."""
    html = preview_html(SUMMARY, [], problems=["linkedin announce: too long"])
    assert "No posts were rendered." in html
    assert "linkedin announce: too long" in html


def test_same_input_gives_same_page() -> None:
    """The page has no timestamps: the same input gives the same HTML."""
    assert preview_html(SUMMARY, TEASERS) == preview_html(SUMMARY, TEASERS)


def _chromium(tmp_path: Path, *flags: str) -> str:
    page = tmp_path / "preview.html"
    page.write_text(preview_html(SUMMARY, TEASERS), encoding="utf-8")
    result = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            *flags,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


@pytest.mark.chromium
def test_chromium_shows_the_text_and_runs_nothing(tmp_path: Path) -> None:
    """In headless Chromium the posts show, injected HTML stays text, nothing runs."""
    if not CHROMIUM.is_file():
        pytest.skip(
            "needs /usr/bin/chromium (Debian's chromium package) to open the page"
        )
    dom = _chromium(tmp_path, "--dump-dom")
    page = _parse(dom)
    title = dom.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.startswith(
        "Preview: Research Summary: Cooling and fatigue in MS &lt;script"
    )
    assert "pwned" not in title.replace("&#39;pwned&#39;", "").replace("'pwned'", "")
    body = next(attrs for tag, attrs in page.tags if tag == "body")
    assert "data-pwned" not in body
    _assert_nothing_external_or_active(page)
    text = " ".join("".join(page.text).split())
    assert "1/ Cooling vests eased fatigue on hot days." in text
    assert "Fatigue (on hot days) eased #MSResearch" in text
    assert "Walking distance rose by a tenth." in text
    assert SCRIPT in text
    assert IMG in text


@pytest.mark.chromium
def test_chromium_screenshot_is_drawn(tmp_path: Path) -> None:
    """Chromium can draw the page (cards included) to a screenshot."""
    if not CHROMIUM.is_file():
        pytest.skip(
            "needs /usr/bin/chromium (Debian's chromium package) to open the page"
        )
    shot = tmp_path / "shot.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1000,1400")
    assert shot.is_file()
    assert shot.stat().st_size > 10_000
