"""Tests for `crosspost post` (with its reconcile first), `check`, `status` and
`resolve`, run as dry runs."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from crosspost.cli.main import main
from crosspost.sandbox import Fault

from .conftest import SharedSandbox, as_if_killed, run_json

pytestmark = pytest.mark.usefixtures("project_templates")

SUMMARY = """\
Research Summary: Walking speed after a remote exercise programme in multiple sclerosis

A short look at a trial of home exercise coached by video calls.

What?

A randomised trial of a twelve-week exercise programme delivered at home.

Who?

A rehabilitation team working with several MS clinics.

Where?

A peer-reviewed rehabilitation journal.

When?

Published in spring 2026.

BACKGROUND #1:  Many people with MS find it hard to reach a gym or a clinic each week.

FINDING #1:  The coached group walked a timed distance faster after twelve weeks.

FINDING #2:  Most participants finished the programme and few reported falls.

THOUGHT #1:  Larger and longer trials will show whether the gains last.
"""


@pytest.fixture
def summary(isolated: Path) -> Path:
    path = isolated / "walking.txt"
    path.write_text(SUMMARY, encoding="utf-8")
    return path


def ledger_rows(isolated: Path) -> list[tuple[str, str]]:
    database = sqlite3.connect(isolated / "var" / "dry-run-ledger.db")
    try:
        return database.execute("SELECT platform, status FROM planned_posts").fetchall()
    finally:
        database.close()


def test_post_dry_run_publishes_and_hands_off(
    summary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A dry run posts to the sandbox, hands YouTube off, and exits 0."""
    code, outcomes = run_json(
        ["post", str(summary), "--platforms", "x,linkedin,youtube", "--dry-run"], capsys
    )
    assert code == 0
    by_platform = {o["platform"]: o for o in outcomes}
    assert by_platform["x"]["status"] == "published"
    assert by_platform["x"]["url"]
    assert by_platform["linkedin"]["status"] == "published"
    assert by_platform["youtube"]["status"] == "awaiting_manual"
    assert Path(by_platform["youtube"]["handoff_path"], "post.txt").is_file()
    assert set(outcomes[0]) >= {"variant", "key", "post_id", "ledger_id", "live_parts"}
    assert sorted(ledger_rows(summary.parent)) == [
        ("linkedin", "published"),
        ("x", "published"),
        ("youtube", "awaiting_manual"),
    ]


