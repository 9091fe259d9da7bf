"""Faithful fake platform APIs for --dry-run, tests and `crosspost sandbox serve`."""

from __future__ import annotations

from crosspost.sandbox.app import Sandbox, create_sandbox
from crosspost.sandbox.config import Fault, SandboxAccounts, SandboxConfig
from crosspost.sandbox.faults import SandboxTransport
from crosspost.sandbox.state import PostRecord

__all__ = [
    "Fault",
    "PostRecord",
    "Sandbox",
    "SandboxAccounts",
    "SandboxConfig",
    "SandboxTransport",
    "create_sandbox",
]
