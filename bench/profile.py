"""Where a change's CPU goes: the app (and hello, the floor) under a profiler, one scenario at a time.

    python -m bench.profile                                 # every default scenario, cProfile, GC off
    python -m bench.profile --scenario map-district --reruns 200 --py-spy /path/to/py-spy
    python -m bench.run --profile [--scenario …]            # the same

Both servers run through ``bench.instrumented`` (the post-run GC off unless ``--gc default``). For each
scenario (and hello) one session primes every value, makes a few warm-up changes, then the profiler is
switched on (SIGUSR1) for ``--reruns`` changes and off (SIGUSR2): the profile is steady state, what every
later click costs, not the first visit. Per scenario, in ``bench/results/profile/``:

* ``KEY.txt``: the reading — CPU per change by thread; self time by origin (the app's lib/ and pages/,
  Streamlit, pandas, protobuf, …) next to hello's; the app's own functions by cumulative time; the top
  functions by cumulative and by self time; named Streamlit internals (cached-data copies, element
  marshalling, message hashing and serialisation, the post-run GC);
* ``KEY.script.prof``, ``KEY.main.prof``: the raw pstats (``python -m pstats``), script-run threads and
  the main (event-loop) thread;
* with ``--py-spy PATH`` (a py-spy binary: ``pip download py-spy`` and unpack, or ``pip install py-spy``):
  a second, sampled pass without cProfile's per-call overhead, ``KEY.pyspy.txt`` (collapsed stacks) and,
  in ``KEY.txt``, the samples attributed to the innermost app frame on the stack — which lib/ function a
  library's work (a DataFrame copy, a spec's JSON) was done for.

cProfile's timer is the thread's CPU time, so other programs on a loaded machine do not inflate it; its
per-call overhead does (functions with many small calls look dearer): compare within a profile, and take
the absolute CPU per change from ``bench.run``.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import pstats
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from .measure import _tab
from .run import GC_MODES, HELLO_APP, REPO_ROOT, RESULTS_DIR, app_env, build_database, log, prime
from .scenarios import DEFAULT_SCENARIOS, HELLO, SCENARIOS, Scenario
from .server import StreamlitServer

PROFILE_DIR = RESULTS_DIR / "profile"
APP_DIRS = (str(REPO_ROOT / "lib") + os.sep, str(REPO_ROOT / "pages") + os.sep)
APP_FILES = (str(REPO_ROOT / "app.py"),)

# Streamlit internals worth naming in the reading, matched on "file:function" of the pstats key.
NAMED_INTERNALS = [
    ("post-run GC: gc.collect", r"<built-in method gc\.collect>"),
    ("st.cache_data / cache_resource hit or miss (wrapper)", r"caching/cache_utils\.py:__call__$"),
    ("st.cache_data: unpickling the stored value (a fresh copy per call)", r"_pickle\.loads"),
    ("DataFrame → Arrow (st.dataframe, st.table)", r"dataframe_util\.py:convert_pandas_df_to_arrow_bytes$"),
    ("st.vega_lite_chart: marshall the spec", r"vega_charts\.py:_marshall_chart_data$|vega_charts\.py:_vega_lite_chart$"),
    ("vega spec → JSON text", r"json/__init__\.py:dumps$"),
    ("st.markdown / st.caption", r"elements/markdown\.py:(markdown|caption)$"),
    ("st.metric", r"elements/metric\.py:metric$"),
    ("widgets: register and read state", r"state/session_state\.py:register_widget$"),
    ("one element into the delta queue (every element)", r"delta_generator\.py:_enqueue$"),
    ("ForwardMsg hash (md5 of every message)", r"runtime/forward_msg_cache\.py:populate_hash_if_needed$|"
                                               r"runtime_util\.py:.*hash"),
    ("ForwardMsg → bytes (main thread)", r"runtime_util\.py:serialize_forward_msg$"),
    ("websocket send (main thread)", r"websockets_sansio_impl\.py:send$"),
    ("protobuf SerializeToString (all)", r"SerializeToString"),
    ("st.query_params (every read and write)", r"query_params_proxy\.py:(get_all|get|__getitem__|__setitem__|"
                                               r"__contains__|pop|__iter__|to_dict)$"),
    ("page config, navigation", r"commands/(page_config|navigation)\.py:"),
]


# ---------------------------------------------------------------- reading a pstats profile


def origin(filename: str, funcname: str = "") -> str:
    """Where a function comes from: 'app', 'streamlit', a package, 'python stdlib', 'C builtins', 'gc.collect'."""
    if filename == "~":
        if "gc.collect" in funcname:
            return "gc.collect"
        m = re.search(r"of '([\w.]+)", funcname) or re.search(r"method ([\w.]+)\.", funcname)
        if m and m.group(1).split(".")[0] in ("google", "_pickle", "pyarrow", "pandas", "numpy"):
            return {"google": "protobuf", "_pickle": "pickle (C)"}.get(m.group(1).split(".")[0],
                                                                        m.group(1).split(".")[0])
        return "C builtins"
    if filename.startswith(APP_DIRS) or filename in APP_FILES:
        return "app"
    if m := re.search(r"site-packages/([^/]+)", filename):
        name = m.group(1).removesuffix(".py")
        return {"google": "protobuf"}.get(name, name)
    if re.search(r"/lib/python3\.\d+/", filename) or filename.startswith("<frozen"):
        return "python stdlib"
    return "other"


def short(key: tuple) -> str:
    filename, line, func = key
    if filename == "~":
        return func
    if m := re.search(r"site-packages/(.+)$", filename):
        return f"{m.group(1)}:{line}({func})"
    if m := re.search(r"/lib/python3\.\d+/(.+)$", filename):
        return f"{m.group(1)}:{line}({func})"
    if filename.startswith(str(REPO_ROOT) + os.sep):
        return f"{filename[len(str(REPO_ROOT)) + 1:]}:{line}({func})"
    return f"{filename}:{line}({func})"


def load(path: Path) -> pstats.Stats | None:
    return pstats.Stats(str(path)) if path.exists() else None


def total_s(stats: pstats.Stats | None) -> float:
    return sum(v[2] for v in stats.stats.values()) if stats else 0.0


def self_by_origin(stats: pstats.Stats | None) -> Counter:
    out: Counter = Counter()
    if stats:
        for (filename, line, func), (cc, nc, tt, ct, callers) in stats.stats.items():
            out[origin(filename, func)] += tt
    return out


def rows(stats: pstats.Stats, changes: int, sort: int, top: int, only_app: bool = False) -> list[str]:
    """Table rows: cumulative ms, self ms, calls — per change; ``sort``: 2 = self, 3 = cumulative."""
    items = [(k, v) for k, v in stats.stats.items() if not only_app or origin(k[0], k[2]) == "app"]
    items.sort(key=lambda kv: -kv[1][sort])
    out = []
    for key, (cc, nc, tt, ct, callers) in items[:top]:
        out.append(f"| {short(key)} | {origin(key[0], key[2])} | {1000 * ct / changes:.2f} | "
                   f"{1000 * tt / changes:.2f} | {nc / changes:.1f} |")
    return out


def named_internals(profiles: list[pstats.Stats], changes: int) -> list[str]:
    """Cumulative time of the named functions, summed over the threads' profiles (a pattern names functions
    that do not call one another, so nothing is counted twice)."""
    out = []
    items = [kv for stats in profiles if stats for kv in stats.stats.items()]
    for label, pattern in NAMED_INTERNALS:
        rx = re.compile(pattern)
        ct = calls = 0.0
        for (filename, line, func), (cc, nc, tt, cum, callers) in items:
            if rx.search(f"{filename}:{func}") or (filename == "~" and rx.search(func)):
                ct += cum
                calls += nc
        out.append(f"| {label} | {1000 * ct / changes:.2f} | {calls / changes:.1f} |")
    return out


# ---------------------------------------------------------------- py-spy's collapsed stacks


def parse_collapsed(text: str) -> list[tuple[list[str], int]]:
    """py-spy ``--format raw`` lines ('frame;frame;… count') → (frames outermost first, samples)."""
    out = []
    for line in text.splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            out.append((stack.split(";"), int(count)))
    return out


_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")
# py-spy names a page by its file name alone ("0_map.py"); lib/ modules as "lib/x.py".
PAGE_FILES = {p.name for p in (REPO_ROOT / "pages").glob("*.py")}


def _spy_file(frame: str) -> tuple[str, str, str]:
    m = _FRAME.match(frame)
    if not m:
        return frame, "", ""
    f = m.group("file")
    if f.startswith(str(REPO_ROOT) + os.sep):
        f = f[len(str(REPO_ROOT)) + 1:]
    return m.group("func"), f, m.group("line") or ""


def spy_origin(frame: str) -> str:
    func, f, _ = _spy_file(frame)
    if f in PAGE_FILES or f == "app.py" or (f.startswith("lib/") and "python3" not in f):
        return "app"
    if f.startswith("<frozen") or "/" not in f:
        return "python stdlib"
    return {"google": "protobuf"}.get(f.split("/")[0], f.split("/")[0])


def _source_line(path: str, line: str) -> str:
    try:
        text = (REPO_ROOT / path).read_text().splitlines()[int(line) - 1].strip()
    except (OSError, IndexError, ValueError):
        return ""
    return text if len(text) <= 70 else text[:67] + "…"


def app_key(frame: str) -> str:
    """'function (file)'; a page's module body keeps its line and the statement (which line of the page)."""
    func, f, line = _spy_file(frame)
    if f in PAGE_FILES:
        f = "pages/" + f
        if func == "<module>":
            return f"{f}:{line} `{_source_line(f, line).replace('|', '¦')}`"
    return f"{func} ({f})"


