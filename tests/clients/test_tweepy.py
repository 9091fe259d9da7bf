"""tweepy (X's community client) against the served sandbox, as its documentation
shows: `tweepy.Client` with OAuth 1.0a user context or an app-only bearer token."""

from __future__ import annotations

import pytest
import tweepy

from .conftest import ACCOUNTS, Served, route_to

FINDING = "Vitamin D levels tracked with relapse rates in 412 people with MS."


def user_client(served: Served) -> tweepy.Client:
    client = tweepy.Client(
        consumer_key=ACCOUNTS.x_consumer_key,
        consumer_secret=ACCOUNTS.x_consumer_secret,
        access_token=ACCOUNTS.x_access_token,
        access_token_secret=ACCOUNTS.x_access_token_secret,
    )
    route_to(client.session, "api.twitter.com", served)
    return client


def app_client(served: Served) -> tweepy.Client:
    client = tweepy.Client(bearer_token=ACCOUNTS.x_app_bearer_token)
    route_to(client.session, "api.twitter.com", served)
    return client


def test_create_tweet_and_reply_with_oauth1(served: Served) -> None:
    """create_tweet, signed with OAuth 1.0a, is parsed into data.id and data.text;
    a reply to it is accepted."""
    client = user_client(served)
    created = client.create_tweet(text=FINDING)
    assert created.data["text"] == FINDING
    assert created.data["id"].isdigit()
    reply = client.create_tweet(
        text="More in the summary.", in_reply_to_tweet_id=created.data["id"]
    )
    assert reply.data["id"] != created.data["id"]
    assert [p.text for p in served.sandbox.posts] == [FINDING, "More in the summary."]


def test_get_me_names_the_account(served: Served) -> None:
    """get_me (user context) answers a User with the sandbox's username."""
    me = user_client(served).get_me()
    assert me.data.username == ACCOUNTS.x_username
    assert me.data.id == int(ACCOUNTS.x_user_id)


def test_app_only_bearer_reads_a_users_posts(served: Served) -> None:
    """get_users_tweets with the app-only bearer is allowed and parsed as Tweets."""
    user_client(served).create_tweet(text=FINDING)
    listed = app_client(served).get_users_tweets(
        ACCOUNTS.x_user_id, tweet_fields=["created_at"]
    )
    assert [tweet.text for tweet in listed.data] == [FINDING]
    assert listed.data[0].created_at is not None


def test_app_only_bearer_cannot_post(served: Served) -> None:
    """Posting with the app-only bearer is Forbidden (unsupported authentication)."""
    with pytest.raises(tweepy.Forbidden) as caught:
        app_client(served).create_tweet(text=FINDING, user_auth=False)
    assert caught.value.response.status_code == 403
    assert "Application-Only is forbidden" in caught.value.api_messages[0]


def test_text_over_the_limit_is_bad_request(served: Served) -> None:
    """281 weighted characters: BadRequest (400), X's message in api_messages."""
    with pytest.raises(tweepy.BadRequest) as caught:
        user_client(served).create_tweet(text="a" * 281)
    assert caught.value.response.status_code == 400
    assert caught.value.api_messages[0].startswith("Your Tweet text is too long.")
    assert served.sandbox.posts == []


def test_duplicate_is_forbidden(served: Served) -> None:
    """The same text twice: Forbidden (403) with X's duplicate detail."""
    client = user_client(served)
    client.create_tweet(text=FINDING)
    with pytest.raises(tweepy.Forbidden) as caught:
        client.create_tweet(text=FINDING)
    assert caught.value.api_messages == [
        "You are not allowed to create a Tweet with duplicate content."
    ]


def test_reply_restriction_is_forbidden(served: Served) -> None:
    """With replies restricted, a reply is Forbidden with X's documented detail."""
    served.sandbox.config.x_self_replies_allowed = False
    client = user_client(served)
    first = client.create_tweet(text=FINDING)
    with pytest.raises(tweepy.Forbidden) as caught:
        client.create_tweet(text="2/2", in_reply_to_tweet_id=first.data["id"])
    assert caught.value.api_messages[0].startswith(
        "Reply to this conversation is not allowed because you have not been "
        "mentioned or otherwise engaged by the author"
    )


def test_daily_cap_is_too_many_requests_with_24_hour_headers(served: Served) -> None:
    """A spent 24-hour cap: TooManyRequests, its reset in x-user-limit-24hour-reset."""
    served.sandbox.config.x_user_posts_per_day = 1
    client = user_client(served)
    client.create_tweet(text=FINDING)
    with pytest.raises(tweepy.TooManyRequests) as caught:
        client.create_tweet(text=FINDING + " Again.")
    headers = caught.value.response.headers
    assert headers["x-user-limit-24hour-remaining"] == "0"
    assert int(headers["x-user-limit-24hour-reset"]) > int(
        headers["x-rate-limit-reset"]
    )


def test_unknown_field_is_bad_request(served: Served) -> None:
    """A body field outside X's schema is BadRequest naming it."""
    with pytest.raises(tweepy.BadRequest) as caught:
        user_client(served).request(
            "POST", "/2/tweets", json={"text": FINDING, "link": "x"}, user_auth=True
        )
    assert "$.link: is not defined in the schema" in caught.value.api_messages[0]
