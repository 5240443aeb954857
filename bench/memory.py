"""What a Streamlit process's memory is made of.

* :func:`process_memory`: RSS, PSS and private (USS) of a live process, from /proc/<pid>/smaps_rollup.
* :func:`smaps_by_origin`: the same process's resident memory grouped by where it is mapped from — a
  package's shared libraries (site-packages/<package>/…), Python itself, other files — and anonymous
  memory (the Python heap: objects, modules' code, caches; malloc arenas of C libraries).
* ``python -m bench.memory``: what makes a process's resident memory, as Markdown (raw numbers in
  ``bench/results/memory.json``):
  - a real server (post-run GC off): at start, after the first page, after the first visit of every other
    page, with its caches filled, with ``--sessions`` more open tabs (the cost per open session) and after
    they closed; the heavy packages it imported and which it did not; resident memory by origin;
  - the import ladder: RSS after importing what that server imported, one group at a time (Streamlit, its
    server, numpy, pandas, pyarrow, DuckDB, Altair, the app's lib/, the catalogs), then the database
    connection and first queries, in a fresh interpreter each;
  - the app's first page under AppTest with the database shipped prebuilt or not (whether the build
    pipeline gets imported at run time).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def process_memory(pid: int) -> dict[str, float]:
    """MB: rss, pss (shared pages divided among the processes sharing them), uss (private), anon."""
    fields: dict[str, int] = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3 and parts[-1] == "kB":
                fields[parts[0].rstrip(":")] = int(parts[1])
    mb = lambda kb: round(kb / 1024, 1)  # noqa: E731
    return {"rss_mb": mb(fields.get("Rss", 0)), "pss_mb": mb(fields.get("Pss", 0)),
            "uss_mb": mb(fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)),
            "anon_mb": mb(fields.get("Anonymous", 0))}


def _origin(path: str) -> str:
    if not path or path.startswith("[anon") or path in ("[heap]", "[stack]"):
        return "anonymous (heap, Python objects, C allocations)"
    if m := re.search(r"site-packages/([^/]+)", path):
        name = m.group(1)
        return re.sub(r"\.libs$", "", name)  # numpy.libs → numpy (vendored shared libraries)
    if "/python3" in path or "libpython" in path:
        return "python"
    if path.startswith("["):
        return path
    return Path(path).name


def smaps_by_origin(pid: int, top: int = 12) -> list[dict]:
    """Resident MB per origin (see module doc), largest first."""
    rss: Counter = Counter()
    private: Counter = Counter()
    origin = ""
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            head = line.split(maxsplit=5)
            if re.match(r"^[0-9a-f]+-[0-9a-f]+$", head[0]):
                origin = _origin(head[5].strip() if len(head) > 5 else "")
            elif head[0] == "Rss:":
                rss[origin] += int(head[1])
            elif head[0] in ("Private_Clean:", "Private_Dirty:"):
                private[origin] += int(head[1])
    return [{"origin": k, "rss_mb": round(v / 1024, 1), "private_mb": round(private[k] / 1024, 1)}
            for k, v in rss.most_common(top)]


# ---------------------------------------------------------------- the import ladder

# Cumulative: each step imports everything above it too. What a Streamlit server and app.py's pages import
# at run time (see server_ladder's "imported" list: geopandas, pyproj and the build pipeline are not).
_SERVER = "import streamlit, streamlit.web.bootstrap, streamlit.web.server.starlette.starlette_app"
_LIBS = _SERVER + ", numpy, pandas, pyarrow, duckdb, altair"
_APP_LIB = "; from lib.web import chart_specs, page, queries, district_filter, view_state"
_FIRST_SPEC = "; import altair as alt; alt.Chart(alt.Data(values=[{'a': 1}])).mark_bar().encode(x='a:Q').to_dict()"
_CATALOGS = "; from lib.domain.i18n import translator; translator('en')('区县地图'); translator('zh')('区县地图')"
IMPORT_LADDER = [
    ("python", "import sys"),
    ("streamlit", "import streamlit"),
    ("+ its server (bootstrap, Starlette, uvicorn)", _SERVER),
    ("+ numpy", _SERVER + ", numpy"),
    ("+ pandas", _SERVER + ", numpy, pandas"),
    ("+ pyarrow", _SERVER + ", numpy, pandas, pyarrow"),
    ("+ duckdb", _SERVER + ", numpy, pandas, pyarrow, duckdb"),
    ("+ altair (+ jsonschema, narwhals)", _LIBS),
    # The app's specs go through to_dict(), which validates against the Vega-Lite schema (a big JSON file
    # read into Python objects, and jsonschema's validators for it), once per process.
    ("+ Altair's first to_dict() (the Vega-Lite schema loaded, a spec validated)", _LIBS + _FIRST_SPEC),
    ("+ the app's lib/ modules of the map page", _LIBS + _FIRST_SPEC + _APP_LIB),
    ("+ every lib/ module a page imports", _LIBS + _FIRST_SPEC + _APP_LIB + "{all_lib}"),
    ("+ the gettext catalogs (zh, en)", _LIBS + _FIRST_SPEC + _APP_LIB + "{all_lib}" + _CATALOGS),
    # DuckDB's connection costs the same whatever its threads/memory_limit settings (measured).
    ("+ the read-only DuckDB connection", _LIBS + _FIRST_SPEC + _APP_LIB + "{all_lib}" + _CATALOGS +
     "; from lib.web.db import open_read_only; from lib.domain.paths import database_path; con = open_read_only(database_path())"),
    ("+ its first queries (projects, districts, indicators)", _LIBS + _FIRST_SPEC + _APP_LIB + "{all_lib}" + _CATALOGS +
     "; from lib.web.db import open_read_only; from lib.domain.paths import database_path; con = open_read_only(database_path()); "
     "[con.cursor().execute(f'SELECT * FROM {t}').df() for t in ('projects', 'districts', 'indicators')]"),
    # A side branch, compared with the altair step: what the app does NOT pay at run time.
    ("(side branch: + geopandas, pyproj, shapely, not imported by the app; vs the altair step)",
     _LIBS + "; import geopandas, pyproj, shapely"),
]


_RSS_SNIPPET = """
import json, os, sys, logging
logging.disable(logging.WARNING)
{code}
fields = dict(l.split(':', 1) for l in open('/proc/self/status'))
print(json.dumps({{'rss_mb': int(fields['VmRSS'].split()[0]) / 1024, 'anon_mb': int(fields['RssAnon'].split()[0]) / 1024,
                  'modules': len(sys.modules)}}))
