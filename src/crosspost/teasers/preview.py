"""The preview page: one self-contained HTML file showing every post as it will look."""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import jinja2

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
_LITTLE_HASHTAG = re.compile(r"\{hashtag\|\\?#\|([^}]*)\}")
_LITTLE_MENTION = re.compile(r"@\[([^\]]*)\]\(urn:li:[^)]*\)")


@dataclass(frozen=True)
class PartView:
    """One post of a teaser as the page shows it."""

    number: int
    reader_text: str
    wire_text: str
    count: int
    status: str  # "ok", "near" or "over"
    status_label: str


@dataclass(frozen=True)
class TeaserView:
    """A teaser with what the page needs already worked out."""

    teaser: Teaser
    heading: str
    parts: tuple[PartView, ...]
    card_uri: str | None
    alt_length: int


def preview_html(
    summary: Summary, teasers: Sequence[Teaser], *, problems: Sequence[str] = ()
) -> str:
    """One HTML page, with no external resources or scripts, showing each teaser's
    text, count against the limit, card and alt text, warnings and `problems`."""
    groups: list[tuple[str, str, list[TeaserView]]] = []
    for platform in (
        *PLATFORMS,
        *sorted({t.platform for t in teasers} - set(PLATFORMS)),
    ):
        views = [_view(teaser) for teaser in teasers if teaser.platform == platform]
        if views:
            groups.append((platform, PLATFORM_NAMES.get(platform, platform), views))
    return _template().render(
        summary=summary,
        groups=groups,
        problems=list(problems),
        alt_limit=ALT_TEXT_LIMIT,
        near_percent=round(NEAR_LIMIT * 100),
    )


def linkedin_reader_text(wire: str) -> str:
    """LinkedIn's little-text `commentary` as readers see it: escapes, hashtag and
    mention templates turned back into plain text."""
    text = _LITTLE_HASHTAG.sub(lambda m: "#" + m.group(1), wire)
    text = _LITTLE_MENTION.sub(lambda m: m.group(1), text)
    return unescape_little_text(text)


def _view(teaser: Teaser) -> TeaserView:
    parts = tuple(
        PartView(
            number=number,
            reader_text=(
                linkedin_reader_text(part.text)
                if teaser.platform == "linkedin"
                else part.text
            ),
            wire_text=part.text,
            count=part.count,
            status=_status(part.count, teaser.limit),
            status_label=_status_label(part.count, teaser.limit),
        )
        for number, part in enumerate(teaser.parts, start=1)
    )
    heading = teaser.variant if teaser.key == teaser.variant else teaser.key
    card = teaser.card
    uri = None
    if card is not None:
        uri = f"data:{card.media_type};base64,{base64.b64encode(card.data).decode()}"
    return TeaserView(
        teaser=teaser,
        heading=heading,
        parts=parts,
        card_uri=uri,
        alt_length=len(card.alt_text) if card else 0,
    )


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


def _template() -> jinja2.Template:
    source = resources.files("crosspost.teasers").joinpath("preview.html.j2")
    environment = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.from_string(source.read_text(encoding="utf-8"))
