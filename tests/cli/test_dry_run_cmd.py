"""`crosspost dry-run` driven as CI drives it: the examples and summaries of our own,
the reports it writes, a template typo in any variant, the same bytes twice, and its
exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from crosspost.cli.main import main
from crosspost.report.dry_run_markdown import GITHUB_COMMENT_LIMIT, size

from .conftest import TEMPLATES

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "summaries"
NOW = "2027-03-24T09:00Z"

LINKED = """\
---
url: https://example.org/research/heat-and-walking/
tags: [heat, walking]
---

# Research Summary: Hot weather and walking distance in multiple sclerosis

Many people with MS find heat makes their symptoms worse for a while.

## What?

A study comparing six-minute walks on hot and on cool days.

## Who?

A physiotherapy department and a weather service.

FINDING #1:  On days above 28 °C, people walked 12% less far than on cool days.

FINDING #2:  A cold drink before walking made up about half of the difference.

THOUGHT #1:  Simple cooling could help people stay active in summer.
"""

PLAIN = """\
Research Summary: Reading speed and optic neuritis in multiple sclerosis

Blurred vision from optic neuritis often clears, but reading can stay slower.

What?

A study of reading speed a year after optic neuritis.

FINDING #1:  Reading was 9% slower in the affected eye after a year.

FINDING #2:  Larger print closed most of the gap.
"""


@pytest.fixture
def own(isolated: Path) -> Path:
    """A folder of two summaries of our own (Markdown with a link, plain text)."""
    folder = isolated / "summaries"
    folder.mkdir()
    (folder / "heat.md").write_text(LINKED, encoding="utf-8")
    (folder / "reading.txt").write_text(PLAIN, encoding="utf-8")
    return folder


@pytest.fixture
def templates_copy(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's templates, used by the command, to break."""
    folder = isolated / "templates"
    shutil.copytree(TEMPLATES, folder)
    monkeypatch.setenv("CROSSPOST_TEMPLATES_DIR", str(folder))
    return folder


def _reports(folder: Path) -> list[str]:
    return [
        "--report",
        str(folder / "report.json"),
        "--report",
        str(folder / "report.md"),
        "--report",
        str(folder / "report.html"),
    ]


