"""The sandbox's HTML pages: what each platform received, escaped."""

from __future__ import annotations

from crosspost.sandbox.pages import index_page, notifications_page, posts_page
from crosspost.sandbox.state import PostRecord

POST = PostRecord(
    "linkedin",
    "urn:li:share:1",
    "https://www.linkedin.com/feed/update/urn:li:share:1/",
    'Fatigue & "heat" <b>sensitivity</b>',
    {"commentary": "<i>raw</i>"},
    1_790_000_000.0,
)
NOTE = {
    "via": "json",
    "version": "1.0",
    "title": "YouTube post to paste: <script>",
    "message": "Paste & publish",
    "type": "info",
    "attachments": [
        {"filename": "card.jpg", "mimetype": "image/jpeg", "size": 10, "sha256": ""}
    ],
    "received_at": "2026-09-21T00:00:00+00:00",
}


def test_posts_page_escapes_text_and_fields() -> None:
    """Post text and request fields are HTML-escaped."""
    page = posts_page("LinkedIn", [POST])
    assert "Fatigue &amp; &#34;heat&#34; &lt;b&gt;sensitivity&lt;/b&gt;" in page
    assert "&lt;i&gt;raw&lt;/i&gt;" in page
    assert "<b>" not in page


def test_index_counts_posts_per_platform() -> None:
    """The index links each platform with its count."""
    page = index_page([POST], [NOTE, NOTE])
    assert 'href="/_sandbox/linkedin">LinkedIn</a>\n(1)' in page
    assert 'href="/_sandbox/notifications">Notifications (Apprise)</a>\n(2)' in page


def test_notifications_page_shows_each_escaped() -> None:
    """Each notification's title, type, message and attachments, HTML-escaped."""
    page = notifications_page([NOTE])
    assert "YouTube post to paste: &lt;script&gt;" in page
    assert "Paste &amp; publish" in page
    assert "card.jpg\n(image/jpeg, 10 bytes)" in page
    assert "info · via json" in page
    assert "No notification received yet" in notifications_page([])
