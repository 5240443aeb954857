"""Soak: many visitors open, click and close against one app process; is its memory bounded?

    python -m bench.soak                          # 2,000 visitors over ~10 min, then past the session TTL
    python -m bench.soak --visitors 300 --duration 60 --ttl 20     # a short run

One app process (``bench.instrumented``, the post-run GC off: ``--runner.postScriptGC false``) and a
stream of visitors arriving at an even rate: each opens a page of the crowd's mix (map district and
metric, indicators, projects, investment district and tab), makes ``--clicks`` changes and closes its tab.
At most ``--concurrency`` visitors are on the page at once (the rest wait for a place: see *achieved*).

Streamlit 1.67 keeps a closed tab's session for reconnection: ``disconnect_session`` stores it in a
``MemorySessionStorage`` — a TTL cache of at most **128** sessions and ``server.disconnectedSessionTTL``
seconds (default 120) — and drops it when it expires or is pushed out by a newer one. Expired entries are
only reaped when the storage is written to (the next disconnect) or counted, so after the last visitor
the sessions stay until someone comes: the soak waits ``--ttl`` + ``--linger`` seconds after the load,
then one more visitor opens and closes a tab (the write that reaps them), and samples a little longer.
``--ttl`` sets ``server.disconnectedSessionTTL`` (default: Streamlit's 120 s, as deployed).

Every ``--sample`` seconds: RSS, USS and anonymous memory (``/proc/<pid>/smaps_rollup``), and from inside
the server Python's gc collections, allocated memory blocks and the sessions held (connected / stored). Written to
``bench/results/soak.csv`` and drawn in ``bench/results/soak.png`` (Altair + vl-convert); the verdict
(RSS back within 10 % of its level after the first 100 visitors) and the figures go to ``soak.json``
and stdout. A benchmark: exit 0 whether or not memory came back.
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import json
import sys
import time
from pathlib import Path

from .memory import process_memory
from .protocol import BrowserSession
from .run import GC_MODES, REPO_ROOT, RESULTS_DIR, app_env, build_database, log
from .scenarios import DEFAULT_SCENARIOS, SCENARIOS
from .server import StreamlitServer

BASELINE_AFTER = 100   # visitors: the level memory must come back to
RETURN_WITHIN = 0.10   # of that level


def last_stats(path: Path) -> dict[str, str]:
    """The server's latest sample (bench.instrumented --stats), or {}."""
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return {}
    if len(lines) < 2:
        return {}
    return dict(zip(lines[0].split(","), lines[-1].split(",")))


def verdict(samples: list[dict], baseline_after: int = BASELINE_AFTER, within: float = RETURN_WITHIN) -> dict:
    """The soak's figures from its samples (time order): RSS after ``baseline_after`` visitors, the peak,
    at the end of the load, the last sample; whether the last is within ``within`` of the baseline."""
    base = next((s for s in samples if s["visitors_done"] >= baseline_after), None)
    loaded = [s for s in samples if s["phase"] == "load"]
    if base is None or not loaded:
        return {"judged": False}
    last = samples[-1]
    out = {
        "judged": True,
        "baseline_rss_mb": base["rss_mb"], "baseline_at_s": base["t_s"],
        "peak_rss_mb": max(s["rss_mb"] for s in samples),
        "end_of_load_rss_mb": loaded[-1]["rss_mb"],
        "final_rss_mb": last["rss_mb"], "final_phase": last["phase"],
        "final_vs_baseline": last["rss_mb"] / base["rss_mb"] - 1,
    }
    out["returned"] = abs(out["final_vs_baseline"]) <= within
    return out


async def visitor(port: int, k: int, clicks: int, timeout_s: float, mix: list[str]) -> int:
    sc = SCENARIOS[mix[k % len(mix)]]
    tab = BrowserSession(port, timeout_s, page=sc.page, param=sc.param, base_query=sc.base_query)
    await tab.connect()
    try:
        for i in range(clicks + 1):  # the page, then the clicks
            await tab.rerun(sc.value_at(k + i))
    finally:
        await tab.close()
    return clicks + 1


