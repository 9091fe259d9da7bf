"""What compose produces: a Teaser per platform and variant,
with its card and alt text."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from crosspost.errors import UsageError

PLATFORMS: tuple[str, ...] = ("x", "facebook", "instagram", "linkedin", "youtube")
VARIANTS: tuple[str, ...] = ("announce", "finding", "recap", "thread")
# Each platform as people read its name (reports, notices, calendars).
PLATFORM_LABELS: dict[str, str] = {
    "x": "X",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "linkedin": "LinkedIn",
    "youtube": "YouTube",
}


def choose(names: Sequence[str], known: tuple[str, ...], kind: str) -> list[str]:
    """`names` in order, without repeats; a UsageError names any not in `known`."""
    unknown = [name for name in names if name not in known]
    if unknown:
        raise UsageError(
            f"unknown {kind} {', '.join(repr(name) for name in unknown)}",
            hint=f"choose from {', '.join(known)}",
        )
    return list(dict.fromkeys(names))


class Card(BaseModel):
    """An image card: encoded bytes plus the alt text that describes it."""

    model_config = ConfigDict(frozen=True)

    width: int
    height: int
    format: str  # "JPEG" or "PNG"
    data: bytes
    alt_text: str

    @property
    def media_type(self) -> str:
        return "image/jpeg" if self.format == "JPEG" else "image/png"


class TeaserPart(BaseModel):
    """One post as it will be sent.

    `text` is exactly what goes over the wire, `count` by the platform's rule.
    """

    model_config = ConfigDict(frozen=True)

    text: str
    count: int


class Teaser(BaseModel):
    """A post (or, for an X thread, a chain of posts) for one platform, variant and
    summary.

    `key` separates several teasers of one variant (the `finding` variant yields one
    per finding: key "finding-2"); with summary_id, platform and variant it identifies
    the post in the ledger.
    """

    model_config = ConfigDict(frozen=True)

    summary_id: str
    summary_title: str
    platform: str
    variant: str
    key: str
    parts: tuple[TeaserPart, ...]
    limit: int
    link: str | None = None
    hashtags: tuple[str, ...] = ()
    card: Card | None = None
    warnings: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return self.parts[0].text

    @property
    def count(self) -> int:
        return max(part.count for part in self.parts)
