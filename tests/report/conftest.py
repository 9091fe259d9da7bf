"""Rehearsals built by hand for the dry-run report tests: summaries and posts with text
that must be escaped, cards, answers, and problems of every kind."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from PIL import Image

from crosspost.rehearsal.model import Answer, Problem, Rehearsal, RehearsedPost
from crosspost.summaries.model import Paragraph, Summary
from crosspost.teasers.model import Card, Teaser, TeaserPart

START = datetime(2027, 5, 3, 7, 0, tzinfo=UTC)
ZONE = "Europe/London"
HOSTILE = "<script>alert('x')</script> | @maintainer #12 `code` *bold*"


@lru_cache(maxsize=8)
def card(colour: str = "#16324f", size: tuple[int, int] = (1200, 675)) -> Card:
    """A real image, small to encode: a plain PNG of `size`."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return Card(
        width=size[0],
        height=size[1],
        format="PNG",
        data=buffer.getvalue(),
        alt_text=f"Card: {HOSTILE}",
    )


def summary(number: int, title: str = "Naps and fatigue in MS") -> Summary:
    return Summary(
        title=f"Research Summary: {title} ({number})",
        findings=(Paragraph(number=1, text="Naps helped."),),
        url=f"https://example.org/{number}",
        source=f"summaries/{number}.md",
    )


def teaser(
    source: Summary,
    platform: str,
    key: str,
    texts: list[str],
    *,
    with_card: Card | None = None,
) -> Teaser:
    return Teaser(
        summary_id=source.id,
        summary_title=source.title,
        platform=platform,
        variant=key.split("-", 1)[0],
        key=key,
        parts=tuple(TeaserPart(text=text, count=len(text)) for text in texts),
        limit=280 if platform == "x" else 3000,
        link=source.url,
        hashtags=("#MSResearch",),
        card=with_card,
        warnings=("shortened to fit, giving up: THOUGHT #1",),
    )


def post(
    source: Summary,
    platform: str,
    key: str,
    texts: list[str],
    *,
    hours: float | None = 2,
    status: str | None = "published",
    with_card: Card | None = None,
    in_campaign: bool = True,
) -> RehearsedPost:
    due = START + timedelta(hours=hours) if hours is not None else None
    answer = None
    if status is not None and due is not None:
        answer = Answer(
            status=status,
            fired_at=due,
            post_id="1861000000000000001" if status == "published" else None,
            url="https://x.com/sandbox/status/1861000000000000001"
            if status == "published"
            else None,
            handoff="dry-run-handoff/rs-1-announce"
            if status == "awaiting_manual"
            else None,
            error="refused: X answered HTTP 403" if status == "failed" else None,
        )
    return RehearsedPost(
        summary=source,
        summary_id=source.id,
        teaser=teaser(source, platform, key, texts, with_card=with_card),
        in_campaign=in_campaign,
        due_at=due,
        local_time=due.astimezone(ZoneInfo(ZONE)) if due else None,
        zone=ZONE if due else None,
        answer=answer,
        planned=due is not None,
    )


def rehearsal(
    count: int = 2, *, text: str = HOSTILE, problems: bool = True
) -> Rehearsal:
    """`count` summaries, each with an X announce (a card), a LinkedIn thread-free
    finding, a YouTube hand-off, a post planned later and one rendered only; and a
    template, a fit and a send problem."""
    made = Rehearsal(
        START, START + timedelta(days=30), ZONE, ["x", "linkedin", "youtube"]
    )
    shared = card()
    for number in range(count):
        source = summary(number, title=f"Naps {text}" if number == 0 else "Naps")
        made.summaries.append(source)
        made.posts += [
            post(source, "x", "announce", [f"{text} {number}"], with_card=shared),
            post(
                source,
                "x",
                "thread",
                ["first", "second"],
                hours=None,
                status=None,
                in_campaign=False,
            ),
            post(
                source,
                "linkedin",
                "finding-1",
                [f"LinkedIn {text}"],
                hours=26,
                with_card=card("#f2a541"),
            ),
            post(
                source,
                "youtube",
                "announce",
                ["Paste me"],
                hours=4,
                status="awaiting_manual",
            ),
            post(source, "linkedin", "recap", ["Later"], hours=24 * 40, status=None),
        ]
    if problems:
        first = made.summaries[0]
        made.problems += [
            Problem(
                "template",
                "templates/x/thread.j2:3: 'lnk' is not a name templates are given",
                "did you mean 'link'?",
                platform="x",
                variant="thread",
                file="templates/x/thread.j2",
                line=3,
                summary_ids=tuple(s.id for s in made.summaries),
            ),
            Problem(
                "fit",
                f"x finding-2: over by 12 {HOSTILE}",
                "shorten FINDING #2",
                summary=first,
                platform="x",
                variant="finding",
                key="finding-2",
                due_at=START + timedelta(days=2),
            ),
            Problem(
                "send",
                "linkedin recap: failed: refused",
                "change the post",
                summary=made.summaries[-1],
                platform="linkedin",
                variant="recap",
                key="recap",
            ),
        ]
    return made
