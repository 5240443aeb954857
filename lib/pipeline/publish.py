"""Stage 4: small static files the browser fetches once (served by Streamlit at app/static/).

The map and the investment chart point at these URLs instead of inlining
their data, so a district click re-sends a spec of about 2 KB, not the data.
Everything here is derived from the database just built (same SQL as the app).
"""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import duckdb

from lib.domain import sql
from lib.domain.paths import (DISTRICT_LABELS_PATH, DISTRICT_LEADERS_FILE, DISTRICT_METRICS_FILE, DISTRICT_OUTLINES_FILE,
                              DISTRICTS_GEOJSON_PATH, INDICATOR_SERIES_FILE, INVESTMENT_BY_AREA_FILE, PROJECT_CHART_FILE,
                              PROJECT_INVESTMENT_FILE, PROJECT_YEARS_FILE, STATIC_BUILD_DIR)
from lib.pipeline.atomic import replacing, write_atomically
from lib.pipeline.publish_indicators import indicator_series

DISTRICTS_FILE = DISTRICTS_GEOJSON_PATH.name
# The investment page's charts.
INVESTMENT_FILES = {INVESTMENT_BY_AREA_FILE: sql.INVESTMENT_BY_AREA, PROJECT_CHART_FILE: sql.PROJECT_CHART_ROWS,
                    PROJECT_YEARS_FILE: sql.PROJECT_YEARS}
STATIC_FILES = (DISTRICTS_FILE, DISTRICT_METRICS_FILE, PROJECT_INVESTMENT_FILE, INDICATOR_SERIES_FILE, *INVESTMENT_FILES,
                DISTRICT_OUTLINES_FILE, DISTRICT_LEADERS_FILE)


def _rows(con: duckdb.DuckDBPyConnection, query: str) -> list[dict]:
    cur = con.execute(query)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


ANCHOR_INSET = 0.01   # degrees (~1 km, 2 px on a phone): a leader line ends inside the district, not on its edge


def label_points(path: Path = DISTRICTS_GEOJSON_PATH, labels: Path = DISTRICT_LABELS_PATH) -> dict[str, dict]:
    """Where each district's name is written (geo/district_labels.csv, placed by hand so that no two
    names touch on a 390 px phone in either language): ``label_lon``/``label_lat`` and ``label_align``;
    for the small central and island districts the name stands outside, ``leader`` is true and a line
    joins it to ``anchor_lon``/``anchor_lat``: the point of the district's mainland nearest to the name,
    ANCHOR_INSET inside its coast or border (for island districts such as 洞头区 the centroid falls in the sea)."""
    # Lazy: geopandas and shapely (~1 s to import) only when the label points are made, in a build; the stale
    # check, the tests and the steward's command import the pipeline without them.
    import geopandas as gpd
    from shapely.geometry import Point
    from shapely.ops import nearest_points

    layer = gpd.read_file(path)
    mainland = {adcode: max(getattr(geometry, "geoms", [geometry]), key=lambda part: part.area)
                for adcode, geometry in zip(layer["adcode"], layer.geometry)}
    with labels.open(encoding="utf-8", newline="") as handle:
        rows = {r["adcode"]: r for r in csv.DictReader(handle)}
    if set(rows) != set(mainland):
        raise ValueError(f"{labels.name}: districts {sorted(set(rows) ^ set(mainland))} missing or unknown")
    anchors = {adcode: nearest_points(mainland[adcode].buffer(-ANCHOR_INSET),
                                      Point(float(r["label_lon"]), float(r["label_lat"])))[0]
               for adcode, r in rows.items()}
    return {adcode: {"label_lon": float(r["label_lon"]), "label_lat": float(r["label_lat"]), "label_align": r["align"],
                     "leader": r["place"] == "outside", "anchor_lon": round(anchors[adcode].x, 4),
                     "anchor_lat": round(anchors[adcode].y, 4)} for adcode, r in rows.items()}


def mainland_outlines(path: Path = DISTRICTS_GEOJSON_PATH) -> list[dict]:
    """Each district's largest part alone, for the selected district's outline: drawn around every part,
    the thick outline turns a district's small islands (瑞安市 has 26) into blots beside its neighbours.
    A bare list of GeoJSON features (the chart reads it without a format)."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return [{"type": "Feature", "properties": {"adcode": f["properties"]["adcode"]},
             "geometry": {"type": "Polygon", "coordinates": max(f["geometry"]["coordinates"], key=_ring_area)}}
            for f in features]


def leader_lines(labels: dict[str, dict]) -> list[dict]:
    """The leader lines from the names written outside their districts to the districts (``label_points``),
    as GeoJSON features: the map draws them with one small layer."""
    return [{"type": "Feature", "properties": {"adcode": adcode},
             "geometry": {"type": "LineString", "coordinates": [[p["anchor_lon"], p["anchor_lat"]],
                                                                [p["label_lon"], p["label_lat"]]]}}
            for adcode, p in sorted(labels.items()) if p["leader"]]


def _ring_area(polygon: list) -> float:
    ring = polygon[0]
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])))


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
        row.update(labels[row["adcode"]])
    payloads[DISTRICT_OUTLINES_FILE] = mainland_outlines()
    payloads[DISTRICT_LEADERS_FILE] = leader_lines(labels)
    for name, rows in payloads.items():
        text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        write_atomically(out_dir / name, text.encode("utf-8"))
    with replacing(out_dir / DISTRICTS_FILE) as tmp:
        shutil.copyfile(DISTRICTS_GEOJSON_PATH, tmp)
    return [out_dir / name for name in STATIC_FILES]
