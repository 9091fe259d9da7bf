"""Sources: files, folders, feeds and post URLs, served from loopback for the
network cases."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from crosspost.cli.main import main
from crosspost.settings import Settings, load_settings
from crosspost.summaries.errors import ParseError, SourceError
from crosspost.summaries.model import Summary
from crosspost.summaries.sources import (
    MAX_SUMMARY_BYTES,
    Skipped,
    gather_summaries,
    iter_summaries,
    load_summary,
)

TEXT = """Research Summary: Cooling vests and heat sensitivity in relapsing MS

A short look at a small trial of cooling garments.

FINDING #1: Walking speed improved by 8% while the vest was worn (p = 0.03).

FINDING #2: Fatigue scores did not change.
"""

ENTRY_HTML = (
    "<p><strong>FINDING #1:</strong> Relapse rates fell by a third in the treated "
    "group.</p>"
    "<p><strong>FINDING #2:</strong> Side effects were mild and short-lived.</p>"
)

FEED = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example research blog</title>
<link>https://research.example.org/</link><description>d</description>
<item><title>Research Summary: A relapse-prevention trial</title>
<link>https://research.example.org/2026/05/relapse-trial/</link>
<pubDate>Tue, 12 May 2026 09:00:00 +0000</pubDate><category>Relapses</category>
<description><![CDATA[{ENTRY_HTML}]]></description></item>
<item><title>Not a summary: our summer fundraiser</title>
<link>https://research.example.org/2026/06/fundraiser/</link>
<description><![CDATA[<p>Join our walk in June.</p>]]></description></item>
</channel></rss>
""".encode()


class _Site(BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, tuple[str, bytes]]] = {
        "/feed/": ("application/rss+xml", FEED),
        "/post.txt": ("text/plain; charset=utf-8", TEXT.encode()),
    }
    hits: ClassVar[list[tuple[str, str | None]]] = []

    def do_GET(self) -> None:
        self.hits.append((self.path, self.headers.get("If-None-Match")))
        if self.path not in self.pages:
            self.send_response(404)
            self.end_headers()
            return
        media_type, body = self.pages[self.path]
        etag = f'"{hash(body) & 0xFFFF:x}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", media_type)
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    _Site.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def settings(isolated: Path) -> Settings:
    return load_settings(state_dir=isolated / "var")


def test_file_is_parsed(isolated: Path, settings: Settings) -> None:
    """A summary file is read and parsed."""
    (isolated / "vest.txt").write_text(TEXT)
    summary = load_summary("vest.txt", settings)
    assert [f.number for f in summary.findings] == [1, 2]


def test_missing_file_is_a_source_error(settings: Settings) -> None:
    """A missing file names itself and says what to give instead."""
    with pytest.raises(SourceError, match=r"nope\.txt: no such file"):
        load_summary("nope.txt", settings)


def test_folder_lists_each_file_and_reports_bad_ones(
    isolated: Path, settings: Settings
) -> None:
    """A folder yields every summary file.

    An unreadable one comes back as its ParseError.
    """
    folder = isolated / "summaries"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT)
    (folder / "b.txt").write_text("just a note, no title and no findings\n")
    (folder / "notes.json").write_text("{}")
    items = list(iter_summaries(str(folder), settings))
    assert isinstance(items[0], Summary)
    assert isinstance(items[1], ParseError)
    assert len(items) == 2


def test_empty_folder_is_a_source_error(isolated: Path, settings: Settings) -> None:
    """A folder without summary files says which endings it looked for."""
    (isolated / "empty").mkdir()
    with pytest.raises(SourceError, match="no summary files"):
        list(iter_summaries("empty", settings))


def test_feed_file_entries_take_title_link_date_and_tags(
    isolated: Path, settings: Settings
) -> None:
    """A feed file yields its entries with the feed's title, link, date and tags."""
    (isolated / "feed.xml").write_bytes(FEED)
    first, second = list(iter_summaries("feed.xml", settings))
    assert isinstance(first, Summary)
    assert first.url == "https://research.example.org/2026/05/relapse-trial/"
    assert first.published is not None
    assert first.published.isoformat() == "2026-05-12"
    assert "Relapses" in first.tags
    assert (
        first.findings[0].text == "Relapse rates fell by a third in the treated group."
    )
    assert isinstance(second, Skipped)
    assert "fundraiser" in second.source


