"""Several `crosspost run` processes on one PostgreSQL ledger: they share the due posts,
and when one is killed midway the others settle what it left in flight, so every post
is published exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import uvicorn
from sqlalchemy import insert, select

from crosspost.cli.sandbox_cmd import bind, sandbox_environment
from crosspost.ledger import due
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import Attempt, PlannedPost
from crosspost.ledger.wire import text_hash
from crosspost.sandbox.app import Sandbox, create_sandbox
from crosspost.sandbox.config import Fault, SandboxConfig
from crosspost.sandbox.dryrun import dry_run_settings
from crosspost.settings import load_settings

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
POSTS = 1000
RUNNERS = 3
# X and Facebook list 500 posts back from a claim: enough to settle any kill here.
PLATFORMS = ("x", "facebook")
DEADLINE = 90.0


@contextmanager
def served(sandbox: Sandbox) -> Iterator[str]:
    """The sandbox on a free loopback port, in a thread; its base URL."""
    listener = bind("127.0.0.1", 0)
    server = uvicorn.Server(
        uvicorn.Config(sandbox.app, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.01)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


def plan_due_posts(ledger: Ledger, count: int) -> list[str]:
    """`count` posts due now, alternating platforms, each with its own text."""
    now = datetime.now(UTC)
    texts = [
        f"Finding {n} of the shared-runner trial: {n % 97} people walked further "
        f"after {n % 13 + 2} weeks of training (cohort {n // 50})."
        for n in range(count)
    ]
    rows = [
        {
            "summary_id": f"rs-runners{n // 25:04d}",
            "summary_title": "Shared runners",
            "platform": PLATFORMS[n % len(PLATFORMS)],
            "variant": "finding",
            "key": f"finding-{n}",
            "text_hash": text_hash(text),
            "wire_text": text,
            "due_at": now,
            "zone": "UTC",
            "local_time": now.isoformat(),
            "status": "planned",
            "attempts": 0,
            "created_at": now,
            "updated_at": now,
        }
        for n, text in enumerate(texts)
    ]
    with ledger.writing() as session:
        session.execute(insert(PlannedPost), rows)
    return texts


def runner_environment(base_url: str, ledger_url: str, folder: Path) -> dict[str, str]:
    """The variables of every runner: the sandbox's accounts, the shared ledger, a
    one-second tick, and short leases (the sandbox's listings never lag)."""
    settings = load_settings(
        None, env_file=None, templates_dir=TEMPLATES, state_dir=folder / "var"
    )
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("CROSSPOST")},
        **sandbox_environment(dry_run_settings(settings, base_url=base_url)),
        "CROSSPOST_LEDGER_URL": ledger_url,
        "CROSSPOST_STATE_DIR": str(folder / "var"),
        "CROSSPOST_LINKEDIN__ENABLED": "false",
        "CROSSPOST_INSTAGRAM__ENABLED": "false",
        "CROSSPOST_YOUTUBE__ENABLED": "false",
        "CROSSPOST_SCHEDULE__TICK": "1",
        "CROSSPOST_SCHEDULE__LEASE": "10s",
        "CROSSPOST_SCHEDULE__LISTING_LAG": "2s",
    }


def start_runner(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "crosspost", "run"],
            cwd=log.parent,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def wait_for(what: str, done: Callable[[], bool], deadline: float) -> None:
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_three_runners_share_posts_and_survive_a_kill(
    postgres_schema: str, tmp_path: Path
) -> None:
    """Three runners send 1,000 due posts to the served sandbox; one is SIGKILLed
    midway; the survivors settle its claims (found, or planned again): every post is
    on the sandbox exactly once, and the ledger says published."""
    started = time.monotonic()
    deadline = started + DEADLINE
    sandbox = create_sandbox(
        SandboxConfig(
            faults=[Fault(platform="*", kind="latency", times=None, seconds=0.02)],
            x_posts_per_window=10**9,
            graph_calls_per_hour=10**9,
        )
    )
    ledger = Ledger(postgres_schema, marker_dir=tmp_path / "var")
    logs = [tmp_path / f"runner-{n}.log" for n in range(RUNNERS)]
    processes: list[subprocess.Popen[bytes]] = []
    try:
        with served(sandbox) as base_url:
            env = runner_environment(base_url, postgres_schema, tmp_path)
            processes = [start_runner(env, log) for log in logs]
            wait_for(
                "every runner's heartbeat",
                lambda: len(due.runners(ledger)) == RUNNERS,
                deadline,
            )
            texts = plan_due_posts(ledger, POSTS)
            wait_for("a third sent", lambda: len(sandbox.posts) > POSTS / 3, deadline)
            killed = processes[0]
            killed.send_signal(signal.SIGKILL)
            killed.wait()
            wait_for(
                "every post settled",
                lambda: not ledger.rows(statuses=("planned", "sending")),
                deadline,
            )
            for process in processes[1:]:
                process.send_signal(signal.SIGTERM)
            codes = [process.wait(timeout=60) for process in processes[1:]]
            on_sandbox = Counter(post.text for post in sandbox.posts)
        rows = ledger.rows()
        with ledger.reading() as session:
            history = list(session.scalars(select(Attempt)))
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        ledger.close()
    statuses = Counter(row.status for row in rows)
    twice = {text: n for text, n in on_sandbox.items() if n > 1}
    lost = [text for text in texts if text not in on_sandbox]
    by_killed = {
        e.planned_post_id for e in history if e.actor.endswith(f" pid {killed.pid}")
    }
    reconciled = Counter(
        e.outcome for e in history if e.outcome.startswith("reconciled")
    )
    report = (
        f"statuses {dict(statuses)}, duplicates {len(twice)}, lost {len(lost)}, "
        f"claimed by the killed runner {len(by_killed)}, reconciled "
        f"{dict(reconciled)}, {time.monotonic() - started:.1f} s"
    )
    print(report)
    report += "".join(
        f"\n--- {log.name}:\n" + log.read_text(errors="replace")[-2000:] for log in logs
    )
    assert codes == [0] * (RUNNERS - 1), report
    assert twice == {}, report
    assert lost == [], report
    # Each post left for a person would be `unknown` (and counted above): none here.
    assert set(statuses) == {"published"}, report
    assert by_killed, report
    assert sum(reconciled.values()) >= 1, report
    assert len({row.claimed_by for row in rows}) == RUNNERS, report