def attribute_to_app(stacks: list[tuple[list[str], int]]) -> tuple[dict[str, Counter], Counter, int]:
    """Samples by the innermost app frame (lib/, pages/, app.py) on the stack — a library's or Streamlit's
    work counted for the app function that asked for it — split by the origin of the sampled (leaf)
    frame; samples with no app frame by thread and leaf origin. Returns (by app key, other, total)."""
    by_app: dict[str, Counter] = defaultdict(Counter)
    by_other: Counter = Counter()
    total = 0
    for frames, n in stacks:
        total += n
        leaf = spy_origin(frames[-1]) if frames else "?"
        app = [f for f in frames if spy_origin(f) == "app"]
        if app:
            by_app[app_key(app[-1])][leaf] += n
        else:
            thread = "main thread" if frames and "MainThread" in frames[0] else "script thread" \
                if frames and "ScriptRunner" in frames[0] else "other thread"
            by_other[f"{thread}: {leaf}, {_spy_file(frames[-1])[0] if frames else '?'}"] += n
    return by_app, by_other, total


def streamlit_call(frame: str) -> str:
    """The Streamlit API an app frame called, named by its first Streamlit frame: ``st.cache_data/resource``
    for the caching wrappers, ``st.<element>`` for element and widget commands, else module:function."""
    func, f, _ = _spy_file(frame)
    if "/caching/" in f:
        return "st.cache_data / st.cache_resource (key hashing, lookup, copies)"
    if f.startswith("streamlit/elements/") or f == "streamlit/delta_generator.py":
        return "st." + func.rsplit(".", 1)[-1]
    return f"{f.removeprefix('streamlit/')}:{func}"


