"""What a Streamlit process's memory is made of.

* :func:`process_memory`: RSS, PSS and private (USS) of a live process, from /proc/<pid>/smaps_rollup.
* :func:`smaps_by_origin`: the same process's resident memory grouped by where it is mapped from — a
  package's shared libraries (site-packages/<package>/…), Python itself, other files — and anonymous
  memory (the Python heap: objects, modules' code, caches; malloc arenas of C libraries).
* ``python -m bench.memory``: the import ladder — RSS after importing what the app imports, one group
  at a time, then its database connection and first queries, in a fresh interpreter each — and the app's first page under AppTest with the database
  shipped prebuilt or not (whether the build pipeline gets imported at run time). Prints JSON.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
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

# Cumulative: each step imports everything above it too. What app.py and lib/ import at run time.
IMPORT_LADDER = [
    ("python", "import sys"),
    ("streamlit", "import streamlit"),
    ("pandas (+ pyarrow, numpy)", "import streamlit, pandas, pyarrow"),
    ("duckdb", "import streamlit, pandas, pyarrow, duckdb"),
    ("altair (+ jsonschema, narwhals)", "import streamlit, pandas, pyarrow, duckdb, altair"),
    ("the app's lib/ modules", "import streamlit, pandas, pyarrow, duckdb, altair; "
                               "from lib.web import chart_specs, page, queries, district_filter, view_state"),
    # DuckDB's connection costs the same whatever its threads/memory_limit settings (measured).
    ("the read-only DuckDB connection", "import streamlit, pandas, pyarrow, duckdb, altair; "
                                        "from lib.web import chart_specs, page, queries, district_filter, view_state; "
                                        "from lib.web.db import open_read_only; from lib.domain.paths import database_path; "
                                        "con = open_read_only(database_path())"),
    ("its first queries (projects, districts, indicators)",
     "import streamlit, pandas, pyarrow, duckdb, altair; "
     "from lib.web import chart_specs, page, queries, district_filter, view_state; "
     "from lib.web.db import open_read_only; from lib.domain.paths import database_path; "
     "con = open_read_only(database_path()); "
     "[con.cursor().execute(f'SELECT * FROM {t}').df() for t in ('projects', 'districts', 'indicators')]"),
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


def import_ladder(db_path: Path) -> list[dict]:
    rows, previous = [], 0.0
    env = {**os.environ, "WENZHOU_DB": str(db_path)}
    for label, code in IMPORT_LADDER:
        r = _run_snippet(_RSS_SNIPPET.format(code=code), env)
        rows.append({"step": label, "rss_mb": round(r["rss_mb"], 1), "added_mb": round(r["rss_mb"] - previous, 1),
                     "modules": r["modules"]})
        previous = r["rss_mb"]
    return rows


def first_page(db_path: Path, prebuilt: bool) -> dict:
    env = {**os.environ, "WENZHOU_DB": str(db_path)}
    env.pop("WENZHOU_DB_PREBUILT", None)
    if prebuilt:
        env["WENZHOU_DB_PREBUILT"] = "1"
    return _run_snippet(_APPTEST_SNIPPET.format(app=str(REPO_ROOT / "app.py")), env)


def main() -> int:
    db = Path(os.environ.get("WENZHOU_DB", REPO_ROOT / "data" / "build" / "wenzhou_plan.duckdb"))
    if not db.exists():
        subprocess.run([sys.executable, "-m", "lib.pipeline", "--db", str(db)], cwd=REPO_ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    print(json.dumps({"import_ladder": import_ladder(db),
                      "first_page_prebuilt": first_page(db, True),
                      "first_page_checks_inputs": first_page(db, False)}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
