"""The dry run's JSON report: every post (its summary, slot, text as sent, count, card,
warnings and the sandbox's answer) and every problem with what to fix. Nothing in it
depends on when or where it was made, so the same run gives the same bytes."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from crosspost.rehearsal.model import UNSENT_STATES, Problem, Rehearsal, RehearsedPost
from crosspost.schedule.planning import iso_utc
from crosspost.summaries.model import Summary

FORMAT = 1  # bumped when a field changes meaning or goes away


def report_data(rehearsal: Rehearsal) -> dict[str, Any]:
    """The report as JSON-ready data."""
    return {
        "format": FORMAT,
        "ok": rehearsal.ok,
        "start": iso_utc(rehearsal.start),
        "until": iso_utc(rehearsal.until),
        "zone": rehearsal.zone,
        "platforms": list(rehearsal.platforms),
        "counts": rehearsal.counts(),
        "notes": list(rehearsal.notes),
        "summaries": [_summary(summary) for summary in rehearsal.summaries],
        "failures": [_problem(problem) for problem in rehearsal.problems],
        "posts": [_post(post) for post in rehearsal.posts],
    }


def report_json(rehearsal: Rehearsal) -> str:
    return json.dumps(report_data(rehearsal), ensure_ascii=False, indent=2) + "\n"


def _summary(summary: Summary) -> dict[str, Any]:
    return {
        "id": summary.id,
        "title": summary.title,
        "source": summary.source,
        "url": summary.url,
        "findings": len(summary.findings),
        "warnings": list(summary.warnings),
    }


def summary_ref(summary: Summary, summary_id: str | None = None) -> dict[str, str]:
    return {
        "id": summary_id or summary.id,
        "title": summary.title,
        "source": summary.source,
    }


def _post(post: RehearsedPost) -> dict[str, Any]:
    teaser = post.teaser
    card = teaser.card
    answer = post.answer
    return {
        "summary": summary_ref(post.summary, post.summary_id),
        "platform": teaser.platform,
        "variant": teaser.variant,
        "key": teaser.key,
        "in_campaign": post.in_campaign,
        "due_at": iso_utc(post.due_at) if post.due_at else None,
        "local_time": post.local_time.isoformat() if post.local_time else None,
        "zone": post.zone,
        "text": [part.text for part in teaser.parts],
        "counts": [part.count for part in teaser.parts],
        "count": teaser.count,
        "limit": teaser.limit,
        "link": teaser.link,
        "hashtags": list(teaser.hashtags),
        "card": None
        if card is None
        else {
            "width": card.width,
            "height": card.height,
            "format": card.format,
            "bytes": len(card.data),
            "sha256": hashlib.sha256(card.data).hexdigest(),
            "alt_text": card.alt_text,
        },
        "warnings": list(teaser.warnings),
        "status": post.status,
        "outcome": None
        if answer is None
        else {
            "status": answer.status,
            "fired_at": iso_utc(answer.fired_at),
            "post_id": answer.post_id,
            "url": answer.url,
            "handoff": answer.handoff,
            "error": answer.error,
        },
        "note": UNSENT_STATES.get(post.status),
    }


def _problem(problem: Problem) -> dict[str, Any]:
    return {
        "kind": problem.kind,
        "summary": summary_ref(problem.summary) if problem.summary else None,
        "summaries": list(problem.summary_ids),
        "platform": problem.platform,
        "variant": problem.variant,
        "key": problem.key,
        "file": problem.file,
        "line": problem.line,
        "due_at": _iso(problem.due_at),
        "message": problem.message,
        "fix": problem.fix,
    }


def _iso(value: datetime | None) -> str | None:
    return iso_utc(value) if value else None
