"""Campaigns in the ledger: each summary as it was read, so its posts can be rendered
when they fall due, and an edit to it noticed."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import Campaign, utcnow
from crosspost.summaries.model import Summary


def campaign(ledger: Ledger, summary_id: str) -> Campaign | None:
    with ledger.reading() as session:
        return session.scalars(
            select(Campaign).where(Campaign.summary_id == summary_id)
        ).first()


def campaigns(ledger: Ledger) -> list[Campaign]:
    with ledger.reading() as session:
        return list(session.scalars(select(Campaign).order_by(Campaign.id)))


def save_campaign(
    ledger: Ledger,
    summary: Summary,
    *,
    found_at: datetime,
    zone: str,
    status: str,
    headline: int | None = None,
    finding_order: Sequence[int] | None = None,
) -> Campaign:
    """Store the campaign of `summary` (or its new content, when edited)."""
    now = utcnow()
    order = json.dumps(list(finding_order)) if finding_order else None
    with ledger.writing() as session:
        found = session.scalars(
            select(Campaign).where(Campaign.summary_id == summary.id)
        ).first()
        if found is None:
            found = Campaign(summary_id=summary.id, found_at=found_at, created_at=now)
            session.add(found)
            found.status = status
        found.title = summary.title
        found.source = summary.source
        found.content_hash = summary.content_hash
        found.summary_json = summary.model_dump_json()
        found.zone = zone
        found.headline = headline
        found.finding_order = order
        found.updated_at = now
    saved = campaign(ledger, summary.id)
    assert saved is not None
    return saved


def set_campaign_status(ledger: Ledger, summary_id: str, status: str) -> None:
    with ledger.writing() as session:
        found = session.scalars(
            select(Campaign).where(Campaign.summary_id == summary_id)
        ).first()
        if found is not None:
            found.status = status
            found.updated_at = utcnow()


def summary_of(found: Campaign) -> Summary:
    """The summary as the campaign stored it."""
    return Summary.model_validate_json(found.summary_json)


def order_of(found: Campaign) -> tuple[int, ...] | None:
    return tuple(json.loads(found.finding_order)) if found.finding_order else None
