"""Tests for `crosspost reconcile`, end to end as dry runs against one sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosspost.cli.main import main
from crosspost.sandbox import Fault

from .conftest import SharedSandbox, as_if_killed, run_json

pytestmark = pytest.mark.usefixtures("project_templates")

SUMMARY = """\
Research Summary: Cooling vests and heat sensitivity in multiple sclerosis

A look at a small trial of cooling garments worn during summer days.

What?

A crossover trial of cooling vests worn for two hours on warm afternoons.

Who?

A neurology team working with people who report heat-triggered symptoms.

Where?

An MS research journal.

When?

Published in summer 2026.

BACKGROUND #1:  Many people with MS feel weaker or more tired when they get warm.

FINDING #1:  Walking tests were faster on the days the vests were worn.

THOUGHT #1:  Cheap cooling could help people stay active through hot weather.
"""


@pytest.fixture
def summary(isolated: Path) -> str:
    path = isolated / "cooling.txt"
    path.write_text(SUMMARY, encoding="utf-8")
    return str(path)


def test_lost_answer_is_found_on_the_platform(
    summary: str, shared_sandbox: SharedSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    """An X post applied but its answer lost is found by reconcile: published, once."""
    shared_sandbox.faults.append(Fault("x", "timeout_after", path="/2/tweets"))
    post = ["post", summary, "--platforms", "x", "--dry-run"]
    code, [outcome] = run_json(post, capsys)
    assert (code, outcome["status"]) == (1, "unknown")
    code, [settled] = run_json(["reconcile", "--dry-run"], capsys)
    assert code == 0
    assert (settled["action"], settled["before"], settled["after"]) == (
        "found",
        "unknown",
        "published",
    )
    assert settled["url"].startswith("https://x.com/")
    code, [again] = run_json(post, capsys)
    assert (code, again["status"], again["url"]) == (
        0,
        "already_published",
        settled["url"],
    )
    assert len(shared_sandbox.posts("x")) == 1


def test_killed_sender_absent_is_failed_then_sent_once(
    summary: str,
    isolated: Path,
    shared_sandbox: SharedSandbox,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A request that never arrived, then a kill: reconcile concludes absent
    (failed), and the next post sends it exactly once."""
    shared_sandbox.faults.append(
        Fault("linkedin", "timeout_before", path="/rest/posts", times=None)
    )
    post = ["post", summary, "--platforms", "linkedin", "--dry-run"]
    assert main(post) == 1  # never reached: refused unsent
    capsys.readouterr()
    shared_sandbox.faults.clear()
    as_if_killed(isolated, row_id=1, minutes_ago=5)
    code, [settled] = run_json(["reconcile", "--dry-run"], capsys)
    assert code == 0
    assert (settled["before"], settled["after"], settled["action"]) == (
        "sending",
        "failed",
        "absent",
    )
    assert "is gone" in settled["stale"]
    code, [outcome] = run_json(post, capsys)
    assert (code, outcome["status"]) == (0, "published")
    assert len(shared_sandbox.posts("linkedin")) == 1


