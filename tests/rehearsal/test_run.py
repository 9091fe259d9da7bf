"""Tests for the rehearsal: every post of every platform and variant rendered, the
campaigns planned and sent to the sandbox on a virtual clock, and every problem listed
with what to fix; the same start gives the same rehearsal."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from crosspost.rehearsal import Rehearsal, rehearse
from crosspost.report.dry_run_json import report_json
from crosspost.sandbox import Fault, SandboxConfig, dryrun
from crosspost.settings import Settings
from crosspost.summaries.errors import ParseError

from .conftest import (
    PLATFORMS,
    START,
    break_template,
    settings_for,
    summaries,
)


def _rehearse(settings: Settings, days: float = 10, **options: object) -> Rehearsal:
    return rehearse(
        summaries(),
        settings,
        start=START,
        until=START + timedelta(days=days),
        platforms=PLATFORMS,
        **options,  # type: ignore[arg-type]
    )


def _keys(rehearsal: Rehearsal, platform: str, index: int = 0) -> dict[str, str]:
    summary = rehearsal.summaries[index]
    return {
        post.teaser.key: post.status
        for post in rehearsal.posts_of(summary)
        if post.teaser.platform == platform
    }


def test_every_variant_is_rendered_and_the_campaigns_go_out(isolated: Path) -> None:
    """Each platform's announce, findings and recap are planned and answered by the
    sandbox; X's thread, which the campaign does not post, is rendered too."""
    rehearsal = _rehearse(settings_for(isolated))
    assert rehearsal.ok
    assert _keys(rehearsal, "x") == {
        "announce": "published",
        "finding-1": "published",
        "finding-2": "published",
        "recap": "published",
        "thread": "not_in_campaign",
    }
    assert set(_keys(rehearsal, "youtube", 1).values()) == {"awaiting_manual"}
    assert len(_keys(rehearsal, "linkedin", 1)) == 5  # announce, 3 findings, recap
    for post in rehearsal.posts:
        if post.in_campaign:
            assert post.answer is not None
            assert post.due_at is not None
            assert post.local_time is not None
            assert post.answer.fired_at == post.due_at
            assert post.zone == "Europe/London"
            assert post.teaser.card is not None
        if post.teaser.platform == "youtube" and post.answer is not None:
            assert post.answer.handoff is not None
            assert post.answer.handoff.startswith("dry-run-handoff/")
        elif post.answer is not None:
            assert post.answer.url is not None
            assert post.answer.post_id is not None
    sleep = rehearsal.posts_of(rehearsal.summaries[0])
    assert [p.due_at for p in sleep if p.teaser.platform == "x" and p.due_at] == sorted(
        p.due_at for p in sleep if p.teaser.platform == "x" and p.due_at
    )


def test_the_same_start_gives_the_same_rehearsal(isolated: Path) -> None:
    """A fresh scratch ledger each time: a second rehearsal is not 'already
    published', and its report is byte for byte the same."""
    settings = settings_for(isolated)
    assert report_json(_rehearse(settings)) == report_json(_rehearse(settings))


def test_posts_due_after_the_simulated_days_stay_planned(isolated: Path) -> None:
    """Only what falls due within the days is sent; the rest keeps its slot."""
    rehearsal = _rehearse(settings_for(isolated), days=1)
    statuses = {post.status for post in rehearsal.posts if post.in_campaign}
    assert statuses >= {"published", "planned"}
    later = [post for post in rehearsal.posts if post.status == "planned"]
    assert all(post.answer is None for post in later)
    assert all(
        post.due_at and post.due_at > START + timedelta(days=1) for post in later
    )
    assert rehearsal.ok


def test_a_typo_in_a_variant_the_campaign_does_not_post_fails_it(
    isolated: Path, templates_copy: Path
) -> None:
    """`{{ lnk }}` in x/thread.j2 (not in schedule.variants) is one problem naming
    the file, the line and both summaries; the campaigns still go out."""
    line = break_template(templates_copy, "x", "thread", "{{ lnk }}")
    rehearsal = _rehearse(settings_for(isolated, templates_copy))
    assert not rehearsal.ok
    [problem] = rehearsal.problems
    assert problem.kind == "template"
    assert problem.file is not None
    assert problem.file.endswith("x/thread.j2")
    assert problem.line == line
    assert f"thread.j2:{line}: 'lnk'" in problem.message
    assert problem.fix is not None
    assert "did you mean 'link'" in problem.fix
    assert problem.summary_ids == tuple(s.id for s in rehearsal.summaries)
    assert "thread" not in _keys(rehearsal, "x")
    assert _keys(rehearsal, "x")["finding-1"] == "published"


