"""The dry run as the preview page: self-contained and escaped, each distinct card once
and reduced, the schedule in time order, each post's outcome, every problem."""

from __future__ import annotations

import base64
import io
import re
from html.parser import HTMLParser

from PIL import Image

from crosspost.report import Account
from crosspost.report.card_images import CardImages
from crosspost.report.dry_run_html import report_html, report_html_chunks
from crosspost.teasers.model import Card

from .conftest import card, rehearsal


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_the_page_is_self_contained_and_escaped() -> None:
    """No script, nothing fetched from outside, every text escaped."""
    html = report_html(rehearsal())
    tags = _tags(html)
    assert not [tag for tag, _ in tags if tag in ("script", "iframe", "object")]
    for _, attrs in tags:
        for name in ("src", "href"):
            value = attrs.get(name)
            assert value is None or value.startswith(("#", "data:")), value
        assert not any(name.startswith("on") for name in attrs)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "Content-Security-Policy" in html
    assert not re.search(r"url\((?!data:image/jpeg;base64,)", html)


def test_each_distinct_card_is_drawn_once_reduced() -> None:
    """Posts sharing a card point at one style rule; the image in it is a JPEG
    about 400 pixels across."""
    html = report_html(rehearsal(3))
    rules = re.findall(r"\.(card-[0-9a-f]{16}) \{ background-image", html)
    assert len(rules) == len(set(rules)) == 2  # the X card and the LinkedIn card
    users = re.findall(r'class="card-image (card-[0-9a-f]{16})"', html)
    assert sorted(set(users)) == sorted(rules)
    assert len(users) == 6
    assert 'role="img" aria-label="Card: &lt;script&gt;' in html


def test_the_schedule_lists_planned_posts_in_time_order() -> None:
    """Every post with a slot, earliest first, with its outcome."""
    html = report_html(rehearsal())
    schedule = html[html.index('<h2 id="schedule">') : html.index('<h2 id="index">')]
    times = re.findall(r"<td>(\w{3} \d\d \w{3} 2027, \d\d:\d\d \w+)</td>", schedule)
    assert len(times) == 8  # four planned posts in each of two summaries
    assert times[0] == "Mon 03 May 2027, 10:00 BST"
    assert "published (id 1861000000000000001)" in schedule
    assert "handed off to a person" in schedule
    assert "planned after the simulated days" in html


def test_problems_are_shown_where_they_belong() -> None:
    """A template's mistake at the top, naming how many summaries it stopped; a
    summary's own problems in its section, with their fixes."""
    html = report_html(rehearsal(), accounts={"x": Account("Lab", "@lab")})
    top = html[: html.index('<h2 id="schedule">')]
    assert "Problems (1)" in top
    assert "[template] templates/x/thread.j2:3" in top
    assert "(2 summaries)" in top
    assert "Problems: 1 post fails" in html
    assert "fix: shorten FINDING #2" in html
    assert "crosspost dry run · 2 summaries" in html
    assert "@lab" in html


def test_the_page_comes_in_pieces_the_same_as_whole() -> None:
    """Written piece by piece, the page is the same bytes."""
    made = rehearsal()
    assert "".join(report_html_chunks(made)) == report_html(made)


def test_a_card_is_reduced_to_about_the_width_asked() -> None:
    """A 1200-pixel PNG and a 1080-pixel JPEG both come out as JPEGs near 400."""
    images = CardImages(400)
    first = images.css_class(card())
    assert images.css_class(card()) == first
    assert len(images.rules) == 1
    buffer = io.BytesIO()
    Image.new("RGB", (1080, 1350), "#ffffff").save(buffer, "JPEG")
    jpeg = Card(
        width=1080, height=1350, format="JPEG", data=buffer.getvalue(), alt_text="a"
    )
    images.css_class(jpeg)
    for rule in images.rules:
        data = base64.b64decode(rule.split("base64,", 1)[1].split(")", 1)[0])
        with Image.open(io.BytesIO(data)) as reduced:
            assert reduced.format == "JPEG"
            assert 300 <= reduced.width <= 600


def test_the_title_says_one_summary_and_one_failure_in_the_singular() -> None:
    """The page's title counts in words a person would write."""
    made = rehearsal(1)
    made.problems = made.problems[:1]
    assert "Dry run: 1 summary, 5 posts, 1 failure" in report_html(made)