"""

_APPTEST_SNIPPET = """
import json, logging, sys
logging.disable(logging.WARNING)
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({app!r}, default_timeout=120).run()
assert not at.exception, at.exception
fields = dict(l.split(':', 1) for l in open('/proc/self/status'))
loaded = sorted({{m.split('.')[0] for m in sys.modules}})
print(json.dumps({{'rss_mb': int(fields['VmRSS'].split()[0]) / 1024, 'modules': len(sys.modules),
                  'pipeline_imported': any(m.startswith('lib.pipeline') for m in sys.modules),
                  'geopandas_imported': 'geopandas' in sys.modules, 'altair_imported': 'altair' in sys.modules}}))
"""


def _run_snippet(code: str, env: dict | None = None) -> dict:
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                         timeout=300)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def import_ladder(db_path: Path, lib_modules: list[str] | None = None) -> list[dict]:
    """RSS after each step, a fresh interpreter per step. ``lib_modules``: the lib.* modules a server had
    loaded after every page (server_ladder), for the "every lib/ module" steps."""
    rows, previous = [], 0.0
    env = {**os.environ, "WENZHOU_DB": str(db_path)}
    all_lib = "".join(f"; import {m}" for m in lib_modules or [] if not m.startswith("lib.pipeline"))
    for label, code in IMPORT_LADDER:
        if label.startswith("(") and not _importable("geopandas"):
            continue
        r = _run_snippet(_RSS_SNIPPET.format(code=code.replace("{all_lib}", all_lib)), env)
        if label.startswith("("):  # a side branch: compared with the altair step, the ladder goes on as it was
            base = next(x["rss_mb"] for x in rows if x["step"].startswith("+ altair"))
            rows.append({"step": label, "rss_mb": round(r["rss_mb"], 1), "added_mb": round(r["rss_mb"] - base, 1),
                         "modules": r["modules"]})
            continue
        rows.append({"step": label, "rss_mb": round(r["rss_mb"], 1), "added_mb": round(r["rss_mb"] - previous, 1),
                     "modules": r["modules"]})
        previous = r["rss_mb"]
    return rows


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def first_page(db_path: Path, prebuilt: bool) -> dict:
    env = {**os.environ, "WENZHOU_DB": str(db_path)}
    env.pop("WENZHOU_DB_PREBUILT", None)
    if prebuilt:
        env["WENZHOU_DB_PREBUILT"] = "1"
    return _run_snippet(_APPTEST_SNIPPET.format(app=str(REPO_ROOT / "app.py")), env)


# ---------------------------------------------------------------- a real server, page by page

# URL names of the pages (lib/layout.PAGES), the map ("") first, in the sidebar's order.
PAGE_URLS = ("", "investment", "projects", "platforms", "indicators", "scorecard", "policies", "search", "data")


async def _walk(server, stats_dir: Path, extra_sessions: int, timeout_s: float) -> list[dict]:
    import asyncio

    from .protocol import ADCODES, BrowserSession
    from .scenarios import DEFAULT_SCENARIOS, SCENARIOS

    steps: list[dict] = []

    def step(label: str, **extra) -> None:
        time.sleep(1.0)  # a stats sample of the settled state
        mem = process_memory(server.pid)
        steps.append({"step": label, **mem, **extra})

    step("server started, no page yet")
    first = BrowserSession(server.port, timeout_s)
    await first.connect()
    await first.rerun(ADCODES[0])
    step("first page (the map)")
    for url in PAGE_URLS[1:]:
        tab = BrowserSession(server.port, timeout_s, page=url)
        await tab.connect()
        await tab.rerun(ADCODES[0])
        await tab.close()
        step(f"+ first visit of /{url}")
    for key in DEFAULT_SCENARIOS:
        sc = SCENARIOS[key]
        tab = BrowserSession(server.port, timeout_s, page=sc.page, param=sc.param, base_query=sc.base_query)
        await tab.connect()
        for v in sc.values:
            await tab.rerun(v)
        await tab.close()
    step("+ every value of every scenario (caches filled)")
    await asyncio.sleep(2)
    settled = process_memory(server.pid)
    tabs = [BrowserSession(server.port, timeout_s) for _ in range(extra_sessions)]
    for i in range(0, extra_sessions, 10):
        batch = tabs[i:i + 10]
        await asyncio.gather(*(t.connect() for t in batch))
        await asyncio.gather(*(t.rerun(ADCODES[(i + k) % 12]) for k, t in enumerate(batch)))
        await asyncio.gather(*(t.rerun(ADCODES[(i + k + 1) % 12]) for k, t in enumerate(batch)))
    step(f"+ {extra_sessions} open map sessions (page + 1 click each)")
    opened = steps[-1]
    steps[-1]["per_session_rss_mb"] = round((opened["rss_mb"] - settled["rss_mb"]) / extra_sessions, 3)
    steps[-1]["per_session_uss_mb"] = round((opened["uss_mb"] - settled["uss_mb"]) / extra_sessions, 3)
    await asyncio.gather(*(t.close() for t in tabs + [first]))
    step(f"… those {extra_sessions} closed (kept for reconnection until the TTL)")
    return steps


def server_ladder(db_path: Path, extra_sessions: int = 50, gc_off: bool = True) -> dict:
    """One real server (bench.instrumented, post-run GC off as deployed): memory at start, after the
    first page, after the first visit of each other page, with caches filled, with ``extra_sessions``
    more open tabs; the packages it imported; resident memory by origin (smaps)."""
    import asyncio
    import tempfile

    from .server import StreamlitServer

    tmp = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    modules = tmp / "modules.txt"
    env = {**os.environ, "WENZHOU_DB": str(db_path)}
    server = StreamlitServer("memory-app", REPO_ROOT / "app.py", REPO_ROOT, REPO_ROOT / "bench" / "results", env=env,
                             extra_args=("--runner.postScriptGC", "false") if gc_off else (),
                             launcher=("-m", "bench.instrumented", "--stats", str(tmp / "stats.csv"),
                                       "--stats-interval", "0.5", "--modules", str(modules), "--"))
    server.start()
    try:
        server.wait_healthy(300)
        steps = asyncio.run(_walk(server, tmp, extra_sessions, 120))
        origins = smaps_by_origin(server.pid, top=14)
        loaded = modules.read_text().split() if modules.exists() else []
    finally:
        server.stop()
    heavy = ("altair", "vl_convert", "pyarrow", "pandas", "numpy", "duckdb", "geopandas", "pyproj", "shapely",
             "typst", "openpyxl", "xlsxwriter", "matplotlib", "PIL", "jsonschema", "narwhals", "babel")
    return {"steps": steps, "by_origin": origins, "extra_sessions": extra_sessions,
            "imported": [m for m in heavy if m in loaded],
            "not_imported": [m for m in heavy if m not in loaded and _importable(m)],
            "lib_modules": [m for m in loaded if m.startswith("lib.")],
            "pipeline_imported": any(m.startswith("lib.pipeline") for m in loaded)}


def render_markdown(result: dict) -> str:
    lines = ["### Memory per process", "", "Import ladder (a fresh interpreter per step, each step adds to the one "
             "above):", "", "| step | RSS MB | added MB | modules |", "|---|---:|---:|---:|"]
    for r in result["import_ladder"]:
        lines.append(f"| {r['step']} | {r['rss_mb']:.1f} | {r['added_mb']:+.1f} | {r['modules']} |")
    srv = result.get("server")
    if srv:
        lines += ["", "A real server, post-run GC off (`/proc/<pid>/smaps_rollup`; USS = private to the process):", "",
                  "| step | RSS MB | USS MB | anonymous MB |", "|---|---:|---:|---:|"]
        for r in srv["steps"]:
            lines.append(f"| {r['step']} | {r['rss_mb']:.1f} | {r['uss_mb']:.1f} | {r['anon_mb']:.1f} |")
        opened = next(r for r in srv["steps"] if "per_session_rss_mb" in r)
        lines += ["", f"Per extra open session: {opened['per_session_rss_mb']:.2f} MB RSS, "
                      f"{opened['per_session_uss_mb']:.2f} MB USS (goal ≤ 0.5 MB).",
                  "", f"Imported by the pages: {', '.join(srv['imported'])}. Installed but not imported: "
                      f"{', '.join(srv['not_imported']) or '–'}. Build pipeline imported: {srv['pipeline_imported']}.",
                  "", "Resident memory by origin at the end:", "", "| origin | RSS MB | private MB |", "|---|---:|---:|"]
        for o in srv["by_origin"]:
            lines.append(f"| {o['origin']} | {o['rss_mb']:.1f} | {o['private_mb']:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__.split("\n\n")[0])
    p.add_argument("--sessions", type=int, default=50, help="extra open sessions on the server (default 50)")
    p.add_argument("--json", default=str(REPO_ROOT / "bench" / "results" / "memory.json"))
    a = p.parse_args(argv)
    db = Path(os.environ.get("WENZHOU_DB", REPO_ROOT / "bench" / "results" / "wenzhou_plan.duckdb"))
    if not db.exists():
        subprocess.run([sys.executable, "-m", "lib.pipeline", "--db", str(db)], cwd=REPO_ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    server = server_ladder(db, a.sessions)
    result = {"server": server, "import_ladder": import_ladder(db, server["lib_modules"]),
              "first_page_prebuilt": first_page(db, True), "first_page_checks_inputs": first_page(db, False)}
    Path(a.json).write_text(json.dumps(result, indent=1))
    print(render_markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
