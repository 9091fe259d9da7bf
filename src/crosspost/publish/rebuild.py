"""Recovering a lost ledger from what the platforms show (`reconcile --rebuild`): a
post found live is recorded as published, so it is never sent again."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Literal

from crosspost.errors import CrosspostError
from crosspost.ledger.store import Ledger
from crosspost.platforms.errors import PublishError
from crosspost.publish.reconcile import finder_of
from crosspost.publish.side_by_side import per_platform
from crosspost.teasers.model import Teaser

RebuildAction = Literal["found", "absent", "known", "cannot_find", "listing_failed"]


@dataclass(frozen=True)
class Rebuilt:
    """What `reconcile --rebuild` found of one post on its platform."""

    summary_id: str
    platform: str
    key: str
    action: RebuildAction
    ledger_id: int | None = None
    url: str | None = None
    detail: str = ""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def line(self) -> str:
        ref = f"#{self.ledger_id}" if self.ledger_id is not None else "-"
        head = f"{ref:>6} {self.platform:<10} {self.key:<12} {self.action:<14}"
        return f"{head} {self.url or self.detail}".rstrip()


async def rebuild(
    ledger: Ledger,
    adapters: Mapping[str, object],
    teasers: Iterable[Teaser],
    *,
    since: datetime,
) -> list[Rebuilt]:
    """Recover a lost ledger without posting again: each teaser is looked for among
    its platform's posts since `since`; one found is recorded as published. One not
    found gets no row (it is planned and sent as usual). Platforms side by side, in
    the order given."""

    async def rebuild_one(teaser: Teaser) -> Rebuilt:
        return await _rebuild_one(ledger, adapters, teaser, since)

    return await per_platform(list(teasers), lambda t: t.platform, rebuild_one)


async def _rebuild_one(
    ledger: Ledger, adapters: Mapping[str, object], teaser: Teaser, since: datetime
) -> Rebuilt:
    row = await asyncio.to_thread(
        ledger.find, teaser.summary_id, teaser.platform, teaser.key
    )
    if row is not None and row.status in ("published", "awaiting_manual"):
        return _rebuilt(teaser, "known", row.id, row.url)
    finder = finder_of(adapters.get(teaser.platform))
    if finder is None:
        return _rebuilt(
            teaser,
            "cannot_find",
            detail=f"{teaser.platform} posts cannot be looked up: the next "
            "`crosspost post` hands it off again; if it is already live, "
            "close that hand-off with crosspost resolve ID --posted URL",
        )
    try:
        receipt = await finder.find(teaser, since=since)
    except (PublishError, CrosspostError) as exc:
        message = ledger.redact(exc.message) or ""
        return _rebuilt(teaser, "listing_failed", detail=message)
    if receipt is None:
        return _rebuilt(teaser, "absent", detail="not found")
    row = await asyncio.to_thread(ledger.plan, teaser, due_at=since)
    await asyncio.to_thread(
        ledger.settle,
        row,
        "published",
        outcome="rebuilt: published",
        note="found on the platform by reconcile --rebuild",
        post_id=receipt.post_id,
        url=receipt.url,
    )
    return _rebuilt(teaser, "found", row.id, receipt.url)


def _rebuilt(
    teaser: Teaser,
    action: RebuildAction,
    ledger_id: int | None = None,
    url: str | None = None,
    *,
    detail: str = "",
) -> Rebuilt:
    return Rebuilt(
        teaser.summary_id, teaser.platform, teaser.key, action, ledger_id, url, detail
    )