def test_each_outcome_is_said_once_on_stdout(
    summary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The outcomes are one table on stdout; off a terminal, stderr stays empty."""
    assert main(["post", str(summary), "--platforms", "x,facebook", "--dry-run"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    lines = captured.out.splitlines()
    assert lines[0].split()[:4] == ["platform", "post", "id", "status"]
    assert [line.split()[0] for line in lines[1:]] == ["x", "facebook"]
    assert captured.out.count("published") == 2


def test_second_post_does_not_post_again(
    summary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Posting the same summary twice says where it already is, and exits 0."""
    args = ["post", str(summary), "--platforms", "x", "--dry-run"]
    run_json(args, capsys)
    code, [outcome] = run_json(args, capsys)
    assert code == 0
    assert outcome["status"] == "already_published"


def test_again_posts_a_second_copy(
    summary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--again sends a post the ledger already has."""
    args = ["post", str(summary), "--platforms", "linkedin", "--dry-run"]
    run_json(args, capsys)
    code, [outcome] = run_json([*args, "--again"], capsys)
    assert code == 0
    assert outcome["status"] == "published"


def test_post_that_cannot_fit_sends_nothing(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A teaser that cannot fit honestly is never sent: it fails, exit 1."""
    claim = "lesion " * 120
    text = SUMMARY.replace(
        "The coached group walked a timed distance faster after twelve weeks.",
        f"The coached group showed {claim}changes",
    )
    (isolated / "long.txt").write_text(text, encoding="utf-8")
    code = main(
        ["post", "long.txt", "--platforms", "x", "--variant", "thread", "--dry-run"]
    )
    assert code == 1
    captured = capsys.readouterr()
    assert "does not fit" in captured.out
    assert "Traceback" not in captured.err
    assert not (isolated / "var" / "dry-run-ledger.db").exists()


def test_unknown_platform_or_variant_is_a_usage_error(
    summary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Unknown names exit 2 before anything is read or sent."""
    assert main(["post", str(summary), "--platforms", "myspace", "--dry-run"]) == 2
    assert "unknown platform 'myspace'" in capsys.readouterr().err
    assert main(["post", str(summary), "--variant", "poem", "--dry-run"]) == 2
    assert "unknown variant 'poem'" in capsys.readouterr().err


def test_status_lists_rows(summary: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`status --json` lists every row with its status, URL and attempts."""
    main(["post", str(summary), "--platforms", "x,youtube", "--dry-run"])
    capsys.readouterr()
    code, rows = run_json(["status", "--dry-run"], capsys)
    assert code == 0
    assert {(row["platform"], row["status"], row["attempts"]) for row in rows} == {
        ("x", "published", 1),
        ("youtube", "awaiting_manual", 1),
    }
    assert main(["status", "--dry-run"]) == 0
    table = capsys.readouterr().out
    assert "awaiting_manual" in table
    assert "Walking speed after a remote exercise programme" in table


def test_status_of_an_empty_ledger(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An empty ledger says so."""
    assert main(["status", "--dry-run"]) == 0
    assert "no posts in the ledger" in capsys.readouterr().out


def test_resolve_closes_a_hand_off(
    summary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`resolve ID --posted URL` makes the hand-off published; resolving again fails."""
    _, [outcome] = run_json(
        ["post", str(summary), "--platforms", "youtube", "--dry-run"], capsys
    )
    post_id = str(outcome["ledger_id"])
    link = "https://www.youtube.com/post/UgkxSandbox1"
    assert main(["resolve", post_id, "--posted", link, "--dry-run"]) == 0
    assert f"is published at {link}" in capsys.readouterr().out
    _, rows = run_json(["status", "--dry-run"], capsys)
    assert (rows[0]["status"], rows[0]["url"]) == ("published", link)
    assert main(["resolve", post_id, "--not-posted", "--dry-run"]) == 1
    assert "only unknown, sending, awaiting_manual" in capsys.readouterr().err


def test_resolve_refuses_a_link_that_is_not_a_url(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--posted must be a link."""
    assert main(["resolve", "1", "--posted", "yes", "--dry-run"]) == 2
    assert "is not a link" in capsys.readouterr().err


def test_resolve_unknown_id(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An id not in the ledger is an error pointing at `crosspost status`."""
    assert main(["resolve", "99", "--not-posted", "--dry-run"]) == 1
    assert "crosspost status" in capsys.readouterr().err


def test_check_dry_run_passes_every_platform(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Against the sandbox every platform's credentials check out."""
    code, results = run_json(["check", "--dry-run"], capsys)
    assert code == 0
    assert {r["platform"] for r in results} == {
        "x",
        "facebook",
        "instagram",
        "linkedin",
        "youtube",
    }
    assert all(r["ok"] for r in results)


def test_check_reports_missing_credentials_without_secrets(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Missing settings are named by variable; a secret that is set is never shown."""
    monkeypatch.setenv("CROSSPOST_LINKEDIN__ACCESS_TOKEN", "li-secret-token-value")
    code, results = run_json(["check", "--platforms", "linkedin,youtube"], capsys)
    assert code == 1
    linkedin, youtube = results
    assert not linkedin["ok"]
    assert linkedin["missing"] == ["CROSSPOST_LINKEDIN__ORGANIZATION_ID"]
    assert youtube["ok"]
    assert youtube["detail"].startswith("manual hand-off")
    assert main(["check", "--platforms", "linkedin"]) == 1
    captured = capsys.readouterr()
    assert "li-secret-token-value" not in captured.out + captured.err
    assert "FAILED" in captured.out


def test_disabled_platform_asked_for_by_name_is_refused(
    summary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Naming a platform switched off in the settings is a config error (exit 2)."""
    (summary.parent / "config").mkdir()
    (summary.parent / "config" / "crosspost.toml").write_text(
        "[facebook]\nenabled = false\n"
    )
    assert main(["post", str(summary), "--platforms", "facebook", "--dry-run"]) == 2
    assert "disabled in settings: facebook" in capsys.readouterr().err


def test_rerun_after_a_lost_answer_finds_the_post_instead_of_resending(
    summary: Path,
    shared_sandbox: SharedSandbox,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`post` first reconciles its summary's unknown posts: a live one is not resent."""
    shared_sandbox.faults.append(Fault("x", "timeout_after", path="/2/tweets"))
    args = ["post", str(summary), "--platforms", "x", "--dry-run"]
    assert main(args) == 1
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    captured = capsys.readouterr()
    [outcome] = json.loads(captured.out)
    assert (outcome["status"], outcome["reconciled"]) == ("already_published", "found")
    assert captured.err == ""
    assert len(shared_sandbox.posts("x")) == 1


def test_rerun_after_a_kill_sends_a_post_confirmed_absent(
    summary: Path,
    shared_sandbox: SharedSandbox,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A row left `sending` by a dead process, absent on the platform, is sent once."""
    shared_sandbox.faults.append(Fault("linkedin", "server_error", path="/rest/posts"))
    args = ["post", str(summary), "--platforms", "linkedin", "--dry-run"]
    assert main(args) == 1
    as_if_killed(summary.parent, row_id=1, minutes_ago=5)
    capsys.readouterr()
    assert main(args) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "(reconcile found it absent on the platform: sent now)" in captured.out
    assert len(shared_sandbox.posts("linkedin")) == 1
    assert ledger_rows(summary.parent) == [("linkedin", "published")]


def test_a_teaser_that_cannot_fit_fails_alone(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An X post too long to fit honestly fails; the other platforms still publish."""
    long_sentence = (
        "The coached group walked faster "
        + "and kept walking faster " * 14
        + "at every visit."
    )
    path = isolated / "long.txt"
    path.write_text(
        SUMMARY.replace(
            "FINDING #1:  The coached group walked a timed distance faster after "
            "twelve weeks.",
            f"FINDING #1:  {long_sentence}",
        ),
        encoding="utf-8",
    )
    args = ["post", str(path), "--dry-run", "--platforms", "x,facebook"]
    code, outcomes = run_json([*args, "--variant", "finding"], capsys)
    assert code == 1
    by_key = {(o["platform"], o["key"]): o for o in outcomes}
    assert by_key[("x", "finding-1")]["status"] == "failed"
    assert "does not fit" in by_key[("x", "finding-1")]["error"]
    assert by_key[("x", "finding-2")]["status"] == "published"
    assert by_key[("facebook", "finding-1")]["status"] == "published"
    assert ("x", "failed") not in ledger_rows(isolated)


def lose(ledger: Path, how: str) -> None:
    """Lose the dry-run ledger as a full disk, a bad restore or a stray `rm` does."""
    if how == "truncated":
        ledger.write_bytes(b"")
    elif how == "deleted":
        for name in (ledger.name, f"{ledger.name}-wal", f"{ledger.name}-shm"):
            ledger.with_name(name).unlink(missing_ok=True)
    else:  # replaced by another crosspost ledger
        from crosspost.ledger.store import Ledger

        for name in (ledger.name, f"{ledger.name}-wal", f"{ledger.name}-shm"):
            ledger.with_name(name).unlink(missing_ok=True)
        other = ledger.parent / "other" / "ledger.db"
        Ledger(f"sqlite:///{other}").close()
        other.rename(ledger)


@pytest.mark.parametrize(
    ("how", "says"),
    [
        ("truncated", "is an empty file, not a crosspost ledger"),
        ("deleted", "is missing, but one existed here"),
        ("replaced", "is not the one that was here"),
    ],
)
def test_a_lost_ledger_is_refused_and_nothing_is_sent(
    summary: Path,
    shared_sandbox: SharedSandbox,
    capsys: pytest.CaptureFixture[str],
    how: str,
    says: str,
) -> None:
    """After the ledger is emptied, deleted or replaced, `post` and `status` refuse it
    with what happened and how to recover; nothing is sent a second time."""
    args = ["post", str(summary), "--platforms", "x,facebook,linkedin", "--dry-run"]
    assert main(args) == 0
    lose(summary.parent / "var" / "dry-run-ledger.db", how)
    capsys.readouterr()
    assert main(args) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("crosspost: error: the ledger sqlite:///")
    assert says in captured.err
    assert "crosspost reconcile --rebuild SOURCE" in captured.err
    assert main(["status", "--dry-run"]) == 1
    assert says in capsys.readouterr().err
    for platform in ("x", "facebook", "linkedin"):
        assert len(shared_sandbox.posts(platform)) == 1


def test_a_ledger_deleted_during_the_post_is_said_at_the_end(
    summary: Path,
    shared_sandbox: SharedSandbox,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A ledger deleted while `post` runs: the outcomes are shown, then an error says
    the run's record is gone (exit 1); the next post refuses the missing ledger."""
    from crosspost.publish import deliver as delivering

    ledger = summary.parent / "var" / "dry-run-ledger.db"
    real = delivering.deliver

    async def deleting(*args: object, **kwargs: object) -> object:
        outcomes = await real(*args, **kwargs)  # type: ignore[arg-type]
        lose(ledger, "deleted")
        return outcomes

    monkeypatch.setattr(delivering, "deliver", deleting)
    args = ["post", str(summary), "--platforms", "x", "--dry-run"]
    assert main(args) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines()[1].split()[3] == "published"
    assert "was deleted or replaced while crosspost was using it" in captured.err
    monkeypatch.setattr(delivering, "deliver", real)
    assert main(args) == 1
    assert "is missing, but one existed here" in capsys.readouterr().err
    assert len(shared_sandbox.posts("x")) == 1


def test_post_without_credentials_names_all_and_writes_nothing(
    summary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A real post with platforms not configured refuses before anything is written
    (no ledger, cards or hand-off), naming every missing setting at once (exit 2)."""
    args = [
        "post",
        str(summary),
        "--platforms",
        "x,facebook,instagram,linkedin,youtube",
    ]
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "not configured, so nothing was posted" in captured.err
    for variable in (
        "CROSSPOST_X__OAUTH2_ACCESS_TOKEN",
        "CROSSPOST_X__CONSUMER_KEY",
        "CROSSPOST_FACEBOOK__PAGE_ACCESS_TOKEN",
        "CROSSPOST_INSTAGRAM__CARD_BASE_URL",
        "CROSSPOST_LINKEDIN__ACCESS_TOKEN",
    ):
        assert variable in captured.err
    assert "youtube:" not in captured.err
    assert not (summary.parent / "var").exists()


def test_quiet_shows_only_what_needs_a_person(
    summary: Path, shared_sandbox: SharedSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    """With -q a post that went out prints nothing; one that failed is still shown."""
    assert (
        main(["post", str(summary), "--platforms", "x,facebook", "--dry-run", "-q"])
        == 0
    )
    assert capsys.readouterr() == ("", "")
    shared_sandbox.faults.append(Fault("linkedin", "expired_token"))
    args = ["-q", "post", str(summary), "--platforms", "linkedin,x", "--dry-run"]
    assert main(args) == 1
    captured = capsys.readouterr()
    assert captured.err == ""
    rows = captured.out.splitlines()[1:]
    assert [row.split()[:4] for row in rows] == [
        ["linkedin", "announce", "#3", "failed"]
    ]


def mark_failed(isolated: Path, platform: str) -> None:
    """Leave the platform's row `failed` while its post is live (as a lost answer
    recorded wrongly, or a person resolving it as not posted, would)."""
    database = sqlite3.connect(isolated / "var" / "dry-run-ledger.db")
    database.execute(
        "UPDATE planned_posts SET status = 'failed' WHERE platform = ?", (platform,)
    )
    database.commit()
    database.close()


def test_x_duplicate_refusal_is_looked_up_and_recorded_published(
    summary: Path, shared_sandbox: SharedSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    """X refuses a repost as a duplicate: the live post is found and recorded as
    published (exit 0), never left failed; X holds one copy."""
    args = ["post", str(summary), "--platforms", "x", "--dry-run"]
    _, [first] = run_json(args, capsys)
    mark_failed(summary.parent, "x")
    code, [again] = run_json(args, capsys)
    assert (code, again["status"], again["url"]) == (0, "published", first["url"])
    assert "already had this post" in again["error"]
    assert len(shared_sandbox.posts("x")) == 1
    _, [third] = run_json(args, capsys)
    assert third["status"] == "already_published"


def test_linkedin_ghost_fails_clearly_and_a_person_resolves_the_failed_row(
    summary: Path, shared_sandbox: SharedSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    """LinkedIn names a deleted post as the duplicate: a clear failure saying what to
    change, not a dead link recorded as published; `resolve` settles the failed row."""
    from crosspost.sandbox import linkedin_posts

    args = ["post", str(summary), "--platforms", "linkedin", "--dry-run"]
    _, [first] = run_json(args, capsys)
    assert shared_sandbox.sandbox is not None
    linkedin_posts.delete(shared_sandbox.sandbox.state, first["post_id"])
    mark_failed(summary.parent, "linkedin")
    code, [ghost] = run_json(args, capsys)
    assert (code, ghost["status"], ghost["url"]) == (1, "failed", None)
    assert (
        f"duplicate of {first['post_id']}, but that post is deleted" in ghost["error"]
    )
    assert "change the text" in ghost["error"]
    assert shared_sandbox.posts("linkedin") == []
    row = str(ghost["ledger_id"])
    live = "https://www.linkedin.com/feed/update/urn:li:share:7400000000000099999/"
    code, resolved = run_json(["resolve", row, "--posted", live, "--dry-run"], capsys)
    assert (code, resolved["status"], resolved["url"]) == (0, "published", live)
    code, [after] = run_json(args, capsys)
    assert (code, after["status"], after["url"]) == (0, "already_published", live)
    assert shared_sandbox.posts("linkedin") == []


def test_resolve_settles_a_failed_post_as_not_posted(
    summary: Path, shared_sandbox: SharedSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    """A failed post a person has checked can be resolved either way (exit 0)."""
    shared_sandbox.faults.append(Fault("facebook", "expired_token"))
    args = ["post", str(summary), "--platforms", "facebook", "--dry-run"]
    code, [failed] = run_json(args, capsys)
    assert (code, failed["status"]) == (1, "failed")
    row = str(failed["ledger_id"])
    assert main(["resolve", row, "--not-posted", "--dry-run"]) == 0
    assert "recorded as not posted" in capsys.readouterr().out
    code, [sent] = run_json(args, capsys)
    assert (code, sent["status"]) == (0, "published")
    assert len(shared_sandbox.posts("facebook")) == 1


def test_a_thread_posted_without_replies_is_said_once(
    summary: Path, shared_sandbox: SharedSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    """X refusing self-replies: the outcome says how the thread went out, once, in
    the table; stderr stays empty without -v."""
    shared_sandbox.config.x_self_replies_allowed = False
    args = ["post", str(summary), "--platforms", "x", "--variant", "thread"]
    assert main([*args, "--dry-run"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.count("went out as standalone posts") == 1


def test_a_send_that_could_not_be_recorded_fails_the_run_and_is_settled_later(
    summary: Path,
    shared_sandbox: SharedSandbox,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A post sent while the ledger refuses the outcome (locked past its timeout):
    the table says so, the run exits 1 naming the row left `sending`, and the next
    run finds the post on the platform instead of sending it again."""
    from crosspost.ledger.database import LedgerError
    from crosspost.ledger.store import Ledger

    def locked(*args: object, **kwargs: object) -> bool:
        raise LedgerError("the ledger is locked by another process or connection")

    recording = Ledger.finish
    monkeypatch.setattr(Ledger, "finish", locked)
    args = ["post", str(summary), "--platforms", "x", "--dry-run"]
    assert main(args) == 1
    captured = capsys.readouterr()
    assert "NOT recorded in the ledger" in captured.out
    assert "1 post(s) were sent but their outcome could not be recorded" in (
        captured.err
    )
    assert "(#1 stay 'sending')" in captured.err
    monkeypatch.setattr(Ledger, "finish", recording)
    as_if_killed(summary.parent, row_id=1, minutes_ago=5)
    code, [outcome] = run_json(args, capsys)
    assert (code, outcome["status"], outcome["reconciled"]) == (
        0,
        "already_published",
        "found",
    )
    assert len(shared_sandbox.posts("x")) == 1
