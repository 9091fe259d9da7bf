"""Summaries of our own for the rehearsal tests, and settings with the project's
templates (or a copy of them to break)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crosspost.settings import Settings, load_settings
from crosspost.summaries.model import Summary
from crosspost.summaries.parse import parse_summary

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
START = datetime(2027, 5, 3, 7, 0, tzinfo=UTC)  # a Monday
PLATFORMS = ["x", "facebook", "instagram", "linkedin", "youtube"]

LINKED = """\
---
url: https://example.org/research/sleep-and-relapses/
tags: [sleep, relapses]
---

# Research Summary: Sleep duration and relapses in early multiple sclerosis

People newly diagnosed with MS often ask whether sleep matters. This study followed
sleep with wrist trackers for a year.

## What?

An observational study of sleep, measured with wrist trackers, and relapses.

## Who?

Sleep researchers working with three MS clinics.

FINDING #1:  People who slept under six hours a night had 30% more relapses.

FINDING #2:  Short naps did not make up for short nights.

THOUGHT #1:  A trial that improves sleep would show whether sleep itself matters.
"""

UNLINKED = """\
Research Summary: Singing groups and breathing strength in progressive MS

A choir for people with progressive MS met weekly for six months.

What?

A pilot study of group singing lessons and breathing muscle strength.

Who?

Speech therapists and a community choir.

FINDING #1:  Breathing muscle strength rose by about a tenth over the six months.

FINDING #2:  Nine in ten members kept coming to the weekly sessions.

FINDING #3:  Voice loudness improved for most members.
"""


def summaries() -> list[Summary]:
    return [
        parse_summary(LINKED, source="sleep.md"),
        parse_summary(UNLINKED, source="singing.txt"),
    ]


def settings_for(
    folder: Path, templates: Path = TEMPLATES, **schedule: object
) -> Settings:
    """Two slots a day on every platform, a day between a campaign's posts."""
    slots = {platform: ["daily 09:00", "daily 16:00"] for platform in PLATFORMS}
    return load_settings(
        None,
        env_file=None,
        templates_dir=templates,
        state_dir=folder / "var",
        timezone="Europe/London",
        schedule={"slots": slots, "gap_days": 1, **schedule},
    )


@pytest.fixture
def templates_copy(tmp_path: Path) -> Path:
    """A copy of the project's templates, to break."""
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    return folder


def break_template(folder: Path, platform: str, variant: str, typo: str) -> int:
    """Append `typo` as the template's last line; that line's number."""
    path = folder / platform / f"{variant}.j2"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append(typo)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)
