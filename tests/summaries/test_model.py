"""Tests for the Summary model's identity rules: a stable id and a content hash."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from crosspost.summaries.model import Paragraph, Summary, summary_id


def make(**changes: object) -> Summary:
    fields: dict[str, object] = {
        "title": "Cooling vests and heat sensitivity in MS",
        "findings": (Paragraph(number=1, text="Vests shortened recovery."),),
    }
    fields.update(changes)
    return Summary.model_validate(fields)


@pytest.mark.parametrize(
    "title",
    [
        "Research Summary: Cooling vests and heat sensitivity in MS",
        "COOLING VESTS AND HEAT SENSITIVITY IN MS",
        "Cooling vests, and heat-sensitivity in MS!",
        "  Cooling   vests and heat sensitivity in MS ",
    ],
)
def test_id_ignores_prefix_case_punctuation_and_spacing(title: str) -> None:
    """The id depends on the title's words only."""
    assert summary_id(title) == make().id


def test_id_ignores_accents_but_not_words() -> None:
    """Accents fold away; a different word gives a different id."""
    assert summary_id("Café study") == summary_id("Cafe study")
    assert summary_id("Café study") != summary_id("Tea study")
    assert make().id.startswith("rs-")
    assert len(make().id) == 15


def test_content_hash_follows_content_not_metadata() -> None:
    """Editing a finding changes the hash; a new URL, source or tag does not."""
    base = make()
    edited = make(
        findings=(Paragraph(number=1, text="Vests shortened recovery a lot."),)
    )
    moved = make(url="https://x.org/p", source="elsewhere.txt", tags=("heat",))
    assert edited.content_hash != base.content_hash
    assert moved.content_hash == base.content_hash


def test_summary_is_frozen() -> None:
    """A parsed summary cannot be changed in place."""
    with pytest.raises(ValidationError):
        make().title = "Other"  # type: ignore[misc]