async def soak(server: StreamlitServer, stats_path: Path, cfg: dict) -> tuple[list[dict], dict]:
    samples: list[dict] = []
    state = {"done": 0, "failed": 0, "runs": 0, "phase": "load"}
    started = time.monotonic()

    def sample() -> None:
        mem = process_memory(server.pid)
        inside = last_stats(stats_path)
        samples.append({"t_s": round(time.monotonic() - started, 1), "phase": state["phase"],
                        "visitors_done": state["done"], "visitors_failed": state["failed"], **mem,
                        "allocated_blocks": int(inside.get("allocated_blocks", -1)),
                        "gc_collections2": int(inside.get("gc_collections2", -1)),
                        "sessions_connected": int(inside.get("sessions_connected", -1)),
                        "sessions_stored": int(inside.get("sessions_stored", -1))})

    async def sampler(stop: asyncio.Event) -> None:
        while not stop.is_set():
            sample()
            try:
                await asyncio.wait_for(stop.wait(), cfg["sample"])
            except TimeoutError:
                pass

    stop = asyncio.Event()
    sampling = asyncio.create_task(sampler(stop))
    places = asyncio.Semaphore(cfg["concurrency"])
    interval = cfg["duration"] / cfg["visitors"]

    async def one(k: int) -> None:
        async with places:
            try:
                runs = await visitor(server.port, k, cfg["clicks"], cfg["rerun_timeout"], cfg["mix"])
                state["runs"] += runs
            except Exception as exc:  # a failed visitor is counted and reported, the soak goes on
                state["failed"] += 1
                if state["failed"] <= 5:
                    log(f"soak: visitor {k} failed: {type(exc).__name__}: {exc}")
            finally:
                state["done"] += 1
                if state["done"] % 100 == 0:
                    log(f"soak: {state['done']} visitors after {time.monotonic() - started:.0f} s, "
                        f"RSS {samples[-1]['rss_mb'] if samples else '?'} MB")

    tasks = []
    for k in range(cfg["visitors"]):
        tasks.append(asyncio.create_task(one(k)))
        await asyncio.sleep(max(0.0, started + (k + 1) * interval - time.monotonic()))
    await asyncio.gather(*tasks)
    load_s = time.monotonic() - started
    state["phase"] = "idle, sessions within TTL"
    log(f"soak: load done in {load_s:.0f} s; waiting {cfg['ttl'] + cfg['linger']:.0f} s (TTL + linger)")
    await asyncio.sleep(cfg["ttl"] + cfg["linger"])
    sample()
    state["phase"] = "after one more visitor"
    await visitor(server.port, 0, 0, cfg["rerun_timeout"], cfg["mix"])  # its disconnect reaps the expired
    await asyncio.sleep(cfg["after"])
    stop.set()
    await sampling
    return samples, {"load_s": load_s, "visitors_failed": state["failed"], "runs": state["runs"]}


