"""X's weighted length against twitter-text's conformance data and teaser cases."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import SHARED

from crosspost.teasers.twitter_text import (
    _EMOJI,
    V2,
    V3,
    TextConfig,
    emoji_spans,
    parse_tweet,
    weighted_length,
)
from crosspost.teasers.twitter_urls import _urls_in, extract_urls, url_spans

VALIDATE = SHARED / "conformance/twitter-text/validate.yml"
# The config each section's upstream runner uses (rb/test/conformance_test.rb, Java's
# ConformanceTest): the directional-marker cases run with the library default, v3.
SECTIONS: dict[str, TextConfig] = {
    "WeightedTweetsCounterTest": V2,
    "WeightedTweetsWithDiscountedEmojiCounterTest": V3,
    "UnicodeDirectionalMarkerCounterTest": V3,
}


def _conformance_cases() -> list[Any]:
    if not VALIDATE.is_file():
        return [pytest.param(None, None, None, id="validate.yml-absent")]
    tests = yaml.safe_load(VALIDATE.read_text(encoding="utf-8"))["tests"]
    return [
        pytest.param(section, case["text"], case["expected"], id=f"{section}-{index}")
        for section in SECTIONS
        for index, case in enumerate(tests[section])
    ]


@pytest.mark.parametrize(("section", "text", "expected"), _conformance_cases())
def test_conformance_case(
    section: str | None, text: str | None, expected: dict[str, Any] | None
) -> None:
    """Every weighted-length case in validate.yml gives all seven expected fields."""
    if section is None or text is None:
        pytest.skip(
            "../shared/conformance/twitter-text/validate.yml is not beside the repo: "
            "the conformance cases are read from it at test time"
        )
    assert parse_tweet(text, SECTIONS[section]).as_dict() == expected


def test_conformance_file_has_the_44_weighted_cases() -> None:
    """The three weighted sections hold the 20 + 22 + 2 cases this suite runs."""
    if not VALIDATE.is_file():
        pytest.skip(
            "../shared/conformance/twitter-text/validate.yml is not beside the repo"
        )
    tests = yaml.safe_load(VALIDATE.read_text(encoding="utf-8"))["tests"]
    assert [len(tests[section]) for section in SECTIONS] == [20, 22, 2]


def test_url_with_balanced_parentheses_counts_23() -> None:
    """A Wikipedia-style path with (parentheses) is one URL, weighing 23."""
    url = "https://en.wikipedia.org/wiki/Multiple_sclerosis_(disease)"
    text = f"Background reading: {url} explains relapses."
    assert url_spans(text) == [(20, 20 + len(url))]
    assert weighted_length(text) == len(text) - len(url) + 23


def test_url_inside_parentheses_leaves_the_closing_one_out() -> None:
    """In "(see URL)" the closing parenthesis is text, not part of the URL."""
    text = "Myelin repair (see https://example.org/ms-repair) slowed disability."
    (start, end) = url_spans(text)[0]
    assert text[start:end] == "https://example.org/ms-repair"
    assert weighted_length(text) == len(text) - (end - start) + 23


def test_url_followed_by_full_stop_leaves_the_stop_out() -> None:
    """A sentence's full stop after a URL is counted as text, the URL as 23."""
    text = "Read the summary at https://research.example.org/ms/remyelination."
    (start, end) = url_spans(text)[0]
    assert text[end:] == "."
    assert weighted_length(text) == start + 23 + 1


def test_domain_without_protocol_counts_as_url() -> None:
    """X links a bare domain with a known TLD, so it weighs 23 too."""
    text = "More at ms-research.example.org/trial today"
    assert [text[a:b] for a, b in url_spans(text)] == ["ms-research.example.org/trial"]
    assert weighted_length(text) == len("More at ") + 23 + len(" today")


def test_short_cctld_domain_needs_a_path() -> None:
    """ "notes.md" is no link (two-letter ccTLD, no path); "notes.md/x" is one."""
    assert url_spans("see notes.md now") == []
    assert url_spans("see notes.md/x now") == [(4, 14)]


def test_unknown_tld_is_plain_text() -> None:
    """A file name whose suffix is no TLD ("data.csv") counts character by character."""
    assert weighted_length("Open data.csv for the MRI volumes") == 33


def test_cjk_weighs_two_per_character() -> None:
    """Chinese and Japanese characters weigh 2; ASCII beside them weighs 1."""
    assert weighted_length("多发性硬化症") == 12
    assert weighted_length("MS 研究") == 3 + 4


def test_teaser_emoji_count_once_under_v3() -> None:
    """ZWJ, skin tone, flag, keycap and tag sequences each weigh 2 once under v3."""
    sequences = ["👩🏽‍🔬", "🧑‍⚕️", "👍🏿", "🇪🇺", "1️⃣", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "🧠"]
    text = "New MS finding " + " ".join(sequences)
    assert len(emoji_spans(text)) == len(sequences)
    assert weighted_length(text) == 15 + 2 * len(sequences) + len(sequences) - 1


