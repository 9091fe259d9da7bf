"""Composer: each teaser's draft, fitting, warnings; one failure costs only itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosspost.settings import Settings
from crosspost.summaries.model import Paragraph, Summary
from crosspost.teasers import rules
from crosspost.teasers.compose import Composer
from crosspost.teasers.environment import teaser_environment
from crosspost.teasers.fit import FitError
from crosspost.teasers.model import Teaser

ROOT = Path(__file__).resolve().parents[2]
TOO_LONG = "Relapses " + "were reduced and " * 20 + "remained low."
LONG = "Relapses fell by a third. " + " ".join(
    f"Secondary measure {n} also favoured the drug overall." for n in range(6)
)


@pytest.fixture
def settings(isolated: Path) -> Settings:
    return Settings(templates_dir=ROOT / "templates")


def _composer(settings: Settings, *findings: str) -> Composer:
    summary = Summary(
        title="Research Summary: Fampridine and walking in MS",
        findings=tuple(
            Paragraph(number=n, text=text) for n, text in enumerate(findings, start=1)
        ),
    )
    return Composer(
        summary, settings, teaser_environment(settings.templates_dir), False
    )


def test_each_key_is_made_or_fails_on_its_own(settings: Settings) -> None:
    """A finding that cannot fit fails alone; the next finding's teaser is made."""
    made = _composer(settings, TOO_LONG, "Walking was faster.").variant(
        "x", "finding", rules.rule_for("x")
    )
    assert [key for key, _ in made] == ["finding-1", "finding-2"]
    assert isinstance(made[0][1], FitError)
    assert isinstance(made[1][1], Teaser)


def test_shed_sentences_are_counted_in_one_warning(settings: Settings) -> None:
    """Several sentences given up read as 'N sentences of FINDING #1'."""
    [(_, teaser)] = _composer(settings, LONG).variant(
        "x", "finding", rules.rule_for("x")
    )
    assert isinstance(teaser, Teaser)
    [shortened] = [w for w in teaser.warnings if w.startswith("shortened")]
    assert "sentences of FINDING #1" in shortened
    assert "a sentence of FINDING #1, a sentence" not in shortened


def test_a_summary_without_url_warns_on_every_teaser(settings: Settings) -> None:
    """No URL means no link, which each teaser says."""
    made = _composer(settings, "Walking was faster.").variant(
        "facebook", "announce", rules.rule_for("facebook")
    )
    [(_, teaser)] = made
    assert isinstance(teaser, Teaser)
    assert teaser.link is None
    assert "the summary has no url, so this teaser has no link" in teaser.warnings
