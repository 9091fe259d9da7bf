"""UTM-tagged links: which platform and teaser a reader came from."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import quote

from crosspost.errors import ConfigError
from crosspost.settings import UtmSettings


def utm_tags(
    utm: UtmSettings, *, platform: str, summary_id: str, content: str
) -> dict[str, str]:
    """The four utm_* values for one teaser; empty when tagging is switched off."""
    if not utm.enabled:
        return {}
    try:
        campaign = utm.campaign.format(summary_id=summary_id)
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(
            f"setting 'utm.campaign' ({utm.campaign!r}) is not a valid format: {exc}",
            hint="use plain text and {summary_id}, e.g. 'summaries-{summary_id}'",
        ) from None
    return {
        "utm_source": platform,
        "utm_medium": utm.medium,
        "utm_campaign": campaign,
        "utm_content": content,
    }


@lru_cache(maxsize=1024)
def _quoted(value: str) -> str:
    """A query value percent-encoded; the same few values recur in every link."""
    return quote(value, safe="")


def tracked_url(url: str, tags: Mapping[str, str]) -> str:
    """`url` with `tags` in its query; other parameters (as encoded) and the
    fragment kept, a utm_* parameter already there replaced, not repeated."""
    if not tags:
        return url
    base, hash_mark, fragment = url.partition("#")
    path, _, query = base.partition("?")
    kept = [
        pair for pair in query.split("&") if pair and pair.partition("=")[0] not in tags
    ]
    added = [f"{key}={_quoted(value)}" for key, value in tags.items()]
    return f"{path}?{'&'.join(kept + added)}{hash_mark}{fragment}"
