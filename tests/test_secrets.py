"""Canary secrets: after failing runs, no output, log, file, exception or sandbox page
holds one (only X's owner-only OAuth 2.0 token file may keep a token)."""

from __future__ import annotations

import base64
import json
import logging
import os
import stat
import subprocess
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote, quote_plus, unquote_to_bytes

import httpx
import pytest
import uvicorn

from crosspost.cli.main import main
from crosspost.cli.sandbox_cmd import bind
from crosspost.platforms import registry
from crosspost.platforms.errors import PublishError
from crosspost.platforms.http import RetryPolicy
from crosspost.sandbox import (
    Fault,
    Sandbox,
    SandboxAccounts,
    SandboxConfig,
    create_sandbox,
)
from crosspost.sandbox.dryrun import card_fetcher
from crosspost.settings import load_settings
from crosspost.summaries.sources import load_summary
from crosspost.teasers.render import render_teasers

ROOT = Path(__file__).resolve().parent.parent
CROSSPOST = ROOT / ".venv" / "bin" / "crosspost"
ALL = "x,facebook,instagram,linkedin,youtube"
CARD_BASE_URL = "https://cards.ms-research.example/social/"
CLIENT_ID = "ms-research-crosspost-app"  # public; its Basic pair with the secret is not
# Some canaries carry `/`, `+` and `=`, so their URL-encoded forms differ from them.
OAUTH1 = {
    "X__CONSUMER_KEY": "canary-x-ck-4b1e90",
    "X__CONSUMER_SECRET": "canary-x-cs-7f3a/Qz+w=",
    "X__ACCESS_TOKEN": "canary-x-at-2d9c51",
    "X__ACCESS_TOKEN_SECRET": "canary-x-ats-8e5b/+0",
}
OAUTH2 = {
    "X__CLIENT_SECRET": "canary-x-clsec-3e8f/+=",
    "X__OAUTH2_ACCESS_TOKEN": "canary-x-o2at-5b6c17",
    "X__OAUTH2_REFRESH_TOKEN": "canary-x-o2rt-7d0a/+",
}
PAGES = {
    "FACEBOOK__PAGE_ACCESS_TOKEN": "canary-fb-pat-6c2a/+=",
    "INSTAGRAM__ACCESS_TOKEN": "canary-ig-at-1f7d33",
    "LINKEDIN__ACCESS_TOKEN": "canary-li-at-9a4e/+",
}
# Notification URLs: a path token and a password filled from ${NAME} placeholders,
# and a `-key` parameter written literally in the variable holding the whole list.
NOTIFY = {
    "SANDBOX_NOTIFY_TOKEN": "canary-notify-tok-4c3b",
    "SANDBOX_NOTIFY_PASSWORD": "canary-notify-pw-8d1e",
}
NOTIFY_KEY = "canary-notify-key-2f6a"
SUMMARY = """\
Research Summary: Cooling vests and walking endurance in heat-sensitive MS

A small crossover trial asked whether a cooling vest helps people walk further.

What?

A randomised crossover trial of a cooling vest worn during a six-minute walk test.

Who?

Physiotherapists at two MS rehabilitation centres.

Where?

A peer-reviewed journal of neurological rehabilitation.

When?

Published in summer 2026.

BACKGROUND #1:  Many people with MS find symptoms worsen as body temperature rises.

FINDING #1:  Participants walked further on the days they wore the cooling vest.

FINDING #2:  Fatigue scores after the walk were lower with the vest than without.

THOUGHT #1:  Trials in hotter climates would show whether the benefit holds outdoors.
"""


