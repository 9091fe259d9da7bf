"""Where summaries come from: a file, a folder, an RSS/Atom feed (URL or file),
a post URL.

Fetching uses httpx with timeouts and conditional GET: the ETag and Last-Modified of
each URL are kept in `<state_dir>/http-cache/`, so polling an unchanged feed costs one
304 answer.

A summary over `MAX_SUMMARY_BYTES` (2 MiB) and a feed over `MAX_FEED_BYTES` (16 MiB)
are refused before parsing: a real summary is a few kilobytes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from crosspost import __version__
from crosspost.errors import CrosspostError
from crosspost.settings import Settings
from crosspost.summaries.errors import ParseError, SourceError
from crosspost.summaries.html import parse_html
from crosspost.summaries.model import Summary
from crosspost.summaries.parse import parse_summary

SUMMARY_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm")
FEED_SUFFIXES = (".xml", ".rss", ".atom")
USER_AGENT = f"crosspost/{__version__} (+research summary reader)"
MAX_SUMMARY_BYTES = 2 * 1024 * 1024
MAX_FEED_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Fetched:
    url: str
    body: bytes
    media_type: str
    from_cache: bool


class Fetcher:
    """GET with timeouts and conditional requests, remembering validators per URL on
    disk."""

    def __init__(
        self,
        cache_dir: Path,
        *,
        timeout: float = 20.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.cache_dir = cache_dir
        self.client = httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT},
            transport=transport,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def get(self, url: str) -> Fetched:
        entry = self.cache_dir / hashlib.sha256(url.encode()).hexdigest()[:24]
        meta = _read_meta(entry.with_suffix(".json"))
        headers = {}
        if meta.get("etag"):
            headers["If-None-Match"] = meta["etag"]
        if meta.get("last_modified"):
            headers["If-Modified-Since"] = meta["last_modified"]
        check_url(url)
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                content = _capped_body(response, url)
        except httpx.TimeoutException:
            raise SourceError(
                f"{url}: no answer in time", hint="check the URL or try later"
            ) from None
        except (httpx.HTTPError, httpx.InvalidURL, OverflowError, ValueError) as exc:
            raise SourceError(
                f"{url}: could not fetch ({type(exc).__name__})",
                hint="check the address",
            ) from None
        if response.status_code == 304 and entry.with_suffix(".body").is_file():
            body = entry.with_suffix(".body").read_bytes()
            return Fetched(url, body, meta.get("media_type", ""), from_cache=True)
        if response.status_code != 200:
            raise SourceError(
                f"{url}: the server answered HTTP {response.status_code}",
                hint="check that the address is a published summary or feed",
            )
        media_type = (
            response.headers.get("content-type", "").split(";")[0].strip().lower()
        )
        validators = {
            "etag": response.headers.get("etag"),
            "last_modified": response.headers.get("last-modified"),
            "media_type": media_type,
        }
        if validators["etag"] or validators["last_modified"]:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            _write_atomic(entry.with_suffix(".body"), content)
            _write_atomic(entry.with_suffix(".json"), json.dumps(validators).encode())
        return Fetched(url, content, media_type, from_cache=False)


def check_url(url: str) -> None:
    """A SourceError for an address no request can be made to (a bad port, no host)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- reading it validates the port
    except ValueError as exc:
        raise SourceError(
            f"{url}: not a valid address ({exc})",
            hint="write it as http(s)://host[:port]/path, a port being a number from 1 "
            "to 65535, e.g. https://example.org:8443/feed",
            exit_code=2,  # the command line is wrong, not the source
        ) from None
    if not parts.hostname:
        raise SourceError(
            f"{url}: the address has no host", hint="check the address", exit_code=2
        )


