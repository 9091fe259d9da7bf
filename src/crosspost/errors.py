"""The base of every error a user can cause and fix.

The CLI prints these without a traceback.
"""

from __future__ import annotations


class CrosspostError(Exception):
    """A problem the user can act on.

    `hint` says how to fix it; `exit_code` is what the CLI returns.
    """

    exit_code = 1

    def __init__(
        self, message: str, *, hint: str | None = None, exit_code: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"


class UsageError(CrosspostError):
    """The command itself was wrong (bad option value, unknown platform)."""

    exit_code = 2


class ConfigError(CrosspostError):
    """A setting is missing or has a value that is not allowed."""

    exit_code = 2
