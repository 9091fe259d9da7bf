"""Tests for a simulated run: a scratch folder and ledger that vanish, the same posts,
ids and order every time, and notices kept instead of sent."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crosspost.schedule.planning import apply_plan
from crosspost.schedule.runner import plan_for
from crosspost.schedule.simulation import Scratch, scratch, simulate_run
from crosspost.settings import Settings, load_settings
from crosspost.summaries.parse import parse_summary
from crosspost.teasers.card_cache import CardCache

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
START = datetime(2027, 3, 22, 8, 0, tzinfo=UTC)
PLATFORMS = ["x", "facebook", "instagram", "linkedin", "youtube"]
SUMMARY = """\
Research Summary: Cooling vests and heat sensitivity in multiple sclerosis

A small crossover trial asked whether cooling vests help on hot days.

What?

A crossover trial of cooling vests worn during summer afternoons.

Who?

An MS nursing team at a regional hospital.

FINDING #1:  Forty adults took part; each wore the vest for two weeks and not for two.

FINDING #2:  Fatigue scores were 15% lower in the weeks with the vest.

THOUGHT #1:  The vests were bulky, and some people stopped wearing them.
"""


def _settings(folder: Path) -> Settings:
    slots = {platform: ["daily 09:00", "daily 15:00"] for platform in PLATFORMS}
    return load_settings(
        None,
        env_file=None,
        templates_dir=TEMPLATES,
        state_dir=folder / "var",
        timezone="Europe/London",
        schedule={"slots": slots, "gap_days": 1},
    )


def _plan(place: Scratch) -> int:
    summary = parse_summary(SUMMARY, source="cooling.txt")
    plan = plan_for(
        summary, place.settings, place.ledger, now=START, platforms=PLATFORMS
    )
    apply_plan(plan, place.ledger, now=START, zone="Europe/London")
    return len(plan.entries)


def _simulate(settings: Settings) -> tuple[list[tuple[str, str, str, str]], int, Path]:
    with scratch(settings) as place:
        planned = _plan(place)
        cards = CardCache(settings.branding, None)
        simulation = asyncio.run(
            simulate_run(
                place.settings,
                place.ledger,
                start=START,
                until=START + timedelta(days=14),
                platforms=PLATFORMS,
                card_maker=cards.card,
            )
        )
        folder = place.folder
        assert folder.is_dir()
        assert place.settings.ledger(dry_run=True).startswith(f"sqlite:///{folder}")
        notices = [notice.kind for notice in simulation.notices]
        assert notices.count("handoff") == planned // len(PLATFORMS)
        fired = [
            (f.row.platform, f.row.key, f.outcome.status, f.outcome.post_id or "")
            for f in simulation.fired
        ]
        assert len(fired) == planned
        assert all(f.teaser is not None for f in simulation.fired)
        assert "fired" in repr(simulation)  # short, whatever the cards weigh
    return fired, planned, folder


def test_a_second_simulation_fires_the_same_posts_with_the_same_ids(
    isolated: Path,
) -> None:
    """Fresh scratch each time: the same posts go out in the same order, and the
    sandbox answers with the same ids; nothing is left behind."""
    settings = _settings(isolated)
    first, planned, folder = _simulate(settings)
    again, _, other = _simulate(settings)
    assert first == again
    assert planned == len(first) > 0
    assert {status for _, _, status, _ in first} == {"published", "awaiting_manual"}
    assert not folder.exists()
    assert not other.exists()
    assert not (isolated / "var" / "dry-run-ledger.db").exists()