def test_v2_counts_each_code_point_of_an_emoji_sequence() -> None:
    """Without emoji parsing, a scientist emoji is 4 code points: 2 + 2 + 1 + 2."""
    assert weighted_length("👩🏽‍🔬", V2) == 7
    assert weighted_length("👩🏽‍🔬", V3) == 2


def test_text_style_symbol_needs_variation_selector_to_be_emoji() -> None:
    """ "©" alone weighs 1; "©️" is an emoji (2); "☺︎" stays text: 2 + 2."""
    assert weighted_length("©") == 1
    assert weighted_length("©\ufe0f") == 2
    assert weighted_length("☺\ufe0e") == 4


def test_decomposed_accents_count_as_composed() -> None:
    """NFC first: "Zürich" typed with a combining diaeresis still counts 6."""
    decomposed = unicodedata.normalize("NFD", "Zürich")
    assert len(decomposed) == 7
    assert weighted_length(decomposed) == 6


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_blank_text_is_empty_and_invalid(text: str) -> None:
    """An empty or blank post weighs 0 and is not valid."""
    result = parse_tweet(text)
    assert (result.weighted_length, result.valid) == (0, False)


def test_over_limit_valid_range_stops_before_the_overflowing_emoji() -> None:
    """At weight 279 an emoji (2) overflows: the valid range ends just before it."""
    text = "x" * 279 + "🧠" + "y"
    result = parse_tweet(text)
    assert (result.weighted_length, result.valid) == (282, False)
    assert result.valid_range_end == 278
    assert result.display_range_end == 279 + 2


def test_refused_character_makes_post_invalid() -> None:
    """A byte-order mark inside the text makes X refuse the post."""
    result = parse_tweet("Myelin\ufeffrepair")
    assert not result.valid
    assert result.valid_range_end == 5


def test_as_dict_uses_twitter_text_field_names() -> None:
    """as_dict gives the seven camelCase fields of validate.yml."""
    assert parse_tweet("MS").as_dict() == {
        "weightedLength": 2,
        "valid": True,
        "permillage": 7,
        "displayRangeStart": 0,
        "displayRangeEnd": 1,
        "validRangeStart": 0,
        "validRangeEnd": 1,
    }


@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E)))
def test_ascii_text_without_dot_weighs_its_length(text: str) -> None:
    """Printable ASCII with no "." holds no URL or emoji: one per character."""
    text = text.replace(".", "")
    assert weighted_length(text) == len(text)


@given(st.text(alphabet="abc 多é🧠.", max_size=300))
def test_valid_range_is_whole_text_exactly_when_within_limit(text: str) -> None:
    """A valid post's valid range covers it all; a too long one's stops short."""
    result = parse_tweet(text)
    if result.valid:
        assert result.valid_range_end == result.display_range_end
    elif result.weighted_length > 280:
        assert result.valid_range_end < result.display_range_end


_PIECES = [
    "https://", "http://", "www", "example", "ms-lab", ".", "org", "com", "md", "co",
    "/", "x", " ", "(", ")", "。", "多", "é", "t.co", "-", "_", "@", "#", "?", "=",
    "🧠", "\u200d", "👩", "🏽", "1", "\ufe0f", "\u20e3", "©", "☺", "\ufe0e", "🇪", "🇺",
]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_chunked_url_scan_finds_what_a_whole_text_scan_finds(text: str) -> None:
    """Scanning only the dotted chunks gives the same URLs as scanning everything."""
    whole = _urls_in(text, 0, len(text)) if "." in text else []
    assert extract_urls(text) == whole


@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_emoji_scan_from_first_hint_finds_what_a_full_scan_finds(text: str) -> None:
    """Starting the emoji scan at the first possible emoji loses none."""
    assert emoji_spans(text) == [match.span() for match in _EMOJI.finditer(text)]


@given(st.text(max_size=400))
def test_weighted_length_agrees_with_parse_tweet(text: str) -> None:
    """The length-only path gives the same figure as the full parse."""
    assert weighted_length(text) == parse_tweet(text).weighted_length


@pytest.mark.parametrize(
    ("text", "weight"), [("©", 1), ("®", 1), ("©\ufe0f", 2), ("®\ufe0f", 2)]
)
def test_copyright_and_registered_signs_weigh_one_without_fe0f(
    text: str, weight: int
) -> None:
    """Settled from twitter-text itself: v3's parseTweet weighs as an emoji only what
    twemoji-parser's regex matches (twitter/twitter-text js/src/parseTweet.js), and
    that regex has "(?:[©®\\u2122\\u265f]\\ufe0f)" (twitter/twemoji-parser
    src/lib/regex.js): © and ® are emoji only with U+FE0F. Alone they fall in the
    0–0x10FF range of weight 100, so they count 1 (peers counting 2 are wrong)."""
    assert weighted_length(f"Brand{text} trial") == len("Brand trial") + weight
