"""Notifiers: none, a recording one, and Apprise to the sandbox's loopback receiver
(what arrives, what is never shown, dead and silent receivers)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from pathlib import Path

import httpx
import pytest

from crosspost.errors import ConfigError
from crosspost.notify import (
    AppriseNotifier,
    NoNotifier,
    Notice,
    RecordingNotifier,
    handoff_notice,
    notifier_from,
)
from crosspost.settings import NotifySettings, Settings, load_settings

from .conftest import Receiver

pytestmark = pytest.mark.anyio

TOKEN = "canary-path-tok-7Q2x"
PASSWORD = "canary-pw-5r8k"
NOTICE = Notice(kind="failed", title="X post failed: Heat, MS", body="Line one\nTwo 🌡")


def settings_with(*urls: str, timeout: float = 5.0) -> Settings:
    return Settings(notify=NotifySettings(urls=list(urls), timeout=timeout))


async def test_no_urls_means_nobody_is_told() -> None:
    """Without notify.urls the notifier is a no-op that answers False."""
    notifier = notifier_from(Settings())
    assert isinstance(notifier, NoNotifier)
    assert await notifier.send(NOTICE) is False


async def test_recording_notifier_keeps_each_notice() -> None:
    """The recording notifier keeps notices in order and answers as told."""
    notifier = RecordingNotifier()
    assert await notifier.send(NOTICE)
    assert notifier.notices == [NOTICE]
    assert await RecordingNotifier(delivered=False).send(NOTICE) is False


async def test_json_and_form_bodies_arrive_whole(
    receiver: Receiver, tmp_path: Path
) -> None:
    """Apprise's json:// and form:// bodies reach the receiver: title, message, type
    and the card attached, byte for byte."""
    bundle = tmp_path / "rs-aaaaaaaaaaaa-announce"
    bundle.mkdir()
    card = b"\xff\xd8card-bytes"
    (bundle / "card.jpg").write_bytes(card)
    notice = handoff_notice(
        ledger_id=12,
        summary_id="rs-aaaaaaaaaaaa",
        summary_title="Cooling vests; heat, and MS",
        key="announce",
        bundle=bundle,
        studio_url="https://studio.youtube.com",
        text="Cooling vests helped 🧊, a small trial found.",
    )
    notifier = notifier_from(
        settings_with(
            f"json://{receiver.host}/_sandbox/notify",
            f"form://{receiver.host}/_sandbox/notify",
        )
    )
    assert await notifier.send(notice)
    assert sorted(n["via"] for n in receiver.notifications) == ["form", "json"]
    for note in receiver.notifications:
        assert note["title"] == notice.title
        assert note["message"] == notice.body
        assert note["type"] == "info"
        assert note["version"] == "1.0"
        [attached] = note["attachments"]  # type: ignore[misc]
        assert attached["filename"] == "card.jpg"
        assert attached["sha256"] == hashlib.sha256(card).hexdigest()


async def test_tokens_reach_no_log_page_or_message(
    receiver: Receiver,
    isolated: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Tokens filled from ${NAME} (path, password) and a `-token` parameter get the
    notice through, yet appear in no log record, sandbox page or delivery name."""
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("TEAM_TOKEN", TOKEN)
    (isolated / ".env").write_text(f"TEAM_PASSWORD={PASSWORD}\n")
    literal = "canary-query-3m9v"
    urls = [
        f"json://{receiver.host}/_sandbox/notify/${{TEAM_TOKEN}}",
        f"form://team:${{TEAM_PASSWORD}}@{receiver.host}/_sandbox/notify"
        f"?-token={literal}",
        f"json://{receiver.host}/hooks/gone/${{TEAM_TOKEN}}",
    ]
    monkeypatch.setenv("CROSSPOST_NOTIFY__URLS", str(urls).replace("'", '"'))
    notifier = notifier_from(load_settings())
    assert isinstance(notifier, AppriseNotifier)
    deliveries = await notifier.deliver(NOTICE)
    assert [d.delivered for d in deliveries] == [True, True, False]
    assert len(receiver.notifications) == 2
    async with httpx.AsyncClient(base_url=f"http://{receiver.host}") as client:
        pages = [
            (await client.get(path)).text
            for path in ("/", "/_sandbox/notifications", "/_sandbox/notify")
        ]
    # The receiver's own access log stands for the service's: it knows its token.
    ours = [r.getMessage() for r in caplog.records if r.name != "uvicorn.access"]
    shown = "\n".join([*ours, *pages, *(d.url for d in deliveries)])
    assert "was not delivered" in shown
    for secret in (TOKEN, PASSWORD, literal):
        assert secret not in shown


async def test_dead_receiver_is_false_quickly(
    closed_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    """A refused connection makes send() answer False at once, with a warning."""
    notifier = notifier_from(settings_with(f"json://127.0.0.1:{closed_port}/{TOKEN}"))
    started = time.monotonic()
    assert await notifier.send(NOTICE) is False
    assert time.monotonic() - started < 2
    assert f"#1 json://127.0.0.1:{closed_port}…" in caplog.text
    assert TOKEN not in caplog.text


async def test_silent_receiver_is_bounded_and_never_blocks(silent_port: int) -> None:
    """A server that never answers costs the timeout, in a thread: the event loop
    keeps running meanwhile."""
    notifier = notifier_from(
        settings_with(f"json://127.0.0.1:{silent_port}/notify", timeout=0.5)
    )
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    started = time.monotonic()
    delivered = await notifier.send(NOTICE)
    elapsed = time.monotonic() - started
    ticker.cancel()
    assert delivered is False
    assert 0.4 < elapsed < 2.5
    assert ticks > 20


async def test_missing_attachment_is_left_out(
    receiver: Receiver, tmp_path: Path
) -> None:
    """An attachment that no longer exists is skipped; the notice still goes."""
    notice = Notice(
        kind="handoff", title="t", body="b", attachments=(tmp_path / "gone.jpg",)
    )
    notifier = notifier_from(settings_with(f"json://{receiver.host}/_sandbox/notify"))
    assert await notifier.send(notice)
    assert receiver.notifications[0]["attachments"] == []


def test_unusable_url_is_a_config_error_without_the_url() -> None:
    """A URL Apprise cannot use is refused naming its number and service only."""
    with pytest.raises(ConfigError, match=r"notify.urls #2 nosuch://…") as caught:
        notifier_from(
            settings_with("json://127.0.0.1:9/x", f"nosuch://{TOKEN}/{TOKEN}")
        )
    assert TOKEN not in str(caught.value)


def test_unset_placeholder_is_a_config_error_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A ${NAME} with no variable behind it names NAME, at the time of use."""
    monkeypatch.delenv("CROSSPOST_TEST_NOPE", raising=False)
    settings = settings_with("slack://${CROSSPOST_TEST_NOPE}")
    with pytest.raises(ConfigError, match="CROSSPOST_TEST_NOPE is not set"):
        notifier_from(settings)
