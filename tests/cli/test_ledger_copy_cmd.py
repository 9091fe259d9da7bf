"""Tests for `crosspost ledger copy`, driven as a user runs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosspost.cli.main import main
from crosspost.ledger.store import Ledger
from crosspost.teasers.model import Teaser, TeaserPart

from .conftest import run_json

pytestmark = pytest.mark.usefixtures("isolated")

TEXT = "Vitamin D and relapses in MS: what a two-year trial found."


def planned(url: str, *, sending: bool = False) -> str:
    """A ledger with one published post (and one being sent); its identity."""
    with Ledger(url) as ledger:
        for key in ("announce", "recap"):
            row = ledger.plan(
                Teaser(
                    summary_id="rs-71471003d621",
                    summary_title="Vitamin D",
                    platform="x",
                    variant=key,
                    key=key,
                    parts=(TeaserPart(text=TEXT, count=len(TEXT)),),
                    limit=280,
                )
            )
            if key == "announce" or sending:
                assert ledger.claim(row.id, text_hash="h")
            if key == "announce":
                ledger.finish(row.id, "published", post_id="1", url="https://x.com/1")
        return ledger.identity


def test_copy_reports_the_counts_and_the_new_ledger_is_used(
    isolated: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy prints every table's count; `crosspost status` then reads the new
    ledger, recognised by its identity."""
    identity = planned("sqlite:///var/ledger.db")
    assert main(["ledger", "copy", "sqlite:///var/ledger.db", "sqlite:///new.db"]) == 0
    out = capsys.readouterr().out
    assert f"identity {identity}" in out
    assert "planned_posts           2 rows, the same in both" in out
    monkeypatch.setenv("CROSSPOST_LEDGER_URL", "sqlite:///new.db")
    code, rows = run_json(["status"], capsys)
    assert code == 0
    assert [row["status"] for row in rows] == ["published", "planned"]


def test_copy_json_and_a_second_copy_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--json gives the counts and identity; copying again into the now full target
    is refused with exit 1."""
    identity = planned("sqlite:///var/ledger.db")
    code, done = run_json(
        ["ledger", "copy", "sqlite:///var/ledger.db", "sqlite:///new.db"], capsys
    )
    assert code == 0
    assert done["identity"] == identity
    assert done["counts"]["attempts"] == 2
    assert main(["ledger", "copy", "sqlite:///var/ledger.db", "sqlite:///new.db"]) == 1
    assert "already holds a ledger" in capsys.readouterr().err


def test_a_post_being_sent_needs_force(capsys: pytest.CaptureFixture[str]) -> None:
    """A `sending` post stops the copy (exit 1, nothing copied); --force copies and
    warns on stderr."""
    planned("sqlite:///var/ledger.db", sending=True)
    args = ["ledger", "copy", "sqlite:///var/ledger.db", "sqlite:///new.db"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "being sent" in err
    assert "--force" in err
    assert main([*args, "--force"]) == 0
    assert "warning: copied anyway (--force)" in capsys.readouterr().err


def test_a_password_in_a_url_is_never_shown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A target that cannot be reached is named without its password."""
    planned("sqlite:///var/ledger.db")
    code = main(
        [
            "ledger",
            "copy",
            "sqlite:///var/ledger.db",
            "postgresql+psycopg://crosspost:hunter22@127.0.0.1:1/ledger",
        ]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert "crosspost:***@127.0.0.1:1/ledger" in captured.err
    assert "hunter22" not in captured.err + captured.out


def test_a_bad_url_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """A path given instead of a URL is refused with exit 2 and an example."""
    assert main(["ledger", "copy", "var/ledger.db", "sqlite:///new.db"]) == 2
    err = capsys.readouterr().err
    assert "FROM_URL var/ledger.db is not a database URL" in err
    assert "sqlite:///var/ledger.db" in err
