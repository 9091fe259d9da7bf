"""The sandbox's HTML pages: what each platform received, escaped."""

from __future__ import annotations

from crosspost.sandbox.pages import handoffs_page, index_page, posts_page
from crosspost.sandbox.state import PostRecord

POST = PostRecord(
    "linkedin",
    "urn:li:share:1",
    "https://www.linkedin.com/feed/update/urn:li:share:1/",
    'Fatigue & "heat" <b>sensitivity</b>',
    {"commentary": "<i>raw</i>"},
    1_790_000_000.0,
)


def test_posts_page_escapes_text_and_fields() -> None:
    """Post text and request fields are HTML-escaped."""
    page = posts_page("LinkedIn", [POST])
    assert "Fatigue &amp; &#34;heat&#34; &lt;b&gt;sensitivity&lt;/b&gt;" in page
    assert "&lt;i&gt;raw&lt;/i&gt;" in page
    assert "<b>" not in page


def test_index_counts_posts_per_platform() -> None:
    """The index links each platform with its count."""
    page = index_page([POST], handoffs=2)
    assert 'href="/_sandbox/linkedin">LinkedIn</a>\n(1)' in page
    assert "(2)" in page


def test_handoffs_page_shows_escaped_json() -> None:
    """Hand-off notifications are shown as escaped JSON."""
    page = handoffs_page([{"text": "<script>"}])
    assert "&lt;script&gt;" in page
    assert "No hand-off" not in page
    assert "No hand-off" in handoffs_page([])
