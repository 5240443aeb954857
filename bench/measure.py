"""The two measurement phases, run against one server at a time.

Every measured rerun changes the district (consecutive adcodes of the cycle), so
nothing is measured that a real user would not trigger.  Sessions first load the
page and do a few warm-up changes, so the numbers describe steady state (server
caches filled, browser cache in its usual state) rather than the first visit.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

from .protocol import ADCODES, BrowserSession, RerunResult
from .server import StreamlitServer


def adcode_at(i: int) -> str:
    return ADCODES[i % len(ADCODES)]


def _summarise(results: list[RerunResult]) -> dict:
    kinds: Counter = Counter()
    for r in results:
        kinds.update(r.bytes_by_kind)
    return {
        "latency_s": [r.latency_s for r in results],
        "bytes": [r.bytes_received for r in results],
        "messages": [r.messages for r in results],
        "ref_hits": [r.ref_hits for r in results],
        "bytes_by_kind_total": dict(kinds),
    }


async def sequential_phase(
    server: StreamlitServer, reruns: int, warmup: int, start: int, timeout_s: float, quickack: bool = False
) -> dict:
    """One tab changing district `reruns` times, one change after the other.

    Gives server CPU per change (the client waits for each run, so the server
    process does nothing else meanwhile), bytes per change and 1-session latency.
    """
    session = BrowserSession(server.port, timeout_s, quickack)
    await session.connect()
    try:
        first = await session.rerun(adcode_at(start))  # page load
        for i in range(1, warmup + 1):
            await session.rerun(adcode_at(start + i))
        cpu_before, wall_before = server.cpu_seconds(), time.perf_counter()
        results = [await session.rerun(adcode_at(start + warmup + 1 + i)) for i in range(reruns)]
        cpu_after, wall_after = server.cpu_seconds(), time.perf_counter()
    finally:
        await session.close()
    server.check_alive()
    return {
        "first_load": {"latency_s": first.latency_s, "bytes": first.bytes_received},
        "cpu_s": cpu_after - cpu_before,
        "wall_s": wall_after - wall_before,
        "changes": reruns,
        **_summarise(results),
    }


async def concurrent_phase(
    server: StreamlitServer,
    sessions: int,
    steps: int,
    warmup: int,
    start: int,
    timeout_s: float,
    quickack: bool = False,
) -> dict:
    """`sessions` tabs that all change district at the same moment, `steps` times.

    Tab k asks for a different district than tab k+1, as different users would.
    Each step waits for every tab's run to finish (a burst), so latency here is
    what a user sees when everyone clicks at once.
    """
    tabs = [BrowserSession(server.port, timeout_s, quickack) for _ in range(sessions)]
    await asyncio.gather(*(t.connect() for t in tabs))
    try:

        async def step(i: int) -> list[RerunResult]:
            return await asyncio.gather(
                *(t.rerun(adcode_at(start + k + i)) for k, t in enumerate(tabs))
            )

        for i in range(warmup + 1):  # page load, then warm-up changes
            await step(i)
        cpu_before, wall_before = server.cpu_seconds(), time.perf_counter()
        results = []
        for i in range(steps):
            results.extend(await step(warmup + 1 + i))
        cpu_after, wall_after = server.cpu_seconds(), time.perf_counter()
    finally:
        await asyncio.gather(*(t.close() for t in tabs), return_exceptions=True)
    server.check_alive()
    return {
        "cpu_s": cpu_after - cpu_before,
        "wall_s": wall_after - wall_before,
        "changes": len(results),
        **_summarise(results),
    }
