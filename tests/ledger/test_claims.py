"""Tests for who holds a `sending` claim and when a claim has gone stale."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from crosspost.ledger.claims import (
    LEASE,
    claimed_at,
    claimer,
    default_actor,
    parse_claimer,
    pid_alive,
    stale_reason,
)
from crosspost.ledger.tables import PlannedPost

NOW = datetime(2026, 4, 2, 10, 0, tzinfo=UTC)
HOST = "desk-7"


def sending(
    claimed_by: str | None, *, minutes_ago: float = 1, status: str = "sending"
) -> PlannedPost:
    moment = NOW - timedelta(minutes=minutes_ago)
    return PlannedPost(
        id=1,
        summary_id="rs-1",
        platform="x",
        key="announce",
        status=status,
        claimed_by=claimed_by,
        claimed_at=moment if claimed_by else None,
        updated_at=moment,
    )


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_claimer_is_host_and_pid() -> None:
    """This process is named `host:pid`, and parses back."""
    assert claimer() == f"{socket.gethostname()}:{os.getpid()}"
    assert parse_claimer(claimer()) == (socket.gethostname(), os.getpid())
    assert f"pid {os.getpid()}" in default_actor()


def test_malformed_claimers_parse_to_none() -> None:
    """A missing or malformed `claimed_by` is None, never an exception."""
    assert parse_claimer(None) is None
    assert parse_claimer("") is None
    assert parse_claimer("no-pid-here") is None
    assert parse_claimer("host:abc") is None
    assert parse_claimer("fe80::1:42") == ("fe80::1", 42)


def test_pid_alive_tells_a_dead_process_from_this_one() -> None:
    """This process is alive; one that has exited is not; 0 is never a sender."""
    assert pid_alive(os.getpid())
    assert not pid_alive(dead_pid())
    assert not pid_alive(0)


def test_dead_sender_on_this_host_is_stale() -> None:
    """A claim by a process of this host that is gone is stale at once."""
    row = sending(f"{HOST}:4242")
    reason = stale_reason(row, now=NOW, host=HOST, alive=lambda pid: False)
    assert reason == f"its sender (process 4242 on {HOST}) is gone"


def test_live_sender_is_left_alone_within_the_lease() -> None:
    """A claim whose process still runs is not stale while the lease lasts."""
    row = sending(f"{HOST}:4242", minutes_ago=9)
    assert stale_reason(row, now=NOW, host=HOST, alive=lambda pid: True) is None


def test_a_claim_older_than_the_lease_is_stale_anywhere() -> None:
    """Another host's claim (or a reused pid) goes stale when the lease is over."""
    other = sending("laptop-3:99", minutes_ago=9)
    assert stale_reason(other, now=NOW, host=HOST) is None
    expired = sending("laptop-3:99", minutes_ago=11)
    reason = stale_reason(expired, now=NOW, host=HOST)
    assert reason is not None
    assert "laptop-3:99 11 min ago" in reason
    assert "10-minute lease" in reason
    reused = sending(f"{HOST}:4242", minutes_ago=11)
    assert stale_reason(reused, now=NOW, host=HOST, alive=lambda pid: True)
    assert timedelta(minutes=10) == LEASE


def test_own_claim_and_other_statuses_are_never_stale() -> None:
    """This process's own claim, and rows not `sending`, are not stale."""
    mine = sending(f"{HOST}:7", minutes_ago=60)
    assert stale_reason(mine, now=NOW, host=HOST, me=f"{HOST}:7") is None
    unknown = sending(f"{HOST}:7", minutes_ago=60, status="unknown")
    assert stale_reason(unknown, now=NOW, host=HOST, alive=lambda pid: False) is None


def test_a_claim_from_before_claims_were_recorded_uses_the_last_change() -> None:
    """A row without `claimed_by` is judged by its lease, from `updated_at`."""
    old = sending(None, minutes_ago=30)
    assert claimed_at(old) == NOW - timedelta(minutes=30)
    assert stale_reason(old, now=NOW, host=HOST) is not None
    assert stale_reason(sending(None, minutes_ago=2), now=NOW, host=HOST) is None
