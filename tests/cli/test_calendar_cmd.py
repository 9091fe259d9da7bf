"""`crosspost calendar`: the ledger's posts as iCalendar, to stdout or a file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from crosspost.cli.main import main
from crosspost.ledger.store import Ledger
from crosspost.teasers.model import Teaser, TeaserPart

LONDON = ZoneInfo("Europe/London")


def teaser(summary_id: str, platform: str, key: str, *parts: str) -> Teaser:
    return Teaser(
        summary_id=summary_id,
        summary_title="Cooling vests and MS",
        platform=platform,
        variant=key.split("-", maxsplit=1)[0],
        key=key,
        parts=tuple(TeaserPart(text=text, count=len(text)) for text in parts),
        limit=280,
    )


@pytest.fixture
def planned(isolated: Path) -> None:
    """Three posts in the dry-run ledger, two summaries, one an X thread."""
    with Ledger(f"sqlite:///{isolated}/var/dry-run-ledger.db") as ledger:
        ledger.plan(
            teaser("rs-aaaaaaaaaaaa", "x", "thread", "1/2 Vests, fans.", "2/2 Shade."),
            due_at=datetime(2026, 3, 27, 10, tzinfo=LONDON),
            zone="Europe/London",
        )
        ledger.plan(
            teaser("rs-aaaaaaaaaaaa", "linkedin", "finding-1", "Walks went further."),
            due_at=datetime(2026, 3, 31, 10, tzinfo=LONDON),
            zone="Europe/London",
        )
        ledger.plan(
            teaser("rs-bbbbbbbbbbbb", "facebook", "announce", "Another summary."),
            due_at=datetime(2026, 4, 2, 13, tzinfo=LONDON),
            zone="Europe/London",
        )


@pytest.mark.usefixtures("planned")
def test_calendar_to_stdout(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """Without -o the calendar goes to stdout: one event per post, thread whole."""
    assert main(["calendar", "--dry-run"]) == 0
    calendar = Calendar.from_ical(capsysbinary.readouterr().out)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert sorted(events) == [
        "rs-aaaaaaaaaaaa.linkedin.finding-1@crosspost",
        "rs-aaaaaaaaaaaa.x.thread@crosspost",
        "rs-bbbbbbbbbbbb.facebook.announce@crosspost",
    ]
    thread = events["rs-aaaaaaaaaaaa.x.thread@crosspost"]
    assert str(thread["DESCRIPTION"]) == "1/2 Vests, fans.\n\n2/2 Shade."
    assert str(calendar["X-WR-CALNAME"]) == "crosspost (dry run)"


@pytest.mark.usefixtures("planned")
def test_calendar_to_a_file_for_one_summary(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o writes the file (the same bytes every time); --summary narrows it."""
    args = ["calendar", "--dry-run", "--summary", "rs-aaaaaaaaaaaa", "-o", "plan.ics"]
    assert main(args) == 0
    assert "wrote 2 events to plan.ics" in capsys.readouterr().err
    first = (isolated / "plan.ics").read_bytes()
    assert main(args) == 0
    assert (isolated / "plan.ics").read_bytes() == first
    calendar = Calendar.from_ical(first)
    assert len(calendar.walk("VEVENT")) == 2


def test_empty_ledger_gives_an_empty_calendar(
    isolated: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """No posts is still a valid calendar, and stderr says so; exit 0."""
    assert main(["calendar", "--dry-run", "--summary", "rs-cccccccccccc"]) == 0
    captured = capsysbinary.readouterr()
    assert Calendar.from_ical(captured.out).walk("VEVENT") == []
    assert b"no posts of summary rs-cccccccccccc" in captured.err


def test_unwritable_output_is_a_clear_error(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An -o path that cannot be written is exit 1 with the path and a hint."""
    code = main(["calendar", "--dry-run", "-o", "missing/folder/plan.ics"])
    assert code == 1
    err = capsys.readouterr().err
    assert "cannot write missing/folder/plan.ics" in err
    assert "Traceback" not in err
