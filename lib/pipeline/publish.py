"""Stage 4: small static files the browser fetches once (served by Streamlit at app/static/).

The map and the investment chart point at these URLs instead of inlining
their data, so a district click re-sends a spec of about 2 KB, not the data.
Everything here is derived from the database just built (same SQL as the app).
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import duckdb

from lib import sql
from lib.paths import (DISTRICT_METRICS_FILE, DISTRICTS_GEOJSON_PATH, INDICATOR_SERIES_FILE, INVESTMENT_BY_AREA_FILE,
                       PROJECT_CHART_FILE, PROJECT_INVESTMENT_FILE, PROJECT_YEARS_FILE, STATIC_BUILD_DIR)
from lib.pipeline.publish_indicators import indicator_series

DISTRICTS_FILE = DISTRICTS_GEOJSON_PATH.name
STATIC_FILES = (DISTRICTS_FILE, DISTRICT_METRICS_FILE, PROJECT_INVESTMENT_FILE, INDICATOR_SERIES_FILE)
# The investment page's charts (issue 7).
INVESTMENT_FILES = {INVESTMENT_BY_AREA_FILE: sql.INVESTMENT_BY_AREA, PROJECT_CHART_FILE: sql.PROJECT_CHART_ROWS,
                    PROJECT_YEARS_FILE: sql.PROJECT_YEARS}
STATIC_FILES += tuple(INVESTMENT_FILES)


def _rows(con: duckdb.DuckDBPyConnection, query: str) -> list[dict]:
    cur = con.execute(query)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".tmp", dir=path.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o644)  # mkstemp makes it private; these files are public by design
    os.replace(tmp, path)


def label_points(path: Path = DISTRICTS_GEOJSON_PATH) -> dict[str, tuple[float, float]]:
    """Where to write each district's name: a point inside its own polygon (for island
    districts such as 洞头区 the centroid falls in the sea)."""
    import geopandas as gpd

    layer = gpd.read_file(path)
    points = layer.geometry.representative_point()
    return {adcode: (round(pt.x, 4), round(pt.y, 4)) for adcode, pt in zip(layer["adcode"], points)}


def publish_static(db_path: Path, out_dir: Path = STATIC_BUILD_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(db_path), read_only=True) as con:
        payloads = {
            DISTRICT_METRICS_FILE: _rows(con, sql.DISTRICT_METRICS),
            PROJECT_INVESTMENT_FILE: _rows(con, sql.PROJECT_INVESTMENT),
        }
        payloads[INDICATOR_SERIES_FILE] = indicator_series(con)
        payloads.update({name: _rows(con, query) for name, query in INVESTMENT_FILES.items()})
    labels = label_points()
    for row in payloads[DISTRICT_METRICS_FILE]:
        row["label_lon"], row["label_lat"] = labels[row["adcode"]]
    for name, rows in payloads.items():
        text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        _write_atomically(out_dir / name, text.encode("utf-8"))
    tmp = out_dir / (DISTRICTS_FILE + ".tmp")
    shutil.copyfile(DISTRICTS_GEOJSON_PATH, tmp)
    os.replace(tmp, out_dir / DISTRICTS_FILE)
    return [out_dir / name for name in STATIC_FILES]
