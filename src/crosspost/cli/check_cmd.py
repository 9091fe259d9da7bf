"""`crosspost check`: are each platform's credentials present and valid, whose account,
and when do they expire (never printing a secret)."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

import httpx

from crosspost.cli.common import print_json, settings_from
from crosspost.cli.post_cmd import chosen_platforms
from crosspost.errors import CrosspostError
from crosspost.platforms import registry
from crosspost.platforms.base import AccountCheck
from crosspost.platforms.errors import PublishError
from crosspost.settings import Settings


def check(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    platforms = chosen_platforms(args.platforms, settings)

    async def run() -> list[dict[str, Any]]:
        from crosspost.publish.connect import connect

        async with connect(settings, [], dry_run=args.dry_run) as connection:
            return [
                await check_one(connection.settings, connection.client, name)
                for name in platforms
            ]

    results = asyncio.run(run())
    if args.json:
        print_json(results)
    else:
        for result in results:
            state = "ok" if result["ok"] else "FAILED"
            account = f" {result['account']}" if result["account"] else ""
            expires = (
                f" (expires {result['expires_at']})" if result["expires_at"] else ""
            )
            detail = f": {result['detail']}" if result["detail"] else ""
            print(f"{result['platform']:<10} {state}{account}{expires}{detail}")
    return 0 if all(result["ok"] for result in results) else 1


async def check_one(
    settings: Settings, client: httpx.AsyncClient, name: str
) -> dict[str, Any]:
    """The platform's who-am-I answer, or what is missing before it can be asked."""
    missing = registry.missing_settings(settings, name)
    if missing:
        result = AccountCheck(
            platform=name,
            ok=False,
            detail="not configured: set "
            + ", or ".join(
                " and ".join(option)
                for option in registry.missing_alternatives(settings, name)
            ),
        )
    else:
        adapter = registry.build_adapters(settings, client, [name])[name]
        try:
            result = await adapter.check()
        except (PublishError, CrosspostError) as exc:
            result = AccountCheck(platform=name, ok=False, detail=exc.message)
    data = result.model_dump(mode="json")
    data["credentials_present"] = not missing
    data["missing"] = missing
    return data
