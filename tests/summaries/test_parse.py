"""Tests for choosing a reader, decoding bytes, and that no input escapes as a crash."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crosspost.summaries.errors import ParseError
from crosspost.summaries.html import parse_html
from crosspost.summaries.model import Summary
from crosspost.summaries.parse import decode, detect_format, parse_summary

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "summaries"
EXAMPLES = ROOT / "examples" / "summaries"
DRIFT = DATA / "drift"

TEXT = "Research Summary: Cooling and MS\n\nFINDING #1: Vests *helped*.\n"


@pytest.mark.parametrize(
    ("source", "media_type", "expected"),
    [
        ("a.md", "text/html; charset=utf-8", "html"),
        ("a.html", "text/plain", "text"),
        ("a.txt", "text/markdown", "markdown"),
        ("a.txt", "application/octet-stream", "text"),
        ("a.MD", None, "markdown"),
        ("a.markdown", None, "markdown"),
        ("a.htm", None, "html"),
        ("https://x.org/post.html?utm=1", None, "html"),
        ("https://x.org/2024/03/research-summary/", None, "text"),
        ("notes.v2", None, "text"),
    ],
)
def test_media_type_then_extension_then_sniffing(
    source: str, media_type: str | None, expected: str
) -> None:
    """The media type decides first, then the file extension, then the content."""
    assert detect_format(TEXT, source, media_type=media_type) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!DOCTYPE html><html><body></body></html>", "html"),
        ("  \n<p><strong>FINDING #1:</strong> x</p>", "html"),
        ("<div class='entry-content'>", "html"),
        ("---\nurl: x\n---\n# Research Summary: T", "markdown"),
        ("## Finding 1\n\ntext", "markdown"),
        ("Research Summary: T\n\nFINDING #1: see [x](https://x.org)", "markdown"),
        ("Research Summary: T\n\nFINDING #1: 2 < 3 and #tags", "text"),
        ("Research Summary: T\n\n#MSResearch FINDING #1: x", "text"),
    ],
)
def test_sniffing(text: str, expected: str) -> None:
    """Without a name or media type, the content decides."""
    assert detect_format(text, "summary") == expected


def test_examples_parse_in_every_format() -> None:
    """Each example summary (text, Markdown, HTML) parses cleanly by its file name."""
    paths = sorted(EXAMPLES.iterdir())
    assert {p.suffix for p in paths} >= {".txt", ".md", ".html"}
    assert len(paths) >= 4
    for path in paths:
        summary = parse_summary(path.read_bytes(), str(path))
        assert summary.findings, path
        assert summary.warnings == (), path
        assert summary.source == str(path)


def test_bytes_with_bom_are_read() -> None:
    """A UTF-8 byte-order mark is dropped before the title is read."""
    summary = parse_summary((DATA / "bom.txt").read_bytes(), "bom.txt")
    assert summary.title == "A file saved with a byte-order mark about MS and exercise"
    assert summary.warnings == ()


def test_str_with_bom_is_read() -> None:
    """A BOM left at the start of an already decoded string is dropped too."""
    summary = parse_summary("\ufeff" + TEXT, "a.txt")
    assert summary.title == "Cooling and MS"


def test_undecodable_file_names_source_and_first_bad_line() -> None:
    """Latin-1 bytes in a UTF-8 file: ParseError naming the file and line 4."""
    with pytest.raises(ParseError) as caught:
        parse_summary((DATA / "bad-utf8.txt").read_bytes(), "bad-utf8.txt")
    assert caught.value.line == 4
    assert str(caught.value).startswith("bad-utf8.txt:4: not readable as utf-8 text")
    assert caught.value.hint == "save the file as UTF-8"


def test_charset_from_media_type_is_honoured() -> None:
    """`charset=iso-8859-1` decodes Latin-1; an unknown charset falls back to UTF-8."""
    data = "Research Summary: Café\n\nFINDING #1: Crème.\n".encode("latin-1")
    summary = parse_summary(data, "x", media_type="text/plain; charset=ISO-8859-1")
    assert (summary.title, summary.findings[0].text) == ("Café", "Crème.")
    assert decode(b"caf\xc3\xa9", "x", "no-such-charset") == "café"


def test_markdown_is_rendered_only_for_markdown() -> None:
    """The same words keep their asterisks as text and lose them as Markdown."""
    as_text = parse_summary(TEXT, "a.txt")
    as_markdown = parse_summary(TEXT, "a.md")
    assert as_text.findings[0].text == "Vests *helped*."
    assert as_markdown.findings[0].text == "Vests helped."


def test_html_page_by_media_type() -> None:
    """HTML bytes with a text/html media type go to the HTML reader."""
    data = (EXAMPLES / "remyelination.html").read_bytes()
    summary = parse_summary(data, "https://example.org/p/", media_type="text/html")
    assert summary.url == "https://example.org/research/remyelination-optic-neuritis/"


def _drift_cases() -> list[tuple[Path, Path]]:
    cases = []
    for expected in sorted(DRIFT.glob("*.json")):
        sources = [p for p in DRIFT.glob(f"{expected.stem}.*") if p.suffix != ".json"]
        cases.append((sources[0], expected))
    return cases


def _read_drift(path: Path, expected: dict[str, Any]) -> Summary:
    if "given_title" in expected:
        # A feed entry's content has no title: the feed gives it.
        return parse_html(
            path.read_text("utf-8"), path.name, title=expected["given_title"]
        )
    return parse_summary(path.read_bytes(), path.name)


@pytest.mark.parametrize(
    ("path", "expected_path"),
    [pytest.param(*case, id=case[1].stem) for case in _drift_cases()],
)
def test_drifted_summary_reads_as_a_careful_reader_does(
    path: Path, expected_path: Path
) -> None:
    """Each drifted summary gives, field by field, what a careful reader takes."""
    expected = json.loads(expected_path.read_text("utf-8"))
    if "error" in expected:
        with pytest.raises(ParseError) as caught:
            _read_drift(path, expected)
        assert caught.value.source == path.name
        assert caught.value.line == expected["error"]["line"]
        assert expected["error"]["contains"] in caught.value.message
        assert expected["error"]["hint"] in (caught.value.hint or "")
        return
    got = _read_drift(path, expected).model_dump(mode="json")
    for field, want in expected.items():
        if field != "given_title":
            assert got[field] == want, field


def test_drift_cases_cover_every_format() -> None:
    """At least 15 readable drifted summaries, in text, Markdown and HTML."""
    readable = [
        path
        for path, expected in _drift_cases()
        if "error" not in json.loads(expected.read_text("utf-8"))
    ]
    assert len(readable) >= 15
    assert {path.suffix for path in readable} == {".txt", ".md", ".html"}


_FRAGMENTS = st.sampled_from(
    [
        "Research Summary: ",
        "FINDING #1:",
        "Finding 2 -",
        "THOUGHT#3 :",
        "BACKGROUND 1",
        "FINDING #20000000:",
        "Finding 99999999999999999999 ",
        "Finding (7)",
        "Finding No. 3.",
        "THOUGHT #1 ",
        "FINDING:",
        "Background:",
        "Finding 2 was",
        "What?",
        "who:",
        "\n",
        "\n\n",
        "\r\n",
        " ",
        "text",
        "**",
        "__",
        "*",
        "_",
        "#",
        "## ",
        "---\n",
        "...\n",
        "[a](",
        ")",
        "<https://x.org>",
        "https://x.org/(a)",
        "![i](x.png)",
        "`",
        "\\",
        "<p>",
        "</p>",
        "<br>",
        "<strong>",
        "<h3>",
        "<![x[",
        "<div class='entry-content'>",
        "<div id='comments'>",
        "</div>",
        "&amp;",
        "&#0;",
        "One Response",
        "Leave a Reply",
        "date: 2024-02-30\n",
        "tags: {a: 1}\n",
        "title: ''\n",
        "\ufeff",
        "😊",
        "é",
        "\x00",
        "\u2028",
        "–",
        "—",
        "**FINDING #1:**",
        "__What?__",
        "Research Summary:\n",
        "\u200b",
        "\u00ad",
        "<sup>",
        "9</sup>",
        "<sub>",
        "<ul><li>",
        "</li>",
        "<h1 class='wp-block-post-title'>",
        "<div class='entry'>",
        "<title>A » Research Summary: B | C</title>",
        "<meta property='og:site_name' content='C'>",
        "If you have any questions, comment below.",
        "Two comments on “",
        "Follow us on",
        "a line ending in a hard break\\\n",
        "&nbsp;&#8211;",
    ]
)
_MEDIA = st.sampled_from(
    [None, "text/plain", "text/markdown", "text/html", "text/plain; charset=latin-1"]
)
_SOURCES = st.sampled_from(["a.txt", "a.md", "a.html", "a", "https://x.org/p"])


def _outcome(data: bytes | str, source: str, media_type: str | None) -> object:
    try:
        return parse_summary(data, source, media_type=media_type)
    except ParseError as error:
        return error


def _summary_or_parse_error(
    data: bytes | str, source: str, media_type: str | None
) -> None:
    result = _outcome(data, source, media_type)
    if isinstance(result, ParseError):
        assert result.source == source
    else:
        assert isinstance(result, Summary)
        assert result.findings


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000), source=_SOURCES, media_type=_MEDIA)
def test_any_bytes_give_a_summary_or_a_parse_error(
    data: bytes, source: str, media_type: str | None
) -> None:
    """Arbitrary bytes never raise anything but ParseError."""
    _summary_or_parse_error(data, source, media_type)


@settings(max_examples=300)
@given(data=st.text(max_size=2000), source=_SOURCES, media_type=_MEDIA)
def test_any_text_gives_a_summary_or_a_parse_error(
    data: str, source: str, media_type: str | None
) -> None:
    """Arbitrary text never raises anything but ParseError."""
    _summary_or_parse_error(data, source, media_type)


@settings(max_examples=500)
@given(parts=st.lists(_FRAGMENTS, max_size=60), source=_SOURCES, media_type=_MEDIA)
def test_summary_shaped_noise_gives_a_summary_or_a_parse_error(
    parts: list[str], source: str, media_type: str | None
) -> None:
    """Jumbles of labels, markup and boilerplate never raise anything but ParseError."""
    text = "".join(parts)
    _summary_or_parse_error(text, source, media_type)
    _summary_or_parse_error(text.encode("utf-8"), source, media_type)
