"""facebook-business (Meta's Business SDK) against the served sandbox, as its
documentation shows: a `FacebookAdsApi` over a `FacebookSession` (whose `GRAPH` is
the only thing changed), `Page` and `IGUser` objects, `FacebookRequestError`."""

from __future__ import annotations

import pytest
from facebook_business.adobjects.igmedia import IGMedia
from facebook_business.adobjects.iguser import IGUser
from facebook_business.adobjects.page import Page
from facebook_business.api import FacebookAdsApi
from facebook_business.exceptions import FacebookRequestError
from facebook_business.session import FacebookSession

from crosspost.sandbox import Fault

from .conftest import ACCOUNTS, Served

MESSAGE = "Sleep quality and MS fatigue: a new cohort study. https://example.org/s"
CAPTION = "Sleep quality and MS fatigue: what a cohort of 318 showed. Link in bio."


def graph(served: Served, token: str, version: str = "v25.0") -> FacebookAdsApi:
    session = FacebookSession(access_token=token)
    session.GRAPH = f"{served.url}/facebook"
    return FacebookAdsApi(session, api_version=version)


def page(served: Served) -> Page:
    api = graph(served, ACCOUNTS.facebook_page_token)
    return Page(ACCOUNTS.facebook_page_id, api=api)


def instagram(served: Served) -> IGUser:
    api = graph(served, ACCOUNTS.instagram_token)
    return IGUser(ACCOUNTS.instagram_user_id, api=api)


def test_page_feed_photo_and_read(served: Served) -> None:
    """create_feed and create_photo are parsed (ids, a photo's post_id); api_get
    reads the Page's name."""
    feed = page(served).create_feed(params={"message": MESSAGE})
    assert feed["id"].startswith(f"{ACCOUNTS.facebook_page_id}_")
    photo = page(served).create_photo(
        params={"url": served.card("card.jpg", 1200, 675), "caption": "A chart."}
    )
    assert photo["post_id"].startswith(f"{ACCOUNTS.facebook_page_id}_")
    read = page(served).api_get(fields=["name"])
    assert read["name"] == ACCOUNTS.facebook_page_name


def test_duplicate_message_is_506(served: Served) -> None:
    """The same message twice is a FacebookRequestError with code 506."""
    page(served).create_feed(params={"message": MESSAGE})
    with pytest.raises(FacebookRequestError) as caught:
        page(served).create_feed(params={"message": MESSAGE})
    assert caught.value.api_error_code() == 506
    assert caught.value.http_status() == 400


def test_instagram_container_publishes_without_a_status_poll(served: Served) -> None:
    """create_media then create_media_publish at once (no status read): the media
    and its permalink are parsed; the quota reads as content_publishing_limit."""
    user = instagram(served)
    container = user.create_media(
        params={
            "image_url": served.card("ig.jpg", 1080, 1350),
            "caption": CAPTION,
            "alt_text": "A bar chart.",
        }
    )
    media = user.create_media_publish(params={"creation_id": container["id"]})
    api = graph(served, ACCOUNTS.instagram_token)
    read = IGMedia(media["id"], api=api).api_get(fields=["permalink"])
    assert read["permalink"]
    [limit] = user.get_content_publishing_limit(fields=["quota_usage", "config"])
    assert limit["quota_usage"] == 1


@pytest.mark.parametrize(
    ("size", "expected"),
    [((1000, 2000), (36003, 2207009)), ((2000, 1000), (36003, 2207009))],
)
def test_unsupported_aspect_ratio_is_refused_at_creation(
    served: Served, size: tuple[int, int], expected: tuple[int, int]
) -> None:
    """An image outside 4:5–1.91:1 is refused by create_media itself: HTTP 400,
    code 36003, subcode 2207009, not transient."""
    with pytest.raises(FacebookRequestError) as caught:
        instagram(served).create_media(
            params={"image_url": served.card("tall.jpg", *size), "caption": CAPTION}
        )
    error = caught.value
    assert error.http_status() == 400
    assert (error.api_error_code(), error.api_error_subcode()) == expected
    assert error.api_transient_error() is False
    assert "aspect ratio" in error.body()["error"]["error_user_msg"]


def test_oversized_image_is_36000_2207004(served: Served) -> None:
    """A JPEG over 8 MiB is refused at creation with 36000/2207004."""
    url = served.card("big.jpg", 1080, 1080)
    path = served.card_dir / "big.jpg"
    path.write_bytes(path.read_bytes() + bytes(9 * 1024 * 1024))
    with pytest.raises(FacebookRequestError) as caught:
        instagram(served).create_media(params={"image_url": url, "caption": CAPTION})
    assert (caught.value.api_error_code(), caught.value.api_error_subcode()) == (
        36000,
        2207004,
    )


def test_caption_over_2200_is_36004(served: Served) -> None:
    """A caption over 2,200 characters is refused with 36004/2207010."""
    with pytest.raises(FacebookRequestError) as caught:
        instagram(served).create_media(
            params={
                "image_url": served.card("ok.jpg", 1080, 1080),
                "caption": "x" * 2201,
            }
        )
    assert caught.value.api_error_subcode() == 2207010


@pytest.mark.parametrize(
    ("version", "served_as"), [("v25.0", "v25.0"), ("v2.4", "v22.0")]
)
def test_versions_are_served_as_graph_serves_them(
    served: Served, version: str, served_as: str
) -> None:
    """A current version answers as itself; an expired one as the oldest available
    (facebook-api-version says which)."""
    api = graph(served, ACCOUNTS.facebook_page_token, version)
    response = api.call("GET", (ACCOUNTS.facebook_page_id,), params={"fields": "name"})
    assert response.json()["name"] == ACCOUNTS.facebook_page_name
    assert response.headers()["facebook-api-version"] == served_as


def test_unversioned_path_uses_the_apps_default_version(served: Served) -> None:
    """A call without a version in its path answers with the app's default version."""
    api = graph(served, ACCOUNTS.facebook_page_token)
    response = api.call("GET", f"{served.url}/facebook/{ACCOUNTS.facebook_page_id}")
    assert response.json()["id"] == ACCOUNTS.facebook_page_id
    assert response.headers()["facebook-api-version"] == "v25.0"


def test_expired_token_is_190_463(served: Served) -> None:
    """An expired Page token is a FacebookRequestError, code 190, subcode 463."""
    served.sandbox.config.faults.append(Fault("facebook", "expired_token"))
    with pytest.raises(FacebookRequestError) as caught:
        page(served).create_feed(params={"message": MESSAGE})
    assert (caught.value.api_error_code(), caught.value.api_error_subcode()) == (
        190,
        463,
    )
