"""CamelCase hashtags: deduplicated, capped per platform, none already in the text."""

from __future__ import annotations

import pytest

from crosspost.teasers.hashtags import camel_case, select_hashtags, tags_in


@pytest.mark.parametrize(
    ("phrase", "tag"),
    [
        ("multiple sclerosis", "#MultipleSclerosis"),
        ("MSResearch", "#MSResearch"),
        ("#stem cells", "#StemCells"),
        ("vitamin-D", "#VitaminD"),
        ("COVID-19 vaccines", "#COVID19Vaccines"),
        ("sclérose en plaques", "#ScléroseEnPlaques"),
    ],
)
def test_camel_case(phrase: str, tag: str) -> None:
    """Words are capitalised and joined; punctuation goes; inner capitals stay."""
    assert camel_case(phrase) == tag


@pytest.mark.parametrize("phrase", ["", "  ", "2024", "#"])
def test_untaggable_phrases(phrase: str) -> None:
    """Nothing, or digits only, is not a hashtag."""
    assert camel_case(phrase) is None


def test_duplicates_ignore_case() -> None:
    """'MS research' and 'msresearch' are the same tag; the first spelling wins."""
    tags = select_hashtags(["MS research", "msresearch", "myelin"], platform="facebook")
    assert tags == ["#MSResearch", "#Myelin"]


def test_no_tag_for_a_word_already_tagged_in_text() -> None:
    """A tag the text already carries is not added again."""
    tags = select_hashtags(
        ["multiple sclerosis", "myelin"],
        platform="linkedin",
        text="New work on #multiplesclerosis and remyelination",
    )
    assert tags == ["#Myelin"]


def test_default_limit_per_platform() -> None:
    """X keeps to a few tags by default."""
    phrases = [f"topic {n}" for n in "abcdefgh"]
    assert len(select_hashtags(phrases, platform="x")) == 3


def test_instagram_never_exceeds_thirty() -> None:
    """Even when a template asks for more, Instagram gets at most 30."""
    phrases = [f"topic {chr(97 + n // 26)}{chr(97 + n % 26)}" for n in range(40)]
    assert len(select_hashtags(phrases, platform="instagram", limit=50)) == 30


def test_template_limit_wins_elsewhere() -> None:
    """A template's own count is used where the platform sets no maximum."""
    phrases = ["a", "b", "c", "d", "e"]
    assert select_hashtags(phrases, platform="facebook", limit=1) == ["#A"]
    assert len(select_hashtags(phrases, platform="facebook", limit=5)) == 5


def test_tags_in_finds_hashtags_not_anchors() -> None:
    """Hashtags are found; a '#' inside a word or an HTML entity is not a tag."""
    assert tags_in("See #MSResearch and page#top and &#8217; and ＃Myelin") == {
        "msresearch",
        "myelin",
    }
