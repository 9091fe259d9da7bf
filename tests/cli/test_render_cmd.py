"""`crosspost render`: readable and JSON output, and clear exits on bad input."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from crosspost.cli.main import main

ROOT = Path(__file__).resolve().parents[2]

SUMMARY = """\
Research Summary: Balance training and walking speed in relapsing MS: a pilot trial

A short course of balance training may help people with MS walk faster.

What?

A pilot trial tested a six-week balance course against usual care.

Who?

Physiotherapists at a rehabilitation clinic.

FINDING #1: Walking speed rose by 10% after the course (p < 0.05).

FINDING #2: Falls were fewer in the next three months. However, the drop was not \
significant.

THOUGHT #1: The trial had only 30 participants.
"""


@pytest.fixture
def summary_file(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CROSSPOST_TEMPLATES_DIR", str(ROOT / "templates"))
    path = isolated / "balance.txt"
    path.write_text(SUMMARY, encoding="utf-8")
    return path


def test_readable_output(
    summary_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each teaser shows platform, variant, count/limit, text; thread parts numbered."""
    assert main(["render", str(summary_file), "--platform", "x"]) == 0
    out = capsys.readouterr().out
    assert "== x · announce · " in out
    assert "== x · finding (finding-2) · " in out
    assert "/280" in out
    assert "  Finding 2 of 2" in out
    assert "-- part 3/3" in out


