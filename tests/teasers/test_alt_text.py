"""Alt text: the card's own words, at most 1,000 characters, never cut mid-word."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from crosspost.teasers.alt_text import ALT_TEXT_LIMIT, card_alt_text, shorten_words

TITLE = "Cooling vests and heat sensitivity in multiple sclerosis"
FINDING = "Wearing a cooling vest for an hour eased fatigue on hot days."


def test_alt_text_says_who_what_and_which_finding() -> None:
    """Organisation, title and numbered finding all appear, in reading order."""
    text = card_alt_text(
        title=TITLE,
        finding=FINDING,
        finding_number=2,
        organisation="Example MS Research",
    )
    assert text == (
        "Research summary card from Example MS Research. "
        f"Title: {TITLE}. Finding 2: {FINDING}"
    )


def test_alt_text_without_finding_or_organisation() -> None:
    """A title-only card from no named organisation still reads as a sentence."""
    text = card_alt_text(
        title=TITLE, finding=None, finding_number=None, organisation=" "
    )
    assert text == f"Research summary card. Title: {TITLE}."


def test_long_finding_is_shortened_first_at_a_word() -> None:
    """A long finding is cut at a word with an ellipsis; the title stays whole."""
    finding = "Relapse rates fell steadily across the cohort. " * 60
    text = card_alt_text(
        title=TITLE,
        finding=finding,
        finding_number=1,
        organisation="Example MS Research",
    )
    assert len(text) <= ALT_TEXT_LIMIT
    assert f"Title: {TITLE}." in text
    assert text.endswith("…")
    shown = text.split("Finding 1: ", 1)[1].removesuffix("…")
    assert finding.startswith(shown)
    assert finding[len(shown)] == " "


def test_huge_title_is_shortened_when_nothing_else_fits() -> None:
    """A title longer than the limit is itself shortened, and the finding left out."""
    title = "Very long title words " * 100
    text = card_alt_text(
        title=title, finding=FINDING, finding_number=1, organisation="Org"
    )
    assert len(text) <= ALT_TEXT_LIMIT
    assert "Finding" not in text
    assert text.endswith("…")


@given(
    title=st.text(max_size=3000),
    finding=st.one_of(st.none(), st.text(max_size=3000)),
    organisation=st.text(max_size=300),
)
def test_alt_text_never_passes_the_limit(
    title: str, finding: str | None, organisation: str
) -> None:
    """Whatever the input, alt text fits X's 1,000 characters."""
    text = card_alt_text(
        title=title, finding=finding, finding_number=1, organisation=organisation
    )
    assert len(text) <= ALT_TEXT_LIMIT


@given(
    words=st.lists(
        st.text(alphabet="abcdefghij", min_size=1, max_size=15), max_size=80
    ),
    limit=st.integers(min_value=1, max_value=400),
)
def test_shorten_words_never_cuts_a_word(words: list[str], limit: int) -> None:
    """Every word kept is a whole word of the input, in order, and the limit holds."""
    text = " ".join(words)
    short = shorten_words(text, limit)
    assert len(short) <= limit
    kept = short.removesuffix("…").split()
    assert kept == words[: len(kept)]


def test_shorten_words_leaves_short_text_alone() -> None:
    """Text within the limit only has its spacing tidied."""
    assert shorten_words("  Fatigue\n eased  ", 50) == "Fatigue eased"
