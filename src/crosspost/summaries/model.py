"""The Summary model: one research summary as the website publishes it, in order."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, computed_field


class Paragraph(BaseModel):
    """A numbered BACKGROUND, FINDING or THOUGHT paragraph.

    `text` keeps words and punctuation exactly.
    """

    model_config = ConfigDict(frozen=True)

    number: int
    text: str


class Summary(BaseModel):
    """A parsed research summary plus what its source knows about it."""

    model_config = ConfigDict(frozen=True)

    title: str
    intro: str = ""
    what: str | None = None
    who: str | None = None
    where: str | None = None
    when: str | None = None
    backgrounds: tuple[Paragraph, ...] = ()
    findings: tuple[Paragraph, ...] = ()
    thoughts: tuple[Paragraph, ...] = ()
    url: str | None = None
    published: date | None = None
    image_url: str | None = None
    tags: tuple[str, ...] = ()
    headline: int | None = Field(
        default=None, description="the FINDING number chosen as the headline, if any"
    )
    finding_order: tuple[int, ...] | None = Field(
        default=None, description="the order a campaign posts the findings in, if set"
    )
    source: str = Field(default="", description="where it was read from (path or URL)")
    warnings: tuple[str, ...] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def id(self) -> str:
        """Stable across sources and small edits.

        Derived from the paper title's words only.
        """
        return summary_id(self.title)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def content_hash(self) -> str:
        """Changes whenever any content field changes, so an edited summary is
        noticed."""
        content = self.model_dump(
            mode="json",
            include={
                "title",
                "intro",
                "what",
                "who",
                "where",
                "when",
                "backgrounds",
                "findings",
                "thoughts",
            },
        )
        blob = json.dumps(content, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


_TITLE_PREFIX = re.compile(r"^\s*research\s+summary\s*[:\-–—]\s*", re.IGNORECASE)
_NON_WORD = re.compile(r"[^0-9a-z]+")


def without_prefix(title: str) -> str:
    """`title` without a leading `Research Summary:` (or `-`, `–`, `—`)."""
    return _TITLE_PREFIX.sub("", title)


def summary_id(title: str) -> str:
    """`rs-` + a hash of the title's letters and digits, case, accents, punctuation
    and spacing ignored."""
    bare = without_prefix(title)
    folded = unicodedata.normalize("NFKD", bare.casefold())
    letters = "".join(ch for ch in folded if not unicodedata.combining(ch))
    key = _NON_WORD.sub(" ", letters).strip()
    return "rs-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
