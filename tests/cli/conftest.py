"""Fixtures for command tests: one sandbox shared by every dry run of a test."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from crosspost.sandbox import Fault, Sandbox, SandboxConfig, dryrun
from crosspost.settings import Settings


@dataclass
class SharedSandbox:
    """The sandbox every dry run of a test talks to, remembering posts between
    commands as a real platform does; `faults` apply to the next requests."""

    config: SandboxConfig = field(default_factory=SandboxConfig)
    sandbox: Sandbox | None = None

    @property
    def faults(self) -> list[Fault]:
        return self.config.faults

    def posts(self, platform: str) -> list[str]:
        """The texts the platform accepted, in order."""
        shown = self.sandbox.posts if self.sandbox is not None else []
        return [post.text for post in shown if post.platform == platform]


@pytest.fixture
def shared_sandbox(monkeypatch: pytest.MonkeyPatch) -> SharedSandbox:
    """Dry runs in this test share one sandbox instead of a fresh one per command."""
    shared = SharedSandbox()
    make = dryrun.make_dry_run_sandbox

    def make_once(settings: Settings, config: SandboxConfig | None = None) -> Sandbox:
        if shared.sandbox is None:
            shared.sandbox = make(settings, shared.config)
        return shared.sandbox

    monkeypatch.setattr(dryrun, "make_dry_run_sandbox", make_once)
    return shared
