"""Every post of a summary: each platform's every variant rendered on its own, so a
template's mistake costs only its variant and every one is reported; and each template
read for names it is never given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from crosspost.errors import CrosspostError
from crosspost.rehearsal.model import Problem
from crosspost.settings import Settings
from crosspost.summaries.model import Summary
from crosspost.teasers import rules
from crosspost.teasers.compose import CardMaker, Composer
from crosspost.teasers.environment import TeaserEnvironment, TemplateError
from crosspost.teasers.fit import FitError
from crosspost.teasers.model import VARIANTS, Teaser
from crosspost.teasers.render import offers
from crosspost.teasers.template_names import unknown_name_error, unknown_names


@dataclass
class SummaryPosts:
    """A summary's teasers, its problems, and the variants whose template failed."""

    summary: Summary
    teasers: list[Teaser] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    broken: set[tuple[str, str]] = field(default_factory=set)  # (platform, variant)


def variants_of(platform: str) -> list[str]:
    return [variant for variant in VARIANTS if offers(platform, variant)]


def check_templates(
    environment: TeaserEnvironment, platforms: Sequence[str]
) -> list[Problem]:
    """A problem for each name a template reads but is never given, and for each
    template that is missing or does not compile."""
    problems: list[Problem] = []
    for platform in platforms:
        for variant in variants_of(platform):
            try:
                environment.template(platform, variant)
                found = unknown_names(environment, platform, variant)
            except TemplateError as exc:
                problems.append(template_problem(exc, platform, variant))
                continue
            path = environment.path_of(platform, variant)
            for unknown in found:
                error = unknown_name_error(path, unknown)
                problems.append(template_problem(error, platform, variant))
    return problems


def render_summary(
    summary: Summary,
    settings: Settings,
    environment: TeaserEnvironment,
    platforms: Sequence[str],
    card_maker: CardMaker,
) -> SummaryPosts:
    """Every variant of every platform of `summary`, with its card."""
    made = SummaryPosts(summary)
    try:
        composer = Composer(summary, settings, environment, True, card_maker=card_maker)
    except CrosspostError as exc:
        made.problems.append(Problem("summary", exc.message, exc.hint, summary=summary))
        return made
    for platform in platforms:
        rule = rules.rule_for(platform)
        for variant in variants_of(platform):
            try:
                keyed = composer.variant(platform, variant, rule)
            except TemplateError as exc:
                problem = template_problem(exc, platform, variant)
                made.problems.append(problem)
                made.broken.add((platform, variant))
                continue
            except CrosspostError as exc:
                made.problems.append(
                    Problem(
                        "summary",
                        exc.message,
                        exc.hint,
                        summary=summary,
                        platform=platform,
                        variant=variant,
                    )
                )
                made.broken.add((platform, variant))
                continue
            for key, teaser in keyed:
                if isinstance(teaser, FitError):
                    made.problems.append(
                        Problem(
                            "fit",
                            teaser.message,
                            teaser.hint,
                            summary=summary,
                            platform=platform,
                            variant=variant,
                            key=key,
                        )
                    )
                else:
                    made.teasers.append(teaser)
    return made


def template_problem(exc: TemplateError, platform: str, variant: str) -> Problem:
    return Problem(
        "template",
        exc.message,
        exc.hint,
        platform=platform,
        variant=variant,
        file=exc.path,
        line=exc.line,
    )