def _capped_body(response: httpx.Response, url: str) -> bytes:
    """The body, refused past MAX_FEED_BYTES before all of it is read."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FEED_BYTES:
        raise _too_large(url, int(declared), MAX_FEED_BYTES)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_FEED_BYTES:
            raise _too_large(url, size, MAX_FEED_BYTES, at_least=True)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(
    source: str, size: int, limit: int, *, at_least: bool = False
) -> SourceError:
    kind = "feed" if limit == MAX_FEED_BYTES else "summary"
    return SourceError(
        f"{source}: {'over ' if at_least else ''}{size:,} bytes, more than the "
        f"{limit // (1024 * 1024)} MiB a {kind} may be",
        hint="a research summary is a few kilobytes: check that this is the right file",
    )


def _read_meta(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


@dataclass(frozen=True)
class Skipped:
    """A feed entry that is not a research summary (a feed also carries news posts)."""

    source: str
    reason: str


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def fetcher_for(
    settings: Settings, transport: httpx.BaseTransport | None = None
) -> Fetcher:
    return Fetcher(
        settings.state_dir / "http-cache",
        timeout=settings.http_timeout,
        transport=transport,
    )


def load_summary(
    source: str, settings: Settings, *, transport: httpx.BaseTransport | None = None
) -> Summary:
    """Read exactly one summary from a file or a post URL."""
    if is_url(source):
        with fetcher_for(settings, transport) as fetcher:
            fetched = fetcher.get(source)
        if _looks_like_feed(fetched.body, fetched.media_type):
            raise _feed_given(source)
        _check_summary_size(source, fetched.body)
        return parse_summary(
            fetched.body, source, media_type=fetched.media_type or None
        )
    path = Path(source)
    if path.is_dir():
        raise SourceError(
            f"{source} is a folder",
            hint=f"list it with: crosspost summaries list {source}",
        )
    data = _read_file(path)
    if path.suffix.lower() in FEED_SUFFIXES or _looks_like_feed(data, ""):
        raise _feed_given(source)
    return parse_summary(data, source)


def _feed_given(source: str) -> SourceError:
    return SourceError(
        f"{source} is a feed, which holds several summaries",
        hint=f"list them with: crosspost summaries list {source}",
    )


def iter_summaries(
    source: str, settings: Settings, *, transport: httpx.BaseTransport | None = None
) -> Iterator[Summary | ParseError | Skipped]:
    """Every summary in a folder, feed or file.

    An unreadable one is yielded as its ParseError.
    """
    if is_url(source):
        with fetcher_for(settings, transport) as fetcher:
            fetched = fetcher.get(source)
        if _looks_like_feed(fetched.body, fetched.media_type):
            yield from _feed_entries(fetched.body, source)
        else:
            _check_summary_size(source, fetched.body)
            yield _attempt(fetched.body, source, fetched.media_type or None)
        return
    path = Path(source)
    if path.is_dir():
        files = sorted(
            p for p in path.iterdir() if p.suffix.lower() in SUMMARY_SUFFIXES
        )
        if not files:
            raise SourceError(
                f"{source}: no summary files here",
                hint=f"expected files ending in {', '.join(SUMMARY_SUFFIXES)}",
            )
        for file in files:
            try:
                data = _read_file(file)
            except SourceError as exc:
                yield ParseError(str(file), exc.message.partition(": ")[2])
                continue
            yield _attempt(data, str(file), None)
        return
    data = _read_file(path)
    if path.suffix.lower() in FEED_SUFFIXES or _looks_like_feed(data, ""):
        yield from _feed_entries(data, source)
    else:
        yield _attempt(data, source, None)


@dataclass
class Gathered:
    """What several sources hold: the summaries read, in the order given, and each
    source or entry that could not be read (with why) or is not a summary."""

    summaries: list[Summary] = field(default_factory=list)
    errors: list[CrosspostError] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def gather_summaries(
    sources: Sequence[str],
    settings: Settings,
    *,
    transport: httpx.BaseTransport | None = None,
) -> Gathered:
    """Every summary in `sources` (files, folders, post URLs, feeds), in order.

    One unreadable source or summary costs only itself: it is listed in `errors`. A
    summary met twice (a file also inside a given folder) is kept once."""
    gathered = Gathered()
    seen: set[str] = set()
    for source in sources:
        try:
            for item in iter_summaries(source, settings, transport=transport):
                if isinstance(item, Skipped):
                    gathered.skipped.append(item)
                elif isinstance(item, ParseError):
                    gathered.errors.append(item)
                else:
                    where = (
                        item.source if is_url(item.source) else _resolved(item.source)
                    )
                    if where not in seen:
                        seen.add(where)
                        gathered.summaries.append(item)
        except SourceError as exc:
            gathered.errors.append(exc)
    return gathered


def _resolved(path: str) -> str:
    try:
        return str(Path(path).resolve())
    except OSError:
        return path


def _check_summary_size(source: str, data: bytes) -> None:
    if len(data) > MAX_SUMMARY_BYTES:
        raise _too_large(source, len(data), MAX_SUMMARY_BYTES)


def _attempt(data: bytes, source: str, media_type: str | None) -> Summary | ParseError:
    try:
        return parse_summary(data, source, media_type=media_type)
    except ParseError as exc:
        return exc


def _read_file(path: Path) -> bytes:
    """The file's bytes; one larger than a summary or feed may be is never read."""
    try:
        size = path.stat().st_size
        limit = (
            MAX_FEED_BYTES
            if path.suffix.lower() in FEED_SUFFIXES
            else MAX_SUMMARY_BYTES
        )
        if size > limit:
            raise _too_large(str(path), size, limit)
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceError(
            f"{path}: no such file",
            hint="give a summary file (.txt, .md, .html), folder or URL",
        ) from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read: {exc.strerror}") from None


def _looks_like_feed(body: bytes, media_type: str) -> bool:
    if any(kind in media_type for kind in ("rss", "atom", "xml")):
        return True
    head = body[:512].lstrip().lower()
    return head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf"))


def _feed_entries(body: bytes, source: str) -> Iterator[Summary | ParseError | Skipped]:
    import feedparser

    feed: Any = feedparser.parse(body)
    if not feed.entries:
        reason = getattr(feed, "bozo_exception", None)
        raise SourceError(
            f"{source}: not an RSS or Atom feed with entries"
            + (f" ({type(reason).__name__})" if reason else ""),
            hint="check the feed address; the site's feed is usually /feed/",
        )
    for index, entry in enumerate(feed.entries, start=1):
        content = entry.get("content")
        html = content[0].get("value", "") if content else entry.get("summary", "")
        link = entry.get("link")
        where = f"{source} (entry {index}{': ' + link if link else ''})"
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        try:
            yield parse_html(
                html,
                where,
                title=entry.get("title"),
                url=link,
                published=date(*published[:3]) if published else None,
                tags=[
                    tag.get("term", "")
                    for tag in entry.get("tags", [])
                    if tag.get("term")
                ],
            )
        except ParseError as exc:
            yield Skipped(where, exc.message)
