"""Shared fixtures: paths to the project's own data, and the async backend for
anyio tests."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
EXAMPLES = ROOT / "examples" / "summaries"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder with no CROSSPOST_* variables, so no real state or
    secret is touched."""
    import os

    for name in list(os.environ):
        if name.startswith("CROSSPOST_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path