def needles(secret: str) -> set[tuple[str, bool]]:
    """Each form the secret could leak in, and whether case is ignored when searching:
    as is, URL-encoded, base64 (and URL-safe base64) at any alignment, and the HTTP
    Basic `client_id:secret` pair."""
    forms = {(secret, True), (quote(secret, safe=""), True), (quote_plus(secret), True)}
    raw = secret.encode()
    for shift in range(3):
        padded = bytes(shift) + raw
        whole = base64.b64encode(padded)[: len(padded) // 3 * 4].decode()
        core = whole[4:] if shift else whole  # the first group mixes in padding bytes
        forms |= {(core, False), (core.replace("+", "-").replace("/", "_"), False)}
    forms.add((base64.b64encode(f"{CLIENT_ID}:{secret}".encode()).decode(), False))
    return forms


@dataclass
class Evidence:
    """Everything a run left behind, by where it was found."""

    texts: dict[str, str | bytes] = field(default_factory=dict)

    def add(self, where: str, text: str | bytes) -> None:
        self.texts[f"{where} #{len(self.texts)}"] = text

    def leaks(self, secrets: list[str]) -> list[str]:
        """Where each secret was found, and in which form."""
        found = []
        for where, text in self.texts.items():
            raw = text.encode() if isinstance(text, str) else text
            # Decoded too, for partly percent-encoded forms (`%2F` but a bare `+`).
            for data in {raw, unquote_to_bytes(raw)}:
                folded = data.lower()
                for secret in secrets:
                    for form, any_case in needles(secret):
                        needle = (form.lower() if any_case else form).encode()
                        if needle in (folded if any_case else data):
                            found.append(f"{where}: {form!r} (from {secret!r})")
        return sorted(set(found))

    def assert_clean(self, secrets: list[str]) -> None:
        leaks = self.leaks(secrets)
        assert not leaks, "secrets leaked:\n" + "\n".join(leaks)

    def mentions(self, text: str) -> bool:
        return any(
            text.encode() in (t.encode() if isinstance(t, str) else t)
            for t in self.texts.values()
        )


class Served:
    """A sandbox served by uvicorn on a free loopback port, in a thread."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.listener = bind("127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        config = uvicorn.Config(
            sandbox.app, log_config=None, access_log=False, lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.listener]}, daemon=True
        )

    def pages(self) -> dict[str, str]:
        """Every sandbox page showing what it received, by path."""
        names = ("x", "facebook", "instagram", "linkedin", "notifications", "notify")
        paths = ["/", "/_sandbox/posts", *(f"/_sandbox/{name}" for name in names)]
        paths += [f"/_sandbox/posts/{p.platform}/{p.id}" for p in self.sandbox.posts]
        with httpx.Client(base_url=self.url, timeout=5) as client:
            return {path: client.get(path).text for path in paths}


@contextmanager
def served(config: SandboxConfig) -> Iterator[Served]:
    sandbox = Served(create_sandbox(config))
    sandbox.thread.start()
    deadline = time.monotonic() + 10
    while not sandbox.server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield sandbox
    finally:
        sandbox.server.should_exit = True
        sandbox.thread.join(timeout=10)
        sandbox.listener.close()


def accepting(card_dir: Path) -> SandboxConfig:
    """A sandbox whose own accounts are the canaries, so posts get through."""
    accounts = SandboxAccounts(
        x_consumer_key=OAUTH1["X__CONSUMER_KEY"],
        x_consumer_secret=OAUTH1["X__CONSUMER_SECRET"],
        x_access_token=OAUTH1["X__ACCESS_TOKEN"],
        x_access_token_secret=OAUTH1["X__ACCESS_TOKEN_SECRET"],
        x_client_id=CLIENT_ID,
        x_client_secret=OAUTH2["X__CLIENT_SECRET"],
        x_oauth2_access_token="sandbox-token-not-configured-here",
        x_oauth2_refresh_token=OAUTH2["X__OAUTH2_REFRESH_TOKEN"],
        facebook_page_token=PAGES["FACEBOOK__PAGE_ACCESS_TOKEN"],
        instagram_token=PAGES["INSTAGRAM__ACCESS_TOKEN"],
        linkedin_token=PAGES["LINKEDIN__ACCESS_TOKEN"],
    )
    return SandboxConfig(
        accounts=accounts, image_fetcher=card_fetcher(card_dir, CARD_BASE_URL)
    )


def canary_env(
    sandbox: Served, canaries: dict[str, str], hook_path: str = "/_sandbox/notify"
) -> tuple[dict[str, str], str]:
    """Variables aiming every platform and two notification URLs (JSON and form) at
    `sandbox`; the notification URLs as resolved."""
    a = SandboxAccounts()
    host = sandbox.url.removeprefix("http://")
    urls = [
        f"json://{host}{hook_path}/${{SANDBOX_NOTIFY_TOKEN}}",
        f"form://crosspost:${{SANDBOX_NOTIFY_PASSWORD}}@{host}{hook_path}"
        f"?-key={NOTIFY_KEY}",
    ]
    resolved = " ".join(urls)
    for name, value in NOTIFY.items():
        resolved = resolved.replace(f"${{{name}}}", value)
    values = {
        **canaries,
        "TEMPLATES_DIR": str(ROOT / "templates"),
        "HTTP_TIMEOUT": "0.5",
        "X__BASE_URL": f"{sandbox.url}/x",
        "X__USERNAME": a.x_username,
        "X__CLIENT_ID": CLIENT_ID,
        "FACEBOOK__BASE_URL": f"{sandbox.url}/facebook",
        "FACEBOOK__PAGE_ID": a.facebook_page_id,
        "INSTAGRAM__BASE_URL": f"{sandbox.url}/facebook",
        "INSTAGRAM__USER_ID": a.instagram_user_id,
        "INSTAGRAM__CARD_BASE_URL": CARD_BASE_URL,
        "INSTAGRAM__POLL_INTERVAL": "0.05",
        "INSTAGRAM__POLL_TIMEOUT": "2",
        "LINKEDIN__BASE_URL": f"{sandbox.url}/linkedin",
        "LINKEDIN__ORGANIZATION_ID": a.linkedin_organization_id,
        "NOTIFY__URLS": json.dumps(urls),
        "NOTIFY__TIMEOUT": "2",
    }
    variables = {f"CROSSPOST_{key}": value for key, value in values.items()}
    return {**variables, **NOTIFY}, resolved


def all_canaries(hook: str) -> list[str]:
    return [
        *OAUTH1.values(),
        *OAUTH2.values(),
        *PAGES.values(),
        *hook.split(),
        *NOTIFY.values(),
        NOTIFY_KEY,
    ]


def every_command(summary: Path, platforms: str = ALL) -> list[list[str]]:
    """Post for real (twice: the second meets the ledger's failures), check, status,
    render and preview, in text and JSON."""
    return [
        ["post", str(summary), "--platforms", platforms],
        ["post", str(summary), "--platforms", platforms, "--json"],
        ["check", "--platforms", platforms, "--json"],
        ["check", "--platforms", platforms],
        ["status", "--json"],
        ["status"],
        ["render", str(summary)],
        ["render", str(summary), "--json"],
        ["preview", str(summary), "-o", "preview.html"],
        ["notify", "test"],
        ["notify", "test", "--json"],
        ["calendar", "-o", "plan.ics"],
    ]


def format_error(exc: BaseException) -> str:
    return repr(exc) + "".join(traceback.format_exception(exc))


@dataclass
class Harness:
    """Runs commands in process in an isolated folder and gathers what they left."""

    folder: Path
    summary: Path
    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]
    caplog: pytest.LogCaptureFixture
    evidence: Evidence = field(default_factory=Evidence)

    def use_env(self, variables: dict[str, str]) -> None:
        for name, value in variables.items():
            self.monkeypatch.setenv(name, value)

    def run(self, commands: list[list[str]]) -> list[int]:
        """Run each command through `main`, keeping its stdout and stderr."""
        codes = []
        for args in commands:
            codes.append(main(args))
            out, err = self.capsys.readouterr()
            self.evidence.add(f"stdout of {' '.join(args[:2])}", out)
            self.evidence.add(f"stderr of {' '.join(args[:2])}", err)
        return codes

    def collect(self, sandbox: Served, *, kept: tuple[Path, ...] = ()) -> None:
        """Add log records, every file in the folder but `kept`, the sandbox pages."""
        formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
        for record in self.caplog.records:
            self.evidence.add(f"log {record.name}", formatter.format(record))
        add_files(self.evidence, self.folder, kept)
        for path, page in sandbox.pages().items():
            self.evidence.add(f"sandbox page {path}", page)


def add_files(evidence: Evidence, folder: Path, kept: tuple[Path, ...] = ()) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path not in kept:
            evidence.add(f"file {path.relative_to(folder)}", path.read_bytes())


@pytest.fixture
def summary(isolated: Path) -> Path:
    path = isolated / "cooling-vests.txt"
    path.write_text(SUMMARY, encoding="utf-8")
    return path


@pytest.fixture
def harness(
    isolated: Path,
    summary: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> Harness:
    caplog.set_level(logging.DEBUG)
    return Harness(isolated, summary, monkeypatch, capsys, caplog)


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries happen as usual, without sleeping between them (for speed only)."""
    monkeypatch.setattr(RetryPolicy, "delay", lambda self, attempt: 0.0)


SECRET = OAUTH1["X__CONSUMER_SECRET"]


@pytest.mark.parametrize(
    "text",
    [
        "https://hooks.example.org/notify?t=canary-x-cs-7f3a%2FQz%2Bw%3D",
        "postgresql://crosspost:canary-x-cs-7f3a%2FQz+w%3D@db.example.org/ledger",
        "signed with CANARY-X-CS-7F3A/QZ+W=",
        base64.b64encode(f"{SECRET},more".encode()),
        base64.b64encode(f"a {SECRET} in a sentence".encode()),
        base64.urlsafe_b64encode(f"at {SECRET}".encode()),
        "Authorization: Basic "
        + base64.b64encode(f"{CLIENT_ID}:{SECRET}".encode()).decode(),
    ],
)
def test_search_finds_encoded_canaries(text: str | bytes) -> None:
    """A canary is found URL-encoded, in base64 at each alignment, in a Basic pair."""
    evidence = Evidence()
    evidence.add("sample", text)
    assert evidence.leaks([SECRET])


def test_refused_credentials_leak_nothing(harness: Harness) -> None:
    """Canary credentials refused (401/190) leave no canary in outputs, logs, files."""
    with served(SandboxConfig()) as sandbox:
        variables, hook = canary_env(sandbox, {**OAUTH1, **PAGES})
        harness.use_env(variables)
        codes = harness.run(every_command(harness.summary))
        harness.collect(sandbox)
    assert codes[:4] == [1, 1, 1, 1]
    assert harness.evidence.mentions("HTTP 401")
    assert harness.evidence.mentions("Graph code 190")
    assert len(sandbox.sandbox.notifications) == 4, "not every notification arrived"
    assert (harness.folder / "preview.html").is_file()
    harness.evidence.assert_clean(all_canaries(hook))


FAULTS = {
    "server_error": Fault("*", "server_error", times=None, status=502),
    "timeout_after": Fault("*", "timeout_after", times=6, seconds=0.8),
    "timeout_before": Fault("*", "timeout_before", times=6, seconds=0.8),
    "malformed_json": Fault("*", "malformed_json", times=None),
    "reset_after": Fault("*", "reset_after", times=None),
    "expired_token": Fault("*", "expired_token", times=None),
}


@pytest.mark.parametrize("kind", sorted(FAULTS))
@pytest.mark.usefixtures("no_backoff")
def test_injected_faults_leak_nothing(kind: str, harness: Harness) -> None:
    """5xx, timeouts, resets, bad JSON and expiry, credentials accepted: no leak."""
    config = accepting(harness.folder / "var" / "public-cards")
    config.faults.append(replace(FAULTS[kind]))
    with served(config) as sandbox:
        variables, hook = canary_env(sandbox, {**OAUTH1, **PAGES})
        harness.use_env(variables)
        codes = harness.run(
            [
                ["post", str(harness.summary)],
                ["check", "--json"],
                ["status"],
                ["status", "--json"],
            ]
        )
        harness.collect(sandbox)
    assert codes[0] == 1, "the fault did not make the post fail"
    harness.evidence.assert_clean(all_canaries(hook))


def test_x_oauth2_rotation_keeps_tokens_only_in_the_owner_file(
    harness: Harness,
) -> None:
    """Canaries in .env, notification URLs answering 404: X's refreshed pair lands in
    a 0600 file and nowhere else."""
    config = accepting(harness.folder / "var" / "public-cards")
    config.faults.append(Fault("x", "server_error", path="/2/tweets", times=None))
    token_file = harness.folder / "var" / "x-oauth2-tokens.json"
    dotenv = harness.folder / ".env"
    with served(config) as sandbox:
        variables, hook = canary_env(sandbox, {**OAUTH2, **PAGES}, "/hooks/gone")
        secret = {f"CROSSPOST_{name}" for name in OAUTH2} | set(NOTIFY)
        dotenv.write_text("".join(f"{k}={variables[k]}\n" for k in sorted(secret)))
        harness.use_env({k: v for k, v in variables.items() if k not in secret})
        codes = harness.run(every_command(harness.summary, "x,youtube"))
        harness.collect(sandbox, kept=(token_file, dotenv))
    assert codes[0] == 1
    assert harness.evidence.mentions("NOT delivered")
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    rotated = [f"sandbox-x-oauth2-{kind}-token-1" for kind in ("access", "refresh")]
    assert all(token in token_file.read_text() for token in rotated)
    harness.evidence.assert_clean([*all_canaries(hook), *rotated])


@pytest.mark.anyio
@pytest.mark.usefixtures("no_backoff")
async def test_adapter_exceptions_leak_nothing(
    summary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each adapter's error (message, repr, traceback, causes) holds no canary."""
    evidence = Evidence()
    config = SandboxConfig(faults=[Fault("*", "malformed_json", times=2)])
    names = ["x", "facebook", "instagram", "linkedin"]
    with served(config) as sandbox:
        variables, hook = canary_env(sandbox, {**OAUTH1, **PAGES})
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        settings = load_settings()
        teasers = render_teasers(
            load_summary(str(summary), settings),
            settings,
            platforms=names,
            variants=["announce"],
            cards=True,
        )
        async with httpx.AsyncClient(timeout=settings.http_timeout) as client:
            adapters = registry.build_adapters(settings, client, names)
            for teaser in teasers:
                adapter = adapters[teaser.platform]
                evidence.add(f"{teaser.platform} check", repr(await adapter.check()))
                try:
                    await adapter.publish(teaser)
                except PublishError as exc:
                    evidence.add(f"{teaser.platform} error", format_error(exc))
    assert sum(" error #" in where for where in evidence.texts) == len(names)
    evidence.assert_clean(all_canaries(hook))


def test_real_process_leaks_nothing(summary: Path, isolated: Path) -> None:
    """`crosspost` run as a process with canary variables prints, writes no canary."""
    evidence = Evidence()
    config = accepting(isolated / "var" / "public-cards")
    config.faults.append(Fault("*", "malformed_json", times=4))
    with served(config) as sandbox:
        variables, hook = canary_env(sandbox, {**OAUTH1, **PAGES})
        env = {k: v for k, v in os.environ.items() if not k.startswith("CROSSPOST_")}
        codes = []
        for args in every_command(summary):
            done = subprocess.run(
                [str(CROSSPOST), *args],
                capture_output=True,
                env={**env, **variables},
                cwd=isolated,
                timeout=120,
                check=False,
            )
            codes.append(done.returncode)
            evidence.add(f"stdout of {' '.join(args[:2])}", done.stdout)
            evidence.add(f"stderr of {' '.join(args[:2])}", done.stderr)
            assert b"Traceback" not in done.stderr
        add_files(evidence, isolated)
        for path, page in sandbox.pages().items():
            evidence.add(f"sandbox page {path}", page)
    assert codes[0] == 1
    assert sandbox.sandbox.posts, "no post reached the sandbox"
    assert (isolated / "preview.html").is_file()
    evidence.assert_clean(all_canaries(hook))


LEDGER_PASSWORD = "canary-pg-pw-5e1d/+="


@pytest.mark.parametrize(
    ("config", "variables"),
    [
        ('[x]\nconsumer_secret = "canary-x-cs-7f3a/Qz+w="\n', {}),
        ("[linkedin]\nversion = '2026-05'\n", PAGES),
        ("http_timeout = -1\n", OAUTH1),
        (
            "",
            {
                **OAUTH2,
                "LEDGER_URL": "postgresql://crosspost:"
                f"{quote(LEDGER_PASSWORD, safe='')}@127.0.0.1:1/ledger",
            },
        ),
        ("", {"X": '{"access_token": ["canary-x-at-2d9c51"], "enabled": "maybe"}'}),
    ],
    ids=[
        "secret-in-toml",
        "bad-version",
        "bad-timeout",
        "ledger-unreachable",
        "secret-of-wrong-type",
    ],
)
def test_settings_mistakes_leak_nothing(
    config: str, variables: dict[str, str], harness: Harness
) -> None:
    """A secret in the TOML file or of the wrong type, a bad value beside secrets, an
    unreachable ledger with a password: the error names the setting, not a canary."""
    path = harness.folder / "crosspost.toml"
    path.write_text(config, encoding="utf-8")
    harness.use_env({f"CROSSPOST_{name}": value for name, value in variables.items()})
    closed = "http://127.0.0.1:1"  # nothing listens: no request leaves this machine
    harness.use_env(
        {
            "CROSSPOST_TEMPLATES_DIR": str(ROOT / "templates"),
            "CROSSPOST_X__BASE_URL": f"{closed}/x",
            "CROSSPOST_X__CLIENT_ID": CLIENT_ID,
        }
    )
    codes = harness.run(
        [
            ["--config", str(path), "status", "--json"],
            ["--config", str(path), "resolve", "1", "--not-posted"],
            ["--config", str(path), "post", str(harness.summary), "--platforms", "x"],
        ]
    )
    for record in harness.caplog.records:
        harness.evidence.add(f"log {record.name}", record.getMessage())
    add_files(harness.evidence, harness.folder, kept=(path,))
    assert all(code != 0 for code in codes)
    assert harness.evidence.mentions("crosspost: error:")
    secrets = [*OAUTH1.values(), *OAUTH2.values(), *PAGES.values(), LEDGER_PASSWORD]
    harness.evidence.assert_clean(secrets)
