"""Tests for the guides in docs/: a page per platform, every page reachable from the
index and the README, and every CROSSPOST_* variable they name a real setting."""

from __future__ import annotations

import re

from crosspost.settings import Settings
from crosspost.settings_keys import unknown_in_variables
from crosspost.teasers.model import PLATFORMS

from .conftest import ROOT

DOCS = ROOT / "docs"


def test_each_platform_has_a_page_linked_from_the_index() -> None:
    """docs/index.md links a page for each of the five platforms and every other
    page in docs/, and the README links the index."""
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\(([\w-]+\.md)\)", index))
    assert {f"{name}.md" for name in PLATFORMS} <= linked
    assert linked == {page.name for page in DOCS.glob("*.md")} - {"index.md"}
    assert "(docs/index.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_variable_named_in_the_docs_is_a_setting() -> None:
    """A CROSSPOST_* variable in a guide that crosspost would refuse as unknown
    fails here (a renamed setting left behind in the docs)."""
    named = {
        name
        for page in DOCS.glob("*.md")
        for name in re.findall(
            r"CROSSPOST_[A-Z0-9_]+[A-Z0-9]", page.read_text(encoding="utf-8")
        )
    }
    assert "CROSSPOST_INSTAGRAM__CARD_BASE_URL" in named
    named -= {"CROSSPOST_CONFIG"}  # read by the command line, not a setting
    found = unknown_in_variables(dict.fromkeys(named, "x"), Settings, "docs")
    assert found == []
