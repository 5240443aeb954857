"""Chart builders, tested without Streamlit: the specs they produce and the numbers in them."""
from __future__ import annotations

import json

import altair as alt
import duckdb
import pandas as pd
import pytest

from lib import charts, map_chart
from lib.paths import DISTRICTS_GEOJSON_PATH
from lib.units import format_wan, format_yi, wan_to_yi


@pytest.fixture(scope="module")
def metrics(plan_db) -> pd.DataFrame:
    from lib import queries

    return queries.district_metrics()


def _spec(chart) -> dict:
    return chart.to_dict()


def _lookup_rows(spec: dict) -> list[dict]:
    shapes = spec["layer"][0]
    lookup = next(t for t in shapes["transform"] if "lookup" in t)
    return lookup["from"]["data"]["values"]


def test_metric_rows_cover_every_district_and_show_zero(metrics):
    rows = map_chart.metric_rows(metrics)
    assert len(rows) == 12
    taishun = next(r for r in rows if r["adcode"] == "330329")
    assert taishun["project_count"] == 0 and taishun["planned_investment_yi"] == 0.0  # 0, not missing


def test_map_totals_plus_outside_projects_equal_the_plan(metrics, db):
    outside = db.execute("SELECT SUM(total_investment_wan), SUM(planned_investment_wan), COUNT(*) "
                         "FROM projects WHERE outside_wenzhou").fetchone()
    assert int(metrics["total_investment_wan"].sum()) + outside[0] == 7_612_343
    assert int(metrics["planned_investment_wan"].sum()) + outside[1] == 5_875_598
    assert int(metrics["project_count"].sum()) + outside[2] == 37


@pytest.mark.parametrize("metric_key", list(map_chart.METRICS))
def test_choropleth_spec_uses_the_static_layer_and_a_zero_based_scale(metrics, metric_key):
    spec = _spec(map_chart.choropleth(map_chart.metric_rows(metrics), metric_key, None, map_chart.label_points()))
    shapes = spec["layer"][0]
    assert shapes["data"]["url"] == map_chart.STATIC_LAYER_URL      # geometry is not inlined
    assert len(json.dumps(spec)) < 10_000                           # small enough to resend per click
    assert shapes["mark"]["type"] == "geoshape"
    assert shapes["encoding"]["color"]["field"] == metric_key
    assert shapes["encoding"]["color"]["scale"]["domainMin"] == 0
    assert shapes["encoding"]["color"]["title"] == map_chart.METRICS[metric_key].label
    assert {p["name"] for p in spec.get("params", [])} | {p["name"] for p in shapes.get("params", [])} \
        >= {map_chart.CLICK_PARAM}


def test_selected_district_is_shown_by_stroke_and_opacity(metrics):
    rows = map_chart.metric_rows(metrics)
    plain = _spec(map_chart.choropleth(rows, "project_count", None, map_chart.label_points()))
    picked = _spec(map_chart.choropleth(rows, "project_count", "330381", map_chart.label_points()))
    assert "330381" in json.dumps(picked["layer"][0]["encoding"]["stroke"])
    assert "330381" not in json.dumps(plain["layer"][0]["encoding"]["stroke"])
    # The click param carries no initial value, so clicks keep working after reruns.
    params = picked.get("params", []) + picked["layer"][0].get("params", [])
    assert all("value" not in p for p in params)


def test_label_points_lie_inside_their_districts():
    import geopandas as gpd
    from shapely.geometry import Point

    layer = gpd.read_file(DISTRICTS_GEOJSON_PATH).set_index("adcode")
    points = map_chart.label_points()
    assert len(points) == 12
    for p in points:
        assert layer.loc[p["adcode"]].geometry.buffer(1e-3).contains(Point(p["lon"], p["lat"]))


def test_choropleth_with_inline_geometry_renders_with_cjk_labels(metrics, tmp_path):
    """vl-convert draws the same chart from inline GeoJSON: Chinese names present, 12 shapes."""
    vlc = pytest.importorskip("vl_convert")
    import geopandas as gpd

    features = json.loads(gpd.read_file(DISTRICTS_GEOJSON_PATH).to_json())["features"]
    chart = map_chart.choropleth(map_chart.metric_rows(metrics), "planned_investment_yi", "330381",
                                 map_chart.label_points(), geometry=alt.InlineData(values=features))
    svg = vlc.vegalite_to_svg(chart.to_dict())
    assert svg.count('aria-roledescription="geoshape"') == 12
    for name in ("瑞安市", "泰顺县", "洞头区"):
        assert name in svg


def test_investment_bars_in_yi_yuan(db):
    frame = db.execute("SELECT name_zh, total_investment_wan, planned_investment_wan FROM projects "
                       "WHERE district_adcode = '330305'").df()
    spec = _spec(charts.investment_bars(frame, "name_zh", "洞头区 · 重大项目投资"))
    values = next(iter(spec["datasets"].values()))
    assert len(values) == 2 * len(frame) == 8
    assert sum(v["亿元"] for v in values if v["投资类别"] == "“十四五”计划投资") == pytest.approx(58.1)
    assert spec["title"]["subtitle"].startswith("单位：亿元")


def test_units():
    assert wan_to_yi(7_612_343) == 761.2343
    assert format_yi(7_612_343) == "761.23 亿元"
    assert format_wan(5_875_598) == "5,875,598 万元"
