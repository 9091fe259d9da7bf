"""Who acts on the ledger, who holds a `sending` claim (host and process id), and when
a claim has gone stale."""

from __future__ import annotations

import getpass
import os
import socket
from collections.abc import Callable
from datetime import datetime, timedelta

from crosspost.ledger.tables import PlannedPost

# A send that takes longer than this is taken to be dead, wherever its process ran.
LEASE = timedelta(minutes=10)
# Marks a claim left under this process's name by an earlier process of that name.
EARLIER = " (earlier)"


def default_actor() -> str:
    """Who is acting, for the history: user@host and process id."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = f"uid{os.getuid()}"
    return f"{user}@{socket.gethostname()} pid {os.getpid()}"


def claimer() -> str:
    """This process, as a claim records it: `host:pid`."""
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_owner(value: str | None) -> str | None:
    """The process (`host:pid`) a claim was made by, even one marked earlier."""
    return value.removesuffix(EARLIER) if value else value


def parse_claimer(value: str | None) -> tuple[str, int] | None:
    """(host, pid) from a `claimed_by` value; None when it is missing or malformed."""
    if not value:
        return None
    host, _, pid = value.rpartition(":")
    if not host or not pid.isdigit():
        return None
    return host, int(pid)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists on this host (it may be another one)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, but belongs to someone else
    return True


def claimed_at(row: PlannedPost) -> datetime:
    """When the row's current claim was made (older rows: when it last changed)."""
    return row.claimed_at or row.updated_at


def stale_reason(
    row: PlannedPost,
    *,
    now: datetime,
    lease: timedelta = LEASE,
    host: str | None = None,
    me: str | None = None,
    alive: Callable[[int], bool] = pid_alive,
) -> str | None:
    """Why the `sending` row's claim is stale, or None while its sender may be at work.

    Stale: its process was on this host and is gone, or its lease ran out (another
    host, or a process id since reused); older claims without a lease time, when
    they are older than `lease`."""
    if row.status != "sending":
        return None
    who = parse_claimer(row.claimed_by)
    host = host or socket.gethostname()
    if who is not None and row.claimed_by == (me or claimer()):
        return None
    if who is not None and who[0] == host and not alive(who[1]):
        return f"its sender (process {who[1]} on {host}) is gone"
    if row.lease_until is not None:
        # A runner's heartbeat renews its lease; one that stopped beating is dead.
        if now <= row.lease_until:
            return None
        by = f" of {row.claimed_by}" if row.claimed_by else ""
        return f"the lease{by} ran out at {row.lease_until:%Y-%m-%d %H:%M:%S} UTC"
    age = now - claimed_at(row)
    if age > lease:
        minutes = int(age.total_seconds() // 60)
        by = f" by {row.claimed_by}" if row.claimed_by else ""
        return (
            f"claimed{by} {minutes} min ago, longer than the "
            f"{int(lease.total_seconds() // 60)}-minute lease"
        )
    return None
