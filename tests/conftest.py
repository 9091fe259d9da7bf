"""Shared fixtures: paths to the project's own data, the async backend for anyio
tests, and a PostgreSQL server (with a schema of a test's own) for the ledger."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
EXAMPLES = ROOT / "examples" / "summaries"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder with no CROSSPOST_* variables, so no real state or
    secret is touched."""
    for name in list(os.environ):
        if name.startswith("CROSSPOST_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """CROSSPOST_TEST_POSTGRES_URL (set by .ci/run), else a throwaway PostgreSQL server
    on loopback; skipped only where no PostgreSQL server is installed."""
    if os.environ.get("CROSSPOST_TEST_POSTGRES_URL"):
        yield os.environ["CROSSPOST_TEST_POSTGRES_URL"]
        return
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL server binaries are not installed")
    prefix: list[str] = []
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            pytest.skip("PostgreSQL refuses to run as root and runuser is missing")
        prefix = ["runuser", "-u", "postgres", "--"]
    # Not under pytest's tmp_path: the server's own user must be able to reach it.
    home = Path(tempfile.mkdtemp(prefix="crosspost-pg-"))
    if prefix:
        shutil.chown(home, "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data, log = str(home / "data"), str(home / "log")

    def server(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True)

    server(initdb, "-D", data, "-A", "trust", "-U", "ledger")
    server(
        pg_ctl,
        "-D",
        data,
        "-l",
        log,
        "-o",
        f"-p {port} -h 127.0.0.1 -k {home}",
        "-w",
        "start",
    )
    try:
        yield f"postgresql+psycopg://ledger@127.0.0.1:{port}/postgres"
    finally:
        server(pg_ctl, "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def postgres_schema(postgres_url: str) -> Iterator[str]:
    """A ledger URL in a PostgreSQL schema of the test's own, dropped afterwards."""
    from sqlalchemy import create_engine, text

    name = f"crosspost_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(postgres_url)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {name}"))
    joiner = "&" if "?" in postgres_url else "?"
    try:
        yield f"{postgres_url}{joiner}options=-csearch_path%3D{name}"
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {name} CASCADE"))
        engine.dispose()