def layers(stacks: list[tuple[list[str], int]]) -> tuple[Counter, Counter, int]:
    """Samples by what the innermost app frame was doing: calling a Streamlit API (which one, in the second
    counter), calling pandas (or another library) directly, running its own code — or no app frame on the
    stack (Streamlit's script runner, the event loop). Streamlit's metrics wrapper is looked through."""
    area: Counter = Counter()
    api: Counter = Counter()
    total = 0
    for frames, n in stacks:
        total += n
        app = [i for i, f in enumerate(frames) if spy_origin(f) == "app"]
        if not app:
            area["no app frame (Streamlit's runner, the event loop)"] += n
            continue
        below = [f for f in frames[app[-1] + 1:] if "metrics_util.py" not in f] or frames[app[-1] + 1:]
        if not below:
            area["the app's own code"] += n
        elif spy_origin(below[0]) == "streamlit":
            area["Streamlit, called by the app"] += n
            api[streamlit_call(below[0])] += n
        else:
            area[f"{spy_origin(below[0])}, called by the app directly"] += n
    return area, api, total


# ---------------------------------------------------------------- driving the servers


def make_server(name: str, script: Path, mode: str, db: Path) -> StreamlitServer:
    out = PROFILE_DIR / f"_{name}"
    env = app_env(db) if script != HELLO_APP else None
    return StreamlitServer(name, script, REPO_ROOT, RESULTS_DIR, env=env, extra_args=GC_MODES[mode],
                           launcher=("-m", "bench.instrumented", "--profile-dir", str(out), "--"))


