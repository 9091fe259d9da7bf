"""How many requests per second the in-process sandbox answers, per platform flow."""

from __future__ import annotations

import asyncio
import time

import httpx

from crosspost.sandbox import SandboxAccounts, SandboxConfig, create_sandbox

A = SandboxAccounts()
ROUNDS = 500


async def x_posts(client: httpx.AsyncClient) -> None:
    headers = {"Authorization": f"Bearer {A.x_oauth2_access_token}"}
    for n in range(ROUNDS):
        body = {"text": f"Finding {n}: relapse rates fell in the treated group."}
        response = await client.post(
            "https://api.x.com/2/tweets", json=body, headers=headers
        )
        assert response.status_code == 201, response.text


async def linkedin_posts(client: httpx.AsyncClient) -> None:
    headers = {
        "Authorization": f"Bearer {A.linkedin_token}",
        "LinkedIn-Version": "202605",
        "X-Restli-Protocol-Version": "2.0.0",
    }
    for n in range(ROUNDS):
        body = {
            "author": f"urn:li:organization:{A.linkedin_organization_id}",
            "commentary": f"Finding {n}: relapse rates fell \\(a third\\).",
            "visibility": "PUBLIC",
            "distribution": {"feedDistribution": "MAIN_FEED"},
            "lifecycleState": "PUBLISHED",
        }
        url = "https://api.linkedin.com/rest/posts"
        response = await client.post(url, json=body, headers=headers)
        assert response.status_code == 201, response.text


async def facebook_posts(client: httpx.AsyncClient) -> None:
    url = f"https://graph.facebook.com/v25.0/{A.facebook_page_id}/feed"
    for n in range(ROUNDS):
        form = {"message": f"Finding {n}.", "access_token": A.facebook_page_token}
        response = await client.post(url, data=form)
        assert response.status_code == 200, response.text


async def main() -> None:
    for name, flow in (
        ("x POST /2/tweets", x_posts),
        ("linkedin POST /rest/posts", linkedin_posts),
        ("facebook POST /feed", facebook_posts),
    ):
        config = SandboxConfig(
            x_posts_per_window=10**6,
            graph_calls_per_hour=10**6,
            linkedin_posts_per_day=10**6,
        )
        sandbox = create_sandbox(config)
        async with httpx.AsyncClient(transport=sandbox.transport()) as client:
            start = time.perf_counter()
            await flow(client)
            elapsed = time.perf_counter() - start
        print(
            f"{name:28} {ROUNDS} requests in {elapsed:.2f} s: "
            f"{ROUNDS / elapsed:,.0f} req/s, {elapsed / ROUNDS * 1000:.2f} ms each"
        )


if __name__ == "__main__":
    asyncio.run(main())
