"""An X finding as one post, or a numbered chain of self-replies when it does not fit
one: split between sentences (a sentence too long at a clause boundary, marked), the
link and hashtags closing the last post; nothing of the finding is left out."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from crosspost.summaries.model import Paragraph
from crosspost.teasers.chain import Estimate, packed, part_item
from crosspost.teasers.fit import CountingRule, FitError, Fitted
from crosspost.teasers.model import Teaser

if TYPE_CHECKING:
    from crosspost.teasers.compose import Composer, Draft


def finding_chain(
    composer: Composer, rule: CountingRule, key: str, finding: Paragraph
) -> Teaser:
    """One finding as a post, or a numbered chain of self-replies when it does not fit
    one; FitError only for a sentence with no clause boundary to go on from."""
    platform = rule.platform
    link, tags = composer.link(platform, key)

    def draft(segments: tuple[str, ...] | None, piece: int, pieces: int) -> Draft:
        made = composer.draft(
            platform, "finding", key=key, link=link, tags=tags, finding=finding
        )
        if segments is not None:
            made.content.finding = part_item(composer, finding, segments)
        made.names.update(
            thread=False, part=piece, parts=pieces, piece=piece, pieces=pieces
        )
        return made

    label = f"{platform} {key}"
    template = composer.env.template(platform, "finding")
    # Whole in one post, giving up only what the template sheds besides the finding
    # (not even tried when the finding alone is over the limit).
    keep_finding = tuple(s for s in template.shed if s != "later_sentences")
    whole = draft(None, 1, 1)
    estimate = Estimate(composer, rule)
    if estimate.may_fit_whole(whole, keep_finding, finding):
        try:
            fitted = composer.fit_post(whole, rule, label, shed=keep_finding)
            return composer.teaser(
                rule, [(whole, fitted)], variant="finding", key=key, link=link
            )
        except FitError:
            pass

    scratch = draft((), 1, 1)  # trials reuse one draft: only its finding changes

    def fits(bound: int) -> Callable[[int, tuple[str, ...]], bool]:
        def check(part: int, segments: tuple[str, ...]) -> bool:
            # Measured as a post before the last (the link closes the last one), with
            # numbers as wide as the chain's could be.
            piece = min(part + 1, bound - 1)
            made = scratch
            made.content.finding = part_item(composer, finding, segments)
            made.names.update(part=piece, parts=bound, piece=piece, pieces=bound)
            return estimate.fits(made, min(piece, 2), segments)

        return check

    def chain(parts: list[tuple[str, ...]]) -> list[tuple[Draft, Fitted]]:
        posts = []
        for piece, segments in enumerate(parts, start=1):
            made = draft(segments, piece, len(parts))
            # Only the last post, which the link closes, may have to give some up.
            shed = keep_finding if piece == len(parts) else ()
            fitted = composer.fit_post(made, rule, f"{label} part {piece}", shed=shed)
            posts.append((made, fitted))
        return posts

    parts = packed(finding, fits=fits, label=label, template_path=template.path)
    try:
        posts = chain(parts)
    except FitError:  # no room left for the link: it gets a post of its own
        posts = chain([*parts, ()])
    return composer.teaser(rule, posts, variant="finding", key=key, link=link)