def wait_for(path: Path, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {path} after SIGUSR2")
        time.sleep(0.2)


async def profile_one(server: StreamlitServer, scenario: Scenario, reruns: int, warmup: int, label: str,
                      py_spy: str | None, spy_reruns: int) -> dict:
    """cProfile over ``reruns`` changes (and, with py-spy, a sampled pass of ``spy_reruns`` more)."""
    out_dir = PROFILE_DIR / f"_{server.name}"
    shutil.rmtree(out_dir, ignore_errors=True)
    tab = _tab(server, scenario, 60, False)
    await tab.connect()
    result: dict = {"label": label, "changes": reruns}
    try:
        for i in range(warmup):
            await tab.rerun(scenario.value_at(i))
        cpu0 = server.cpu_seconds()
        os.kill(server.pid, signal.SIGUSR1)
        await asyncio.sleep(0.3)  # the handler runs when the main thread next takes the GIL
        for i in range(reruns):
            await tab.rerun(scenario.value_at(warmup + i))
        os.kill(server.pid, signal.SIGUSR2)
        result["cpu_ms_per_change_profiled"] = 1000 * (server.cpu_seconds() - cpu0) / reruns
        wait_for(out_dir / "profiled_runs.txt")
        result["profiled_runs"] = int((out_dir / "profiled_runs.txt").read_text())
        PROFILE_DIR.mkdir(parents=True, exist_ok=True)
        for part in ("script", "main"):
            if (out_dir / f"{part}.prof").exists():
                shutil.move(out_dir / f"{part}.prof", PROFILE_DIR / f"{label}.{part}.prof")
        # The same changes unprofiled, for the CPU per change without cProfile's overhead.
        cpu0 = server.cpu_seconds()
        for i in range(reruns):
            await tab.rerun(scenario.value_at(warmup + i))
        result["cpu_ms_per_change"] = 1000 * (server.cpu_seconds() - cpu0) / reruns
        spy_out = PROFILE_DIR / f"{label}.pyspy.txt"
        spy_out.unlink(missing_ok=True)
        if py_spy:
            spy = subprocess.Popen([py_spy, "record", "--pid", str(server.pid), "--rate", "500", "--format", "raw",
                                    "--threads", "--gil", "--nonblocking", "--output", str(spy_out)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            await asyncio.sleep(1.5)  # py-spy attaches
            for i in range(spy_reruns):
                await tab.rerun(scenario.value_at(warmup + i))
            spy.send_signal(signal.SIGINT)
            try:
                spy.wait(60)
            except subprocess.TimeoutExpired:
                spy.kill()
            result["pyspy_changes"] = spy_reruns
    finally:
        await tab.close()
    return result


# ---------------------------------------------------------------- the reading


def render(result: dict, hello: dict | None) -> str:
    label, n = result["label"], result["changes"]
    script = load(PROFILE_DIR / f"{label}.script.prof")
    main = load(PROFILE_DIR / f"{label}.main.prof")
    lines = [f"# Profile: {result['title']}", "",
             f"{n} changes, one session, steady state, post-run GC {result['gc']}. Server CPU per change: "
             f"{result['cpu_ms_per_change']:.1f} ms unprofiled, {result['cpu_ms_per_change_profiled']:.1f} ms "
             f"under cProfile ({result['profiled_runs']} script runs profiled). Times below: thread CPU time, "
             f"ms per change.", ""]
    h_script = load(PROFILE_DIR / f"{hello['label']}.script.prof") if hello else None
    h_main = load(PROFILE_DIR / f"{hello['label']}.main.prof") if hello else None
    hn = hello["changes"] if hello else 1
    lines += ["| thread | this page | hello |", "|---|---:|---:|",
              f"| script runs (the page, Streamlit's script runner, post-run GC) | {1000 * total_s(script) / n:.2f} "
              f"| {1000 * total_s(h_script) / hn:.2f} |",
              f"| main (event loop: websocket, message serialisation) | {1000 * total_s(main) / n:.2f} "
              f"| {1000 * total_s(h_main) / hn:.2f} |", ""]
    app_self, hello_self = self_by_origin(script) + self_by_origin(main), self_by_origin(h_script) + self_by_origin(h_main)
    lines += ["## Self time by origin (both threads)", "", "| origin | this page | hello | difference |",
              "|---|---:|---:|---:|"]
    for name, t in sorted(app_self.items(), key=lambda kv: -kv[1])[:14]:
        h = hello_self.get(name, 0.0)
        lines.append(f"| {name} | {1000 * t / n:.2f} | {1000 * h / hn:.2f} | {1000 * (t / n - h / hn):+.2f} |")
    if script:
        lines += ["", "## The app's own functions (lib/, pages/), by cumulative time (script thread)", "",
                  "| function | origin | cumulative | self | calls |", "|---|---|---:|---:|---:|",
                  *rows(script, n, 3, 25, only_app=True)]
        lines += ["", "## Named Streamlit internals and libraries (both threads, cumulative)", "",
                  "| what | ms per change | calls per change |", "|---|---:|---:|", *named_internals([script, main], n)]
        lines += ["", "## Top functions by cumulative time (script thread)", "",
                  "| function | origin | cumulative | self | calls |", "|---|---|---:|---:|---:|", *rows(script, n, 3, 40)]
        lines += ["", "## Top functions by self time (script thread)", "",
                  "| function | origin | cumulative | self | calls |", "|---|---|---:|---:|---:|", *rows(script, n, 2, 30)]
    if main:
        lines += ["", "## Top functions by self time (main thread)", "",
                  "| function | origin | cumulative | self | calls |", "|---|---|---:|---:|---:|", *rows(main, n, 2, 15)]
    spy = PROFILE_DIR / f"{label}.pyspy.txt"
    if spy.exists() and result.get("pyspy_changes"):  # (a file left by an earlier run is not this run's)
        stacks = parse_collapsed(spy.read_text())
        by_app, by_other, total = attribute_to_app(stacks)
        if total:
            per = 1 / result["pyspy_changes"]
            cpu = result["cpu_ms_per_change"]
            lines += ["", f"## py-spy (sampled while holding the GIL, no cProfile overhead): {total} samples at 500 Hz over "
                          f"{result['pyspy_changes']} changes", ""]
            under_app = sum(sum(c.values()) for c in by_app.values())
            leaves: Counter = Counter()
            for c in by_app.values():
                leaves.update(c)
            if under_app:
                lines.insert(len(lines), f"{100 * under_app / total:.0f} % of the samples have an app frame on the "
                             f"stack; of those, the sampled frame was in " + ", ".join(
                                 f"{o} {100 * k / under_app:.0f} %" for o, k in leaves.most_common(6)) + ". "
                             f"≈ ms = share × the unprofiled CPU per change ({cpu:.1f} ms).\n")
            area, api, _ = layers(stacks)
            lines += ["| what | share | ≈ ms |", "|---|---:|---:|"]
            lines += [f"| {k} | {100 * v / total:.1f} % | {cpu * v / total:.2f} |" for k, v in area.most_common()]
            lines += ["", "Streamlit, called by the app, by API:", "", "| API | share | ≈ ms |", "|---|---:|---:|"]
            lines += [f"| {k} | {100 * v / total:.1f} % | {cpu * v / total:.2f} |" for k, v in api.most_common(16)]
            lines += ["", "By the innermost app frame (page line or lib/ function):", "",
                      "| app function or page line (with the library and Streamlit work under it) | samples per change "
                      "| share | ≈ ms | where the samples were (leaf frame) |", "|---|---:|---:|---:|---|"]
            ranked = sorted(by_app.items(), key=lambda kv: -sum(kv[1].values()))
            for name, leaves in ranked[:30]:
                k = sum(leaves.values())
                split = ", ".join(f"{o} {100 * c / k:.0f} %" for o, c in leaves.most_common(4))
                lines.append(f"| {name} | {k * per:.2f} | {100 * k / total:.1f} % | {cpu * k / total:.2f} | {split} |")
            lines += ["", "Samples with no app frame on the stack (Streamlit's runner and the event loop):", "",
                      "| thread: origin of the sampled frame | samples per change | share | ≈ ms |", "|---|---:|---:|---:|"]
            for name, k in by_other.most_common(15):
                lines.append(f"| {name} | {k * per:.2f} | {100 * k / total:.1f} % | {cpu * k / total:.2f} |")
    return "\n".join(lines) + "\n"


async def drive(cfg: dict) -> list[dict]:
    db = build_database()
    hello = make_server("profile-hello", HELLO_APP, cfg["gc"], db)
    app = make_server("profile-app", REPO_ROOT / "app.py", cfg["gc"], db)
    results = []
    try:
        for s in (hello, app):
            s.start()
        for s in (hello, app):
            s.wait_healthy(300)
        targets = [(hello, HELLO, "hello")] + [(app, SCENARIOS[k], k) for k in cfg["scenarios"]]
        for server, scenario, label in targets:
            log(f"profile: priming {label}")
            await prime(server, scenario, 300)
        for server, scenario, label in targets:
            log(f"profile: {label}, {cfg['reruns']} changes")
            r = await profile_one(server, scenario, cfg["reruns"], cfg["warmup"], label, cfg["py_spy"],
                                  cfg["spy_reruns"])
            r.update(title=scenario.label, gc="off" if cfg["gc"] == "gc-off" else "on (Streamlit's default)")
            results.append(r)
    finally:
        hello.stop()
        app.stop()
    return results


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.split("\n\n")[0])
    p.add_argument("--scenario", action="append", choices=list(SCENARIOS))
    p.add_argument("--reruns", type=int, default=100, help="profiled changes per scenario (default 100)")
    p.add_argument("--warmup", type=int, default=6)
    p.add_argument("--gc", choices=list(GC_MODES), default="gc-off", help="post-run GC (default gc-off)")
    p.add_argument("--py-spy", dest="py_spy", help="path of a py-spy binary: add a sampled pass")
    p.add_argument("--spy-reruns", type=int, default=300, help="changes in the py-spy pass (default 300)")
    p.add_argument("--quick", action="store_true", help="10 changes: a smoke check")
    p.add_argument("--render-only", action="store_true", help="re-read the last run's profiles, write the readings")
    p.add_argument("--out", type=Path, help="where the profiles go (default bench/results/profile; with --quick "
                                           "bench/results/profile-quick, so a smoke check keeps a full run's files)")
    a = p.parse_args(argv)
    global PROFILE_DIR
    PROFILE_DIR = a.out or (RESULTS_DIR / ("profile-quick" if a.quick else "profile"))
    cfg = {"scenarios": a.scenario or list(DEFAULT_SCENARIOS), "reruns": 10 if a.quick else a.reruns,
           "warmup": 2 if a.quick else a.warmup, "gc": a.gc, "py_spy": a.py_spy,
           "spy_reruns": 20 if a.quick else a.spy_reruns}
    if a.render_only:
        results = json.loads((PROFILE_DIR / "results.json").read_text())
    else:
        results = asyncio.run(drive(cfg))
        (PROFILE_DIR / "results.json").write_text(json.dumps(results, indent=1))
    hello = next((r for r in results if r["label"] == "hello"), None)
    for r in results:
        text = render(r, hello if r is not hello else None)
        (PROFILE_DIR / f"{r['label']}.txt").write_text(text)
        log(f"profile: {PROFILE_DIR / (r['label'] + '.txt')}")
    summary = ["| scenario | CPU per change | under cProfile | script thread | main thread |", "|---|---:|---:|---:|---:|"]
    for r in results:
        script = load(PROFILE_DIR / f"{r['label']}.script.prof")
        main_ = load(PROFILE_DIR / f"{r['label']}.main.prof")
        summary.append(f"| {r['title']} | {r['cpu_ms_per_change']:.1f} ms | {r['cpu_ms_per_change_profiled']:.1f} ms "
                       f"| {1000 * total_s(script) / r['changes']:.1f} ms | {1000 * total_s(main_) / r['changes']:.1f} ms |")
    print("\n".join(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