def test_recent_absence_is_left_unknown_until_min_age(
    summary: str,
    isolated: Path,
    shared_sandbox: SharedSandbox,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A post whose write got a 5xx moments ago (absent, but listings lag) stays
    unknown (exit 1) unless --min-age allows; the text output explains and counts."""
    shared_sandbox.faults.append(Fault("facebook", "server_error", path="/photos"))
    assert main(["post", summary, "--platforms", "facebook", "--dry-run"]) == 1
    capsys.readouterr()
    assert main(["reconcile", "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "#1    facebook   announce     unknown" in out
    assert "too recent to conclude" in out
    assert "1 left unknown" in out
    assert main(["reconcile", "--dry-run", "--min-age", "0"]) == 0
    assert "unknown → failed" in capsys.readouterr().out
    assert shared_sandbox.posts("facebook") == []


def test_youtube_and_unknown_rows_without_a_listing_stay_for_resolve(
    summary: str,
    isolated: Path,
    shared_sandbox: SharedSandbox,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A stuck YouTube hand-off is only marked unknown; reconcile exits 1."""
    main(["post", summary, "--platforms", "youtube", "--dry-run"])
    as_if_killed(isolated, row_id=1, minutes_ago=30)
    capsys.readouterr()
    code, [settled] = run_json(["reconcile", "--dry-run"], capsys)
    assert code == 1
    assert (settled["action"], settled["after"]) == ("cannot_find", "unknown")
    assert "crosspost resolve 1 --posted URL" in settled["detail"]


def test_nothing_to_reconcile(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An empty ledger: nothing to do, exit 0; a negative --min-age is a usage error."""
    assert main(["reconcile", "--dry-run"]) == 0
    assert "nothing to reconcile" in capsys.readouterr().out
    assert main(["reconcile", "--dry-run", "--min-age", "-1"]) == 2
    assert "--min-age -1 is not a number of seconds" in capsys.readouterr().err


def test_help_teaches_what_reconcile_does(capsys: pytest.CaptureFixture[str]) -> None:
    """--help explains found, absent, listing errors and threads, and exit codes."""
    with pytest.raises(SystemExit):
        main(["reconcile", "--help"])
    text = capsys.readouterr().out
    for phrase in ("found on the platform", "--min-age", "crosspost resolve", "exit"):
        assert phrase in text


PLATFORMS = "x,facebook,instagram,linkedin,youtube"


@pytest.mark.parametrize("how", ["truncated", "deleted"])
def test_rebuild_after_a_lost_ledger_then_post_sends_nothing_twice(
    summary: str,
    isolated: Path,
    shared_sandbox: SharedSandbox,
    capsys: pytest.CaptureFixture[str],
    how: str,
) -> None:
    """The ledger is lost after a post; `post` refuses it; `reconcile --rebuild` finds
    each live post and records it (an empty file is kept aside); posting again then
    sends nothing a second time, and YouTube is handed off anew."""
    post = ["post", summary, "--platforms", PLATFORMS, "--dry-run"]
    code, first = run_json(post, capsys)
    assert code == 0
    ledger = isolated / "var" / "dry-run-ledger.db"
    if how == "truncated":
        ledger.write_bytes(b"")
    else:
        ledger.unlink()
        ledger.with_name(ledger.name + "-wal").unlink(missing_ok=True)
    assert main(post) == 1
    capsys.readouterr()

    code, rebuilt = run_json(["reconcile", "--rebuild", summary, "--dry-run"], capsys)
    assert code == 0
    found = {(r["platform"], r["key"]): r for r in rebuilt if r["action"] == "found"}
    assert sorted(found) == [
        (p, "announce") for p in ("facebook", "instagram", "linkedin", "x")
    ]
    live = {o["platform"]: o["url"] for o in first if o["platform"] != "youtube"}
    assert {p: r["url"] for (p, _), r in found.items()} == live
    assert {r["action"] for r in rebuilt if r["platform"] == "youtube"} == {
        "cannot_find"
    }
    kept_aside = list(isolated.glob("var/dry-run-ledger.db.empty-*"))
    assert len(kept_aside) == (1 if how == "truncated" else 0)

    code, again = run_json(post, capsys)
    assert code == 0
    assert {o["platform"]: o["status"] for o in again} == {
        "x": "already_published",
        "facebook": "already_published",
        "instagram": "already_published",
        "linkedin": "already_published",
        "youtube": "awaiting_manual",
    }
    for platform in ("x", "facebook", "instagram", "linkedin"):
        assert len(shared_sandbox.posts(platform)) == 1


def test_rebuild_that_cannot_list_a_platform_keeps_the_ledger_refused(
    summary: str,
    isolated: Path,
    shared_sandbox: SharedSandbox,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A listing that fails leaves the rebuild incomplete (exit 1): `post` refuses
    the new ledger, so nothing is sent on a guess; a second rebuild completes it."""
    post = ["post", summary, "--platforms", "x,linkedin", "--dry-run"]
    assert main(post) == 0
    (isolated / "var" / "dry-run-ledger.db").unlink()
    shared_sandbox.faults.append(
        Fault("linkedin", "expired_token", path="/rest/posts", times=None)
    )
    rebuild = ["reconcile", "--rebuild", summary, "--dry-run"]
    assert main(rebuild) == 1
    assert "the rebuild is not complete: run it again" in capsys.readouterr().out
    assert main(post) == 1
    assert "the rebuild has not finished" in capsys.readouterr().err
    shared_sandbox.faults.clear()
    assert main(rebuild) == 0
    capsys.readouterr()
    code, again = run_json(post, capsys)
    assert (code, {o["status"] for o in again}) == (0, {"already_published"})
    assert len(shared_sandbox.posts("x")) == len(shared_sandbox.posts("linkedin")) == 1


def test_rebuild_without_credentials_is_refused_before_anything_is_written(
    summary: str, isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Looked up without credentials every post would seem absent: a real rebuild
    refuses first (exit 2), naming what is missing, and creates no ledger."""
    assert main(["reconcile", "--rebuild", summary]) == 2
    err = capsys.readouterr().err
    assert "not configured, so nothing was looked up or recorded" in err
    assert "CROSSPOST_LINKEDIN__ACCESS_TOKEN" in err
    assert not (isolated / "var").exists()


def test_a_recent_dead_claim_stays_sending_until_it_can_be_concluded(
    summary: str,
    isolated: Path,
    shared_sandbox: SharedSandbox,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A sender killed moments ago, its post not listed: left `sending` (exit 1,
    nothing concluded); with --min-age 0, absent and failed."""
    shared_sandbox.faults.append(
        Fault("linkedin", "timeout_before", path="/rest/posts", times=None)
    )
    post = ["post", summary, "--platforms", "linkedin", "--dry-run"]
    assert main(post) == 1
    capsys.readouterr()
    shared_sandbox.faults.clear()
    as_if_killed(isolated, row_id=1, minutes_ago=0.2)
    code, [settled] = run_json(["reconcile", "--dry-run"], capsys)
    assert code == 1
    assert (settled["after"], settled["action"]) == ("sending", "too_recent")
    assert main(["reconcile", "--dry-run"]) == 1
    assert "1 stale sends too recent to conclude" in capsys.readouterr().out
    code, [settled] = run_json(["reconcile", "--dry-run", "--min-age", "0"], capsys)
    assert (code, settled["after"], settled["action"]) == (0, "failed", "absent")
