"""render_teasers: one summary into each platform's teasers, fitted and counted."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from crosspost.errors import UsageError
from crosspost.settings import Settings
from crosspost.summaries.model import Paragraph, Summary
from crosspost.teasers import rules
from crosspost.teasers.environment import (
    TeaserEnvironment,
    TeaserTemplate,
    teaser_environment,
)
from crosspost.teasers.fit import Content, CountingRule, FitError, Fitted, Item, fit
from crosspost.teasers.hashtags import select_hashtags
from crosspost.teasers.links import tracked_url, utm_tags
from crosspost.teasers.model import PLATFORMS, VARIANTS, Card, Teaser, TeaserPart

THREAD_PLATFORMS = frozenset({"x"})
_TITLE_PREFIX = re.compile(r"^\s*research\s+summary\s*[:\-–—]\s*", re.IGNORECASE)
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)


def offers(platform: str, variant: str) -> bool:
    """Whether `platform` has `variant` at all (only X has threads)."""
    return variant != "thread" or platform in THREAD_PLATFORMS


def render_teasers(
    summary: Summary,
    settings: Settings,
    *,
    platforms: Sequence[str] | None = None,
    variants: Sequence[str] | None = None,
    cards: bool = False,
) -> list[Teaser]:
    """Every teaser of `summary` for `platforms` (default: enabled) and `variants`.

    A variant a platform lacks is skipped, unless no chosen platform has it
    (UsageError). All teasers that cannot fit are reported in one FitError."""
    chosen = (
        _choose(platforms, PLATFORMS, "platform") if platforms else _enabled(settings)
    )
    wanted = _choose(variants, VARIANTS, "variant") if variants else list(VARIANTS)
    for variant in wanted if variants else []:
        if not any(offers(platform, variant) for platform in chosen):
            raise UsageError(
                f"no chosen platform has the {variant!r} variant ({', '.join(chosen)})",
                hint=f"threads are for {', '.join(sorted(THREAD_PLATFORMS))} only",
            )
    composer = _Composer(
        summary, settings, teaser_environment(settings.templates_dir), cards
    )
    teasers: list[Teaser] = []
    failures: list[FitError] = []
    for platform in chosen:
        rule = rules.rule_for(platform)
        for variant in wanted:
            if not offers(platform, variant):
                continue
            try:
                teasers.extend(composer.variant(platform, variant, rule))
            except FitError as exc:
                failures.append(exc)
    if len(failures) == 1:
        raise failures[0]
    if failures:
        raise FitError(
            f"{len(failures)} teasers do not fit:\n  "
            + "\n  ".join(str(f) for f in failures)
        )
    return teasers


def _choose(names: Sequence[str], known: tuple[str, ...], kind: str) -> list[str]:
    unknown = [name for name in names if name not in known]
    if unknown:
        raise UsageError(
            f"unknown {kind} {', '.join(repr(name) for name in unknown)}",
            hint=f"choose from {', '.join(known)}",
        )
    return list(dict.fromkeys(names))


def _enabled(settings: Settings) -> list[str]:
    return [name for name in PLATFORMS if getattr(settings, name).enabled]


@dataclass(frozen=True)
class _Draft:
    """One post before fitting: its template, content, and the fixed names."""

    template: TeaserTemplate
    content: Content
    names: dict[str, Any]


class _Composer:
    """Per-summary work done once (sentences, tags), then the per-teaser steps."""

    def __init__(
        self, summary: Summary, settings: Settings, env: TeaserEnvironment, cards: bool
    ) -> None:
        self.summary = summary
        self.settings = settings
        self.env = env
        self.cards = cards
        self.title, self.subtitle = Content.split_title(
            _TITLE_PREFIX.sub("", summary.title)
        )
        self.scalars = {
            name: Item.of(f"{name.capitalize()}?", 0, getattr(summary, name))
            for name in ("what", "who", "where", "when")
        }
        self.scalars["intro"] = Item.of("the intro", 0, summary.intro)
        self.lists = {
            name: [_item(label, paragraph) for paragraph in getattr(summary, name)]
            for name, label in (
                ("backgrounds", "BACKGROUND"), ("findings", "FINDING"),
                ("thoughts", "THOUGHT"),
            )
        }  # fmt: skip
        self.tag_phrases = [*settings.teasers.hashtags, *summary.tags]
        self.summary_id = summary.id  # computed on every access, so read once
        self.hashtags: dict[tuple[str, int | None], list[str]] = {}
        self.by_number = {item.number: item for item in self.lists["findings"]}
        self.tagged_text = " ".join(
            [summary.title, summary.intro, summary.what or "", summary.who or ""]
            + [summary.where or "", summary.when or ""]
            + [
                p.text
                for p in (*summary.backgrounds, *summary.findings, *summary.thoughts)
            ]
        )

    def variant(self, platform: str, variant: str, rule: CountingRule) -> list[Teaser]:
        findings = self.summary.findings
        if variant == "finding":
            return [
                self._teaser(
                    platform, variant, f"finding-{f.number}", rule, [f], finding=f
                )
                for f in findings
            ]
        if variant == "thread":
            if not findings:
                return []
            return [self._teaser(platform, variant, "thread", rule, [None, *findings])]
        if variant == "recap" and not findings:
            return []
        return [self._teaser(platform, variant, variant, rule, [None])]

    def _teaser(
        self,
        platform: str,
        variant: str,
        key: str,
        rule: CountingRule,
        posts: list[Paragraph | None],
        *,
        finding: Paragraph | None = None,
    ) -> Teaser:
        """One teaser; a thread's `posts` are its head (None) and its replies."""
        tags = utm_tags(
            self.settings.utm,
            platform=platform,
            summary_id=self.summary_id,
            content=key,
        )
        link = tracked_url(self.summary.url, tags) if self.summary.url else None
        parts: list[TeaserPart] = []
        hashtags: list[str] = []
        shed: list[str] = []
        for index, reply_to in enumerate(posts, start=1):
            thread = variant == "thread"
            template_variant = "announce" if thread and reply_to is None else variant
            draft = self._draft(
                platform,
                template_variant,
                key=key,
                link=link,
                tags=tags,
                finding=reply_to or finding,
            )
            draft.names.update(thread=thread, part=index, parts=len(posts))
            label = f"{platform} {key}" + (
                f" part {index}/{len(posts)}" if thread else ""
            )
            fitted = self._fit(draft, rule, label)
            parts.append(TeaserPart(text=fitted.wire, count=fitted.count))
            if "hashtags" in draft.template.uses:
                hashtags += [
                    tag for tag in draft.content.hashtags if tag not in hashtags
                ]
            shed += fitted.shed
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
            warnings=self._warnings(platform, parts, shed),
        )

    def _draft(
        self,
        platform: str,
        variant: str,
        *,
        key: str,
        link: str | None,
        tags: dict[str, str],
        finding: Paragraph | None,
    ) -> _Draft:
        template = self.env.template(platform, variant)
        summary = self.summary
        findings = self.lists["findings"]
        content = Content(
            title=self.title,
            subtitle=self.subtitle,
            intro=Item.copy(self.scalars["intro"]),
            what=Item.copy(self.scalars["what"]),
            who=Item.copy(self.scalars["who"]),
            where=Item.copy(self.scalars["where"]),
            when=Item.copy(self.scalars["when"]),
            backgrounds=Item.copies(self.lists["backgrounds"]),
            findings=Item.copies(findings),
            thoughts=Item.copies(self.lists["thoughts"]),
            finding=Item.copy(self.by_number.get(finding.number)) if finding else None,
            headline=Item.copy(findings[0]) if findings else None,
            hashtags=self._hashtags(platform, template.hashtag_count),
        )
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
            "number": finding.number if finding else None,
            "total": len(summary.findings),
        }
        return _Draft(template, content, names)

    def _hashtags(self, platform: str, count: int | None) -> list[str]:
        key = (platform, count)
        if key not in self.hashtags:
            self.hashtags[key] = select_hashtags(
                self.tag_phrases, platform=platform, limit=count, text=self.tagged_text
            )
        return list(self.hashtags[key])

    def _fit(self, draft: _Draft, rule: CountingRule, label: str) -> Fitted:
        def render(content: Content) -> str:
            return draft.template.render({**draft.names, **content.names()})

        return fit(
            draft.content,
            render,
            rule,
            shed=draft.template.shed,
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
            warnings.append(f"shortened to fit, giving up: {', '.join(shed)}")
        return tuple(warnings)

    def _card(self, platform: str, variant: str, finding: Paragraph | None) -> Card:
        from crosspost.teasers.cards import make_card

        if finding is None and variant != "recap" and self.summary.findings:
            finding = self.summary.findings[0]
        return make_card(
            self.summary, platform, finding=finding, branding=self.settings.branding
        )


def _item(label: str, paragraph: Paragraph) -> Item:
    found = Item.of(label, paragraph.number, paragraph.text)
    return found or Item(label, paragraph.number, (), 0)
