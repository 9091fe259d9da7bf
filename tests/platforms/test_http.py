"""The shared HTTP call's logging: URLs lose every part that may hold a secret."""

from __future__ import annotations

import logging

import httpx
import pytest

from crosspost.platforms.http import loggable_url

SLACK = "https://hooks.slack.com/services/T0001/B0002/a1b2c3d4e5f6g7h8i9j0"
DISCORD = "https://discord.com/api/webhooks/1200000000000000001/Tk3n-Secret_abc"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (SLACK, "https://hooks.slack.com/services/[hidden]/[hidden]/[hidden]"),
        (DISCORD, "https://discord.com/api/webhooks/[hidden]/[hidden]"),
        (
            "https://me:pw@api.x.com/2/tweets?token=t1",
            "https://api.x.com/2/tweets?[hidden]",
        ),
        (
            "https://graph.facebook.com/v25.0/104000000000001_122100000000000001",
            "https://graph.facebook.com/v25.0/104000000000001_122100000000000001",
        ),
        (
            "https://www.linkedin.com/dms-uploads/sp/D4E10AQFmzXk2a9bcdEFGhijkLMN/x/0",
            "https://www.linkedin.com/dms-uploads/sp/[hidden]/x/0",
        ),
    ],
)
def test_loggable_url_hides_secrets_in_query_and_path(url: str, shown: str) -> None:
    """Webhook paths (Slack, Discord) and token-shaped segments are hidden; platform
    ids stay readable."""
    assert loggable_url(httpx.URL(url)) == shown


def test_httpx_log_records_show_the_hidden_url(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A request to a Slack-style webhook is logged by httpx without its secret."""

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="ok")

    with (
        caplog.at_level(logging.INFO, logger="httpx"),
        httpx.Client(transport=httpx.MockTransport(answer)) as client,
    ):
        client.post(SLACK, json={"text": "hand-off due"})
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "hooks.slack.com/services/[hidden]" in logged
    assert "a1b2c3d4e5f6g7h8i9j0" not in logged
    assert "B0002" not in logged