def test_a_typo_in_a_branch_no_summary_takes_is_found(
    isolated: Path, templates_copy: Path
) -> None:
    """A typo only a summary with a link would render is found by reading the
    template, though no summary here stops on it."""
    line = break_template(
        templates_copy,
        "youtube",
        "recap",
        "{% if link and False %}{{ lnk }}{% endif %}",
    )
    rehearsal = _rehearse(settings_for(isolated, templates_copy))
    [problem] = rehearsal.problems
    assert (problem.kind, problem.line, problem.summary_ids) == ("template", line, ())
    assert _keys(rehearsal, "youtube")["recap"] == "awaiting_manual"


def test_a_typo_in_a_campaign_variant_leaves_that_platform_unplanned(
    isolated: Path, templates_copy: Path
) -> None:
    """A campaign template that fails stops that platform's campaigns (said in a
    note); every other platform's posts go out."""
    break_template(templates_copy, "linkedin", "finding", "{{ findng }}")
    rehearsal = _rehearse(settings_for(isolated, templates_copy))
    assert [p.kind for p in rehearsal.problems] == ["template"]
    assert set(_keys(rehearsal, "linkedin").values()) == {"not_planned"}
    assert "finding-1" not in _keys(rehearsal, "linkedin")
    assert _keys(rehearsal, "facebook")["finding-1"] == "published"
    assert any(
        note.startswith("linkedin: 2 of the campaigns") for note in rehearsal.notes
    )


def test_a_post_that_cannot_fit_is_a_problem_with_its_slot(
    isolated: Path, templates_copy: Path
) -> None:
    """An X finding over the limit whatever is shed is a fit problem, holding the slot
    it would have gone out in; it is never sent."""
    break_template(templates_copy, "x", "finding", "Z" * 300)
    rehearsal = _rehearse(settings_for(isolated, templates_copy))
    fits = [p for p in rehearsal.problems if p.kind == "fit"]
    assert {(p.platform, p.key) for p in fits} >= {
        ("x", "finding-1"),
        ("x", "finding-2"),
    }
    assert all(p.due_at is not None and p.fix for p in fits)
    assert "finding-1" not in _keys(rehearsal, "x")
    assert _keys(rehearsal, "x")["recap"] == "published"


def test_a_refusal_by_the_sandbox_is_a_problem(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A platform that answers every post with a server error: each of its posts is
    a 'send' problem, the others go out."""
    make = dryrun.make_dry_run_sandbox

    def failing(settings: Settings, config: SandboxConfig | None = None) -> object:
        config = config or SandboxConfig()
        config.faults.append(Fault("facebook", "server_error", times=None))
        return make(settings, config)

    monkeypatch.setattr(dryrun, "make_dry_run_sandbox", failing)
    rehearsal = _rehearse(settings_for(isolated), days=3)
    sends = [p for p in rehearsal.problems if p.kind == "send"]
    assert sends
    assert {p.platform for p in sends} == {"facebook"}
    assert all(p.message.startswith("facebook ") for p in sends)
    assert _keys(rehearsal, "x")["announce"] == "published"


def test_unread_summaries_are_problems(isolated: Path) -> None:
    """A source that cannot be read is listed, and the others are rehearsed."""
    unread = ParseError("broken.txt", "no 'Research Summary:' title", line=1)
    rehearsal = _rehearse(settings_for(isolated), days=1, unread=[unread])
    [problem] = rehearsal.problems
    assert (problem.kind, problem.message) == ("source", unread.message)
    assert rehearsal.posts


def test_campaigns_awaiting_approval_are_rehearsed_as_if_approved(
    isolated: Path,
) -> None:
    """With schedule.approval on, the posts are still sent, and a note says why."""
    rehearsal = _rehearse(settings_for(isolated, approval=True), days=2)
    assert any(post.status == "published" for post in rehearsal.posts)
    assert any("approval" in note for note in rehearsal.notes)


def test_a_campaign_with_no_room_is_a_problem(isolated: Path) -> None:
    """A calendar too short for a campaign: a 'plan' problem per summary saying what
    to change, and its posts are rendered but not planned."""
    rehearsal = _rehearse(settings_for(isolated, horizon_days=1), days=2)
    plans = [p for p in rehearsal.problems if p.kind == "plan"]
    assert [p.summary for p in plans] == rehearsal.summaries
    assert all(p.fix and "horizon_days" in p.fix for p in plans)
    assert {post.status for post in rehearsal.posts} == {
        "not_planned",
        "not_in_campaign",
    }
