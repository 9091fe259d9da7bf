"""The sandbox's memory: records without secrets, reset."""

from __future__ import annotations

from crosspost.sandbox.config import SandboxConfig
from crosspost.sandbox.state import SandboxState


def test_records_drop_access_tokens_and_serialise() -> None:
    """A record never keeps an access_token field and turns into JSON-ready data."""
    state = SandboxState(SandboxConfig(clock=lambda: 1_790_000_000.0))
    post = state.record(
        "facebook", "1_2", "u", "text", {"message": "m", "access_token": "s"}
    )
    assert post.fields == {"message": "m"}
    assert post.to_json()["created_at"].startswith("2026-")
    assert state.find("facebook", "1_2") is post


def test_reset_forgets_posts_and_tokens() -> None:
    """reset() empties the records and restores the first token pair."""
    state = SandboxState(SandboxConfig())
    state.record("x", "1", "u", "t", {})
    state.x.refresh_token = "rotated"
    state.reset()
    assert state.posts == []
    assert state.x.refresh_token == state.config.accounts.x_oauth2_refresh_token
