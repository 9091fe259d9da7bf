"""`crosspost notify test`: a test notice to every notification URL, each named
safely (service and host, never a token) with whether it was delivered."""

from __future__ import annotations

import argparse
import asyncio
import socket

from crosspost.cli.common import print_json, settings_from
from crosspost.errors import ConfigError
from crosspost.settings import ENV_PREFIX

STATES = {None: "would send", True: "delivered", False: "NOT delivered"}


def test(args: argparse.Namespace) -> int:
    from crosspost.notify import AppriseNotifier, notifier_from, trial_notice

    settings = settings_from(args)
    notifier = notifier_from(settings)
    if not isinstance(notifier, AppriseNotifier):
        raise ConfigError(
            "no notification URL is set",
            hint='add notify.urls = ["slack://${SLACK_TOKENS}"] to the config file '
            "(tokens as ${NAME}, from the environment or .env), or set "
            f"{ENV_PREFIX}NOTIFY__URLS",
        )
    notice = trial_notice(socket.gethostname())
    outcomes: list[tuple[str, bool | None]]
    if args.dry_run:
        outcomes = [(name, None) for name in notifier.names]
    else:
        deliveries = asyncio.run(notifier.deliver(notice))
        outcomes = [(delivery.url, delivery.delivered) for delivery in deliveries]
    if args.json:
        print_json([{"url": url, "delivered": done} for url, done in outcomes])
    else:
        if args.dry_run:
            print(f"would send “{notice.title}” (nothing sent):\n\n{notice.body}\n")
        for url, done in outcomes:
            print(f"{url:<40} {STATES[done]}")
    return 0 if all(done is not False for _, done in outcomes) else 1
