"""Each platform's limit, wire form, count and other limits."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crosspost.errors import UsageError
from crosspost.teasers.model import PLATFORMS
from crosspost.teasers.rules import (
    RULES,
    LinkedInRule,
    escape_little_text,
    rule_for,
    unescape_little_text,
)
from crosspost.teasers.twitter_text import weighted_length

RESERVED = "\\|{}@[]()<>#*_~"


@pytest.mark.parametrize(
    ("platform", "limit"),
    [
        ("x", 280),
        ("facebook", 63_206),
        ("instagram", 2_200),
        ("linkedin", 3_000),
        ("youtube", 5_000),
    ],
)
def test_each_platform_has_its_limit(platform: str, limit: int) -> None:
    """rule_for gives the platform's rule with its documented limit."""
    rule = rule_for(platform)
    assert (rule.platform, rule.limit) == (platform, limit)


def test_rules_cover_exactly_the_teaser_platforms() -> None:
    """There is one rule per platform the teasers know, and no other."""
    assert set(RULES) == set(PLATFORMS)


def test_unknown_platform_is_a_usage_error_naming_the_known_ones() -> None:
    """An unknown platform name is the user's mistake, with a hint listing the five."""
    with pytest.raises(UsageError) as caught:
        rule_for("mastodon")
    assert "'mastodon'" in caught.value.message
    assert caught.value.hint is not None
    assert "linkedin" in caught.value.hint


def test_rules_are_frozen() -> None:
    """A rule cannot be changed after it is made."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule_for("x").limit = 25_000  # type: ignore[misc]


def test_x_counts_weighted_length_of_unchanged_text() -> None:
    """X sends the text as it is and counts it as twitter-text (URL 23, emoji 2)."""
    text = "Myelin repair in MS 🧠 https://example.org/summaries/myelin-repair-2024"
    rule = rule_for("x")
    assert rule.wire(text) == text
    assert rule.count(text) == weighted_length(text) == 20 + 2 + 1 + 23


def test_x_reports_refused_characters() -> None:
    """A byte-order mark in an X post is named as a problem."""
    assert rule_for("x").problems("MS\ufeffstudy") == [
        "contains U+FEFF, which X refuses"
    ]


def test_x_allows_one_cashtag_but_not_two() -> None:
    """Self-serve X posts may carry one cashtag; a second is a problem."""
    rule = rule_for("x")
    assert rule.problems("Trial funded by $BIOG") == []
    assert rule.problems("Shares of $BIOG and $ROG.SW rose") == [
        "2 cashtags ($BIOG, $ROG.SW); X allows 1"
    ]
    assert rule.problems("It cost $5 and $12 million") == []


@pytest.mark.parametrize("char", list(RESERVED))
def test_linkedin_escapes_each_reserved_character(char: str) -> None:
    """Every little-text reserved character is sent with a backslash before it."""
    assert rule_for("linkedin").wire(f"a {char} b") == f"a \\{char} b"


def test_linkedin_escapes_the_parenthesis_that_would_truncate() -> None:
    """The classic: "(p = 0.03)" must be escaped or LinkedIn cuts the post there."""
    wire = rule_for("linkedin").wire("Relapses fell (p = 0.03) over two years.")
    assert wire == "Relapses fell \\(p = 0.03\\) over two years."


def test_linkedin_escapes_backslash_before_the_rest() -> None:
    """A backslash in the text is doubled, so it cannot escape what follows it."""
    assert escape_little_text("a\\(b") == "a\\\\\\(b"


@pytest.mark.parametrize(
    ("text", "wire"),
    [
        ("#MultipleSclerosis #MS2024", "#MultipleSclerosis #MS2024"),
        ("Study: #Myelinrepair", "Study: #Myelinrepair"),
        ("#Ärzte", "#Ärzte"),
        ("#MS_research", "#MS\\_research"),
        ("written in C#", "written in C\\#"),
        ("# heading", "\\# heading"),
        ("(#MS)", "\\(\\#MS\\)"),
        ("https://example.org/#results", "https://example.org/\\#results"),
    ],
)
def test_linkedin_keeps_only_word_start_hashtags_bare(text: str, wire: str) -> None:
    """A "#" starting a word before a letter or digit stays bare; others are escaped."""
    assert escape_little_text(text) == wire


@given(st.text(alphabet=RESERVED + "ab #\n🧠é"))
def test_linkedin_unescape_reverses_the_wire_form(text: str) -> None:
    """Unescaping the wire text gives back exactly the text that was written."""
    rule = rule_for("linkedin")
    assert isinstance(rule, LinkedInRule)
    assert rule.unescape(rule.wire(text)) == text
    assert unescape_little_text(escape_little_text(text)) == text


@given(st.text(alphabet=RESERVED + "ab #"))
def test_linkedin_wire_has_no_bare_reserved_character_but_hashtags(text: str) -> None:
    """Outside escape pairs, the only bare reserved character is a hashtag's "#"."""
    wire = escape_little_text(text)
    index = 0
    while index < len(wire):
        char = wire[index]
        if char == "\\":
            assert wire[index + 1] in RESERVED
            index += 2
            continue
        if char in RESERVED:
            assert char == "#"
            assert index == 0 or wire[index - 1].isspace()
            assert wire[index + 1 : index + 2].isalnum()
        index += 1


