"""Tests for the Markdown reader: front matter, heading and bold labels, rendering."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crosspost.summaries.errors import ParseError
from crosspost.summaries.markdown import parse_markdown, render_inline

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "summaries"
EXAMPLES = ROOT / "examples" / "summaries"


def read(path: Path) -> str:
    return path.read_text("utf-8")


def test_example_front_matter_fields() -> None:
    """url, date, image and tags come from the YAML front matter."""
    summary = parse_markdown(read(EXAMPLES / "vitamin-d.md"), "vitamin-d.md")
    assert summary.url == "https://example.org/research/vitamin-d-relapse-risk/"
    assert summary.published == date(2024, 6, 11)
    assert (
        summary.image_url
        == "https://example.org/wp-content/uploads/2024/06/vitamin-d-card.jpg"
    )
    assert summary.tags == ("vitamin D", "relapses", "MS research")
    assert summary.warnings == ()


def test_example_bold_labels_and_rendered_text() -> None:
    """`**FINDING #1:**` reads; emphasis goes, links render, literal `_`/`*` stay."""
    summary = parse_markdown(read(EXAMPLES / "vitamin-d.md"), "vitamin-d.md")
    assert summary.title.startswith("High-dose vitamin D3 as an add-on therapy")
    assert [p.number for p in summary.findings] == [1, 2, 3]
    assert [p.number for p in summary.thoughts] == [1, 2]
    assert summary.intro.endswith(
        "whether topping up vitamin D after diagnosis helps keep the disease quiet."
    )
    assert summary.what is not None
    assert "(called D-EARLY in this example)" in summary.what
    assert summary.where is not None
    assert summary.where.endswith(
        "A plain-language summary is at https://example.org/d-early-plain-language."
    )
    assert summary.findings[1].text.endswith(
        "showed disease activity (a relapse, a new MRI lesion, or both). The main "
        "analysis "
        "used a p_value threshold of 0.05, and the difference passed it (see the trial "
        "registration (https://example.org/registry/D_EARLY_(2021)))."
    )
    assert "2 * 3 = 6 people" in summary.findings[2].text


def test_reader_comment_after_sign_off_is_dropped() -> None:
    """The quoted reader question mentioning FINDING #2 is not read."""
    summary = parse_markdown(read(EXAMPLES / "vitamin-d.md"), "vitamin-d.md")
    assert all(
        "progressive MS too" not in p.text for p in summary.findings + summary.thoughts
    )


def test_heading_labels_and_links() -> None:
    """`## Finding 1` headings take the paragraph below; autolinks and links render."""
    summary = parse_markdown(read(DATA / "headings.md"), "headings.md")
    assert summary.title == "Markdown headings as labels in a study of MS and hearing"
    assert summary.what == "A study of hearing loss in MS, with auditory testing."
    assert [(p.number, p.text) for p in summary.findings] == [
        (
            1,
            "People with MS had slightly raised hearing thresholds "
            "(see https://example.org/hearing_study).",
        ),
        (
            2,
            "Thresholds were linked to brainstem lesions; see the figure "
            "(https://example.org/fig_(2)) and the data (https://example.org/data) for "
            "details.",
        ),
    ]
    assert summary.thoughts[0].text == "A hearing check could be part of routine care."
    assert summary.intro == (
        "An intro with a literal asterisk in 2 * 3 and a variable called p_value and "
        "snake_case_name."
    )


@pytest.mark.parametrize(
    ("markdown", "rendered"),
    [
        ("*MS* matters", "MS matters"),
        ("**FINDING #1:** text", "FINDING #1: text"),
        ("__bold__ and _italic_", "bold and italic"),
        ("***both*** ways", "both ways"),
        ("**outer *inner* outer**", "outer inner outer"),
        ("a p_value and snake_case_name", "a p_value and snake_case_name"),
        ("2 * 3 * 4 = 24", "2 * 3 * 4 = 24"),
        ("a*b*c stays", "a*b*c stays"),
        ("an _unpaired marker", "an _unpaired marker"),
        ("* not emphasis*", "* not emphasis*"),
        ("*multiple\nsclerosis*", "multiple\nsclerosis"),
        ("[the paper](https://x.org/a_(b))", "the paper (https://x.org/a_(b))"),
        ("[https://x.org](https://x.org)", "https://x.org"),
        ('[paper](https://x.org/p "Title")', "paper (https://x.org/p)"),
        ("<https://x.org/_a_/>", "https://x.org/_a_/"),
        ("see https://x.org/_a_/ now", "see https://x.org/_a_/ now"),
        ("*see https://x.org/a*", "see https://x.org/a"),
        (r"\*not emphasis\*", "*not emphasis*"),
        ("`a_b_ *c*`", "a_b_ *c*"),
        ("![a scan](scan.png) Lesions", " Lesions"),
        ("(*Nature*).", "(Nature)."),
        ("first line\\\nsecond line", "first line\nsecond line"),
        ("Roche &amp; Genentech&nbsp;&#8211; 10&#x2076;", "Roche & Genentech\xa0– 10⁶"),
        ("R&D & more; `&amp;`", "R&D & more; &amp;"),
    ],
)
def test_render_inline(markdown: str, rendered: str) -> None:
    """Inline Markdown renders to what a reader sees, by the documented rule."""
    assert render_inline(markdown) == rendered


def test_render_keeps_line_count() -> None:
    """Rendering never adds or removes line breaks (line numbers stay right)."""
    text = "one *two\nthree* ![x\ny](z.png)\n[four\nfive](https://x.org)"
    assert render_inline(text).count("\n") == text.count("\n")