def test_json_output(summary_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--json lists each teaser: parts, counts, limit, link, hashtags, warnings."""
    code = main(["render", str(summary_file), "--platform", "linkedin", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert [item["key"] for item in data] == [
        "announce",
        "finding-1",
        "finding-2",
        "recap",
    ]
    first = data[0]
    assert set(first) == {
        "summary_id", "platform", "variant", "key", "parts", "text", "count",
        "limit", "link", "hashtags", "warnings",
    }  # fmt: skip
    assert first["platform"] == "linkedin"
    assert first["parts"][0]["text"] == first["text"]
    assert first["count"] == first["parts"][0]["count"] <= first["limit"]
    assert first["link"] is None
    assert any("no url" in warning for warning in first["warnings"])


def test_platform_and_variant_options(
    summary_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Repeated and comma-separated --platform/--variant choose what is rendered."""
    argv = ["render", str(summary_file), "--platform", "x,facebook"]
    argv += ["--variant", "finding", "--variant", "thread", "--json"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(item["platform"], item["key"]) for item in data] == [
        ("x", "finding-1"), ("x", "finding-2"), ("x", "thread"),
        ("facebook", "finding-1"), ("facebook", "finding-2"),
    ]  # fmt: skip


def test_fit_error_exits_1_with_a_clear_message(
    summary_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A finding that cannot go over X posts is an error naming platform, teaser and
    the sentence to shorten."""
    _unfittable(summary_file)
    code = main(
        ["render", str(summary_file), "--platform", "x", "--variant", "finding"]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "x finding-1:" in err
    assert "does not fit one post and has no clause boundary" in err
    assert "hint: shorten that sentence (“Walking improved" in err
    assert "Traceback" not in err


def test_template_typo_is_reported_with_file_and_line(
    summary_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A broken template names its file and line, and exits 2 (configuration)."""
    templates = summary_file.parent / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "x" / "recap.j2").write_text("Recap\n{{ titel }}\n", encoding="utf-8")
    monkeypatch.setenv("CROSSPOST_TEMPLATES_DIR", str(templates))
    assert main(["render", str(summary_file), "--platform", "x"]) == 2
    err = capsys.readouterr().err
    assert "x/recap.j2:2" in err
    assert "titel" in err


def test_unknown_platform_is_a_usage_error(
    summary_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown platform exits 2 and lists the valid ones."""
    assert main(["render", str(summary_file), "--platform", "myspace"]) == 2
    assert "choose from x, facebook" in capsys.readouterr().err


def test_missing_source_exits_1(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A summary file that does not exist is reported, not a traceback."""
    assert main(["render", str(isolated / "nothing.txt")]) == 1
    assert "nothing.txt" in capsys.readouterr().err


def _unfittable(summary_file: Path) -> None:
    """FINDING #1 becomes one sentence too long for any X post, with no clause
    boundary to go on from."""
    long_sentence = "Walking " + "improved steadily and " * 20 + "then levelled off."
    summary_file.write_text(
        SUMMARY.replace(
            "Walking speed rose by 10% after the course (p < 0.05).", long_sentence
        ),
        encoding="utf-8",
    )


def test_teasers_that_fit_are_printed_even_when_others_do_not(
    summary_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Readable output shows every teaser that fits; the rest are errors on stderr."""
    _unfittable(summary_file)
    assert main(["render", str(summary_file), "--platform", "x,linkedin"]) == 1
    captured = capsys.readouterr()
    assert "== x · finding (finding-2) · " in captured.out
    assert "== linkedin · finding (finding-1) · " in captured.out
    assert "== x · finding (finding-1)" not in captured.out
    assert "crosspost: error: x finding-1: " in captured.err
    assert "crosspost: error: x thread: a sentence of FINDING #1" in captured.err
    assert "crosspost: 2 of 9 teasers do not fit" in captured.err


def test_json_stdout_stays_a_list_and_errors_are_json_lines(
    summary_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--json: stdout is the list of teasers that fit; stderr one object per failure."""
    _unfittable(summary_file)
    code = main(["render", str(summary_file), "--platform", "x", "--json"])
    assert code == 1
    captured = capsys.readouterr()
    assert [item["key"] for item in json.loads(captured.out)] == [
        "announce",
        "finding-2",
        "recap",
    ]
    errors = [json.loads(line) for line in captured.err.splitlines()]
    assert [(e["platform"], e["variant"], e["key"]) for e in errors] == [
        ("x", "finding", "finding-1"),
        ("x", "thread", "thread"),
    ]
    first = errors[0]
    assert set(first) == {
        "error", "platform", "variant", "key", "over", "message", "hint",
    }  # fmt: skip
    assert first["error"] == "fit"
    assert first["message"].startswith("x finding-1: a sentence of FINDING #1")
    assert first["hint"].startswith("shorten that sentence")


def test_json_with_nothing_fitting_is_an_empty_list(
    summary_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """When no teaser fits, stdout is still a JSON list (empty), and the exit is 1."""
    _unfittable(summary_file)
    argv = ["render", str(summary_file), "--platform", "x", "--variant", "thread"]
    assert main([*argv, "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out) == []
    assert json.loads(captured.err)["key"] == "thread"


def test_recap_keeps_every_sentence_and_numbers_by_position(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The reviewer's case: a Facebook recap with room to spare shows each finding
    whole, and findings numbered 1 and 3 are the first and second of two."""
    monkeypatch.setenv("CROSSPOST_TEMPLATES_DIR", str(ROOT / "templates"))
    path = isolated / "drug-r.txt"
    path.write_text(
        "Research Summary: Drug R in relapsing MS\n\n"
        "A trial of Drug R.\n\n"
        "FINDING #1: Drug R halved the relapse rate in the first year. "
        "The effect had disappeared by the end of the second year.\n\n"
        "FINDING #3: Side effects were mild. Liver tests were normal.\n",
        encoding="utf-8",
    )
    assert main(["render", str(path), "--platform", "facebook"]) == 0
    out = capsys.readouterr().out
    recap = out.split("== facebook · recap")[1].split("\n== ")[0]
    assert (
        "Finding 1: Drug R halved the relapse rate in the first year. "
        "The effect had disappeared by the end of the second year." in recap
    )
    assert "Finding 2: Side effects were mild. Liver tests were normal." in recap
    assert "shortened" not in recap
    assert "== facebook · finding (finding-3) · " in out
    assert "Finding 2 of 2" in out
    assert "Finding 3 of 2" not in out


def test_several_sources_render_one_after_another(
    summary_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file and a folder: each summary's teasers under a heading naming it; an
    unreadable source is reported and makes the exit 1, the rest still print."""
    folder = summary_file.parent / "more"
    folder.mkdir()
    (folder / "other.txt").write_text(
        SUMMARY.replace("Research Summary: ", "Research Summary: Another look at "),
        encoding="utf-8",
    )
    argv = [str(summary_file), str(folder), "missing.txt", "--platform", "x"]
    code = main(["render", *argv, "--variant", "announce"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out.count("#### ") == 2
    assert captured.out.count("== x · announce") == 2
    assert "missing.txt: no such file" in captured.err
    assert main(["render", *argv[:2], "--variant", "announce", "--json"]) == 0
    ids = {item["summary_id"] for item in json.loads(capsys.readouterr().out)}
    assert len(ids) == 2


def test_finding_zero_renders_without_a_traceback(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`FINDING #0:` is a finding like any other: render and preview exit 0."""
    monkeypatch.setenv("CROSSPOST_TEMPLATES_DIR", str(ROOT / "templates"))
    path = isolated / "zero.txt"
    path.write_text(
        "Research Summary: Cooling vests in MS\n\nA short look.\n\n"
        "FINDING #0: Walking improved by 8% with the vest.\n\n"
        "FINDING #1: Fatigue fell on hot days.\n",
        encoding="utf-8",
    )
    assert main(["render", str(path), "--json"]) == 0
    keys = {item["key"] for item in json.loads(capsys.readouterr().out)}
    assert "finding-0" in keys
    assert main(["preview", str(path), "-o", str(isolated / "p.html")]) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_a_100_kb_finding_renders_within_seconds(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A summary with a 100 KB finding renders (X as a chain) within seconds, and a
    file over 2 MiB is refused before it is read, naming the limit."""
    monkeypatch.setenv("CROSSPOST_TEMPLATES_DIR", str(ROOT / "templates"))
    sentence = (
        "Relapses fell by 12% in the treated group, compared with 4% on placebo. "
    )
    path = isolated / "huge-finding.txt"
    path.write_text(
        "Research Summary: A long trial\n\nA look.\n\nFINDING #1: "
        + sentence * (100 * 1024 // len(sentence))
        + "\n",
        encoding="utf-8",
    )
    started = time.perf_counter()
    code = main(["render", str(path), "--platform", "x", "--variant", "finding"])
    assert time.perf_counter() - started < 10
    assert code == 0
    assert "Traceback" not in capsys.readouterr().err
    big = isolated / "big.txt"
    big.write_bytes(b"x" * (2 * 1024 * 1024 + 1))
    assert main(["render", str(big)]) == 1
    assert "more than the 2 MiB a summary may be" in capsys.readouterr().err
