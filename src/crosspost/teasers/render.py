"""render_all and render_teasers: one summary into each platform's teasers, fitted
and counted; a teaser that cannot fit is a FitError naming it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crosspost.errors import UsageError
from crosspost.settings import Settings
from crosspost.summaries.model import Summary
from crosspost.teasers import rules
from crosspost.teasers.compose import THREAD_PLATFORMS, CardMaker, Composer
from crosspost.teasers.environment import teaser_environment
from crosspost.teasers.fit import FitError
from crosspost.teasers.model import PLATFORMS, VARIANTS, Teaser, choose


def offers(platform: str, variant: str) -> bool:
    """Whether `platform` has `variant` at all (only X has threads)."""
    return variant != "thread" or platform in THREAD_PLATFORMS


@dataclass(frozen=True)
class Rendered:
    """Every teaser that fits, and a located FitError for each one that does not."""

    teasers: list[Teaser]
    failures: list[FitError]


def render_all(
    summary: Summary,
    settings: Settings,
    *,
    platforms: Sequence[str] | None = None,
    variants: Sequence[str] | None = None,
    cards: bool = False,
    headline: int | None = None,
    card_maker: CardMaker | None = None,
    key: str | None = None,
) -> Rendered:
    """Every teaser of `summary` for `platforms` (default: enabled) and `variants`,
    each fitted on its own: one that cannot fit costs only itself. With `key`, only
    the teasers of that key ("finding-2"): the others are not rendered at all.

    `headline` chooses the headline finding by its number (default: the summary's
    `headline`, else its first finding that reports a result, else FINDING #1); a
    number the summary lacks is a UsageError. `card_maker` draws (or fetches) each
    card when `cards` is true (default: a CardCache under `<state_dir>/cards`).

    A variant a platform lacks is skipped, unless no chosen platform has it
    (UsageError)."""
    chosen = (
        choose(platforms, PLATFORMS, "platform") if platforms else _enabled(settings)
    )
    wanted = choose(variants, VARIANTS, "variant") if variants else list(VARIANTS)
    for variant in wanted if variants else []:
        if not any(offers(platform, variant) for platform in chosen):
            raise UsageError(
                f"no chosen platform has the {variant!r} variant ({', '.join(chosen)})",
                hint=f"threads are for {', '.join(sorted(THREAD_PLATFORMS))} only",
            )
    composer = Composer(
        summary,
        settings,
        teaser_environment(settings.templates_dir),
        cards,
        headline=headline,
        card_maker=card_maker,
    )
    rendered = Rendered([], [])
    for platform in chosen:
        rule = rules.rule_for(platform)
        for variant in wanted:
            if not offers(platform, variant):
                continue
            for made, teaser in composer.variant(platform, variant, rule, key=key):
                if isinstance(teaser, FitError):
                    rendered.failures.append(teaser.located(platform, variant, made))
                else:
                    rendered.teasers.append(teaser)
    return rendered


def render_teasers(
    summary: Summary,
    settings: Settings,
    *,
    platforms: Sequence[str] | None = None,
    variants: Sequence[str] | None = None,
    cards: bool = False,
    headline: int | None = None,
    card_maker: CardMaker | None = None,
) -> list[Teaser]:
    """Like `render_all`, but all teasers or none: those that cannot fit are
    reported in one FitError."""
    rendered = render_all(
        summary,
        settings,
        platforms=platforms,
        variants=variants,
        cards=cards,
        headline=headline,
        card_maker=card_maker,
    )
    failures = rendered.failures
    if len(failures) == 1:
        raise failures[0]
    if failures:
        raise FitError(
            f"{len(failures)} teasers do not fit:\n  "
            + "\n  ".join(str(f) for f in failures)
        )
    return rendered.teasers


def _enabled(settings: Settings) -> list[str]:
    return [name for name in PLATFORMS if getattr(settings, name).enabled]