def test_first_image_is_the_image_without_front_matter() -> None:
    """An inline image gives `image_url` when the front matter names none."""
    doc = (
        "# Research Summary: T\n\n![card](https://x.org/card.png)\n\n"
        "**FINDING #1:** F.\n"
    )
    summary = parse_markdown(doc, "t.md")
    assert summary.image_url == "https://x.org/card.png"
    assert summary.intro == ""


def test_title_from_front_matter_when_body_has_none() -> None:
    """A `title:` in the front matter serves when the body starts with the content."""
    doc = (
        "---\ntitle: 'Research Summary: Cold water swimming in MS'\ntags: a, b\n---\n"
        "Intro.\n\n**FINDING #1:** F.\n"
    )
    summary = parse_markdown(doc, "t.md")
    assert summary.title == "Cold water swimming in MS"
    assert summary.intro == "Intro."
    assert summary.tags == ("a", "b")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", date(2024, 3, 5)),
        ("2024-03-05T10:00:00Z", date(2024, 3, 5)),
        ("'2024-03-05'", date(2024, 3, 5)),
    ],
)
def test_front_matter_dates(value: str, expected: date) -> None:
    """A date, a timestamp or a quoted ISO date all give the publication date."""
    doc = f"---\ndate: {value}\n---\n# Research Summary: T\n\n**FINDING #1:** F.\n"
    assert parse_markdown(doc, "t.md").published == expected


def test_unreadable_date_is_an_error_naming_the_line() -> None:
    """`date: sometime in spring` is a ParseError at line 3 naming the field."""
    with pytest.raises(ParseError, match="front matter field 'date'") as caught:
        parse_markdown(read(DATA / "bad-date.md"), "bad-date.md")
    assert caught.value.line == 3
    assert caught.value.hint


def test_broken_yaml_is_an_error_with_a_line() -> None:
    """Invalid YAML is a ParseError with the line of the problem, not a traceback."""
    with pytest.raises(ParseError, match="not valid YAML") as caught:
        parse_markdown(read(DATA / "bad-yaml.md"), "bad-yaml.md")
    assert caught.value.line is not None
    assert 2 <= caught.value.line <= 4


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("---\nurl: x\n", "never closed"),
        ("---\n- a list\n---\n", "not a set of 'key: value' fields"),
        ("---\nurl: [1, 2]\n---\n", "field 'url' must be text"),
        ("---\ntags: {a: 1}\n---\n", "field 'tags'"),
        ("---\ndate: 2024-02-30\n---\n", "not valid YAML"),
    ],
)
def test_bad_front_matter(front: str, message: str) -> None:
    """Each kind of bad front matter is a ParseError saying what is wrong."""
    with pytest.raises(ParseError, match=message):
        parse_markdown(front + "# Research Summary: T\n\n**FINDING #1:** F.\n", "t.md")


def test_line_numbers_count_the_front_matter() -> None:
    """An error in the body names its line in the whole file."""
    doc = "---\nurl: https://x.org\n---\n# Research Summary: T\n\n**FINDING #1:**\n"
    with pytest.raises(ParseError) as caught:
        parse_markdown(doc, "t.md")
    assert caught.value.line == 6


def test_loose_heading_and_bold_labels() -> None:
    """`## Background`-style headings with `:`, `(2)` or `No. 3` and `**#4**` read."""
    doc = (
        "# Research Summary: T\n\n## Background:\n\nB.\n\n## Finding 1.\n\nOne.\n\n"
        "## Finding (2)\n\nTwo.\n\n**Finding No. 3:** Three.\n\n**FINDING #4** Four.\n"
    )
    summary = parse_markdown(doc, "t.md")
    assert [(p.number, p.text) for p in summary.backgrounds] == [(1, "B.")]
    assert [(p.number, p.text) for p in summary.findings] == [
        (1, "One."),
        (2, "Two."),
        (3, "Three."),
        (4, "Four."),
    ]
    assert summary.warnings == (
        "line 3: BACKGROUND without a number, read as BACKGROUND #1",
    )


def _with_front(front: str) -> str:
    return (
        f"---\n{front}\n---\n\n# Research Summary: Cooling vests in MS\n\n"
        "FINDING #1: People walked further.\n\nFINDING #2: Fatigue fell by 8%.\n\n"
        "FINDING #3: Nobody stopped early.\n"
    )


def test_headline_and_order_come_from_the_front_matter() -> None:
    """`headline: 2` and `order: [3, 1, 2]` are read as FINDING numbers."""
    summary = parse_markdown(_with_front("headline: 2\norder: [3, 1, 2]"), "s.md")
    assert summary.headline == 2
    assert summary.finding_order == (3, 1, 2)
    plain = parse_markdown(_with_front("url: https://example.org/s"), "s.md")
    assert (plain.headline, plain.finding_order) == (None, None)


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        ("headline: 7", 2, "there is no FINDING #7"),
        ("headline: two", 2, "a FINDING number, not 'two'"),
        ("headline: true", 2, "not True"),
        ("url: x\norder: [3, 1, 3]", 3, "#3 is twice"),
        ("order: [1, 4]", 2, "there is no FINDING #4"),
        ("order: 2", 2, "a list of FINDING numbers"),
        ("order: []", 2, "a list of FINDING numbers"),
    ],
)
def test_a_bad_headline_or_order_names_the_file_and_line(
    front: str, line: int, message: str
) -> None:
    """A number that is not a FINDING of the summary, or repeated, is a ParseError
    naming the file and the front matter line."""
    with pytest.raises(ParseError, match=message) as caught:
        parse_markdown(_with_front(front), "s.md")
    assert caught.value.line == line
    assert str(caught.value).startswith(f"s.md:{line}: ")
