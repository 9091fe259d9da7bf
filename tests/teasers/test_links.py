"""UTM tagging of summary links per platform and teaser."""

from __future__ import annotations

import pytest

from crosspost.errors import ConfigError
from crosspost.settings import UtmSettings
from crosspost.teasers.links import tracked_url, utm_tags

TAGS = {
    "utm_source": "x",
    "utm_medium": "social",
    "utm_campaign": "rs-1",
    "utm_content": "finding-2",
}


def test_tags_come_from_settings_platform_and_key() -> None:
    """Source is the platform, campaign the setting, content the teaser key."""
    utm = UtmSettings(medium="organic social", campaign="ms-{summary_id}")
    tags = utm_tags(utm, platform="linkedin", summary_id="rs-abc", content="recap")
    assert tags == {
        "utm_source": "linkedin",
        "utm_medium": "organic social",
        "utm_campaign": "ms-rs-abc",
        "utm_content": "recap",
    }


def test_disabled_tagging_leaves_url_alone() -> None:
    """With utm.enabled false there are no tags and the URL is unchanged."""
    tags = utm_tags(
        UtmSettings(enabled=False), platform="x", summary_id="s", content="c"
    )
    assert tags == {}
    assert tracked_url("https://example.org/a?b=1", tags) == "https://example.org/a?b=1"


def test_bad_campaign_format_is_a_config_error() -> None:
    """A campaign naming an unknown field says which setting is wrong."""
    with pytest.raises(ConfigError, match=r"utm\.campaign"):
        utm_tags(
            UtmSettings(campaign="{slug}"), platform="x", summary_id="s", content="c"
        )


def test_adds_query_to_bare_url() -> None:
    """A URL without a query gets one."""
    assert tracked_url("https://example.org/s/1", TAGS) == (
        "https://example.org/s/1?utm_source=x&utm_medium=social"
        "&utm_campaign=rs-1&utm_content=finding-2"
    )


def test_keeps_existing_query_and_fragment() -> None:
    """Other parameters keep their order and encoding, and the fragment stays last."""
    url = "https://example.org/s?lang=en&q=a%20b#findings"
    assert tracked_url(url, TAGS) == (
        "https://example.org/s?lang=en&q=a%20b&utm_source=x&utm_medium=social"
        "&utm_campaign=rs-1&utm_content=finding-2#findings"
    )


def test_existing_utm_parameters_are_not_duplicated() -> None:
    """A utm_source already in the URL is replaced, not repeated."""
    result = tracked_url("https://example.org/s?utm_source=rss&id=4", TAGS)
    assert result.count("utm_source=") == 1
    assert "utm_source=x" in result
    assert "id=4" in result


def test_url_with_parentheses_survives() -> None:
    """Parentheses in the path are neither encoded nor lost."""
    result = tracked_url("https://en.example.org/wiki/Myelin_(protein)", TAGS)
    assert result.startswith(
        "https://en.example.org/wiki/Myelin_(protein)?utm_source=x"
    )


def test_values_are_percent_encoded() -> None:
    """A medium with spaces or an ampersand cannot break the query."""
    tags = {**TAGS, "utm_medium": "paid & social"}
    assert "utm_medium=paid%20%26%20social" in tracked_url("https://example.org/", tags)