def test_list_skips_feed_entries_that_are_not_summaries(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A feed's news posts are skipped with a note; listing still succeeds."""
    (isolated / "feed.xml").write_bytes(FEED)
    assert main(["summaries", "list", "feed.xml"]) == 0
    captured = capsys.readouterr()
    assert "1 finding " not in captured.out
    assert "2 findings  A relapse-prevention trial" in captured.out
    assert "skipped" in captured.err


def test_show_refuses_a_feed_with_a_hint(isolated: Path, settings: Settings) -> None:
    """Asking for one summary from a feed points at `summaries list`."""
    (isolated / "feed.xml").write_bytes(FEED)
    with pytest.raises(SourceError, match="is a feed"):
        load_summary("feed.xml", settings)


def test_feed_url_uses_conditional_get(site: str, settings: Settings) -> None:
    """Polling an unchanged feed sends If-None-Match and is answered from the cache."""
    first = list(iter_summaries(f"{site}/feed/", settings))
    second = list(iter_summaries(f"{site}/feed/", settings))
    assert [type(i) for i in first] == [type(i) for i in second]
    assert _Site.hits[0][1] is None
    assert _Site.hits[1][1] is not None


def test_post_url_is_fetched_and_parsed(site: str, settings: Settings) -> None:
    """A single post URL is fetched and parsed by its content type."""
    summary = load_summary(f"{site}/post.txt", settings)
    assert summary.title.startswith("Cooling vests")


def test_http_error_names_the_url(site: str, settings: Settings) -> None:
    """A 404 names the URL and the status."""
    with pytest.raises(SourceError, match="HTTP 404"):
        load_summary(f"{site}/gone", settings)


def test_unreachable_host_is_a_source_error(settings: Settings) -> None:
    """A refused connection on loopback becomes a SourceError, not a traceback."""
    with pytest.raises(SourceError, match="could not fetch"):
        load_summary("http://127.0.0.1:9/feed/", settings)


@pytest.mark.parametrize(
    "url", ["http://example.org:99999/feed", "https://example.org:-1/", "http://:80/"]
)
def test_a_bad_address_is_a_clear_error_before_any_request(
    url: str, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    """A port out of range or no host is a SourceError naming the URL; the command
    was wrong, so it exits 2 with the message, never a traceback."""
    with pytest.raises(SourceError, match=r"not a valid address|has no host"):
        load_summary(url, settings)
    assert main(["summaries", "list", url]) == 2
    err = capsys.readouterr().err
    assert url in err
    assert "Traceback" not in err


def test_a_file_over_the_size_limit_is_refused_unread(
    isolated: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A summary over 2 MiB is refused before it is read, naming the limit."""
    big = isolated / "huge.txt"
    with big.open("wb") as handle:
        handle.truncate(MAX_SUMMARY_BYTES + 1)

    def no_reading(self: Path) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    with pytest.raises(SourceError, match=r"more than the 2 MiB a summary may be"):
        load_summary(str(big), settings)


def test_a_url_over_the_size_limit_is_refused(
    site: str, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A post URL whose body is over the limit is refused, naming the limit."""
    monkeypatch.setitem(
        _Site.pages, "/huge.txt", ("text/plain", b"x" * (MAX_SUMMARY_BYTES + 10))
    )
    with pytest.raises(SourceError, match="2 MiB"):
        load_summary(f"{site}/huge.txt", settings)


def test_gather_reads_files_and_folders_in_order_once_each(
    isolated: Path, settings: Settings
) -> None:
    """Several sources: each summary once, in the order given; a bad one is listed
    among the errors and costs only itself."""
    folder = isolated / "summaries"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT)
    (folder / "b.txt").write_text(TEXT.replace("Cooling vests", "Warming vests"))
    (folder / "broken.txt").write_text("no title, no findings")
    (isolated / "c.txt").write_text(TEXT.replace("Cooling vests", "Weighted vests"))
    gathered = gather_summaries(
        ["c.txt", str(folder), str(folder / "a.txt"), "missing.txt"], settings
    )
    titles = [s.title.split(" and ")[0] for s in gathered.summaries]
    assert titles == ["Weighted vests", "Cooling vests", "Warming vests"]
    assert len(gathered.errors) == 2
    assert "broken.txt" in str(gathered.errors[0])
    assert "missing.txt: no such file" in str(gathered.errors[1])


def test_show_json_has_the_headline_and_finding_order(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`summaries show --json` includes headline and finding_order (null if unset)."""
    (isolated / "s.md").write_text(
        "---\nheadline: 2\norder: [2, 1]\n---\n\n# Research Summary: Cooling vests\n\n"
        "FINDING #1: People walked further.\n\nFINDING #2: Fatigue fell by 8%.\n"
    )
    (isolated / "vest.txt").write_text(TEXT)
    assert main(["summaries", "show", "s.md", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["headline"], shown["finding_order"]) == (2, [2, 1])
    assert main(["summaries", "show", "vest.txt", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["headline"], shown["finding_order"]) == (None, None)
