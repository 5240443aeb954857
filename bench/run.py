"""Benchmark: the app's pages, one scenario each, against a minimal "hello" page.

    python -m bench.run [--scenario map-district ...] [--rounds 3] [--reruns 120] [--quick]

Prints a Markdown table (stdout) and writes raw numbers to
bench/results/latest.json.  Progress goes to stderr.  Exit status is 0 whether
or not the goals are met; non-zero only if something broke (a server did not
start or died, the page raised, the protocol misbehaved, the run timed out).
See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import streamlit

from .measure import concurrent_phase, sequential_phase
from .protocol import ProtocolError, ScriptError
from .scenarios import DEFAULT_SCENARIOS, HELLO, SCENARIOS, Scenario
from .server import ServerError, StreamlitServer

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
HELLO_APP = BENCH_DIR / "hello_app.py"

# Goals from the issues: each page's change costs no more server CPU than hello's.
CPU_RATIO_GOAL = 1.0
P95_CONCURRENT_RATIO_GOAL = 3.0
BYTES_PER_CHANGE_GOAL = 10_000  # 10 KB, SI (same unit as Streamlit's 10e3-byte cache threshold)

QUICK = {"rounds": 1, "reruns": 12, "steps": 2, "warmup": 2}
FULL = {"rounds": 3, "reruns": 120, "steps": 12, "warmup": 4}


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- statistics


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100), like numpy's default."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def round_metrics(seq: dict, conc: dict) -> dict[str, float]:
    """The per-round numbers that the table compares."""
    ms = [x * 1000 for x in seq["latency_s"]]
    conc_ms = [x * 1000 for x in conc["latency_s"]]
    return {
        "cpu_ms_per_change": 1000 * seq["cpu_s"] / seq["changes"],
        "cpu_ms_per_change_concurrent": 1000 * conc["cpu_s"] / conc["changes"],
        "bytes_median": statistics.median(seq["bytes"]),
        "bytes_p95": percentile(seq["bytes"], 95),
        "latency_p50_ms": percentile(ms, 50),
        "latency_p95_ms": percentile(ms, 95),
        "concurrent_latency_p50_ms": percentile(conc_ms, 50),
        "concurrent_latency_p95_ms": percentile(conc_ms, 95),
        "first_load_ms": seq["first_load"]["latency_s"] * 1000,
        "first_load_bytes": seq["first_load"]["bytes"],
    }


# (key, label, unit) in table order.
METRICS = [
    ("cpu_ms_per_change", "server CPU per change, 1 session", "ms"),
    ("cpu_ms_per_change_concurrent", "server CPU per change, {n} sessions", "ms"),
    ("bytes_median", "bytes received per change, median", "B"),
    ("bytes_p95", "bytes received per change, p95", "B"),
    ("latency_p50_ms", "latency p50, 1 session", "ms"),
    ("latency_p95_ms", "latency p95, 1 session", "ms"),
    ("concurrent_latency_p50_ms", "latency p50, {n} sessions at once", "ms"),
    ("concurrent_latency_p95_ms", "latency p95, {n} sessions at once", "ms"),
    ("first_load_ms", "first page load (info)", "ms"),
    ("first_load_bytes", "first page load bytes (info)", "B"),
]


def spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def summarise_rounds(rounds: list[dict], scenarios: list[str]) -> dict[str, dict]:
    """Per scenario and metric: hello's and the scenario's spread across rounds, and the ratio."""
    summary: dict[str, dict] = {}
    for key in scenarios:
        summary[key] = {}
        for metric, _, _ in METRICS:
            hello = spread([r["metrics"]["hello"][metric] for r in rounds])
            app = spread([r["metrics"][key][metric] for r in rounds])
            ratio = app["median"] / hello["median"] if hello["median"] else float("inf")
            summary[key][metric] = {"hello": hello, "app": app, "ratio": ratio}
    return summary


def evaluate_goals(summary: dict, sessions: int) -> list[dict]:
    goals = []
    for key, s in summary.items():
        cpu = s["cpu_ms_per_change"]["ratio"]
        p95 = s["concurrent_latency_p95_ms"]["ratio"]
        sent = s["bytes_p95"]["app"]["median"]
        label = SCENARIOS[key].label
        goals += [
            {"scenario": key, "goal": f"{label}: server CPU per change ≤ {CPU_RATIO_GOAL:g}× hello",
             "value": f"{cpu:.2f}×", "met": cpu <= CPU_RATIO_GOAL},
            {"scenario": key, "goal": f"{label}: latency p95 with {sessions} sessions ≤ "
                                      f"{P95_CONCURRENT_RATIO_GOAL:g}× hello",
             "value": f"{p95:.2f}×", "met": p95 <= P95_CONCURRENT_RATIO_GOAL},
            {"scenario": key, "goal": f"{label}: ≤ 10 KB sent per change (p95)",
             "value": f"{sent / 1000:.1f} KB", "met": sent <= BYTES_PER_CHANGE_GOAL},
        ]
    return goals


# ---------------------------------------------------------------- report


def _scale(unit: str, typical: float) -> tuple[float, str]:
    if unit == "B" and typical >= 1000:
        return 1000.0, "KB"
    return 1.0, unit


def _number(x: float) -> str:
    return f"{x:.1f}" if abs(x) < 100 else f"{x:.0f}"


def fmt(value: float, unit: str) -> str:
    div, label = _scale(unit, value)
    return f"{_number(value / div)} {label}"


def fmt_spread(s: dict, unit: str, rounds: int) -> str:
    """'25.5 ms (24.7–26.0)': median, then min–max across rounds, one unit."""
    div, label = _scale(unit, s["median"])
    text = f"{_number(s['median'] / div)} {label}"
    if rounds > 1:
        text += f" ({_number(s['min'] / div)}–{_number(s['max'] / div)})"
    return text


def bytes_breakdown(rounds: list[dict], key: str, top: int = 5) -> list[tuple[str, float]]:
    """Average bytes per change by message kind, one scenario, 1-session phase."""
    totals: dict[str, float] = {}
    changes = 0
    for r in rounds:
        seq = r[key]["sequential"]
        changes += seq["changes"]
        for kind, b in seq["bytes_by_kind_total"].items():
            totals[kind] = totals.get(kind, 0) + b
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])[:top]
    return [(kind, b / changes) for kind, b in ranked]


def render_markdown(result: dict) -> str:
    cfg, summary, rounds = result["config"], result["summary"], result["rounds"]
    n = len(rounds)
    keys = list(summary)
    lines = [
        "### Benchmark: the app's scenarios vs `bench/hello_app.py`",
        "",
        f"{n} round(s) × {cfg['reruns']} changes (1 session) and "
        f"{cfg['sessions']} sessions × {cfg['steps']} simultaneous changes, per scenario; "
        + ("median (min–max across rounds)." if n > 1 else "single round, no spread."),
        "",
        "| metric | hello | " + " | ".join(f"{SCENARIOS[k].label} (× hello)" for k in keys) + " |",
        "|---|---:|" + "---:|" * len(keys),
    ]
    for metric, label, unit in METRICS:
        hello = summary[keys[0]][metric]["hello"]
        cells = [f"{fmt_spread(summary[k][metric]['app'], unit, n)} ({summary[k][metric]['ratio']:.2f}×)"
                 for k in keys]
        lines.append(f"| {label.format(n=cfg['sessions'])} | {fmt_spread(hello, unit, n)} | " + " | ".join(cells) + " |")
    lines += ["", "| goal | value | status |", "|---|---:|---|"]
    for g in result["goals"]:
        lines.append(f"| {g['goal']} | {g['value']} | {'met' if g['met'] else '**not met**'} |")
    for k in keys:
        lines += ["", f"Where the bytes go, {SCENARIOS[k].label} (average per change, 1 session):", "",
                  "| message | bytes |", "|---|---:|"]
        for kind, b in bytes_breakdown(rounds, k):
            lines.append(f"| {kind} | {fmt(b, 'B')} |")
    meta = result["meta"]
    lines += [
        "",
        f"streamlit {meta['streamlit']}, Python {meta['python']}, {meta['cpus']} CPUs, "
        f"load average before run {meta['loadavg_before']}; raw data: `{meta['json']}`.",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------- orchestration


async def prime(server: StreamlitServer, scenario: Scenario, timeout_s: float) -> None:
    """Visit every value once so st.cache_data etc. are warm before round 1.

    The first run may be slow (imports, the app building its database), hence
    its own, longer time limit.
    """
    await sequential_phase(server, scenario, reruns=0, warmup=len(scenario.values), start=0, timeout_s=timeout_s)


async def measure(name: str, phase):
    """Await one phase; if it fails, say which scenario it was measuring."""
    try:
        return await phase
    except Exception as exc:
        exc.add_note(f"(while measuring {name})")
        raise


async def run_rounds(servers: dict[str, StreamlitServer], cfg: dict) -> list[dict]:
    t, qa = cfg["rerun_timeout"], cfg["quickack"]
    # (name, server, scenario): hello first, then every app scenario.
    runs = [("hello", servers["hello"], HELLO)] + [(k, servers["app"], SCENARIOS[k]) for k in cfg["scenarios"]]
    for name, server, scenario in runs:
        log(f"priming {name} (one visit per value)")
        await measure(name, prime(server, scenario, cfg["startup_timeout"]))

    rounds = []
    for r in range(cfg["rounds"]):
        # Alternate who goes first, and interleave phase by phase, so drift in
        # machine load hits hello and app alike.
        order = runs if r % 2 == 0 else runs[::-1]
        data: dict = {"order": [name for name, _, _ in order]}
        for name, server, scenario in order:
            log(f"round {r + 1}/{cfg['rounds']}: {name}, 1 session, {cfg['reruns']} changes")
            data.setdefault(name, {})["sequential"] = await measure(
                name, sequential_phase(server, scenario, cfg["reruns"], cfg["warmup"], r, t, qa)
            )
        for name, server, scenario in order:
            log(f"round {r + 1}/{cfg['rounds']}: {name}, {cfg['sessions']} sessions × {cfg['steps']} changes")
            data[name]["concurrent"] = await measure(
                name, concurrent_phase(server, scenario, cfg["sessions"], cfg["steps"], cfg["warmup"], r, t, qa)
            )
        data["metrics"] = {
            name: round_metrics(data[name]["sequential"], data[name]["concurrent"]) for name, _, _ in runs
        }
        rounds.append(data)
    return rounds


def app_env() -> dict[str, str]:
    """The app server's environment: ours, plus a database of the benchmark's own.

    lib/paths.py reads WENZHOU_DB; pointing it into bench/results/ (git-ignored)
    keeps the benchmark from racing a developer's server over data/build/.  The
    build (``python -m lib.pipeline``, a no-op when up to date) makes the file before
    the server starts: the app only opens it.  An explicit WENZHOU_DB is respected.
    """
    env = dict(os.environ)
    env.setdefault("WENZHOU_DB", str(RESULTS_DIR / "wenzhou_plan.duckdb"))
    subprocess.run([sys.executable, "-m", "lib.pipeline", "--db", env["WENZHOU_DB"]], cwd=REPO_ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return env


def make_servers(app: Path) -> dict[str, StreamlitServer]:
    return {
        "hello": StreamlitServer("hello", HELLO_APP, REPO_ROOT, RESULTS_DIR),
        "app": StreamlitServer("app", app, REPO_ROOT, RESULTS_DIR, env=app_env()),
    }


def start_servers(servers: dict[str, StreamlitServer], startup_timeout: float) -> None:
    # Start both before waiting for either: their start-up overlaps.
    for s in servers.values():
        s.start()
    for name, s in servers.items():
        took = s.wait_healthy(startup_timeout)
        log(f"{name}: {s.script} on 127.0.0.1:{s.port} (pid {s.pid}) healthy after {took:.1f}s")


def parse_args(argv: list[str] | None) -> dict:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    p.add_argument("--app", default="app.py", help="the app's entry script, relative to the repo root (default app.py)")
    p.add_argument("--scenario", action="append", choices=list(SCENARIOS),
                   help=f"scenario to measure, repeatable (default: all: {', '.join(DEFAULT_SCENARIOS)})")
    p.add_argument("--rounds", type=int, help=f"rounds, alternating order (default {FULL['rounds']})")
    p.add_argument("--reruns", type=int, help=f"district changes per round, 1 session (default {FULL['reruns']})")
    p.add_argument("--sessions", type=int, default=10, help="concurrent sessions (default 10)")
    p.add_argument("--steps", type=int, help=f"simultaneous changes per session (default {FULL['steps']})")
    p.add_argument("--warmup", type=int, help=f"unmeasured changes after each page load (default {FULL['warmup']})")
    p.add_argument("--quick", action="store_true", help="few reruns, 1 round: a smoke check, not a measurement")
    p.add_argument("--timeout", type=float, default=1800, help="overall time limit in seconds (default 1800)")
    p.add_argument("--rerun-timeout", type=float, default=60, help="limit for one measured rerun, seconds (default 60)")
    p.add_argument(
        "--startup-timeout", type=float, default=300,
        help="limit for a server to become healthy and for its first page load, seconds (default 300)",
    )
    p.add_argument(
        "--quickack", action="store_true",
        help="client ACKs at once (TCP_QUICKACK): removes the ~40 ms Nagle/delayed-ACK stall; not browser-like",
    )
    p.add_argument("--json", default=str(RESULTS_DIR / "latest.json"), help="where to write raw results")
    p.add_argument("--scaleout", action="store_true",
                   help="then one process vs the nginx stack (bench/scaleout.py); raw: bench/results/scaleout.json")
    p.add_argument("--scaleout-only", action="store_true", help="only the scale-out part")
    args = p.parse_args(argv)

    defaults = QUICK if args.quick else FULL
    cfg = {k: getattr(args, k) if getattr(args, k) is not None else v for k, v in defaults.items()}
    cfg.update(
        app=args.app, scenarios=args.scenario or list(DEFAULT_SCENARIOS), sessions=args.sessions, quick=args.quick, timeout=args.timeout,
        rerun_timeout=args.rerun_timeout, startup_timeout=args.startup_timeout,
        quickack=args.quickack, json=args.json,
        scaleout=args.scaleout or args.scaleout_only, scaleout_only=args.scaleout_only,
    )
    if cfg["rounds"] < 1 or cfg["reruns"] < 1 or cfg["steps"] < 1 or cfg["sessions"] < 1 or cfg["warmup"] < 0:
        p.error("--rounds, --reruns, --steps and --sessions must be ≥ 1, --warmup ≥ 0")
    return cfg


def write_json(path: Path, result: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False))


def run_scaleout_part(cfg: dict) -> int:
    """One process vs the nginx stack (bench/scaleout.py): table to stdout, raw numbers to scaleout.json."""
    from .scaleout import render_markdown, run_scaleout

    result = run_scaleout(cfg, RESULTS_DIR, REPO_ROOT, HELLO_APP)
    result["meta"] = {"started": cfg.get("started"), "streamlit": streamlit.__version__, "cpus": os.cpu_count(),
                      "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    write_json(RESULTS_DIR / "scaleout.json", result)
    print(render_markdown(result))
    return 0


def main(argv: list[str] | None = None) -> int:
    cfg = parse_args(argv)
    cfg["started"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    if cfg["scaleout_only"]:
        return run_scaleout_part(cfg)
    app = (REPO_ROOT / cfg["app"]).resolve()
    json_path = Path(cfg["json"]).resolve()
    result: dict = {
        "config": cfg,
        "meta": {
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "streamlit": streamlit.__version__,
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "loadavg_before": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
            "json": os.path.relpath(json_path, Path.cwd()),
        },
        "error": None,
    }
    if not app.is_file():
        log(f"error: {app} does not exist (use --app to pick the page to benchmark)")
        return 1

    servers = make_servers(app)
    result["meta"]["app_WENZHOU_DB"] = servers["app"].env["WENZHOU_DB"]
    deadline = time.monotonic() + cfg["timeout"]
    try:  # from here on, the finally clause stops whatever was started
        start_servers(servers, startup_timeout=min(cfg["startup_timeout"], cfg["timeout"]))
        remaining = deadline - time.monotonic()
        rounds = asyncio.run(asyncio.wait_for(run_rounds(servers, cfg), remaining))
    except Exception as exc:  # anything that breaks the run; KeyboardInterrupt still propagates
        what = {
            ScriptError: "the page raised an error",
            ServerError: "server problem",
            ProtocolError: "protocol problem",
            TimeoutError: "timed out",
        }.get(type(exc), type(exc).__name__)
        message = " ".join([f"{what}: {exc}", *getattr(exc, "__notes__", [])])
        result["error"] = message
        log(f"error: {message}")
        for s in servers.values():
            log(f"--- {s.name} server log ({s.log_path}), last lines:\n{s.log_tail()}")
        write_json(json_path, result)
        return 1
    finally:
        for s in servers.values():
            s.stop()

    result["rounds"] = rounds
    result["summary"] = summarise_rounds(rounds, cfg["scenarios"])
    result["goals"] = evaluate_goals(result["summary"], cfg["sessions"])
    result["meta"]["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    write_json(json_path, result)
    print(render_markdown(result))
    if cfg["scaleout"]:
        print()
        return run_scaleout_part(cfg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
