"""A simulated run: the runner on a virtual clock against the in-process sandbox, with a
scratch state folder and ledger, so nothing is kept and a second run shows the same.
`crosspost run --simulate-until` and `crosspost dry-run` both use it."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from crosspost.ledger.store import Ledger
from crosspost.notify import Notice
from crosspost.schedule.runner import Fired
from crosspost.settings import Settings
from crosspost.teasers.compose import CardMaker


@dataclass(frozen=True)
class Scratch:
    """Settings whose state folder and dry-run ledger are a new temporary folder, and
    that ledger, open."""

    settings: Settings
    ledger: Ledger

    @property
    def folder(self) -> Path:
        return self.settings.state_dir


@dataclass(frozen=True, repr=False)
class Simulation:
    """What a simulated run fired, in order, and what it would have told the team."""

    fired: list[Fired]
    notices: list[Notice]

    def __repr__(self) -> str:
        # Short: asyncio.run's SIGINT handling reprs the finished task, result and
        # all (Python 3.11), and the teasers' cards would make that hundreds of MB.
        return f"Simulation({len(self.fired)} fired, {len(self.notices)} notices)"


@contextmanager
def scratch(settings: Settings) -> Iterator[Scratch]:
    """A fresh state folder and dry-run ledger, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="crosspost-simulate-") as folder:
        state = Path(folder)
        simulated = settings.model_copy(
            update={
                "state_dir": state,
                "dry_run_ledger_url": f"sqlite:///{state}/simulated-ledger.db",
            }
        )
        ledger = Ledger(
            simulated.ledger(dry_run=True),
            secrets=simulated.secrets(),
            timeout=simulated.ledger_timeout,
            marker_dir=state,
            durable=False,
        )
        with ledger:
            yield Scratch(simulated, ledger)


async def simulate_run(
    settings: Settings,
    ledger: Ledger,
    *,
    start: datetime,
    until: datetime,
    platforms: Sequence[str],
    sources: Sequence[str] = (),
    on_fired: Callable[[Fired], None] | None = None,
    on_note: Callable[[str], None] | None = None,
    card_maker: CardMaker | None = None,
) -> Simulation:
    """Run from `start` to `until` on a virtual clock: poll `sources`, plan what is
    new, and send each post of the ledger that falls due to the in-process sandbox,
    one at a time in due order. Notices are kept, never sent."""
    from crosspost.notify.notifier import RecordingNotifier
    from crosspost.publish.connect import connect
    from crosspost.schedule.alerts import TeamAlerts
    from crosspost.schedule.clock import VirtualClock
    from crosspost.schedule.loops import simulate
    from crosspost.schedule.runner import Runner

    clock = VirtualClock(
        zone=ZoneInfo(settings.timezone), poll=settings.schedule.poll, start=start
    )
    notifier = RecordingNotifier()
    async with connect(
        settings,
        platforms,
        dry_run=True,
        sleep=clock.sleep,
        sandbox_clock=clock.timestamp,
    ) as connection:
        runner = Runner(
            settings,
            ledger,
            connection.adapters,
            sources=sources,
            endpoints=connection.endpoints,
            alerts=TeamAlerts(
                notifier, ledger, connection.adapters, now=lambda: clock.now
            ),
            now=lambda: clock.now,
            on_fired=on_fired,
            on_note=on_note,
            card_maker=card_maker,
            one_at_a_time=True,
        )
        await simulate(runner, clock, until)
    return Simulation(list(runner.fired), list(notifier.notices))
