"""Shared fixtures of the teaser tests: settings with the project's templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosspost.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def settings(isolated: Path) -> Settings:
    return Settings(templates_dir=ROOT / "templates")
