"""Work on posts the way every platform wants it: each platform's posts one at a time,
in the order given, and the platforms side by side."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


async def per_platform(
    items: Sequence[T],
    platform: Callable[[T], str],
    each: Callable[[T], Awaitable[R]],
) -> list[R]:
    """`each(item)` for every item, one platform's items in order, platforms
    concurrently; the results in the order of `items`."""
    lanes: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        lanes.setdefault(platform(item), []).append(index)
    results: dict[int, R] = {}

    async def run_lane(indexes: list[int]) -> None:
        for index in indexes:
            results[index] = await each(items[index])

    await asyncio.gather(*(run_lane(indexes) for indexes in lanes.values()))
    return [results[index] for index in range(len(items))]
