"""What the runner tells the team, through the configured notifier: a YouTube hand-off
due now (with its bundle), a post failed, unknown or missed, and credentials that expire
before a post planned for them (checked when a campaign is planned, and daily)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from crosspost.errors import CrosspostError
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import PlannedPost
from crosspost.notify import (
    Notice,
    Notifier,
    expiry_notices,
    handoff_notice,
    missed_notice,
    outcome_notice,
)
from crosspost.platforms.base import AccountCheck, Adapter
from crosspost.platforms.errors import PublishError
from crosspost.publish.outcome import Outcome
from crosspost.publish.reconcile import Settlement
from crosspost.schedule.planning import CampaignPlan
from crosspost.schedule.runner import Alerts

log = logging.getLogger("crosspost.run")


class TeamAlerts(Alerts):
    """Alerts sent through `notifier`; a delivery failure is logged, never raised."""

    def __init__(
        self,
        notifier: Notifier,
        ledger: Ledger,
        adapters: Mapping[str, Adapter],
        *,
        now: Callable[[], datetime],
    ) -> None:
        self.notifier = notifier
        self.ledger = ledger
        self.adapters = adapters
        self.now = now

    async def _send(self, notice: Notice) -> None:
        if not await self.notifier.send(notice):
            log.warning("notification not delivered: %s", notice.title)

    async def outcome(self, outcome: Outcome, row: PlannedPost | None) -> None:
        if row is None:
            return
        if outcome.status == "awaiting_manual" and outcome.handoff_path:
            adapter = self.adapters.get("youtube")
            studio = getattr(
                adapter, "studio_url", lambda: "https://studio.youtube.com"
            )
            await self._send(
                handoff_notice(
                    ledger_id=row.id,
                    summary_id=row.summary_id,
                    summary_title=row.summary_title,
                    key=row.key,
                    bundle=Path(outcome.handoff_path),
                    studio_url=studio(),
                    text=_post_text(outcome.handoff_path),
                )
            )
        elif outcome.status in ("failed", "unknown"):
            await self._send(
                outcome_notice(
                    status="failed" if outcome.status == "failed" else "unknown",
                    ledger_id=row.id,
                    summary_id=row.summary_id,
                    summary_title=row.summary_title,
                    platform=row.platform,
                    key=row.key,
                    error=outcome.error or "",
                )
            )

    async def missed(self, row: PlannedPost, grace: timedelta) -> None:
        zone = ZoneInfo(row.zone) if row.zone else None
        await self._send(
            missed_notice(
                ledger_id=row.id,
                summary_id=row.summary_id,
                summary_title=row.summary_title,
                platform=row.platform,
                key=row.key,
                due_local=row.due_at.astimezone(zone) if zone else row.due_at,
                grace=grace,
            )
        )

    async def unknown(self, settlement: Settlement) -> None:
        row = self.ledger.get(settlement.ledger_id)
        await self._send(
            outcome_notice(
                status="unknown",
                ledger_id=row.id,
                summary_id=row.summary_id,
                summary_title=row.summary_title,
                platform=row.platform,
                key=row.key,
                error=settlement.detail,
            )
        )

    async def daily(self, now: datetime) -> None:
        await self._credentials(set(self.adapters))

    async def planned(self, plan: CampaignPlan) -> None:
        await self._credentials({entry.platform for entry in plan.new})

    async def _credentials(self, platforms: set[str]) -> None:
        """Tell the team when a platform's credentials expire (or are refused) before
        a post planned for it."""
        planned = self.ledger.rows(
            statuses=("planned", "draft"), platforms=sorted(platforms)
        )
        if not planned:
            return
        checks: list[AccountCheck] = []
        for name in sorted({row.platform for row in planned}):
            adapter = self.adapters.get(name)
            if adapter is None:
                continue
            try:
                checks.append(await adapter.check())
            except (PublishError, CrosspostError) as exc:
                checks.append(AccountCheck(platform=name, ok=False, detail=exc.message))
        for notice in expiry_notices(checks, _first_due_after(checks, planned)):
            await self._send(notice)


def _first_due_after(
    checks: list[AccountCheck], planned: list[PlannedPost]
) -> dict[str, datetime]:
    """Per platform, the first planned post at or after its credentials' expiry (the
    first planned post at all when they are refused)."""
    found: dict[str, datetime] = {}
    for check in checks:
        limit = check.expires_at if check.ok else None
        if check.ok and limit is None:
            continue
        for row in planned:  # by due time
            if row.platform == check.platform and (
                limit is None or row.due_at >= limit
            ):
                found[check.platform] = row.due_at
                break
    return found


def _post_text(bundle: str) -> str:
    try:
        return (Path(bundle) / "post.txt").read_text(encoding="utf-8")
    except OSError:
        return f"(see {bundle})"
