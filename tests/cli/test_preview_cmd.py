"""`crosspost preview`: the page is written, problems are shown on it, exit 1 if any."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from crosspost.cli.main import main
from crosspost.cli.preview_cmd import collect_teasers, write_page
from crosspost.errors import CrosspostError
from crosspost.settings import Settings
from crosspost.summaries.model import Paragraph, Summary
from crosspost.teasers.fit import FitError
from crosspost.teasers.model import Teaser, TeaserPart

ROOT = Path(__file__).resolve().parents[2]
SUMMARY_TEXT = """\
Research Summary: Cooling garments and heat-related fatigue in multiple sclerosis

Many people with MS find that warm weather makes their symptoms worse for a while.

WHO?
Occupational therapists at an (invented) northern MS centre ran the study.

WHAT?
A crossover trial of cooling vests worn during summer afternoons.

WHEN?
Published in July 2024.

WHERE?
In an invented journal of neuro-rehabilitation.

BACKGROUND #1: A small rise in body temperature can slow signals along damaged myelin.

FINDING #1: {finding}

FINDING #2: Walking distance in six minutes rose by about a tenth on cooling days.

THOUGHT #1: Cooling is cheap, safe and easy to try.
"""
SHORT_FINDING = "Fatigue scores fell by a quarter on the days the vests were worn."
# one sentence far beyond X's 280: the X finding post cannot fit without cutting a claim
# One sentence too long for an X post, with no clause boundary to go on from.
LONG_FINDING = (
    "Fatigue scores fell on cooling days "
    + " ".join(f"and in subgroup {n} the change was alike" for n in range(40))
    + "."
)


def _fake_render(failing: set[tuple[str, str]]) -> Any:
    def render(
        summary: Summary,
        settings: Settings,
        *,
        platforms: Sequence[str],
        variants: Sequence[str],
        cards: bool,
    ) -> list[Teaser]:
        assert cards
        (platform,), (variant,) = platforms, variants
        if (platform, variant) in failing:
            raise FitError(f"{platform} {variant}: 40 over the {platform} limit")
        return [
            Teaser(
                summary_id=summary.id,
                summary_title=summary.title,
                platform=platform,
                variant=variant,
                key=variant,
                parts=(TeaserPart(text=f"{platform} {variant}", count=10),),
                limit=280,
            )
        ]

    return render


def test_one_teaser_that_does_not_fit_costs_only_its_place(isolated: Path) -> None:
    """A FitError for one platform and variant becomes a problem; the rest render."""
    summary = Summary(
        title="Cooling", findings=(Paragraph(number=1, text="It helped."),)
    )
    teasers, problems = collect_teasers(
        summary,
        Settings(),
        platforms=["x", "linkedin"],
        render=_fake_render({("x", "finding")}),
    )
    assert problems == ["x finding: 40 over the x limit"]
    rendered = [(t.platform, t.variant) for t in teasers]
    assert ("x", "finding") not in rendered
    assert ("x", "thread") in rendered
    assert ("linkedin", "finding") in rendered
    assert ("linkedin", "thread") not in rendered  # only X has threads


def test_disabled_platforms_are_left_out(isolated: Path) -> None:
    """Without a platform list, only enabled platforms are rendered."""
    settings = Settings(facebook={"enabled": False}, youtube={"enabled": False})
    summary = Summary(title="Cooling")
    teasers, _ = collect_teasers(summary, settings, render=_fake_render(set()))
    assert {t.platform for t in teasers} == {"x", "instagram", "linkedin"}


def test_write_page_creates_folders(tmp_path: Path) -> None:
    """The page's parent folders are created."""
    target = tmp_path / "a" / "b" / "preview.html"
    write_page(target, "<p>page</p>")
    assert target.read_text(encoding="utf-8") == "<p>page</p>"


def test_unwritable_page_is_a_user_error(tmp_path: Path) -> None:
    """A path that cannot be written names itself and suggests -o."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(CrosspostError, match="cannot write the preview") as caught:
        write_page(blocker / "preview.html", "<p>page</p>")
    assert caught.value.hint is not None
    assert "--output" in caught.value.hint


def _run(
    isolated: Path, finding: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, Path]:
    monkeypatch.setenv("CROSSPOST_TEMPLATES_DIR", str(ROOT / "templates"))
    source = isolated / "cooling.txt"
    source.write_text(SUMMARY_TEXT.format(finding=finding), encoding="utf-8")
    output = isolated / "out" / "site" / "preview.html"
    code = main(["preview", str(source), "-o", str(output)])
    return code, output


def test_preview_writes_the_page_and_prints_its_path(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """It renders every platform with cards, writes the page and prints its path."""
    code, output = _run(isolated, SHORT_FINDING, monkeypatch)
    assert code == 0
    assert capsys.readouterr().out.strip() == str(output)
    html = output.read_text(encoding="utf-8")
    assert "Cooling garments and heat-related fatigue" in html
    for heading in ('<h2 id="platform-x">', '<h2 id="platform-linkedin">'):
        assert heading in html
    assert "data:image/jpeg;base64," in html
    assert "data:image/png;base64," in html
    assert "Problems:" not in html


def test_preview_shows_a_post_that_does_not_fit_and_exits_1(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A finding too long for X is a problem on the written page, and exit 1."""
    code, output = _run(isolated, LONG_FINDING, monkeypatch)
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out.strip() == str(output)
    assert "do not fit" in captured.err
    html = output.read_text(encoding="utf-8")
    assert 'role="alert"' in html
    assert "has no clause boundary" in html
    assert '<h2 id="platform-linkedin">' in html


def test_missing_source_is_a_user_error(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing summary file exits 1 with a message, no page and no traceback."""
    code = main(["preview", "nowhere.txt", "-o", "preview.html"])
    assert code == 1
    assert "nowhere.txt" in capsys.readouterr().err
    assert not (isolated / "preview.html").exists()
