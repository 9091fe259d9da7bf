"""xdk (X's own Python SDK) against the served sandbox, as its documentation shows:
`xdk.Client(base_url=..., auth=OAuth1(...))` or with a bearer token."""

from __future__ import annotations

import base64
import io

import pytest
import requests
from PIL import Image
from xdk import Client
from xdk.media.models import (
    AppendUploadRequest,
    CreateMetadataRequest,
    InitializeUploadRequest,
    UploadRequest,
)
from xdk.oauth1_auth import OAuth1
from xdk.posts.models import CreateRequest

from .conftest import ACCOUNTS, Served

FINDING = "Exercise eased fatigue in a 12-week trial of 96 people with MS."


def user_client(served: Served) -> Client:
    auth = OAuth1(
        api_key=ACCOUNTS.x_consumer_key,
        api_secret=ACCOUNTS.x_consumer_secret,
        callback="oob",
        access_token=ACCOUNTS.x_access_token,
        access_token_secret=ACCOUNTS.x_access_token_secret,
    )
    return Client(base_url=f"{served.url}/x", auth=auth)


def jpeg(width: int = 1200, height: int = 675) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (22, 50, 79)).save(buffer, "JPEG")
    return buffer.getvalue()


def error_of(caught: pytest.ExceptionInfo[requests.HTTPError]) -> tuple[int, dict]:
    response = caught.value.response
    assert response is not None
    return response.status_code, response.json()


def test_create_post_and_read_it_back(served: Served) -> None:
    """posts.create (OAuth 1.0a) is parsed into CreateResponse; users.get_me and
    users.get_posts (app-only bearer) read the account and the post."""
    client = user_client(served)
    created = client.posts.create(CreateRequest(text=FINDING))
    assert created.data is not None
    assert created.data.text == FINDING
    me = client.users.get_me()
    assert me.data is not None
    assert me.data.username == ACCOUNTS.x_username
    reader = Client(
        base_url=f"{served.url}/x", bearer_token=ACCOUNTS.x_app_bearer_token
    )
    page = next(iter(reader.users.get_posts(ACCOUNTS.x_user_id)))
    assert [post.text for post in page.data or []] == [FINDING]


def test_one_shot_upload_alt_text_and_post_with_media(served: Served) -> None:
    """media.upload (JSON, base64), media.create_metadata, then a post naming it."""
    client = user_client(served)
    uploaded = client.media.upload(
        UploadRequest(
            media=base64.b64encode(jpeg()).decode(), media_category="tweet_image"
        )
    )
    assert uploaded.data is not None
    assert uploaded.data.image is not None
    assert (uploaded.data.image.w, uploaded.data.image.h) == (1200, 675)
    media_id = uploaded.data.id
    described = client.media.create_metadata(
        CreateMetadataRequest(
            id=media_id, metadata={"alt_text": {"text": "Fatigue scores fell."}}
        )
    )
    assert described.data is not None
    created = client.posts.create(
        CreateRequest(text=FINDING, media={"media_ids": [media_id]})
    )
    assert created.data is not None
    assert served.sandbox.posts[0].fields["media"] == {"media_ids": [media_id]}


def test_chunked_upload(served: Served) -> None:
    """initialize_upload, append_upload (two segments), finalize_upload and
    get_upload_status, each parsed into its response model."""
    client = user_client(served)
    data = jpeg(640, 360)
    half = len(data) // 2
    init = client.media.initialize_upload(
        InitializeUploadRequest(
            media_type="image/jpeg", total_bytes=len(data), media_category="tweet_image"
        )
    )
    assert init.data is not None
    media_id = init.data.id
    for index, chunk in enumerate((data[:half], data[half:])):
        appended = client.media.append_upload(
            media_id,
            AppendUploadRequest(
                media=base64.b64encode(chunk).decode(), segment_index=index
            ),
        )
        assert appended.data is not None
    done = client.media.finalize_upload(media_id)
    assert done.data is not None
    assert done.data.image is not None
    assert done.data.image.image_type == "image/jpeg"
    status = client.media.get_upload_status(media_id, command="STATUS")
    assert status.data is not None
    assert status.data.processing_info is not None
    assert status.data.processing_info.state == "succeeded"


def test_upload_with_media_type_is_refused(served: Served) -> None:
    """A field OpenAPI 2.167 dropped (media_type) is a 400 naming it, raised as
    requests.HTTPError by xdk's raise_for_status."""
    request = UploadRequest(
        media=base64.b64encode(jpeg()).decode(),
        media_category="tweet_image",
        media_type="image/jpeg",  # an extra the model allows, the API does not
    )
    with pytest.raises(requests.HTTPError) as caught:
        user_client(served).media.upload(request)
    status, body = error_of(caught)
    assert status == 400
    assert body["errors"][0]["message"].startswith("$.media_type: is not defined")


def test_text_over_the_limit_is_400(served: Served) -> None:
    """281 weighted characters: 400 with errors[].message "Your Tweet text is too
    long."."""
    with pytest.raises(requests.HTTPError) as caught:
        user_client(served).posts.create(CreateRequest(text="a" * 281))
    status, body = error_of(caught)
    assert status == 400
    assert body["title"] == "Invalid Request"
    assert body["errors"][0]["message"].startswith("Your Tweet text is too long.")


def test_reply_restriction_is_403(served: Served) -> None:
    """With replies restricted, a reply is 403 with X's documented detail."""
    served.sandbox.config.x_self_replies_allowed = False
    client = user_client(served)
    first = client.posts.create(CreateRequest(text=FINDING))
    assert first.data is not None
    reply = CreateRequest(text="2/2", reply={"in_reply_to_tweet_id": first.data.id})
    with pytest.raises(requests.HTTPError) as caught:
        client.posts.create(reply)
    status, body = error_of(caught)
    assert status == 403
    assert body["title"] == "Forbidden"
    assert body["detail"].startswith("Reply to this conversation is not allowed")


def test_app_daily_cap_is_429_with_its_headers(served: Served) -> None:
    """A spent app cap: 429 with x-app-limit-24hour-remaining 0 and its reset."""
    served.sandbox.config.x_app_posts_per_day = 1
    client = user_client(served)
    client.posts.create(CreateRequest(text=FINDING))
    with pytest.raises(requests.HTTPError) as caught:
        client.posts.create(CreateRequest(text=FINDING + " Again."))
    response = caught.value.response
    assert response is not None
    assert response.status_code == 429
    assert response.headers["x-app-limit-24hour-remaining"] == "0"
    assert int(response.headers["x-app-limit-24hour-reset"]) > 0
