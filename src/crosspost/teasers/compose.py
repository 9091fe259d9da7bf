"""Composer: the per-summary work done once (sentences, tags), then each teaser's
template, content, fitting, warnings and card."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from crosspost.settings import Settings
from crosspost.summaries.model import Paragraph, Summary, without_prefix
from crosspost.teasers.clean import clean_summary, removal_warning
from crosspost.teasers.content import Content, Item, item_name
from crosspost.teasers.environment import TeaserEnvironment, TeaserTemplate
from crosspost.teasers.finding_chain import finding_chain
from crosspost.teasers.fit import CountingRule, FitError, Fitted, fit
from crosspost.teasers.hashtags import hashtag_count, select_hashtags
from crosspost.teasers.headline import headline_finding
from crosspost.teasers.links import tracked_url, utm_tags
from crosspost.teasers.model import Card, Teaser, TeaserPart
from crosspost.teasers.thread import thread_teaser

THREAD_PLATFORMS = frozenset({"x"})
# Draws (or fetches from a cache) the card of a summary for a platform and finding.
CardMaker = Callable[[Summary, str, Paragraph | None], Card]
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)


@dataclass(frozen=True)
class Draft:
    """One post before fitting: its template, content, and the fixed names."""

    template: TeaserTemplate
    content: Content
    names: dict[str, Any]


class Composer:
    """Per-summary work done once (sentences, tags), then the per-teaser steps."""

    def __init__(
        self,
        summary: Summary,
        settings: Settings,
        env: TeaserEnvironment,
        cards: bool,
        *,
        headline: int | None = None,
        card_maker: CardMaker | None = None,
    ) -> None:
        summary, self.removed = clean_summary(summary)
        self.summary = summary
        self.settings = settings
        self.env = env
        self.cards = cards
        self.card_maker = card_maker
        self.headline = headline_finding(summary, headline)
        title, subtitle = Content.split_title(without_prefix(summary.title))
        findings = _items("FINDING", summary.findings)
        by_number = {item.summary_number: item for item in findings}
        # What every draft starts from; each draft sheds from its own clone.
        self.content = Content(
            title=title,
            subtitle=subtitle,
            intro=Item.of("the intro", 0, summary.intro),
            what=Item.of("What?", 0, summary.what),
            who=Item.of("Who?", 0, summary.who),
            where=Item.of("Where?", 0, summary.where),
            when=Item.of("When?", 0, summary.when),
            backgrounds=_items("BACKGROUND", summary.backgrounds),
            findings=findings,
            thoughts=_items("THOUGHT", summary.thoughts),
            headline=by_number[self.headline.number] if self.headline else None,
        )
        self.tag_phrases = [*settings.teasers.hashtags, *summary.tags]
        self.summary_id = summary.id  # computed on every access, so read once
        self.ordered_tags: list[str] | None = None
        # The count of each chain post's template without its finding (thread.py).
        self.chain_bases: dict[object, int] = {}
        # By the summary's own number (FINDING #3), which keys the post (finding-3).
        self.by_number = by_number
        self.by_paragraph = {p.number: p for p in summary.findings}
        self.tagged_text = " ".join(
            [summary.title, summary.intro, summary.what or "", summary.who or ""]
            + [summary.where or "", summary.when or ""]
            + [
                p.text
                for p in (*summary.backgrounds, *summary.findings, *summary.thoughts)
            ]
        )

    def variant(
        self, platform: str, variant: str, rule: CountingRule, *, key: str | None = None
    ) -> list[tuple[str, Teaser | FitError]]:
        """Each teaser of `variant` by its key (only `key`'s, if given), or the
        FitError it raised."""
        findings = self.summary.findings
        keys: list[tuple[str, Paragraph | None]] = [(variant, None)]
        if variant == "finding":
            keys = [(f"finding-{f.number}", f) for f in findings]
        elif variant in ("thread", "recap") and not findings:
            keys = []
        if key is not None:
            keys = [(made, finding) for made, finding in keys if made == key]
        made: list[tuple[str, Teaser | FitError]] = []
        for name, finding in keys:
            try:
                if variant == "thread":
                    made.append((name, thread_teaser(self, platform, rule)))
                elif variant == "finding" and platform in THREAD_PLATFORMS:
                    assert finding is not None
                    made.append((name, finding_chain(self, rule, name, finding)))
                else:
                    made.append((name, self._single(rule, variant, name, finding)))
            except FitError as exc:
                made.append((name, exc))
        return made

    def _single(
        self, rule: CountingRule, variant: str, key: str, finding: Paragraph | None
    ) -> Teaser:
        platform = rule.platform
        link, tags = self.link(platform, key)
        draft = self.draft(
            platform, variant, key=key, link=link, tags=tags, finding=finding
        )
        draft.names.update(thread=False, part=1, parts=1, piece=1, pieces=1)
        fitted = self.fit_post(draft, rule, f"{platform} {key}")
        return self.teaser(rule, [(draft, fitted)], variant=variant, key=key, link=link)

    def link(self, platform: str, key: str) -> tuple[str | None, dict[str, str]]:
        tags = utm_tags(
            self.settings.utm,
            platform=platform,
            summary_id=self.summary_id,
            content=key,
        )
        link = tracked_url(self.summary.url, tags) if self.summary.url else None
        return link, tags

    def teaser(
        self,
        rule: CountingRule,
        posts: list[tuple[Draft, Fitted]],
        *,
        variant: str,
        key: str,
        link: str | None,
    ) -> Teaser:
        """The Teaser of fitted `posts` (one, or a thread's head and replies)."""
        platform = rule.platform
        hashtags: list[str] = []
        for draft, _ in posts:
            if "hashtags" in draft.template.uses:
                hashtags += [t for t in draft.content.hashtags if t not in hashtags]
        parts = [TeaserPart(text=post.wire, count=post.count) for _, post in posts]
        finding = posts[0][0].names["summary_number"]
        shown: dict[str, None] = {}
        if self.removed:
            for draft, _ in posts:
                uses = draft.template.uses
                if "title" in uses:
                    shown["the title"] = None
                for item in draft.content.passages(uses):
                    shown[item_name(item)] = None
        return Teaser(
            summary_id=self.summary_id,
            summary_title=self.summary.title,
            platform=platform,
            variant=variant,
            key=key,
            parts=tuple(parts),
            limit=rule.limit,
            link=link,
            hashtags=tuple(hashtags),
            card=self._card(platform, variant, finding) if self.cards else None,
            warnings=self._warnings(
                platform, parts, [step for _, f in posts for step in f.shed]
            )
            + tuple(
                removal_warning(label, self.removed[label])
                for label in shown
                if label in self.removed
            ),
        )

    def draft(
        self,
        platform: str,
        variant: str,
        *,
        key: str,
        link: str | None,
        tags: dict[str, str],
        finding: Paragraph | None,
    ) -> Draft:
        template = self.env.template(platform, variant)
        summary = self.summary
        content = self.content.shallow()
        if finding:
            content.finding = Item.copy(self.by_number.get(finding.number))
        content.hashtags = self._hashtags(platform, template.hashtag_count)
        names: dict[str, Any] = {
            "platform": platform,
            "variant": variant,
            "key": key,
            "link": None if platform == "instagram" else link,
            "link_wording": self.settings.teasers.instagram_link_wording,
            "utm": tags,
            "organisation": self.settings.branding.organisation,
            "summary_id": self.summary_id,
            "published": summary.published,
            # Position among the findings ("Finding 2 of 3"), whatever the summary's
            # numbering; summary_number is the summary's own (FINDING #3).
            "number": self.by_number[finding.number].number if finding else None,
            "summary_number": finding.number if finding else None,
            "total": len(summary.findings),
        }
        return Draft(template, content, names)

    def _hashtags(self, platform: str, count: int | None) -> list[str]:
        if self.ordered_tags is None:  # every tag in order, chosen once per summary
            self.ordered_tags = select_hashtags(
                self.tag_phrases,
                platform="",
                limit=len(self.tag_phrases),
                text=self.tagged_text,
            )
        return self.ordered_tags[: hashtag_count(platform, count)]

    def render(self, draft: Draft) -> str:
        """`draft` rendered as it stands, without fitting."""
        return draft.template.render({**draft.names, **draft.content.names()})

    def fit_post(
        self,
        draft: Draft,
        rule: CountingRule,
        label: str,
        *,
        shed: tuple[str, ...] | None = None,
    ) -> Fitted:
        def render(content: Content) -> str:
            return draft.template.render({**draft.names, **content.names()})

        return fit(
            draft.content,
            render,
            rule,
            shed=draft.template.shed if shed is None else shed,
            uses=draft.template.uses,
            what=label,
            template_path=draft.template.path,
        )

    def _warnings(
        self, platform: str, parts: list[TeaserPart], shed: list[str]
    ) -> tuple[str, ...]:
        warnings: list[str] = []
        if not self.summary.url:
            warnings.append("the summary has no url, so this teaser has no link")
        if platform == "instagram" and any(_URL.search(part.text) for part in parts):
            warnings.append(
                "the caption has a URL, which Instagram does not make clickable"
            )
        if shed:
            warnings.append(f"shortened to fit, giving up: {_gave_up(shed)}")
        return tuple(warnings)

    def _card(self, platform: str, variant: str, number: int | None) -> Card:
        finding = self.by_paragraph.get(number) if number is not None else None
        finding = finding or self.headline
        if self.card_maker is None:
            from crosspost.teasers.card_cache import CardCache

            settings = self.settings
            self.card_maker = CardCache(
                settings.branding, settings.state_dir / "cards"
            ).card
        return self.card_maker(self.summary, platform, finding)


def _gave_up(shed: list[str]) -> str:
    """'a sentence of FINDING #1' four times reads '4 sentences of FINDING #1'."""
    named = []
    for entry, times in Counter(shed).items():
        if times == 1:
            named.append(entry)
        elif entry.startswith("a sentence of "):
            named.append(f"{times} sentences of {entry.removeprefix('a sentence of ')}")
        else:
            named.append(f"{entry} ({times} times)")
    return ", ".join(named)


def _items(label: str, paragraphs: tuple[Paragraph, ...]) -> list[Item]:
    """By position among their kind ("Finding 2 of 3"), keeping the summary's own
    numbers (FINDING #3)."""
    return [
        Item.of(label, position, paragraph.text, paragraph.number)
        or Item(label, position, (), 0, paragraph.number)
        for position, paragraph in enumerate(paragraphs, start=1)
    ]
