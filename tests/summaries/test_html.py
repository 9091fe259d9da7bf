"""Tests for the HTML reader: WordPress post pages and feed-entry content."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crosspost.summaries.errors import ParseError
from crosspost.summaries.html import parse_html
from crosspost.summaries.model import Summary

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "summaries"
EXAMPLES = ROOT / "examples" / "summaries"

BODY = "<p><strong>FINDING #1:</strong> Walking improved.</p>"


def page() -> Summary:
    return parse_html((EXAMPLES / "remyelination.html").read_text("utf-8"), "page.html")


def test_page_metadata() -> None:
    """Title from h1.entry-title, canonical URL, date, og:image and article:tag."""
    summary = page()
    assert summary.title == (
        "Clemastine-like remyelinating agent and visual evoked potentials in chronic "
        "optic "
        "neuritis"
    )
    assert summary.url == "https://example.org/research/remyelination-optic-neuritis/"
    assert summary.published == date(2024, 2, 20)
    assert (
        summary.image_url
        == "https://example.org/wp-content/uploads/2024/02/remyelination.jpg"
    )
    assert summary.tags == ("remyelination", "optic neuritis")
    assert summary.warnings == ()


def test_page_content_labels_in_strong_b_and_headings() -> None:
    """Labels in <strong>, <b> and <h3> read; entities are decoded; text is exact."""
    summary = page()
    assert summary.intro.endswith(
        "This trial used the eye’s nerve as a window on repair."
    )
    assert summary.what is not None
    assert "(called “RM-17” here)" in summary.what
    assert summary.who == (
        "The work came from the (fictional) Saint-Aubin Neuroscience Centre and "
        "Université "
        "de Valmont."
    )
    assert summary.backgrounds[0].text.startswith("When myelin is lost, signals travel")
    assert [p.number for p in summary.findings] == [1, 2, 3]
    assert summary.findings[0].text.startswith("Fifty people with MS")
    assert summary.findings[1].text.endswith(
        "compared with placebo – a small change, but consistent with new myelin "
        "<i.e. faster conduction>."
    )
    assert summary.findings[2].text.startswith("Fatigue was more common on RM-17")


def test_page_chrome_scripts_transitions_and_comments_are_left_out() -> None:
    """Script text, the lead-in, the sign-off and a comment's 'FINDING #4:' go."""
    summary = page()
    assert [p.number for p in summary.thoughts] == [1]
    assert summary.thoughts[0].text.endswith("notice a difference in daily life.")
    assert all("VEP improved" not in p.text for p in summary.findings)


def test_feed_entry_with_feed_metadata() -> None:
    """A feed entry's content reads with the feed's title, URL, date and tags."""
    html = (DATA / "feed-entry.html").read_text("utf-8")
    summary = parse_html(
        html,
        "feed (entry 1)",
        title="Research Summary: Thiamine and fatigue in MS",
        url="https://example.org/thiamine/",
        published=date(2024, 1, 9),
        tags=["fatigue", " vitamins ", "fatigue"],
    )
    assert summary.title == "Thiamine and fatigue in MS"
    assert summary.url == "https://example.org/thiamine/"
    assert summary.published == date(2024, 1, 9)
    assert summary.tags == ("fatigue", "vitamins")
    assert (
        summary.intro
        == "An intro paragraph from a feed entry about MS and vitamin B1 & fatigue."
    )
    assert summary.what == "A pilot study of thiamine for fatigue."
    assert (
        summary.backgrounds[0].text
        == "Thiamine is needed for energy metabolism in nerve cells."
    )
    assert [(p.number, p.text) for p in summary.findings] == [
        (1, "Fatigue scores fell by 20% over 8 weeks."),
        (2, "No side effects were reported."),
    ]
    assert summary.thoughts[0].text == "A placebo-controlled trial is needed."
    assert summary.image_url == "https://example.org/uploads/thiamine.png"


def test_feed_entry_without_a_title_is_an_error() -> None:
    """Content with no title anywhere is a ParseError asking for one."""
    with pytest.raises(ParseError, match="no paper title found"):
        parse_html((DATA / "feed-entry.html").read_text("utf-8"), "entry")


def test_title_line_inside_content_is_used_and_not_intro() -> None:
    """A 'Research Summary:' paragraph at the top of the content is the title."""
    html = "<p>Research Summary: Sauna use in MS</p><p>Intro.</p>" + BODY
    summary = parse_html(html, "entry")
    assert summary.title == "Sauna use in MS"
    assert summary.intro == "Intro."


def test_page_that_is_not_a_summary() -> None:
    """A contact page is a ParseError that says a research summary was expected."""
    with pytest.raises(ParseError) as caught:
        parse_html((DATA / "not-a-summary.html").read_text("utf-8"), "contact.html")
    assert "no FINDING paragraph found" in str(caught.value)
    assert caught.value.hint is not None
    assert "expected a research summary" in caught.value.hint


@pytest.mark.parametrize(
    "head",
    [
        '<meta property="og:title" content="Research Summary: Sauna use in MS">',
        "<title>Research Summary: Sauna use in MS</title>",
    ],
)
def test_title_fallbacks(head: str) -> None:
    """Without h1.entry-title, og:title and then <title> give the title."""
    content = f"<div class='entry-content'>{BODY}</div>"
    html = f"<html><head>{head}</head><body>{content}</body></html>"
    assert parse_html(html, "p.html").title == "Sauna use in MS"


