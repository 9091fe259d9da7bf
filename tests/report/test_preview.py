"""The preview page: self-contained, escaped, accessible, and as Chromium shows it."""

from __future__ import annotations

import subprocess
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from crosspost.report import Account, Entry, Section, build_page
from crosspost.report.preview import (
    FOLDS,
    fold_at,
    linkedin_reader_text,
    preview_html,
)
from crosspost.settings import BrandingSettings
from crosspost.summaries.model import Paragraph, Summary
from crosspost.teasers.cards import make_card
from crosspost.teasers.model import Teaser, TeaserPart

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
                # only embedded data, or links within the page (the index)
                inside = name == "href" and (value or "").startswith("#")
                assert inside or (value or "").startswith("data:"), (tag, name, value)


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
    assert all((i["src"] or "").startswith("data:image/") for i in images)
    assert "url(" not in html
    assert "default-src 'none'" in html


def test_cards_carry_their_alt_text_on_hover_and_in_a_caption() -> None:
    """Each card's alt text is its alt, its title (shown on hover) and a caption."""
    html = preview_html(SUMMARY, TEASERS)
    images = [attrs for tag, attrs in _parse(html).tags if tag == "img"]
    alts = {teaser.card.alt_text for teaser in TEASERS if teaser.card}
    for attrs in images:
        assert attrs["alt"] in alts
        assert attrs["title"] == attrs["alt"]
    assert html.count("Alt text (") == len(TEASERS)
    assert "/1000 characters)" in html


def test_instagram_card_is_a_jpeg_data_uri() -> None:
    """Instagram's card is embedded as the JPEG it will be sent as."""
    html = preview_html(SUMMARY, TEASERS[3:])
    assert "data:image/jpeg;base64," in html


def test_x_thread_is_drawn_as_a_chain() -> None:
    """An X thread shows each post in a chain, each with its own count."""
    html = preview_html(SUMMARY, TEASERS)
    page = _parse(html)
    chains = [attrs for tag, attrs in page.tags if tag == "ol"]
    assert chains == [{"class": "chain", "aria-label": "a chain of 3 posts"}]
    text = " ".join("".join(page.text).split())
    assert "reply 2 of 3" in text
    assert "reply 3 of 3" in text
    assert "70/280" in text


def test_counts_warn_when_close_and_over() -> None:
    """A post near its limit is flagged, and one over the limit says by how much."""
    html = preview_html(SUMMARY, TEASERS)
    assert '<span class="count near">265/280</span> close to the limit: 15 left' in html
    assert '<span class="count over">70000/63206</span> over the limit by 6794' in html
    assert '<span class="count ok">37/280</span> 243 left' in html


def test_linkedin_shows_reader_text_and_wire_text() -> None:
    """LinkedIn's post reads unescaped, with the escaped wire text in a details box."""
    html = preview_html(SUMMARY, TEASERS[1:2])
    assert "Fatigue (on hot days) eased #MSResearch</p>" in html
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


def test_the_index_has_a_row_per_post_linking_to_it() -> None:
    """One row per post and per failure, with its status, count and every warning,
    each linking to an element of the page."""
    html = preview_html(
        SUMMARY, TEASERS, problems=["x recap: 12 over the x limit (292/280)"]
    )
    page = _parse(html)
    rows = [attrs for tag, attrs in page.tags if tag == "tr" and "data-anchor" in attrs]
    assert len(rows) == len(TEASERS) + 1
    ids = {attrs.get("id") for _, attrs in page.tags}
    links = [
        (attrs["href"] or "")[1:]
        for tag, attrs in page.tags
        if tag == "a" and (attrs.get("href") or "").startswith("#")
    ]
    assert {row["data-anchor"] for row in rows} <= set(links)
    assert all(link in ids for link in links)
    statuses = [row["class"] for row in rows]
    assert statuses.count("row-shortened") == 1  # the X thread's warning
    assert statuses.count("row-fails") == 1
    assert "3 posts, longest 265/280" in html