def plot(samples: list[dict], path: Path, cfg: dict, figures: dict) -> None:
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame(samples)
    long = frame.melt(id_vars=["t_s", "phase"], value_vars=["rss_mb", "uss_mb"], var_name="memory",
                      value_name="MB")
    memory = alt.Chart(long).mark_line().encode(
        x=alt.X("t_s:Q", title="seconds"), y=alt.Y("MB:Q", title="MB", scale=alt.Scale(zero=False)),
        color=alt.Color("memory:N", title=None))
    rules = []
    if figures.get("judged"):
        band = pd.DataFrame([{"lo": figures["baseline_rss_mb"] * (1 - RETURN_WITHIN),
                              "hi": figures["baseline_rss_mb"] * (1 + RETURN_WITHIN)}])
        rules.append(alt.Chart(band).mark_rect(opacity=0.12, color="green").encode(y="lo:Q", y2="hi:Q"))
    marks = [{"t": frame.loc[frame["phase"] == "load", "t_s"].max()}]
    if (frame["phase"] == "after one more visitor").any():
        marks.append({"t": frame.loc[frame["phase"] == "after one more visitor", "t_s"].min()})
    rules.append(alt.Chart(pd.DataFrame(marks)).mark_rule(strokeDash=[4, 3]).encode(x="t:Q"))
    top = alt.layer(*rules, memory).properties(
        width=620, height=220,
        title=f"One app process, {cfg['visitors']} visitors over {cfg['duration']:.0f} s, post-run GC off; "
              f"green: ±10 % of RSS after {BASELINE_AFTER}; dashed: load ends, TTL + one visitor")
    held = frame.melt(id_vars=["t_s"], value_vars=["sessions_connected", "sessions_stored"],
                      var_name="sessions", value_name="n")
    bottom = alt.Chart(held).mark_line().encode(x=alt.X("t_s:Q", title="seconds"), y=alt.Y("n:Q", title="sessions"),
                                                color=alt.Color("sessions:N", title=None)).properties(
        width=620, height=110)
    alt.vconcat(top, bottom).save(str(path), format="png", scale_factor=1.5)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n\n")[0])
    p.add_argument("--visitors", type=int, default=2000)
    p.add_argument("--duration", type=float, default=600, help="seconds over which visitors arrive (default 600)")
    p.add_argument("--concurrency", type=int, default=20, help="visitors on the page at once, at most (default 20)")
    p.add_argument("--clicks", type=int, default=3, help="changes per visitor after the page (default 3)")
    p.add_argument("--ttl", type=float, default=120,
                   help="server.disconnectedSessionTTL, seconds (default 120: Streamlit's default)")
    p.add_argument("--linger", type=float, default=15, help="seconds waited beyond the TTL (default 15)")
    p.add_argument("--after", type=float, default=15, help="seconds sampled after the last visitor (default 15)")
    p.add_argument("--sample", type=float, default=3.0, help="seconds between samples (default 3)")
    p.add_argument("--gc", choices=list(GC_MODES), default="gc-off")
    p.add_argument("--rerun-timeout", type=float, default=120)
    p.add_argument("--out", default=str(RESULTS_DIR / "soak"), help="path stem of .csv, .png, .json")
    a = p.parse_args(argv)
    cfg = {**vars(a), "mix": list(DEFAULT_SCENARIOS)}
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    stats_path = out.with_suffix(".server.csv")
    db = build_database()
    server = StreamlitServer(
        "soak-app", REPO_ROOT / "app.py", REPO_ROOT, RESULTS_DIR, env=app_env(db),
        extra_args=(*GC_MODES[a.gc], "--server.disconnectedSessionTTL", str(int(a.ttl))),
        launcher=("-m", "bench.instrumented", "--stats", str(stats_path), "--stats-interval", str(a.sample),
                  "--"))
    server.start()
    try:
        server.wait_healthy(300)
        loadavg_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        samples, info = asyncio.run(soak(server, stats_path, cfg))
        loadavg_after = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    finally:
        server.stop()
    with open(out.with_suffix(".csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(samples[0]))
        w.writeheader()
        w.writerows(samples)
    figures = verdict(samples)
    result = {"config": cfg, **info, "figures": figures, "loadavg_before": loadavg_before,
              "loadavg_after": loadavg_after}
    out.with_suffix(".json").write_text(json.dumps(result, indent=1))
    try:
        plot(samples, out.with_suffix(".png"), cfg, figures)
    except Exception as exc:  # the numbers stand without the picture
        log(f"soak: no plot ({type(exc).__name__}: {exc})")
    f = figures
    print(f"Soak: {a.visitors} visitors ({info['visitors_failed']} failed, {info['runs']} page runs) in "
          f"{info['load_s']:.0f} s (asked {a.duration:.0f} s), ≤ {a.concurrency} at once, {a.clicks} clicks each, "
          f"post-run GC {'off' if a.gc == 'gc-off' else 'on'}, disconnectedSessionTTL {a.ttl:.0f} s; load average "
          f"{loadavg_before} → {loadavg_after}.")
    if f.get("judged"):
        print(f"RSS after {BASELINE_AFTER} visitors {f['baseline_rss_mb']:.1f} MB; peak {f['peak_rss_mb']:.1f} MB; "
              f"end of load {f['end_of_load_rss_mb']:.1f} MB; final ({f['final_phase']}) {f['final_rss_mb']:.1f} MB "
              f"= {100 * f['final_vs_baseline']:+.1f} % → {'back within' if f['returned'] else 'NOT back within'} "
              f"{100 * RETURN_WITHIN:.0f} %.")
    print(f"Curve: {out.with_suffix('.csv')}, {out.with_suffix('.png')}; server's own samples: {stats_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
