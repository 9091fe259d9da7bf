"""`crosspost preview`: the page is written, problems are shown on it, exit 1 if any."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crosspost.cli.main import main
from crosspost.cli.preview_cmd import write_page
from crosspost.errors import CrosspostError

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


def _page(isolated: Path, *argv: str) -> tuple[int, str]:
    output = isolated / "preview.html"
    code = main(["preview", *argv, "-o", str(output)])
    return code, output.read_text(encoding="utf-8") if output.exists() else ""


def _articles(html: str) -> list[tuple[str, str]]:
    return re.findall(r'data-platform="([^"]+)" data-key="([^"]+)"', html)


def test_filters_choose_platforms_and_variants(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--platform and --variant narrow the page to those posts."""
    monkeypatch.setenv("CROSSPOST_TEMPLATES_DIR", str(ROOT / "templates"))
    (isolated / "cooling.txt").write_text(SUMMARY_TEXT.format(finding=SHORT_FINDING))
    code, html = _page(
        isolated, "cooling.txt", "--platform", "x,linkedin", "--variant", "finding"
    )
    assert code == 0
    assert _articles(html) == [
        ("x", "finding-1"), ("x", "finding-2"),
        ("linkedin", "finding-1"), ("linkedin", "finding-2"),
    ]  # fmt: skip


def test_disabled_platforms_are_left_out(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --platform, only enabled platforms are on the page."""
    monkeypatch.setenv("CROSSPOST_TEMPLATES_DIR", str(ROOT / "templates"))
    monkeypatch.setenv("CROSSPOST_FACEBOOK__ENABLED", "false")
    monkeypatch.setenv("CROSSPOST_YOUTUBE__ENABLED", "false")
    (isolated / "cooling.txt").write_text(SUMMARY_TEXT.format(finding=SHORT_FINDING))
    _, html = _page(isolated, "cooling.txt", "--variant", "announce")
    assert {platform for platform, _ in _articles(html)} == {
        "x", "instagram", "linkedin",
    }  # fmt: skip


def test_a_folder_of_summaries_shares_one_page_and_its_cards(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Several sources make one page with a section each; each distinct card is drawn
    once, and a second run (as `post` would be) finds them all on disk."""
    monkeypatch.setenv("CROSSPOST_TEMPLATES_DIR", str(ROOT / "templates"))
    folder = isolated / "summaries"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.txt").write_text(
            SUMMARY_TEXT.format(finding=SHORT_FINDING).replace(
                "Cooling garments", f"Cooling garments ({name})"
            )
        )
    code, html = _page(isolated, str(folder), "--variant", "announce,recap")
    assert code == 0
    assert 'id="summary-1"' in html
    assert 'id="summary-2"' in html
    drawn = re.search(r"(\d+) cards drawn, (\d+) reused", capsys.readouterr().err)
    assert drawn is not None
    # per summary: the headline card in two sizes, shared by announce and recap
    assert (int(drawn[1]), int(drawn[2])) == (4, 16)
    _page(isolated, str(folder), "--variant", "announce,recap")
    again = re.search(r"(\d+) cards drawn", capsys.readouterr().err)
    assert again is not None
    assert again[1] == "0"


def test_headline_option_leads_with_that_finding(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--headline 2 puts FINDING #2 in the announce; a missing number exits 2."""
    monkeypatch.setenv("CROSSPOST_TEMPLATES_DIR", str(ROOT / "templates"))
    (isolated / "cooling.txt").write_text(SUMMARY_TEXT.format(finding=SHORT_FINDING))
    argv = ["cooling.txt", "--platform", "facebook", "--variant", "announce"]
    _, html = _page(isolated, *argv, "--headline", "2")
    assert "The headline finding: Walking distance in six minutes" in html
    code, _ = _page(isolated, *argv, "--headline", "7")
    assert code == 2


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
    for heading in ('id="summary-1-platform-x"', 'id="summary-1-platform-linkedin"'):
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
    assert 'id="summary-1-platform-linkedin"' in html


def test_missing_source_is_a_user_error(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing summary file exits 1 with a message, no page and no traceback."""
    code = main(["preview", "nowhere.txt", "-o", "preview.html"])
    assert code == 1
    assert "nowhere.txt" in capsys.readouterr().err
    assert not (isolated / "preview.html").exists()
