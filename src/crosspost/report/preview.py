"""The preview page: one self-contained HTML file with an index of every post (status,
count against limit, warnings) and each post drawn as its platform shows it.

`build_page` takes sections (a summary and its entries: a Teaser, and optionally when
it is planned and what became of it), so the same page serves a preview and a dry-run
report; `page_chunks` gives the same page piece by piece, to write a large one without
holding it whole. Folds and counts are drawn as `post_text` says.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from importlib import resources

import jinja2

from crosspost.report.card_images import CardImages
from crosspost.report.entries import Account, Entry, Failure, Section
from crosspost.report.post_text import (
    FOLD_WORDS,
    FOLDS,
    count_label,
    count_status,
    fold_at,
    heading,
    linkedin_reader_text,
    slug,
    when,
)
from crosspost.summaries.model import Summary
from crosspost.teasers.alt_text import ALT_TEXT_LIMIT
from crosspost.teasers.model import PLATFORMS, Teaser

__all__ = ["FOLDS", "build_page", "fold_at", "linkedin_reader_text", "page_chunks"]
PLATFORM_NAMES = {
    "x": "X",
    "facebook": "Facebook Page",
    "instagram": "Instagram",
    "linkedin": "LinkedIn",
    "youtube": "YouTube community post (hand-off)",
}


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
    card_uri: str | None  # the card inline, drawn whole
    card_class: str | None  # or the class of its shared, reduced image
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

    @property
    def failure_heading(self) -> str:
        count = len(self.failures)
        if all(failure.kind == "fit" for _, failure in self.failures):
            return f"{count} {'post does' if count == 1 else 'posts do'} not fit"
        return f"{count} {'post fails' if count == 1 else 'posts fail'}"


def build_page(
    sections: Sequence[Section],
    *,
    accounts: Mapping[str, Account] | None = None,
    title: str | None = None,
    kind: str = "preview",
    problems: Sequence[str] = (),
    notes: Sequence[str] = (),
    schedule: bool = False,
    cards: CardImages | None = None,
) -> str:
    """The page for `sections`: an index (one row per post and per failure, each
    linking to it), then each summary's posts drawn as their platforms show them.

    `kind` names the page in its header ("preview", "dry run"); `problems` and
    `notes` not tied to one post are shown above the index; `schedule` adds every
    planned post in time order; `cards` shows each distinct card once, reduced
    (default: every card inline, whole).

    No script, no outside resource (cards are data URIs), every text escaped; the
    same input gives the same page."""
    return "".join(
        page_chunks(
            sections,
            accounts=accounts,
            title=title,
            kind=kind,
            problems=problems,
            notes=notes,
            schedule=schedule,
            cards=cards,
        )
    )


def page_chunks(
    sections: Sequence[Section],
    *,
    accounts: Mapping[str, Account] | None = None,
    title: str | None = None,
    kind: str = "preview",
    problems: Sequence[str] = (),
    notes: Sequence[str] = (),
    schedule: bool = False,
    cards: CardImages | None = None,
) -> Iterator[str]:
    """`build_page`'s page, piece by piece."""
    accounts = accounts or {}
    views: list[_SectionView] = []
    index: list[tuple[_SectionView, list[_Row]]] = []
    for number, section in enumerate(sections, start=1):
        view = _SectionView(f"summary-{number}", section.summary)
        rows: list[_Row] = []
        for platform in _platform_order(section):
            posts = [
                _post(view.anchor, entry, cards)
                for entry in section.entries
                if entry.teaser.platform == platform
            ]
            if posts:
                name = PLATFORM_NAMES.get(platform, platform)
                view.groups.append((platform, name, posts))
                rows += [_row(section.summary, post) for post in posts]
        for failure in section.failures:
            anchor = f"{view.anchor}-fails-{failure.platform}-{slug(failure.key)}"
            view.failures.append((anchor, failure))
            rows.append(_failure_row(section.summary, anchor, failure))
        views.append(view)
        index.append((view, rows))
    every = [row for _, rows in index for row in rows]
    only = sections[0].summary.title if len(sections) == 1 else None
    return _template().generate(
        title=title or (f"Preview: {only}" if only else "crosspost preview"),
        kind=kind,
        problems=problems,
        notes=notes,
        schedule=_schedule(views) if schedule else None,
        card_rules=cards.rules if cards is not None else [],
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


def _platform_order(section: Section) -> list[str]:
    present = {entry.teaser.platform for entry in section.entries}
    return [*PLATFORMS, *sorted(present - set(PLATFORMS))]


def _post(section_anchor: str, entry: Entry, cards: CardImages | None) -> _Post:
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
                status=count_status(part.count, teaser.limit),
                status_label=count_label(part.count, teaser.limit),
            )
        )
    card = teaser.card
    uri = css_class = None
    if card is not None and cards is not None:
        css_class = cards.css_class(card)
    elif card is not None:
        uri = f"data:{card.media_type};base64,{base64.b64encode(card.data).decode()}"
    shortened = any(w.startswith("shortened to fit") for w in teaser.warnings)
    return _Post(
        anchor=f"{section_anchor}-{teaser.platform}-{slug(teaser.key)}",
        entry=entry,
        platform_name=PLATFORM_NAMES.get(teaser.platform, teaser.platform),
        heading=heading(teaser.variant, teaser.key),
        parts=tuple(parts),
        card_uri=uri,
        card_class=css_class,
        status="shortened" if shortened else "fits",
        planned=when(entry.planned),
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
        heading=heading(failure.variant, failure.key),
        status="fails",
        count="—",
        planned=None,
        outcome=None,
        warnings=(failure.message,),
    )


def _schedule(views: Sequence[_SectionView]) -> list[tuple[_SectionView, _Post]]:
    """Every planned post, in time order."""
    planned: list[tuple[datetime, str, _SectionView, _Post]] = []
    for view in views:
        for _, _, posts in view.groups:
            for post in posts:
                if post.entry.planned is not None:
                    planned.append((post.entry.planned, post.anchor, view, post))
    planned.sort(key=lambda item: (item[0], item[1]))
    return [(view, post) for _, _, view, post in planned]


def _failure_of(problem: str) -> Failure:
    """A Failure from a FitError's text ("x finding-2: …"), naming what it can."""
    head = problem.split(":", 1)[0].split()
    platform = head[0] if head and head[0] in PLATFORMS else "?"
    key = head[1] if len(head) > 1 else "?"
    return Failure(platform, key.split("-", 1)[0], key, problem)


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
