"""Scale-out benchmark: one Streamlit process vs the one-machine stack (deploy/), side by side in one run.

    python -m bench.run --scaleout [--quick]     # after the scenario table (or --scaleout-only)
    python -m bench.run --faults-only [--quick]  # only the fault phases

Targets, all started at once from one prebuilt database copy (bench/results/):
``hello`` (bench/hello_app.py, one process), ``app`` (app.py, one process, no proxy), ``stack-1`` and
``stack-2`` (HAProxy + 1 or 2 app processes under supervisord, deploy/stack.sh). Measured, one after the other:

* throughput: ``sessions`` tabs change their view in a closed loop (no think time) for ``duration`` s;
  changes per second, all sessions together (the crowd saturates the processes);
* burst latency: 50 and 100 tabs change their view at the same moment, ``steps`` times; p50/p95.
  The app's tabs are spread over four pages (``MIX``: the map and the investment page changing district,
  the indicators page changing indicator, the projects page opening projects); hello's change district;
* memory: a fresh app process at start, after its first page, after every district once, and with
  ``memory_sessions`` more tabs open (MB per extra session); where the fixed cost goes (bench/memory.py);
* cold start: process start → /_stcore/health → first page finished over the websocket (fresh processes);
  Chromium (fresh context) navigation → the map drawn, through the stack;
* faults, each on a fresh 2-process stack: ``fault_sessions`` tabs clicking (with think time) and new
  visitors every 0.1 s while one process is killed (SIGKILL), then, on another stack, hung (SIGSTOP):
  failed interactions per side, tabs reconnected, new visitors' answers, and when HAProxy took the process
  out, when supervisord (asked by httpok for the hung one) had a new process there and when it was back;
  an upload flood (``flood_uploads`` files of ``flood_size`` bytes from one session): the answers, every
  process's peak memory against memmon's ceiling, and other tabs clicking meanwhile.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import http.client
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time
import xmlrpc.client
from pathlib import Path

from .memory import process_memory, smaps_by_origin
from .protocol import ADCODES, BrowserSession
from .run import percentile
from .scenarios import HELLO, SCENARIOS, Scenario
from .server import StreamlitServer
from .stack import StackProcess, http_get, upload, visit

QUICK = {"sessions": 8, "duration": 5.0, "crowds": (10, 20), "steps": 2, "memory_sessions": 10,
         "cold_rounds": 1, "fault_sessions": 10, "fault_before": 3.0, "fault_after": 15.0,
         "flood_uploads": 60, "flood_size": 1_000_000, "flood_concurrency": 8, "flood_others": 4}
FULL = {"sessions": 24, "duration": 20.0, "crowds": (50, 100), "steps": 5, "memory_sessions": 50,
        "cold_rounds": 3, "fault_sessions": 50, "fault_before": 8.0, "fault_after": 20.0,
        "flood_uploads": 600, "flood_size": 1_000_000, "flood_concurrency": 8, "flood_others": 10}
RESTART_GOAL_S = 15

THROUGHPUT_RATIO_GOAL = 1.7
PER_SESSION_MB_GOAL = 1.0


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def client_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


# ---------------------------------------------------------------- targets


# The crowd on the app: tab k works on page MIX[k % 4], the way visitors spread over the explorer
# (map, investment, indicators, a project), each changing its own view; hello's tabs change district.
MIX = tuple(SCENARIOS[k] for k in ("map-district", "investment-district", "indicators-indicator",
                                   "projects-project"))


class Target:
    """Something to open tabs on: one Streamlit process, or the stack (tabs first fetch the page for
    the route cookie, as a browser does). ``mix``: the scenarios its tabs take in turn."""

    def __init__(self, name: str, server: StreamlitServer | None = None, stack: StackProcess | None = None,
                 mix: tuple[Scenario, ...] = MIX):
        self.name, self.server, self.stack, self.mix = name, server, stack, mix
        self._opened = 0

    @property
    def port(self) -> int:
        return self.stack.port if self.stack else self.server.port

    def cpu_seconds(self) -> float:
        return self.stack.cpu_seconds() if self.stack else self.server.cpu_seconds()

    async def open_tab(self, timeout_s: float) -> BrowserSession:
        scenario = self.mix[self._opened % len(self.mix)]
        self._opened += 1
        where = {"page": scenario.page, "param": scenario.param, "base_query": scenario.base_query}
        if self.stack:
            status, visitor = await asyncio.to_thread(visit, self.port)
            if status != 200:
                raise RuntimeError(f"{self.name}: first visit answered {status}")
            tab = BrowserSession(self.port, timeout_s, headers=visitor.header(), **where)
            tab.route = visitor.route
        else:
            tab = BrowserSession(self.port, timeout_s, **where)
        tab.scenario = scenario
        await tab.connect()
        return tab

    async def open_tabs(self, n: int, timeout_s: float) -> list[BrowserSession]:
        tabs = []
        for i in range(0, n, 10):  # 10 at a time, as a crowd arriving (not one SYN flood)
            tabs += await asyncio.gather(*(self.open_tab(timeout_s) for _ in range(min(10, n - i))))
        return tabs


async def close_all(tabs: list[BrowserSession]) -> None:
    await asyncio.gather(*(t.close() for t in tabs), return_exceptions=True)


# ---------------------------------------------------------------- phases


async def throughput(target: Target, sessions: int, duration: float, timeout_s: float) -> dict:
    tabs = await target.open_tabs(sessions, timeout_s)
    try:
        await asyncio.gather(*(t.rerun(t.scenario.value_at(k)) for k, t in enumerate(tabs)))  # page load
        done: list[float] = []
        stop_at = 0.0

        async def loop(k: int, tab: BrowserSession) -> None:
            i = k
            while time.perf_counter() < stop_at:
                i += 1
                r = await tab.rerun(tab.scenario.value_at(i))
                if time.perf_counter() <= stop_at:
                    done.append(r.latency_s)

        cpu0, client0 = target.cpu_seconds(), client_cpu()
        start = time.perf_counter()
        stop_at = start + duration
        await asyncio.gather(*(loop(k, t) for k, t in enumerate(tabs)))
        cpu1, client1 = target.cpu_seconds(), client_cpu()
    finally:
        await close_all(tabs)
    return {"changes": len(done), "seconds": duration, "changes_per_s": len(done) / duration,
            "latency_p50_ms": 1000 * percentile(done, 50), "latency_p95_ms": 1000 * percentile(done, 95),
            "server_cpu_s": cpu1 - cpu0, "client_cpu_s": client1 - client0}


async def burst(target: Target, crowd: int, steps: int, timeout_s: float) -> dict:
    tabs = await target.open_tabs(crowd, timeout_s)
    try:
        async def step(i: int):
            return await asyncio.gather(*(t.rerun(t.scenario.value_at(k + i)) for k, t in enumerate(tabs)))

        await step(0)  # page load
        await step(1)  # warm-up
        latencies = []
        for i in range(steps):
            latencies += [r.latency_s * 1000 for r in await step(2 + i)]
    finally:
        await close_all(tabs)
    return {"crowd": crowd, "runs": len(latencies), "p50_ms": percentile(latencies, 50),
            "p95_ms": percentile(latencies, 95), "max_ms": max(latencies)}


async def memory(make_server, sessions: int, timeout_s: float) -> dict:
    """A fresh process: at start, first page, all districts visited, then ``sessions`` more tabs."""
    server: StreamlitServer = make_server()
    server.start()
    try:
        server.wait_healthy(120)
        time.sleep(0.5)
        at_start = process_memory(server.pid)
        first = BrowserSession(server.port, timeout_s)
        await first.connect()
        await first.rerun(ADCODES[0])
        after_first = process_memory(server.pid)
        for code in ADCODES:
            await first.rerun(code)
        primed = process_memory(server.pid)
        target = Target("memory", server=server)
        tabs = await target.open_tabs(sessions, timeout_s)
        for i in range(0, sessions, 10):
            await asyncio.gather(*(t.rerun(ADCODES[(i + k) % 12]) for k, t in enumerate(tabs[i:i + 10])))
        await asyncio.sleep(1)
        with_tabs = process_memory(server.pid)
        origins = smaps_by_origin(server.pid)
        await close_all(tabs + [first])
    finally:
        server.stop()
    return {"at_start": at_start, "after_first_page": after_first, "after_every_district": primed,
            "with_extra_tabs": with_tabs, "extra_tabs": sessions,
            "per_extra_tab_mb": (with_tabs["rss_mb"] - primed["rss_mb"]) / sessions,
            "per_extra_tab_uss_mb": (with_tabs["uss_mb"] - primed["uss_mb"]) / sessions,
            "by_origin": origins}


async def cold_start(make_server, rounds: int, timeout_s: float) -> dict:
    healthy, first_page = [], []
    for _ in range(rounds):
        server: StreamlitServer = make_server()
        t0 = time.perf_counter()
        server.start()
        try:
            server.wait_healthy(120)
            t1 = time.perf_counter()
            tab = BrowserSession(server.port, timeout_s)
            await tab.connect()
            await tab.rerun(ADCODES[9])
            t2 = time.perf_counter()
            await tab.close()
        finally:
            server.stop()
        healthy.append(t1 - t0)
        first_page.append(t2 - t0)
    return {"to_health_s": statistics.median(healthy), "to_first_page_s": statistics.median(first_page),
            "rounds": rounds}


def chromium_map_drawn(port: int, rounds: int) -> dict:
    """Fresh browser context each time (cold browser cache): navigation start → the map's paths drawn."""
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"]
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        try:
            for _ in range(rounds):
                context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
                page = context.new_page()
                t0 = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/")
                page.locator("path[aria-label*='区县: 瑞安市']").wait_for(state="attached", timeout=60_000)
                times.append(time.perf_counter() - t0)
                context.close()
        finally:
            browser.close()
    return {"navigation_to_map_s": statistics.median(times), "rounds": rounds}


