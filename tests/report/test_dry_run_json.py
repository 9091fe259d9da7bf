"""The dry run's JSON report: every field of every post and failure, and the same
bytes for the same rehearsal."""

from __future__ import annotations

import hashlib
import json

from crosspost.report.dry_run_json import report_data, report_json

from .conftest import HOSTILE, rehearsal


def test_every_post_has_its_fields() -> None:
    """Summary, platform, variant, key, slot, text as sent, count and limit, card
    with its hash and alt text, warnings, status and the sandbox's answer."""
    made = rehearsal()
    data = json.loads(report_json(made))
    assert data["ok"] is False
    assert (data["start"], data["zone"]) == ("2027-05-03T07:00:00Z", "Europe/London")
    assert data["counts"]["posts"] == len(made.posts) == len(data["posts"])
    first = data["posts"][0]
    source = made.summaries[0]
    assert first["summary"] == {
        "id": source.id,
        "title": source.title,
        "source": source.source,
    }
    assert first["platform"] == "x"
    assert (first["variant"], first["key"]) == ("announce", "announce")
    assert first["due_at"] == "2027-05-03T09:00:00Z"
    assert first["local_time"] == "2027-05-03T10:00:00+01:00"
    assert first["zone"] == "Europe/London"
    assert first["text"] == [f"{HOSTILE} 0"]
    assert first["counts"] == [len(f"{HOSTILE} 0")] == [first["count"]]
    assert first["limit"] == 280
    card = made.posts[0].teaser.card
    assert card is not None
    assert first["card"] == {
        "width": 1200,
        "height": 675,
        "format": "PNG",
        "bytes": len(card.data),
        "sha256": hashlib.sha256(card.data).hexdigest(),
        "alt_text": card.alt_text,
    }
    assert first["warnings"] == ["shortened to fit, giving up: THOUGHT #1"]
    assert first["status"] == "published"
    assert first["outcome"] == {
        "status": "published",
        "fired_at": "2027-05-03T09:00:00Z",
        "post_id": "1861000000000000001",
        "url": "https://x.com/sandbox/status/1861000000000000001",
        "handoff": None,
        "error": None,
    }


def test_posts_not_sent_say_why() -> None:
    """A thread the campaign does not post, and a post planned after the days
    simulated, have no outcome and a note; a hand-off names its bundle."""
    posts = report_data(rehearsal())["posts"]
    by_key = {(p["platform"], p["key"]): p for p in posts[:5]}
    thread = by_key[("x", "thread")]
    assert (thread["status"], thread["outcome"], thread["due_at"]) == (
        "not_in_campaign",
        None,
        None,
    )
    assert "schedule.variants" in thread["note"]
    assert thread["text"] == ["first", "second"]
    later = by_key[("linkedin", "recap")]
    assert (later["status"], later["outcome"]) == ("planned", None)
    assert later["due_at"] == "2027-06-12T07:00:00Z"
    handoff = by_key[("youtube", "announce")]["outcome"]
    assert handoff["status"] == "awaiting_manual"
    assert handoff["handoff"] == "dry-run-handoff/rs-1-announce"


def test_every_failure_says_what_to_fix() -> None:
    """Each failure: its kind, where (file and line, or summary and post), the
    message and the fix."""
    made = rehearsal()
    failures = report_data(made)["failures"]
    assert [f["kind"] for f in failures] == ["template", "fit", "send"]
    template = failures[0]
    assert (template["file"], template["line"]) == ("templates/x/thread.j2", 3)
    assert template["summaries"] == [s.id for s in made.summaries]
    assert template["summary"] is None
    assert template["fix"] == "did you mean 'link'?"
    fit = failures[1]
    assert fit["summary"]["id"] == made.summaries[0].id
    assert (fit["platform"], fit["key"], fit["due_at"]) == (
        "x",
        "finding-2",
        "2027-05-05T07:00:00Z",
    )


def test_the_same_rehearsal_gives_the_same_bytes() -> None:
    """Nothing in the report depends on when it is written."""
    assert report_json(rehearsal()) == report_json(rehearsal())
    assert report_json(rehearsal()).endswith("}\n")
