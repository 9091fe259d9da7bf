"""The preview page: one self-contained HTML file with an index of every post (status,
count against limit, warnings) and each post drawn as its platform shows it.

`build_page` takes sections (a summary and its entries: a Teaser, and optionally when
it is planned and what became of it), so the same page serves a preview and a dry-run
report.

Where a feed folds long text behind "…see more", the page marks the fold at the length
a phone shows (posttruncate.com/en/platform-limits, 2026): LinkedIn about 140
characters (210 on a desktop), Instagram about 125, a Facebook Page post about 110
(480 on a desktop). X shows a post of up to 280 characters whole; YouTube publishes no
fold for community posts, so none is drawn there.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from importlib import resources

import jinja2

from crosspost.report.entries import Account, Entry, Failure, Section
from crosspost.summaries.model import Summary
from crosspost.teasers.alt_text import ALT_TEXT_LIMIT
from crosspost.teasers.model import PLATFORMS, Teaser
from crosspost.teasers.rules import unescape_little_text

NEAR_LIMIT = 0.9
PLATFORM_NAMES = {
    "x": "X",
    "facebook": "Facebook Page",
    "instagram": "Instagram",
    "linkedin": "LinkedIn",
    "youtube": "YouTube community post (hand-off)",
}
# Characters shown before "…see more" on a phone (see the module docstring).
FOLDS: dict[str, int] = {"linkedin": 140, "instagram": 125, "facebook": 110}
FOLD_WORDS = {"linkedin": "…see more", "instagram": "… more", "facebook": "See more"}
_LITTLE_HASHTAG = re.compile(r"\{hashtag\|\\?#\|([^}]*)\}")
_LITTLE_MENTION = re.compile(r"@\[([^\]]*)\]\(urn:li:[^)]*\)")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class _Part:
    number: int
    wire_text: str
    before_fold: str
    after_fold: str
    count: int
    status: str  # "ok", "near" or "over"
    status_label: str


@dataclass(frozen=True)
class _Post:
    anchor: str
    entry: Entry
    platform_name: str
    heading: str
    parts: tuple[_Part, ...]
    card_uri: str | None
    status: str  # "fits" or "shortened"
    planned: str | None
    fold: int | None
    fold_word: str

    @property
    def teaser(self) -> Teaser:
        return self.entry.teaser


@dataclass(frozen=True)
class _Row:
    anchor: str
    summary_title: str
    platform: str
    platform_name: str
    heading: str
    status: str  # "fits", "shortened" or "fails"
    count: str
    planned: str | None
    outcome: str | None
    warnings: tuple[str, ...]


@dataclass
class _SectionView:
    anchor: str
    summary: Summary
    groups: list[tuple[str, str, list[_Post]]] = field(default_factory=list)
    failures: list[tuple[str, Failure]] = field(default_factory=list)


def build_page(
    sections: Sequence[Section],
    *,
    accounts: Mapping[str, Account] | None = None,
    title: str | None = None,
) -> str:
    """The page for `sections`: an index (one row per post and per failure, each
    linking to it), then each summary's posts drawn as their platforms show them.

    No script, no outside resource (cards are data URIs), every text escaped; the
    same input gives the same page."""
    accounts = accounts or {}
    views: list[_SectionView] = []
    index: list[tuple[_SectionView, list[_Row]]] = []
    for number, section in enumerate(sections, start=1):
        view = _SectionView(f"summary-{number}", section.summary)
        rows: list[_Row] = []
        for platform in _platform_order(section):
            posts = [
                _post(view.anchor, entry)
                for entry in section.entries
                if entry.teaser.platform == platform
            ]
            if posts:
                name = PLATFORM_NAMES.get(platform, platform)
                view.groups.append((platform, name, posts))
                rows += [_row(section.summary, post) for post in posts]
        for failure in section.failures:
            anchor = f"{view.anchor}-fails-{failure.platform}-{_slug(failure.key)}"
            view.failures.append((anchor, failure))
            rows.append(_failure_row(section.summary, anchor, failure))
        views.append(view)
        index.append((view, rows))
    every = [row for _, rows in index for row in rows]
    only = sections[0].summary.title if len(sections) == 1 else None
    return _template().render(
        title=title or (f"Preview: {only}" if only else "crosspost preview"),
        sections=views,
        index=index,
        several=len(sections) > 1,
        accounts=accounts,
        default_account=Account("Your organisation"),
        counts={
            status: sum(row.status == status for row in every)
            for status in ("fits", "shortened", "fails")
        },
        alt_limit=ALT_TEXT_LIMIT,
        folds=FOLDS,
    )


def preview_html(
    summary: Summary,
    teasers: Sequence[Teaser],
    *,
    problems: Sequence[str | Failure] = (),
    accounts: Mapping[str, Account] | None = None,
) -> str:
    """The page for one summary's teasers, with `problems` (FitError texts or
    Failures) for those that could not be made."""
    failures = [
        problem if isinstance(problem, Failure) else _failure_of(problem)
        for problem in problems
    ]
    entries = [Entry(teaser) for teaser in teasers]
    return build_page([Section(summary, entries, failures)], accounts=accounts)


def linkedin_reader_text(wire: str) -> str:
    """LinkedIn's little-text `commentary` as readers see it: escapes, hashtag and
    mention templates turned back into plain text."""
    text = _LITTLE_HASHTAG.sub(lambda m: "#" + m.group(1), wire)
    text = _LITTLE_MENTION.sub(lambda m: m.group(1), text)
    return unescape_little_text(text)


def fold_at(text: str, length: int | None) -> int:
    """Where a feed folds `text` shown `length` characters deep: the last space at or
    before it (the whole text when it is short enough, or there is no fold)."""
    if length is None or len(text) <= length:
        return len(text)
    cut = max(text.rfind(" ", 0, length + 1), text.rfind("\n", 0, length + 1))
    return cut if cut > 0 else length


def _platform_order(section: Section) -> list[str]:
    present = {entry.teaser.platform for entry in section.entries}
    return [*PLATFORMS, *sorted(present - set(PLATFORMS))]


def _post(section_anchor: str, entry: Entry) -> _Post:
    teaser = entry.teaser
    fold = FOLDS.get(teaser.platform)
    parts = []
    for number, part in enumerate(teaser.parts, start=1):
        reader = (
            linkedin_reader_text(part.text)
            if teaser.platform == "linkedin"
            else part.text
        )
        cut = fold_at(reader, fold)
        parts.append(
            _Part(
                number=number,
                wire_text=part.text,
                before_fold=reader[:cut],
                after_fold=reader[cut:],
                count=part.count,
                status=_status(part.count, teaser.limit),
                status_label=_status_label(part.count, teaser.limit),
            )
        )
    card = teaser.card
    uri = None
    if card is not None:
        uri = f"data:{card.media_type};base64,{base64.b64encode(card.data).decode()}"
    shortened = any(w.startswith("shortened to fit") for w in teaser.warnings)
    return _Post(
        anchor=f"{section_anchor}-{teaser.platform}-{_slug(teaser.key)}",
        entry=entry,
        platform_name=PLATFORM_NAMES.get(teaser.platform, teaser.platform),
        heading=_heading(teaser.variant, teaser.key),
        parts=tuple(parts),
        card_uri=uri,
        status="shortened" if shortened else "fits",
        planned=_when(entry.planned),
        fold=fold,
        fold_word=FOLD_WORDS.get(teaser.platform, "…see more"),
    )


def _row(summary: Summary, post: _Post) -> _Row:
    teaser = post.teaser
    count = f"{teaser.count}/{teaser.limit}"
    if len(teaser.parts) > 1:
        count = f"{len(teaser.parts)} posts, longest {count}"
    return _Row(
        anchor=post.anchor,
        summary_title=summary.title,
        platform=teaser.platform,
        platform_name=post.platform_name,
        heading=post.heading,
        status=post.status,
        count=count,
        planned=post.planned,
        outcome=post.entry.outcome,
        warnings=teaser.warnings,
    )


def _failure_row(summary: Summary, anchor: str, failure: Failure) -> _Row:
    return _Row(
        anchor=anchor,
        summary_title=summary.title,
        platform=failure.platform,
        platform_name=PLATFORM_NAMES.get(failure.platform, failure.platform),
        heading=_heading(failure.variant, failure.key),
        status="fails",
        count="—",
        planned=None,
        outcome=None,
        warnings=(failure.message,),
    )


def _failure_of(problem: str) -> Failure:
    """A Failure from a FitError's text ("x finding-2: …"), naming what it can."""
    head = problem.split(":", 1)[0].split()
    platform = head[0] if head and head[0] in PLATFORMS else "?"
    key = head[1] if len(head) > 1 else "?"
    return Failure(platform, key.split("-", 1)[0], key, problem)


def _heading(variant: str, key: str) -> str:
    if key == variant:
        return variant
    if key.startswith("finding-"):
        return f"finding #{key.removeprefix('finding-')}"
    return key


def _when(planned: datetime | None) -> str | None:
    if planned is None:
        return None
    zone = planned.tzname() or ""
    return f"{planned:%a %d %b %Y, %H:%M} {zone}".strip()


def _slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-") or "post"


def _status(count: int, limit: int) -> str:
    if count > limit:
        return "over"
    return "near" if count >= limit * NEAR_LIMIT else "ok"


def _status_label(count: int, limit: int) -> str:
    if count > limit:
        return f"over the limit by {count - limit}"
    if count >= limit * NEAR_LIMIT:
        return f"close to the limit: {limit - count} left"
    return f"{limit - count} left"


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    source = resources.files("crosspost.report").joinpath("preview.html.j2")
    environment = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.from_string(source.read_text(encoding="utf-8"))