class StackWatch(threading.Thread):
    """What HAProxy and supervisord report (server status, process ids) and each process's resident memory,
    every ``interval`` s with the time: the fault phases' observations. Observation only; HAProxy takes
    processes out and supervisord (httpok, memmon) restarts them."""

    def __init__(self, stack: StackProcess, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.stack, self.interval = stack, interval
        self.samples: list[dict] = []
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            try:
                backends = self.stack.backends()
                status = self.stack.server_status()
                rss = {}
                for b in backends:
                    try:
                        rss[b["server"]] = process_memory(b["pid"])["rss_mb"] if b["pid"] else 0.0
                    except OSError:
                        rss[b["server"]] = 0.0
                self.samples.append({"t": time.time(), "status": status, "rss": rss,
                                     "pids": {b["server"]: b["pid"] for b in backends}})
            except (OSError, ConnectionError, xmlrpc.client.Error):
                pass
            time.sleep(self.interval)

    def __enter__(self) -> "StackWatch":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self.join(5)

    def first(self, condition, after: float) -> float | None:
        return next((s["t"] for s in self.samples if s["t"] >= after and condition(s)), None)

    def peak_rss(self, after: float = 0.0, until: float = float("inf")) -> dict[str, float]:
        peaks: dict[str, float] = {}
        for s in self.samples:
            if after <= s["t"] <= until:
                for server, mb in s["rss"].items():
                    peaks[server] = max(peaks.get(server, 0.0), mb)
        return peaks


def _since(t: float | None, origin: float) -> float | None:
    return None if t is None else round(t - origin, 2)


async def faults(stack: StackProcess, sessions: int, before: float, after: float, timeout_s: float,
                 sig: int = signal.SIGKILL) -> dict:
    """Tabs click with a think time and newcomers arrive every 0.1 s; one process gets ``sig`` (SIGKILL: it
    dies; SIGSTOP: it hangs, port open, answering nothing). Counted: failed interactions per side, tabs
    of the victim that reconnected, newcomers' answers (status and wait); seen: when HAProxy took the process
    out, when supervisord had a new process there (restart), when HAProxy had it back."""
    target = Target("faults", stack=stack)
    victim = stack.backends()[0]
    phase_start = time.time()
    tabs = await target.open_tabs(sessions, timeout_s)
    for t in tabs:
        await t.rerun(ADCODES[0])
    stats = {"victim": {"tabs": 0, "ok": 0, "failed": 0, "recovered": 0, "reconnected_after_s": []},
             "others": {"tabs": 0, "ok": 0, "failed": 0, "recovered": 0, "reconnected_after_s": []}}
    visits: list[tuple[float, int, float]] = []
    end_at = time.perf_counter() + before + after
    signal_at_perf = time.perf_counter() + before
    sent: dict = {}
    rng = random.Random(9)

    async def clicker(k: int, tab: BrowserSession) -> None:
        side = stats["victim" if tab.route == victim["cookie"] else "others"]
        side["tabs"] += 1
        i = k
        while time.perf_counter() < end_at:
            await asyncio.sleep(rng.uniform(1.0, 3.0))  # a person reading, then clicking
            i += 1
            try:
                await tab.rerun(ADCODES[i % 12], timeout_s=10)
                side["ok"] += 1
            except Exception:  # the websocket closed with its process, or the run timed out
                side["failed"] += 1
                await tab.close()
                # The browser reconnects with the same cookies; HAProxy sends it to a living process.
                try:
                    await tab.connect()
                    tab.page_script_hash = ""
                    await tab.rerun(ADCODES[i % 12], timeout_s=10)
                    side["recovered"] += 1
                    side["reconnected_after_s"].append(round(time.time() - sent.get("at", time.time()), 2))
                except Exception:
                    side["failed"] += 1

    async def newcomers() -> None:
        while time.perf_counter() < end_at:
            started = time.perf_counter()
            try:
                status, _ = await asyncio.to_thread(visit, stack.port, "/", 15)
            except (OSError, http.client.HTTPException):  # refused, reset, or the answer cut short
                status = 0
            visits.append((time.time(), status, time.perf_counter() - started))
            await asyncio.sleep(0.1)

    async def signaller() -> None:
        await asyncio.sleep(max(0.0, signal_at_perf - time.perf_counter()))
        sent["at"] = stack.kill_backend(0, sig)

    with StackWatch(stack) as watch:
        try:
            await asyncio.gather(*(clicker(k, t) for k, t in enumerate(tabs)), newcomers(), signaller())
        finally:
            await close_all(tabs)
        # Wait (up to 30 s more) for the process to be back in rotation, to see the whole cycle.
        def back_in() -> float | None:
            down_at = watch.first(lambda s: s["status"][victim["server"]].startswith("DOWN"), sent["at"])
            return down_at and watch.first(lambda s: s["pids"][victim["server"]] not in (0, victim["pid"]) and
                                           s["status"][victim["server"]] == "UP", down_at)

        deadline = time.time() + 30
        while time.time() < deadline and not back_in():
            await asyncio.sleep(0.2)
    at = sent["at"]
    down = watch.first(lambda s: s["status"][victim["server"]].startswith("DOWN"), at)
    replaced = watch.first(lambda s: s["pids"][victim["server"]] not in (0, victim["pid"]), at)
    # Back: UP again after having been out, with the new process (a quick restart can precede HAProxy's view).
    back = watch.first(lambda s: s["status"][victim["server"]] == "UP" and
                       s["pids"][victim["server"]] not in (0, victim["pid"]), max(at, down or at))
    in_window = [v for v in visits if at <= v[0] < (down or float("inf"))]
    after_down = [v for v in visits if down and v[0] >= down]
    for side in stats.values():
        side["reconnected_after_s"] = max(side["reconnected_after_s"], default=None)
    return {
        "signal": signal.Signals(sig).name, "sessions": sessions, **stats,
        "seconds_to_out_of_rotation": _since(down, at), "seconds_to_restarted": _since(replaced, at),
        "seconds_to_back_in_rotation": _since(back, at),
        "new_visits_before_out_of_rotation": len(in_window),
        "new_visits_5xx_before_out_of_rotation": sum(1 for _, s, _ in in_window if s >= 500 or s == 0),
        "new_visits_slowest_before_out_of_rotation_s": round(max((w for _, _, w in in_window), default=0), 2),
        "new_visits_after_out_of_rotation": len(after_down),
        "new_visits_5xx_after_out_of_rotation": sum(1 for _, s, _ in after_down if s >= 500 or s == 0),
        "haproxy_5xx_total": sum(1 for r in stack.access_log() if r["status"] >= 500 and r["t"] >= phase_start),
    }


async def upload_flood(stack: StackProcess, uploads: int, size: int, concurrency: int, others: int,
                       timeout_s: float) -> dict:
    """One session PUTs ``uploads`` files of ``size`` bytes, ``concurrency`` at a time (what the hostile
    run did: Streamlit keeps every accepted file in memory); meanwhile ``others`` tabs click every second.
    Seen: the answers, each process's peak memory against memmon's ceiling, any restart."""
    from deploy.stack import MEMORY_CEILING_MB

    target = Target("flood", stack=stack)
    status, flooder = await asyncio.to_thread(visit, stack.port)
    tab = BrowserSession(stack.port, timeout_s, headers=flooder.header())
    await tab.connect()
    await tab.rerun(ADCODES[0])
    bystanders = await target.open_tabs(others, timeout_s)
    for t in bystanders:
        await t.rerun(ADCODES[1])
    pids_before = {b["server"]: b["pid"] for b in stack.backends()}
    answers: dict[int, int] = {}
    clicks = {"ok": 0, "failed": 0, "latencies": []}
    done = asyncio.Event()

    def send_all() -> None:
        with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
            for code in pool.map(lambda _: _upload_status(stack.port, flooder.cookies, tab.session_id, size),
                                 range(uploads)):
                answers[code] = answers.get(code, 0) + 1

    async def bystander(k: int, t: BrowserSession) -> None:
        i = k
        while not done.is_set():
            await asyncio.sleep(1.0)
            i += 1
            try:
                r = await t.rerun(ADCODES[i % 12], timeout_s=10)
                clicks["ok"] += 1
                clicks["latencies"].append(r.latency_s)
            except Exception:
                clicks["failed"] += 1

    async def flood() -> None:
        try:
            await asyncio.to_thread(send_all)
        finally:
            done.set()

    with StackWatch(stack, interval=0.05) as watch:
        started = time.time()
        try:
            await asyncio.gather(flood(), *(bystander(k, t) for k, t in enumerate(bystanders)))
        finally:
            flood_seconds = time.time() - started
            await asyncio.sleep(5)  # memmon looks every 5 s: give it its chance to act
            await close_all([tab, *bystanders])
    pids_after = {b["server"]: b["pid"] for b in stack.backends()}
    peaks = watch.peak_rss(started)
    return {"uploads": uploads, "size_bytes": size, "concurrency": concurrency, "answers": answers,
            "flood_seconds": round(flood_seconds, 1), "flooder_process": flooder.route,
            "peak_rss_mb": peaks, "ceiling_mb": MEMORY_CEILING_MB,
            "restarted": sorted(s for s in pids_before if pids_after.get(s) != pids_before[s]),
            "bystanders": others, "bystander_clicks_ok": clicks["ok"], "bystander_clicks_failed": clicks["failed"],
            "bystander_p95_ms": 1000 * percentile(clicks["latencies"], 95)}


def _upload_status(port: int, cookies: dict[str, str], session_id: str, size: int) -> int:
    try:
        return upload(port, cookies, session_id, size)
    except OSError:
        return 0


# ---------------------------------------------------------------- orchestration


def run_scaleout(cfg: dict, results_dir: Path, repo_root: Path, hello_app: Path) -> dict:
    c = QUICK if cfg.get("quick") else FULL
    timeout_s = cfg.get("rerun_timeout", 60)
    db = results_dir / "scaleout.duckdb"
    subprocess.run([sys.executable, "-m", "lib.pipeline", "--db", str(db)], cwd=repo_root, check=True,
                   stdout=subprocess.DEVNULL)
    env = {**os.environ, "WENZHOU_DB": str(db)}
    # The single app process runs with the stack's crowd settings (deploy/stack.py: streamlit_command), so
    # "1 process vs the stack" compares processes, not settings. hello keeps Streamlit's defaults: it is the floor.
    single_env = {**env, "STREAMLIT_RUNNER_POST_SCRIPT_GC": "false", "STREAMLIT_SERVER_MAX_UPLOAD_SIZE": "1"}
    app = repo_root / "app.py"
    made = {"n": 0}

    def make_app_server() -> StreamlitServer:
        made["n"] += 1
        return StreamlitServer(f"scaleout-app-{made['n']}", app, repo_root, results_dir, env=single_env)

    result: dict = {"config": c, "loadavg_before": loadavg()}
    log("scale-out: memory of a fresh process")
    result["memory"] = asyncio.run(memory(make_app_server, c["memory_sessions"], timeout_s))
    result["memory_hello"] = asyncio.run(memory(
        lambda: StreamlitServer("scaleout-hello-mem", hello_app, repo_root, results_dir), c["memory_sessions"],
        timeout_s))
    log("scale-out: cold start")
    result["cold_start"] = asyncio.run(cold_start(make_app_server, c["cold_rounds"], timeout_s))

    hello = StreamlitServer("scaleout-hello", hello_app, repo_root, results_dir)
    single = make_app_server()
    stacks = {n: StackProcess(results_dir / f"stack-{n}", n, db, env=env) for n in (1, 2)}
    try:
        for s in (hello, single):
            s.start()
        for s in (hello, single):
            s.wait_healthy(120)
        for st in stacks.values():
            st.start()
        targets = {"hello": Target("hello", server=hello, mix=(HELLO,)), "app": Target("app", server=single),
                   "stack-1": Target("stack-1", stack=stacks[1]), "stack-2": Target("stack-2", stack=stacks[2])}
        for name, t in targets.items():  # fill every process's caches
            asyncio.run(burst(t, 4 if name != "stack-2" else 8, 1, timeout_s))
        result["chromium"] = chromium_map_drawn(stacks[2].port, c["cold_rounds"])
        result["throughput"] = {}
        for name in ("app", "stack-1", "stack-2"):
            log(f"scale-out: throughput, {name}, {c['sessions']} tabs × {c['duration']:.0f} s")
            result["throughput"][name] = asyncio.run(throughput(targets[name], c["sessions"], c["duration"],
                                                                timeout_s))
        result["burst"] = {}
        for crowd in c["crowds"]:
            for name in ("hello", "app", "stack-2"):
                log(f"scale-out: {crowd} tabs at once × {c['steps']}, {name}")
                result["burst"][f"{name}@{crowd}"] = asyncio.run(burst(targets[name], crowd, c["steps"], timeout_s))
    finally:
        hello.stop()
        single.stop()
        for st in stacks.values():
            st.stop()

    result.update(run_faults(c, results_dir, db, env, timeout_s))
    log("scale-out: what the fixed cost is made of (import ladder)")
    from .memory import first_page, import_ladder

    result["import_ladder"] = import_ladder(db)
    result["first_page_prebuilt"] = first_page(db, True)
    result["first_page_checks_inputs"] = first_page(db, False)
    result["loadavg_after"] = loadavg()
    result["goals"] = goals(result)
    return result


def run_faults(c: dict, results_dir: Path, db: Path, env: dict, timeout_s: float) -> dict:
    """The fault phases, each on a fresh 2-process stack: a process killed, a process hung, an upload flood."""
    out = {}
    for key, sig in (("faults", signal.SIGKILL), ("faults_hung", signal.SIGSTOP)):
        log(f"scale-out: faults, {signal.Signals(sig).name} to one of 2 processes, {c['fault_sessions']} tabs")
        stack = StackProcess(results_dir / f"stack-{key}", 2, db, env=env)
        stack.start()
        try:
            asyncio.run(burst(Target("warm", stack=stack), 8, 1, timeout_s))
            out[key] = asyncio.run(faults(stack, c["fault_sessions"], c["fault_before"], c["fault_after"], timeout_s,
                                          sig))
        finally:
            stack.stop()
    log(f"scale-out: upload flood, {c['flood_uploads']} × {c['flood_size']:,} bytes from one session")
    stack = StackProcess(results_dir / "stack-flood", 2, db, env=env)
    stack.start()
    try:
        out["flood"] = asyncio.run(upload_flood(stack, c["flood_uploads"], c["flood_size"], c["flood_concurrency"],
                                                c["flood_others"], timeout_s))
    finally:
        stack.stop()
    return out


def run_faults_only(cfg: dict, results_dir: Path, repo_root: Path) -> dict:
    c = QUICK if cfg.get("quick") else FULL
    db = results_dir / "scaleout.duckdb"
    subprocess.run([sys.executable, "-m", "lib.pipeline", "--db", str(db)], cwd=repo_root, check=True,
                   stdout=subprocess.DEVNULL)
    env = {**os.environ, "WENZHOU_DB": str(db)}
    result = {"config": c, "loadavg_before": loadavg(),
              **run_faults(c, results_dir, db, env, cfg.get("rerun_timeout", 60)), "loadavg_after": loadavg()}
    result["goals"] = fault_goals(result)
    return result


def fault_goals(r: dict) -> list[dict]:
    f, h, fl = r["faults"], r["faults_hung"], r["flood"]
    over = {s: mb for s, mb in fl["peak_rss_mb"].items() if mb >= fl["ceiling_mb"]}
    return [
        {"goal": "faults: failed interactions of tabs on the living process = 0 (killed / hung)",
         "value": f"{f['others']['failed']} / {h['others']['failed']}",
         "met": f["others"]["failed"] == 0 and h["others"]["failed"] == 0},
        {"goal": "faults: 5xx to new visitors = 0 (killed / hung, whole run)",
         "value": f"{f['new_visits_5xx_before_out_of_rotation'] + f['new_visits_5xx_after_out_of_rotation']} / "
                  f"{h['new_visits_5xx_before_out_of_rotation'] + h['new_visits_5xx_after_out_of_rotation']}",
         "met": f["haproxy_5xx_total"] == 0 and h["haproxy_5xx_total"] == 0},
        {"goal": f"hung process restarted within {RESTART_GOAL_S} s", "value": f"{h['seconds_to_restarted']} s",
         "met": h["seconds_to_restarted"] is not None and h["seconds_to_restarted"] <= RESTART_GOAL_S},
        {"goal": "hung process: every tab on it reconnected",
         "value": f"{h['victim']['recovered']} of {h['victim']['tabs']}",
         "met": h["victim"]["recovered"] == h["victim"]["tabs"]},
        {"goal": f"upload flood: every process under its ceiling ({fl['ceiling_mb']} MB), none restarted",
         "value": ", ".join(f"{mb:.0f} MB" for mb in fl["peak_rss_mb"].values()),
         "met": not over and not fl["restarted"]},
        {"goal": "upload flood: other tabs' failed interactions = 0", "value": str(fl["bystander_clicks_failed"]),
         "met": fl["bystander_clicks_failed"] == 0},
    ]


def goals(r: dict) -> list[dict]:
    tp = r["throughput"]
    ratio = tp["stack-2"]["changes_per_s"] / tp["stack-1"]["changes_per_s"]
    crowds = sorted({int(k.split("@")[1]) for k in r["burst"]})
    small, big = crowds[0], crowds[-1]
    stack_big = r["burst"][f"stack-2@{big}"]["p95_ms"]
    hello_small = r["burst"][f"hello@{small}"]["p95_ms"]
    per_tab = r["memory"]["per_extra_tab_mb"]
    return [
        {"goal": f"throughput: 2 processes ≥ {THROUGHPUT_RATIO_GOAL}× one (stack-2 / stack-1)",
         "value": f"{ratio:.2f}×", "met": ratio >= THROUGHPUT_RATIO_GOAL},
        {"goal": f"p95, stack with {big} tabs ≤ one hello process with {small}",
         "value": f"{stack_big:.0f} ms vs {hello_small:.0f} ms", "met": stack_big <= hello_small},
        {"goal": f"memory per extra open tab ≤ {PER_SESSION_MB_GOAL:g} MB", "value": f"{per_tab:.2f} MB",
         "met": per_tab <= PER_SESSION_MB_GOAL},
    ] + fault_goals(r)


def render_faults(r: dict) -> list[str]:
    """The fault phases: a process killed, a process hung (SIGSTOP), an upload flood."""
    lines = []
    for key, what in (("faults", "killed (SIGKILL)"), ("faults_hung", "hung (SIGSTOP)")):
        f = r[key]
        slow = f["new_visits_slowest_before_out_of_rotation_s"]
        lines += [
            f"Faults, one of 2 processes {what}, {f['sessions']} tabs clicking every 1–3 s: out of rotation "
            f"(HAProxy's check) after {f['seconds_to_out_of_rotation']} s, a new process there (supervisord"
            f"{', asked by httpok' if key == 'faults_hung' else ''}) after {f['seconds_to_restarted']} s, back in "
            f"rotation after {f['seconds_to_back_in_rotation']} s.",
            "",
            "| tabs | count | interactions ok | failed | reconnected | last reconnected after |",
            "|---|---:|---:|---:|---:|---:|",
            *(f"| {label} | {f[side]['tabs']} | {f[side]['ok']} | {f[side]['failed']} | {f[side]['recovered']} | "
              f"{'' if f[side]['reconnected_after_s'] is None else str(f[side]['reconnected_after_s']) + ' s'} |"
              for side, label in (("victim", f"on the {what.split()[0]} process"), ("others", "on the other process"))),
            "",
            f"New visitors (one every 0.1 s): {f['new_visits_before_out_of_rotation']} before the process was out "
            f"of rotation, {f['new_visits_5xx_before_out_of_rotation']} of them 5xx (the slowest answered in "
            f"{slow} s); {f['new_visits_after_out_of_rotation']} after, {f['new_visits_5xx_after_out_of_rotation']}"
            f" 5xx. 5xx in HAProxy's log for the whole phase (tabs included): {f['haproxy_5xx_total']}.",
            "",
        ]
    fl = r["flood"]
    answers = ", ".join(f"{n} × {code or 'no answer'}" for code, n in sorted(fl["answers"].items()))
    lines += [
        f"Upload flood: one session PUT {fl['uploads']} files of {fl['size_bytes']:,} bytes, {fl['concurrency']} at "
        f"a time, in {fl['flood_seconds']} s; answers: {answers}. Peak resident memory during it: "
        + ", ".join(f"{s} {mb:.0f} MB" + (" (the flooder's)" if s == fl["flooder_process"] else "")
                    for s, mb in fl["peak_rss_mb"].items())
        + f" (memmon's ceiling {fl['ceiling_mb']} MB; restarted: {', '.join(fl['restarted']) or 'none'}). "
        f"{fl['bystanders']} other tabs clicking every second meanwhile: {fl['bystander_clicks_ok']} ok, "
        f"{fl['bystander_clicks_failed']} failed, p95 {fl['bystander_p95_ms']:.0f} ms.",
    ]
    return lines


def render_faults_markdown(r: dict) -> str:
    lines = ["### Faults on the one-machine stack (deploy/)", "", *render_faults(r), "",
             "| goal | value | status |", "|---|---:|---|"]
    lines += [f"| {g['goal']} | {g['value']} | {'met' if g['met'] else '**not met**'} |" for g in r["goals"]]
    lines += ["", f"Load average before {r['loadavg_before']}, after {r['loadavg_after']}."]
    return "\n".join(lines)


def render_markdown(r: dict) -> str:
    tp, b, m, mh = r["throughput"], r["burst"], r["memory"], r["memory_hello"]
    crowds = sorted({int(k.split("@")[1]) for k in b})
    c = r["config"]
    ratio = tp["stack-2"]["changes_per_s"] / tp["stack-1"]["changes_per_s"]
    lines = [
        "### Scale-out: one process vs HAProxy + N processes (deploy/)",
        "",
        f"| measure | hello, 1 process | app, 1 process | stack, 1 process | stack, 2 processes |",
        "|---|---:|---:|---:|---:|",
        f"| throughput, changes/s ({c['sessions']} tabs over 4 pages, closed loop, {c['duration']:.0f} s) | – | "
        f"{tp['app']['changes_per_s']:.1f} | {tp['stack-1']['changes_per_s']:.1f} | "
        f"{tp['stack-2']['changes_per_s']:.1f} ({ratio:.2f}× stack-1) |",
        f"| server CPU per change in that run | – | "
        + " | ".join(f"{1000 * tp[k]['server_cpu_s'] / max(1, tp[k]['changes']):.1f} ms" for k in
                     ("app", "stack-1", "stack-2")) + " |",
        f"| benchmark client's CPU in that run (same 2 cores) | – | "
        + " | ".join(f"{100 * tp[k]['client_cpu_s'] / tp[k]['seconds']:.0f} % of a core" for k in
                     ("app", "stack-1", "stack-2")) + " |",
    ]
    for crowd in crowds:
        cells = [f"{b[f'{n}@{crowd}']['p50_ms']:.0f} / {b[f'{n}@{crowd}']['p95_ms']:.0f} ms"
                 if f"{n}@{crowd}" in b else "–" for n in ("hello", "app")]
        lines.append(f"| latency p50 / p95, {crowd} tabs change at once | {cells[0]} | {cells[1]} | – | "
                     f"{b[f'stack-2@{crowd}']['p50_ms']:.0f} / {b[f'stack-2@{crowd}']['p95_ms']:.0f} ms |")
    lines += [
        f"| memory at start (RSS / private) | {mh['at_start']['rss_mb']:.0f} / {mh['at_start']['uss_mb']:.0f} MB | "
        f"{m['at_start']['rss_mb']:.0f} / {m['at_start']['uss_mb']:.0f} MB | | |",
        f"| memory after the first page (RSS / private) | {mh['after_first_page']['rss_mb']:.0f} / "
        f"{mh['after_first_page']['uss_mb']:.0f} MB | {m['after_first_page']['rss_mb']:.0f} / "
        f"{m['after_first_page']['uss_mb']:.0f} MB | | |",
        f"| memory per extra open tab ({m['extra_tabs']} tabs, RSS) | {mh['per_extra_tab_mb']:.2f} MB | "
        f"{m['per_extra_tab_mb']:.2f} MB | | |",
        f"| cold start: process start → healthy → first page | | {r['cold_start']['to_health_s']:.1f} s → "
        f"{r['cold_start']['to_first_page_s']:.1f} s | | |",
        f"| cold browser: Chromium navigation → map drawn | | | | {r['chromium']['navigation_to_map_s']:.1f} s |",
    ]
    lines += ["", *render_faults(r), "", "| goal | value | status |", "|---|---:|---|"]
    lines += [f"| {g['goal']} | {g['value']} | {'met' if g['met'] else '**not met**'} |" for g in r["goals"]]
    lines += ["", "Where a process's memory goes after its first page (resident MB, /proc/<pid>/smaps):", "",
              "| mapped from | resident | private |", "|---|---:|---:|"]
    lines += [f"| {o['origin']} | {o['rss_mb']:.1f} | {o['private_mb']:.1f} |" for o in m["by_origin"][:8]]
    lines += ["", "Import ladder (fresh interpreter per step, cumulative RSS):", "", "| step | RSS | added |",
              "|---|---:|---:|"]
    lines += [f"| {s['step']} | {s['rss_mb']:.0f} MB | +{s['added_mb']:.1f} MB |" for s in r["import_ladder"]]
    pre, chk = r["first_page_prebuilt"], r["first_page_checks_inputs"]
    lines += ["", f"First page under AppTest: {chk['rss_mb']:.0f} MB when the app checks its build inputs "
                  f"(imports lib.pipeline: {chk['pipeline_imported']}), {pre['rss_mb']:.0f} MB with the database "
                  f"shipped prebuilt (lib.pipeline imported: {pre['pipeline_imported']}).",
              "", f"Load average before {r['loadavg_before']}, after {r['loadavg_after']}."]
    return "\n".join(lines)