@pytest.mark.usefixtures("project_templates")
def test_the_examples_are_rehearsed_and_every_report_written(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's main job: every example's posts rendered, planned and sent to
    the sandbox; three reports in a new folder; exit 0, nothing on stderr."""
    out = isolated / "out" / "nested"
    code = main(["dry-run", str(EXAMPLES), "--now", NOW, *_reports(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.err == ""
    assert "dry run: 4 summaries" in captured.out
    assert "no failures" in captured.out
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["ok"] is True
    assert data["counts"]["summaries"] == 4
    assert data["counts"]["published"] > 0
    assert data["counts"]["awaiting_manual"] > 0
    platforms = {post["platform"] for post in data["posts"]}
    assert platforms == {"x", "facebook", "instagram", "linkedin", "youtube"}
    assert {p["variant"] for p in data["posts"] if p["platform"] == "x"} == {
        "announce",
        "finding",
        "recap",
        "thread",
    }
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert size(markdown) <= GITHUB_COMMENT_LIMIT
    assert markdown.startswith("## crosspost dry run: no failures ✅")
    assert (out / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE")
    assert not (isolated / "var" / "dry-run-ledger.db").exists()


@pytest.mark.usefixtures("project_templates")
def test_summaries_of_our_own_become_every_post_with_its_answer(
    own: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--json prints the report: each post with its slot, text, count, card and the
    sandbox's answer; posts beyond --days stay planned."""
    code = main(["dry-run", str(own), "--now", NOW, "--days", "7", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    posts = data["posts"]
    titles = {post["summary"]["title"] for post in posts}
    assert titles == {
        "Hot weather and walking distance in multiple sclerosis",
        "Reading speed and optic neuritis in multiple sclerosis",
    }
    assert data["until"] == "2027-03-31T09:00:00Z"
    sent = [post for post in posts if post["outcome"]]
    assert sent
    for post in sent:
        assert post["outcome"]["fired_at"] == post["due_at"]
        assert post["card"]["sha256"]
        assert post["text"]
        assert post["count"] <= post["limit"]
    x_heat = [
        post
        for post in posts
        if post["platform"] == "x" and post["summary"]["source"].endswith("heat.md")
    ]
    assert any("https://example.org/research/heat-and-walking/" in p["text"][-1]
               for p in x_heat)  # fmt: skip
    assert {post["status"] for post in posts} >= {"published", "not_in_campaign"}
    later = [post for post in posts if post["status"] == "planned"]
    assert all(post["due_at"] > "2027-03-31T09:00:00Z" for post in later)


def test_a_second_run_writes_the_same_bytes(
    own: Path,
    isolated: Path,
    capsys: pytest.CaptureFixture[str],
    project_templates: None,
) -> None:
    """A fresh scratch ledger each time: the second run is not 'already published',
    and every report is byte for byte the same."""
    first, again = isolated / "first", isolated / "again"
    for folder in (first, again):
        args = ["dry-run", str(own), "--now", NOW, "--days", "10", *_reports(folder)]
        assert main(args) == 0
    capsys.readouterr()
    for name in ("report.json", "report.md", "report.html"):
        assert (first / name).read_bytes() == (again / name).read_bytes()


@pytest.mark.parametrize(
    ("platform", "variant"),
    [
        ("x", "thread"),
        ("x", "finding"),
        ("x", "recap"),
        ("x", "announce"),
        ("facebook", "announce"),
        ("instagram", "finding"),
        ("linkedin", "recap"),
        ("youtube", "finding"),
    ],
)
def test_a_typo_in_any_variant_fails_naming_the_file_and_line(
    own: Path,
    templates_copy: Path,
    capsys: pytest.CaptureFixture[str],
    platform: str,
    variant: str,
) -> None:
    """`{{ lnk }}` in any template, posted by the campaign or not, fails the dry run
    with the template's file and line, in the Markdown report too."""
    path = templates_copy / platform / f"{variant}.j2"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = len(lines) // 2
    lines.insert(at, "{{ lnk }}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    line = at + 1
    report = templates_copy.parent / "report.md"
    code = main(
        ["dry-run", str(own), "--now", NOW, "--days", "3", "--report", str(report)]
    )
    captured = capsys.readouterr()
    assert code == 1
    where = f"{platform}/{variant}.j2:{line}: 'lnk' is not a name templates are given"
    assert where in captured.err
    assert "did you mean 'link'?" in captured.err
    assert "1 failure (on stderr)" in captured.out
    assert where in report.read_text(encoding="utf-8")


def test_every_failure_is_listed_not_only_the_first(
    own: Path, templates_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two broken templates and an unreadable summary: three failures, each listed,
    and the reports still written."""
    for platform, variant in (("x", "thread"), ("linkedin", "finding")):
        with (templates_copy / platform / f"{variant}.j2").open("a") as file:
            file.write("{{ titel }}\n")
    (own / "broken.txt").write_text("not a summary at all\n", encoding="utf-8")
    report = own.parent / "report.json"
    code = main(["dry-run", str(own), "--now", NOW, "--report", str(report)])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.count("crosspost: ") == 3
    assert "x/thread.j2" in captured.err
    assert "linkedin/finding.j2" in captured.err
    assert "broken.txt" in captured.err
    data = json.loads(report.read_text(encoding="utf-8"))
    assert sorted(f["kind"] for f in data["failures"]) == [
        "source",
        "template",
        "template",
    ]
    assert data["counts"]["summaries"] == 2


@pytest.mark.usefixtures("project_templates")
@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--report", "out.txt"], "cannot tell what to write from its extension"),
        (["--days", "0"], "--days 0 is not a number of days"),
        (["--now", "someday"], "--now 'someday' is not a time"),
    ],
)
def test_usage_errors_exit_2(
    own: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    """A report kind it cannot write, a bad --days or --now: exit 2, nothing done."""
    assert main(["dry-run", str(own), *args]) == 2
    assert words in capsys.readouterr().err
    assert not Path("out.txt").exists()


@pytest.mark.usefixtures("project_templates")
def test_no_summaries_or_an_unwritable_report_exit_1(
    isolated: Path, own: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder with no summaries, or a report that cannot be written, is a failure
    with a message, never a traceback."""
    empty = isolated / "empty"
    empty.mkdir()
    assert main(["dry-run", str(empty)]) == 1
    assert "empty: no summary files here" in capsys.readouterr().err
    blocker = isolated / "file"
    blocker.write_text("", encoding="utf-8")
    args = ["dry-run", str(own), "--now", NOW, "--days", "1"]
    assert main([*args, "--report", str(blocker / "r.json")]) == 1
    assert "cannot write the report" in capsys.readouterr().err


def test_the_readme_shows_the_workflow_example_as_it_is() -> None:
    """The README's copy of the GitHub Actions example is the file itself, and its
    main job is the dry run over the examples."""
    root = EXAMPLES.parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    workflow = root / "examples" / "github-actions" / "crosspost-dry-run.yml"
    assert f"```yaml\n{workflow.read_text(encoding='utf-8')}```" in readme
    assert "crosspost dry-run examples/summaries --report" in readme.split("\n## ")[1]