def test_rel_tag_links_time_and_og_url_fallbacks() -> None:
    """rel=tag links (not categories), <time datetime> and og:url fill the gaps."""
    html = (
        '<html><head><meta property="og:url" content="https://x.org/p/"></head><body>'
        '<h1 class="entry-title">Sauna use in MS</h1>'
        '<time datetime="2023-11-02T10:00:00+01:00">2 Nov</time>'
        f'<div class="entry-content">{BODY}</div>'
        '<a href="/c/" rel="category tag">Research</a><a href="/t/" rel="tag">heat</a>'
        "</body></html>"
    )
    summary = parse_html(html, "p.html")
    assert summary.url == "https://x.org/p/"
    assert summary.published == date(2023, 11, 2)
    assert summary.tags == ("heat",)


def test_unreadable_date_is_a_warning() -> None:
    """A page date that is not ISO is ignored with a warning, not an error."""
    html = (
        '<meta property="article:published_time" content="last Tuesday">'
        f'<h1 class="entry-title">T</h1><div class="entry-content">{BODY}</div>'
    )
    summary = parse_html(html, "p.html")
    assert summary.published is None
    assert summary.warnings == ("unreadable publication date 'last Tuesday' ignored",)


def test_arguments_win_over_page_metadata() -> None:
    """Title, URL and date passed by the caller replace those found in the page."""
    summary = parse_html(
        page_html := (EXAMPLES / "remyelination.html").read_text("utf-8"),
        "page.html",
        title="Research Summary: Another title",
        url="https://example.org/other/",
        published=date(2020, 1, 1),
    )
    assert "entry-title" in page_html
    assert (summary.title, summary.url, summary.published) == (
        "Another title",
        "https://example.org/other/",
        date(2020, 1, 1),
    )


def test_unclosed_paragraphs_and_line_numbers() -> None:
    """Unclosed <p> tags still separate paragraphs; errors name the HTML line."""
    html = (
        "<p>Research Summary: T\n<p>Intro.\n"
        "<p><b>FINDING #1:</b>\n<p><b>FINDING #2:</b> F."
    )
    with pytest.raises(ParseError) as caught:
        parse_html(html, "p.html")
    assert caught.value.line == 3
    assert "FINDING #1 has no text" in str(caught.value)


def test_malformed_markup_is_a_parse_error() -> None:
    """Markup that trips html.parser is a ParseError, never an AssertionError."""
    with pytest.raises(ParseError, match="could not be read"):
        parse_html("<![foo[ x ]]>" + BODY, "p.html")


def test_superscript_and_subscript_digits_keep_their_meaning() -> None:
    """`10<sup>9</sup>` reads 10⁹, not 109; `B<sub>12</sub>` reads B₁₂; words stay."""
    html = (
        "<p>Research Summary: T</p><p>FINDING #1: 0.2 × 10<sup>9</sup>/L of"
        " B<sub>12</sub>, 1<sup>st</sup> dose.</p>"
    )
    finding = parse_html(html, "f.html").findings[0].text
    assert finding == "0.2 × 10⁹/L of B₁₂, 1st dose."


def test_list_items_continue_the_finding_before_them() -> None:
    """Items of a list after a FINDING are lines of one paragraph, joined to it."""
    html = (
        "<p>Research Summary: T</p><p>FINDING #1: Three steps:</p>"
        "<ul><li>Check immunity</li><li>Vaccinate first</li></ul>"
    )
    summary = parse_html(html, "f.html")
    assert summary.findings[0].text == "Three steps: Check immunity Vaccinate first"


@pytest.mark.parametrize(
    "head",
    [
        '<h1 class="wp-block-post-title">Research Summary: Heat and MS</h1>',
        '<meta property="og:site_name" content="MS Blog">'
        '<meta property="og:title" content="Research Summary: Heat and MS | MS Blog">',
        "<title>MS Blog &raquo; Blog Archive &raquo; Research Summary: Heat and MS"
        "</title>",
        "<title>Research Summary: Heat and MS | MS Blog</title>",
    ],
)
def test_page_title_without_the_site_name(head: str) -> None:
    """Block-theme headings and page titles give the paper title, not the site name."""
    summary = parse_html(f"{head}<div class='entry-content'>{BODY}</div>", "p.html")
    assert summary.title == "Heat and MS"


def test_older_theme_content_and_chrome_before_the_title() -> None:
    """`div.entry` is the content when `.entry-content` is missing; chrome goes."""
    old = (
        "<title>Research Summary: Heat</title><div id='header'>MS Blog</div>"
        "<h2>Research Summary: Heat</h2><small>By B</small><div class='entry'>"
        f"<p>Intro.</p>{BODY}</div><p class='postmetadata'>Filed</p>"
    )
    assert parse_html(old, "p.html").intro == "Intro."
    custom = (
        "<div class='top'>MS Blog</div><p>Research Summary: Heat</p>"
        f"<p>Intro.</p>{BODY}"
    )
    summary = parse_html(custom, "p.html")
    assert (summary.title, summary.intro) == ("Heat", "Intro.")


def test_loose_labels_in_strong() -> None:
    """`<strong>FINDING #2</strong> text` and `<b>Finding (3)</b>` read as labels."""
    content = (
        f"<p>Research Summary: T</p>{BODY}"
        "<p><strong>FINDING #2</strong> Fatigue fell.</p>"
        "<p><b>Finding (3)</b> Sleep improved.</p>"
        "<p>Finding 4 was confirmed later.</p>"
    )
    summary = parse_html(f"<div class='entry-content'>{content}</div>", "p.html")
    assert [(p.number, p.text) for p in summary.findings] == [
        (1, "Walking improved."),
        (2, "Fatigue fell."),
        (3, "Sleep improved. Finding 4 was confirmed later."),
    ]
    assert len(summary.warnings) == 1