UTM = (
    "https://research.example/summaries/walking?utm_source=linkedin&utm_medium=social"
    "&utm_campaign=rs_1"
)


@pytest.mark.parametrize(
    ("text", "wire"),
    [
        (
            f"Read more (free): {UTM} #MSResearch",
            "Read more \\(free\\): https://research.example/summaries/walking?"
            "utm%5Fsource=linkedin&utm%5Fmedium=social&utm%5Fcampaign=rs%5F1 "
            "#MSResearch",
        ),
        (
            "(see https://en.wikipedia.org/wiki/Multiple_sclerosis_(disease)).",
            "\\(see https://en.wikipedia.org/wiki/Multiple%5Fsclerosis%5F%28disease"
            "%29\\).",
        ),
        (
            "https://example.org/a~b*c#part_2",
            "https://example.org/a%7Eb%2Ac\\#part%5F2",
        ),
    ],
)
def test_linkedin_links_are_percent_encoded_not_escaped(text: str, wire: str) -> None:
    """Inside a link, reserved characters are percent-encoded (no escape to read
    through); prose around it, a closing bracket after it included, is escaped."""
    assert escape_little_text(text) == wire
    assert unescape_little_text(wire) == text


@given(st.text(alphabet="\\|{}@[]()*_~" + "ab/?=&.%", max_size=30))
def test_linkedin_link_needs_no_escape_and_reads_back(path: str) -> None:
    """Whatever a link's path holds (ending in a letter, so that no trailing
    punctuation is read as prose), its wire form has no backslash and no bare
    reserved character, and unescaping gives the link back."""
    url = "https://example.org/" + path + "a"
    wire = escape_little_text(url + " end")
    sent = wire.removesuffix(" end")
    assert "\\" not in sent.removeprefix("https://example.org")
    assert not set(sent.removeprefix("https://example.org")) & set(RESERVED)
    if "%" not in path:  # a link that was already percent-encoded reads back decoded
        assert unescape_little_text(wire) == url + " end"


def test_linkedin_counts_the_escaped_text_in_utf16_units() -> None:
    """The count is of the wire text: escapes count, and an emoji counts 2."""
    rule = rule_for("linkedin")
    wire = rule.wire("(🧠)")
    assert wire == "\\(🧠\\)"
    assert rule.count(wire) == 6


def test_instagram_allows_30_hashtags_and_20_mentions() -> None:
    """At the limits a caption has no problems."""
    caption = " ".join(f"#ms{i}" for i in range(30))
    caption += " " + " ".join(f"@lab{i}" for i in range(20))
    assert rule_for("instagram").problems(caption) == []


def test_instagram_reports_31st_hashtag_and_21st_mention() -> None:
    """One more hashtag or mention than allowed is each named as a problem."""
    caption = " ".join(f"#ms{i}" for i in range(31))
    caption += " " + " ".join(f"@lab{i}" for i in range(21))
    assert rule_for("instagram").problems(caption) == [
        "31 hashtags; Instagram allows at most 30",
        "21 @mentions; Instagram allows at most 20",
    ]


def test_instagram_does_not_take_an_email_for_a_mention() -> None:
    """ "team@example.org" is an address, not an @mention."""
    caption = " ".join(f"@lab{i}" for i in range(20)) + " write to team@example.org"
    assert rule_for("instagram").problems(caption) == []


@pytest.mark.parametrize("platform", ["facebook", "instagram", "youtube"])
def test_plain_platforms_send_text_unchanged_and_count_utf16(platform: str) -> None:
    """Facebook, Instagram and YouTube send the text as is; an emoji counts 2."""
    rule = rule_for(platform)
    text = "Remyelination (n=40) 🧠"
    assert rule.wire(text) == text
    assert rule.count(text) == len(text) + 1
