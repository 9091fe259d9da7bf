"""Read a summary in Markdown: optional YAML front matter, then the house format.

Front matter between `---` lines may give `url`, `date` (YYYY-MM-DD), `image`, `tags`
(a list or a comma-separated string), `title` (when the body has no title line),
`headline` (the number of the FINDING to lead with) and `order` (the FINDING numbers in
the order a campaign posts them, e.g. `[3, 1, 2]`); each number must be a FINDING of the
summary.
Headings (`# Research Summary: …`, `## Finding 1`) and bold labels (`**FINDING #1:**`)
read like the plain-text labels of `crosspost.summaries.text`.

Inline Markdown is rendered, per paragraph, to the text a reader sees:
- emphasis markers go only when they pair at word boundaries: a run of one to three `*`
  or `_` after a non-word character and before a non-space, closed by the same run after
  a non-space and before a non-word character. `*MS*`, `**FINDING #1:**` and `_Brain_`
  lose their markers; `p_value`, `snake_case_name`, `2 * 3`, `a*b*c` and an unpaired
  `*` stay as written;
- `[text](url)` becomes `text (url)`, `<https://…>` becomes the URL, an image is dropped
  (the first one is the summary's image when the front matter names none), `` `code` ``
  loses its backticks and keeps its content literally, `\\*` leaves `*`, a `\\` ending
  a line (a hard break) goes, entities (`&amp;`, `&nbsp;`, `&#8211;`) become characters;
- URLs, bare or in links, are never altered.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import yaml

from crosspost.summaries._assemble import assemble
from crosspost.summaries.errors import ParseError
from crosspost.summaries.model import Summary
from crosspost.summaries.text import split_blocks

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_RULE = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+)$")
_FENCE = re.compile(r" {0,3}(?:```|~~~)")
_QUOTE = re.compile(r"(?: {0,3}>[ \t]?)+")

_KEEP = re.compile("\ue000([0-9]+)\ue001")
_CODE = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_HARD_BREAK = re.compile(r"\\\n")
_ENTITY = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
_TARGET = (
    r"\(\s*(?:<([^<>\n]*)>|((?:[^\s()]|\([^\s()]*\))+))"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
_IMAGE = re.compile(r"!\[([^\[\]]*)\]" + _TARGET)
_LINK = re.compile(r"\[([^\[\]]*)\]" + _TARGET)
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^\s<>]+)>")
_BARE_URL = re.compile(r"https?://[^\s<>\[\]]*[^\s<>\[\]*_.,;:!?'\")]")
_EMPHASIS = re.compile(
    r"(?<![\w*_\\])(?P<mark>\*{1,3}|_{1,3})(?![\s*_])(?P<body>.+?)(?<![\s*_\\])(?P=mark)(?![\w*_])",
    re.DOTALL,
)


def render_inline(text: str, images: list[str] | None = None) -> str:
    """Render inline Markdown as the module docstring says; newlines are kept."""
    kept: list[str] = []

    def keep(value: str) -> str:
        kept.append(value)
        return f"\ue000{len(kept) - 1}\ue001"

    def link(found: re.Match[str]) -> str:
        label, url = found[1], found[2] if found[2] is not None else found[3]
        if not label.strip() or label.strip() == url:
            return keep(url)
        return f"{label} ({keep(url)})"

    def image(found: re.Match[str]) -> str:
        if images is not None:
            images.append(found[2] if found[2] is not None else found[3])
        return "\n" * found[0].count("\n")

    # Each pass runs only when its marker occurs: most paragraphs need few of them.
    if "`" in text:
        text = _CODE.sub(lambda found: keep(found[2]), text)
    if "\\" in text:
        text = _ESCAPE.sub(lambda found: keep(found[1]), _HARD_BREAK.sub("\n", text))
    if "](" in text:
        text = _IMAGE.sub(image, text)
        text = _LINK.sub(link, text)
    if "<" in text:
        text = _AUTOLINK.sub(lambda found: keep(found[1]), text)
    if "://" in text:
        text = _BARE_URL.sub(lambda found: keep(found[0]), text)
    if "&" in text:
        text = _ENTITY.sub(lambda found: keep(html.unescape(found[0])), text)
    for _ in range(3):
        if "*" not in text and "_" not in text:
            break
        text, count = _EMPHASIS.subn(lambda found: found["body"], text)
        if not count:
            break
    if not kept:
        return text

    def restore(found: re.Match[str]) -> str:
        index = int(found[1])
        return kept[index] if index < len(kept) else found[0]

    return _KEEP.sub(restore, text)


def _front_matter(lines: list[str], source: str) -> tuple[dict[str, Any], int]:
    if not lines or lines[0].strip() != "---":
        return {}, 0
    close = next(
        (i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None
    )
    if close is None:
        raise ParseError(
            source,
            "front matter opened with '---' is never closed",
            line=1,
            hint="end the front matter with a line '---'",
        )
    try:
        meta = yaml.safe_load("\n".join(lines[1:close]))
    except (
        yaml.YAMLError,
        ValueError,
        TypeError,
        OverflowError,
        RecursionError,
    ) as error:
        mark = getattr(error, "problem_mark", None)
        line = 2 + mark.line if mark is not None else 1
        raise ParseError(
            source,
            f"front matter is not valid YAML ({type(error).__name__})",
            line=line,
            hint="write it as 'key: value' lines, e.g. 'date: 2024-03-05'",
        ) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ParseError(
            source,
            "front matter is not a set of 'key: value' fields",
            line=2,
            hint="write it as 'key: value' lines (url, date, image, tags)",
        )
    return meta, close + 1


def _field_error(lines: list[str], source: str, key: str, expected: str) -> ParseError:
    line = next(
        (i + 1 for i, text in enumerate(lines) if text.startswith(f"{key}:")), None
    )
    return ParseError(
        source,
        f"front matter field '{key}' must be {expected}",
        line=line,
        hint=f"fix '{key}:' in the front matter",
    )


def _meta_text(
    meta: dict[str, Any], key: str, fail: Callable[[str, str], ParseError]
) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise fail(key, "text")
    return str(value).strip() or None


def _meta_date(value: object, fail: Callable[[str, str], ParseError]) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip()).date()
        except ValueError:
            pass
    raise fail("date", "a date written YYYY-MM-DD")


def _meta_tags(value: object, fail: Callable[[str, str], ParseError]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [tag.strip() for tag in value.split(",")]
    if isinstance(value, list) and all(
        isinstance(tag, str | int | float) and not isinstance(tag, bool)
        for tag in value
    ):
        return [str(tag) for tag in value]
    raise fail("tags", "a list of words or a comma-separated string")


def _body_lines(lines: list[str], offset: int) -> list[tuple[int, str]]:
    """Headings stand alone, rules and fences break paragraphs, quote markers go."""
    out: list[tuple[int, str]] = []
    for number, raw in enumerate(lines[offset:], offset + 1):
        heading = _ATX.match(raw)
        if heading:
            out += [(number, ""), (number, heading[2] or ""), (number, "")]
        elif _RULE.match(raw) or _FENCE.match(raw):
            out.append((number, ""))
        else:
            out.append(
                (
                    number,
                    _QUOTE.sub("", raw, count=1) if raw.lstrip()[:1] == ">" else raw,
                )
            )
    return out


def _rendered(lines: list[tuple[int, str]], images: list[str]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    run: list[tuple[int, str]] = []
    for item in [*lines, (0, "")]:
        if item[1].strip():
            run.append(item)
            continue
        if run:
            texts = render_inline("\n".join(text for _, text in run), images).split(
                "\n"
            )
            if len(texts) != len(run):
                texts = [render_inline(text, images) for _, text in run]
            out += zip((number for number, _ in run), texts, strict=True)
            run = []
        out.append(item)
    return out


def parse_markdown(text: str, source: str) -> Summary:
    """Parse a Markdown summary, front matter first; ParseError names the line."""
    lines = text.splitlines()
    meta, offset = _front_matter(lines, source)

    def fail(key: str, expected: str) -> ParseError:
        return _field_error(lines[:offset], source, key, expected)

    images: list[str] = []
    body = _rendered(_body_lines(lines, offset), images)
    title = _meta_text(meta, "title", fail)
    blocks, end_line = split_blocks(body, title_line=title is None)
    summary = assemble(
        blocks,
        source,
        end_line=end_line,
        title=title,
        title_first=title is None,
        url=_meta_text(meta, "url", fail),
        published=_meta_date(meta.get("date"), fail),
        image_url=_meta_text(meta, "image", fail) or (images[0] if images else None),
        tags=_meta_tags(meta.get("tags"), fail),
    )
    numbers = [finding.number for finding in summary.findings]
    headline = _meta_numbers(meta, "headline", numbers, fail, single=True)
    order = _meta_numbers(meta, "order", numbers, fail, single=False)
    if headline is None and order is None:
        return summary
    return summary.model_copy(
        update={"headline": headline[0] if headline else None, "finding_order": order}
    )


def _meta_numbers(
    meta: dict[str, Any],
    key: str,
    findings: list[int],
    fail: Callable[[str, str], ParseError],
    *,
    single: bool,
) -> tuple[int, ...] | None:
    """`headline: 2` or `order: [3, 1, 2]`: FINDING numbers of the summary, once."""
    value = meta.get(key)
    if value is None:
        return None
    values = [value] if single else value
    present = ", ".join(f"#{n}" for n in findings)
    wanted = (
        "a FINDING number" if single else "a list of FINDING numbers, e.g. [3, 1, 2]"
    )
    if not isinstance(values, list) or not values:
        raise fail(key, f"{wanted} (the summary has {present})")
    for number in values:
        if not isinstance(number, int) or isinstance(number, bool):
            raise fail(key, f"{wanted}, not {number!r}")
        if number not in findings:
            raise fail(key, f"{wanted}: there is no FINDING #{number} ({present})")
    if len(set(values)) != len(values):
        repeated = sorted({n for n in values if values.count(n) > 1})
        raise fail(key, f"{wanted} without repeats (#{repeated[0]} is twice)")
    return tuple(values)