def test_posts_show_the_account_and_avatar_initial() -> None:
    """Each post is drawn as from the account: its name, initial, and X handle."""
    accounts = {
        "x": Account("Example MS Research", "@examplems"),
        "linkedin": Account("Example MS Research"),
    }
    html = preview_html(SUMMARY, TEASERS, accounts=accounts)
    assert '<span class="avatar" aria-hidden="true">E</span>' in html
    assert "@examplems" in html
    assert Account("  ünïcode org").initial == "Ü"


def test_long_text_is_folded_where_the_feed_folds_it() -> None:
    """LinkedIn folds after about 140 characters: the page marks it at a space."""
    long = "Walking speed rose in people who trained at home. " * 6
    teaser = _teaser("linkedin", "announce", [(long.strip(), len(long))], 3000)
    html = preview_html(SUMMARY, [teaser])
    assert '<span class="fold"> …see more </span>' in html
    assert fold_at(long, FOLDS["linkedin"]) <= 140
    assert long[fold_at(long, 140)] == " "
    assert fold_at("short", None) == 5


def test_planned_time_and_outcome_are_shown() -> None:
    """An entry's planned local time and outcome appear on its post and in the index."""
    planned = datetime(2026, 5, 12, 9, 30, tzinfo=ZoneInfo("Europe/London"))
    page = build_page(
        [
            Section(
                SUMMARY,
                [Entry(TEASERS[1], planned=planned, outcome="published")],
            )
        ]
    )
    assert page.count("Tue 12 May 2026, 09:30 BST") == 3  # index, head, foot
    assert '<span class="badge outcome">published</span>' in page


def test_several_summaries_share_one_index() -> None:
    """Two sections: the index groups rows under each summary's title."""
    other = SUMMARY.model_copy(update={"title": "Research Summary: Vitamin D"})
    page = build_page([Section(SUMMARY, [Entry(TEASERS[1])]), Section(other, [])])
    assert 'href="#summary-2"' in page
    assert "2 summaries" in page
    assert page.count('class="index-summary"') == 2


def test_page_without_posts_says_so() -> None:
    """With nothing rendered the page says so instead of being blank."""
    html = preview_html(SUMMARY, [], problems=["linkedin announce: too long"])
    assert "linkedin announce: too long" in html
    html = preview_html(SUMMARY, [])
    assert "No posts were rendered." in html


def test_same_input_gives_same_page() -> None:
    """The page has no timestamps: the same input gives the same HTML."""
    assert preview_html(SUMMARY, TEASERS) == preview_html(SUMMARY, TEASERS)


def _chromium(tmp_path: Path, *flags: str) -> str:
    page = tmp_path / "preview.html"
    page.write_text(
        preview_html(SUMMARY, TEASERS, problems=["x recap: 1 over the x limit"]),
        encoding="utf-8",
    )
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


def _needs_chromium() -> None:
    if not CHROMIUM.is_file():
        pytest.skip(
            "needs /usr/bin/chromium (Debian's chromium package) to open the page"
        )


@pytest.mark.chromium
def test_chromium_shows_the_text_and_runs_nothing(tmp_path: Path) -> None:
    """In headless Chromium the posts show, injected HTML stays text, nothing runs."""
    _needs_chromium()
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
def test_chromium_index_matches_the_posts_and_draws_a_screenshot(
    tmp_path: Path,
) -> None:
    """As Chromium reads the page, each index row's status is its post's status and
    its link lands on it; the page draws to a screenshot with cards."""
    _needs_chromium()
    page = _parse(_chromium(tmp_path, "--dump-dom"))
    posts = {
        attrs["id"]: attrs["data-status"]
        for tag, attrs in page.tags
        if tag == "article"
    }
    rows = [attrs for tag, attrs in page.tags if tag == "tr" and "data-anchor" in attrs]
    ids = {attrs.get("id") for _, attrs in page.tags}
    assert len(posts) == len(TEASERS)
    for row in rows:
        anchor, status = row["data-anchor"], (row["class"] or "").removeprefix("row-")
        assert anchor in ids
        if status != "fails":
            assert posts[anchor] == status
    assert {row["data-anchor"] for row in rows if row["class"] != "row-fails"} == set(
        posts
    )
    shot = tmp_path / "shot.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,2400")
    with Image.open(shot) as image:
        assert image.size == (1200, 2400)
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None
    assert len(colours) > 500  # text, badges and cards, not a blank page
