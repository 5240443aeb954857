"""The two measurement phases, run against one server at a time, for one scenario.

Every measured rerun changes the scenario's parameter (consecutive values of its
cycle, e.g. the 12 adcodes), so nothing is measured that a real user would not trigger.  Sessions first load the
page and do a few warm-up changes, so the numbers describe steady state (server
caches filled, browser cache in its usual state) rather than the first visit.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

from .protocol import BrowserSession, RerunResult
from .scenarios import Scenario
from .server import StreamlitServer


def _tab(server: StreamlitServer, scenario: Scenario, timeout_s: float, quickack: bool) -> BrowserSession:
    return BrowserSession(server.port, timeout_s, quickack, page=scenario.page, param=scenario.param,
                          base_query=scenario.base_query)


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
    server: StreamlitServer, scenario: Scenario, reruns: int, warmup: int, start: int, timeout_s: float,
    quickack: bool = False,
) -> dict:
    """One tab making `reruns` changes, one after the other.

    Gives server CPU per change (the client waits for each run, so the server
    process does nothing else meanwhile), bytes per change and 1-session latency.
    """
    session = _tab(server, scenario, timeout_s, quickack)
    await session.connect()
    try:
        first = await session.rerun(scenario.value_at(start))  # page load
        for i in range(1, warmup + 1):
            await session.rerun(scenario.value_at(start + i))
        cpu_before, wall_before = server.cpu_seconds(), time.perf_counter()
        results = [await session.rerun(scenario.value_at(start + warmup + 1 + i)) for i in range(reruns)]
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
    scenario: Scenario,
    sessions: int,
    steps: int,
    warmup: int,
    start: int,
    timeout_s: float,
    quickack: bool = False,
) -> dict:
    """`sessions` tabs that all make a change at the same moment, `steps` times.

    Tab k asks for a different value than tab k+1, as different users would.
    Each step waits for every tab's run to finish (a burst), so latency here is
    what a user sees when everyone clicks at once.
    """
    tabs = [_tab(server, scenario, timeout_s, quickack) for _ in range(sessions)]
    await asyncio.gather(*(t.connect() for t in tabs))
    try:

        async def step(i: int) -> list[RerunResult]:
            return await asyncio.gather(
                *(t.rerun(scenario.value_at(start + k + i)) for k, t in enumerate(tabs))
            )

        for i in range(warmup + 1):  # page load, then warm-up changes
            await step(i)
        cpu_before, wall_before, client_before = server.cpu_seconds(), time.perf_counter(), time.process_time()
        results = []
        for i in range(steps):
            results.extend(await step(warmup + 1 + i))
        cpu_after, wall_after, client_after = server.cpu_seconds(), time.perf_counter(), time.process_time()
    finally:
        await asyncio.gather(*(t.close() for t in tabs), return_exceptions=True)
    server.check_alive()
    return {
        "cpu_s": cpu_after - cpu_before,
        "wall_s": wall_after - wall_before,
        "changes": len(results),
        # The client (this process: parsing every tab's protobufs) shares the 2 cores with the server.
        "client_cpu_s": client_after - client_before,
        **_summarise(results),
    }
