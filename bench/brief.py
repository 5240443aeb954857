"""Benchmark: making the meeting brief and the chart exports on the server (goal: a brief in under 2 s).

    python -m bench.brief [--views 330381 city ...] [--langs zh en] [--repeat 3] [--json PATH]

Runs in this process, as the app's server would, against the database the app uses
(``WENZHOU_DB`` or data/build; built first when its inputs changed). For every view (each district and the
whole city) it times:

* **cold**: the brief's and the exports' process caches emptied first, so the map is
  exported again and Typst lays the page out again (the system font scan, once per
  process, is timed separately as ``first in process``);
* **warm**: the same request again, answered from the cache (what every later click costs).

Wall time and CPU time (``time.process_time``: the whole process, so it includes Typst's and
vl-convert's native threads) are printed as a Markdown table; raw numbers go to
bench/results/brief.json. Speed is measured here, never asserted in tests.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_JSON = BENCH_DIR / "results" / "brief.json"
GOAL_SECONDS = 2.0
ALL_VIEWS = ("city", "330302", "330303", "330304", "330305", "330324", "330326", "330327", "330328", "330329",
             "330381", "330382", "330383")


def _timed(fn, *args) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _clear_caches() -> None:
    from lib.files import chart_export
    from lib.web import briefs

    briefs._cached.cache_clear()
    chart_export._convert_cached.cache_clear()


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def run(views: list[str], langs: list[str], repeat: int) -> dict:
    from lib.charts import investment_bars, map_chart
    from lib.files import brief, chart_export
    from lib.web import briefs, queries
    from lib.domain.paths import database_path
    from lib.pipeline.orchestrate import ensure_database

    ensure_database(database_path())  # the app only opens the database; the build makes it

    results: dict = {"first_in_process": {}, "briefs": [], "exports": []}
    # First call in a fresh process: database connection, query caches, Typst's font scan.
    wall, cpu, _ = _timed(briefs.make_brief, None, "zh", "pdf")
    results["first_in_process"] = {"view": "city", "lang": "zh", "format": "pdf", "wall": wall, "cpu": cpu}

    for lang in langs:
        for view in views:
            district = None if view == "city" else view
            for fmt in brief.FORMATS:
                cold, cold_cpu, warm = [], [], []
                for _ in range(repeat):
                    _clear_caches()
                    w, c, data = _timed(briefs.make_brief, district, lang, fmt)
                    cold.append(w)
                    cold_cpu.append(c)
                    warm.append(_timed(briefs.make_brief, district, lang, fmt)[0])
                results["briefs"].append({"view": view, "lang": lang, "format": fmt, "bytes": len(data),
                                          "cold": cold, "cold_cpu": cold_cpu, "warm": warm})

    names = dict(zip(queries.districts()["adcode"], queries.districts()["name_zh"]))
    specs = {
        "map, city": map_chart.choropleth(map_chart.DEFAULT_METRIC, None).to_dict(),
        "map, 瑞安市": map_chart.choropleth(map_chart.DEFAULT_METRIC, "330381").to_dict(),
        "investment, city": investment_bars.district_investment_bars(None, None).to_dict(),
        "investment, 龙湾区": investment_bars.district_investment_bars("330303", names["330303"]).to_dict(),
    }
    for label, spec in specs.items():
        for fmt in chart_export.FORMATS:
            cold, cold_cpu, warm = [], [], []
            for _ in range(repeat):
                _clear_caches()
                w, c, data = _timed(chart_export.convert, spec, fmt)
                cold.append(w)
                cold_cpu.append(c)
                warm.append(_timed(chart_export.convert, spec, fmt)[0])
            results["exports"].append({"chart": label, "format": fmt, "bytes": len(data), "cold": cold,
                                       "cold_cpu": cold_cpu, "warm": warm})
    return results


def report(results: dict) -> str:
    first = results["first_in_process"]
    lines = [f"First brief in a fresh process (city, zh, PDF; opens the database, scans fonts): "
             f"{_ms(first['wall'])} wall, {_ms(first['cpu'])} CPU", "",
             "| brief | format | size | cold, median (max) | cold CPU, median | warm, median |",
             "|---|---|---:|---:|---:|---:|"]
    worst = 0.0
    for r in results["briefs"]:
        worst = max(worst, max(r["cold"]))
        lines.append(f"| {r['view']} · {r['lang']} | {r['format']} | {r['bytes'] / 1024:,.0f} KB | "
                     f"{_ms(statistics.median(r['cold']))} ({_ms(max(r['cold']))}) | "
                     f"{_ms(statistics.median(r['cold_cpu']))} | {_ms(statistics.median(r['warm']))} |")
    lines += ["", "| chart export | format | size | cold, median (max) | cold CPU, median | warm, median |",
              "|---|---|---:|---:|---:|---:|"]
    for r in results["exports"]:
        lines.append(f"| {r['chart']} | {r['format']} | {r['bytes'] / 1024:,.0f} KB | "
                     f"{_ms(statistics.median(r['cold']))} ({_ms(max(r['cold']))}) | "
                     f"{_ms(statistics.median(r['cold_cpu']))} | {_ms(statistics.median(r['warm']))} |")
    status = "met" if worst < GOAL_SECONDS and first["wall"] < GOAL_SECONDS else "**not met**"
    lines += ["", "| goal | value | status |", "|---|---:|---|",
              f"| a brief in under {GOAL_SECONDS:.0f} s (slowest cold brief; first in process "
              f"{first['wall']:.2f} s) | {worst:.2f} s | {status} |", "",
              f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average before run "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--views", nargs="+", default=list(ALL_VIEWS), help="adcodes and/or 'city'")
    parser.add_argument("--langs", nargs="+", default=["zh", "en"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)
    logging.getLogger("streamlit").setLevel(logging.ERROR)   # st.cache_data outside a server warns per call
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)
    results = run(args.views, args.langs, args.repeat)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(report(results))
    print(f"\nraw data: `{args.json}`", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
