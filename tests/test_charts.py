"""Chart builders and the static files they read, tested without Streamlit."""
from __future__ import annotations

import json

import altair as alt
import pytest

from lib import charts, map_chart
from lib.pipeline.publish import DISTRICT_METRICS_FILE, PROJECT_INVESTMENT_FILE
from lib.paths import DISTRICTS_GEOJSON_PATH, STATIC_BUILD_DIR
from lib.units import format_wan, format_yi, wan_to_yi


@pytest.fixture(scope="module")
def district_metrics(plan_db) -> list[dict]:
    return json.loads((STATIC_BUILD_DIR / DISTRICT_METRICS_FILE).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def project_investment(plan_db) -> list[dict]:
    return json.loads((STATIC_BUILD_DIR / PROJECT_INVESTMENT_FILE).read_text(encoding="utf-8"))


def test_published_metrics_cover_every_district_with_zero_not_missing(district_metrics):
    assert len(district_metrics) == 12
    taishun = next(r for r in district_metrics if r["adcode"] == "330329")
    assert taishun["project_count"] == 0 and taishun["planned_investment_wan"] == 0   # 0, not missing
    assert taishun["role_zh"] == "温州西南（浙南闽北）生态产业集聚区"


def test_map_totals_plus_outside_projects_equal_the_plan(district_metrics, project_investment):
    outside = [p for p in project_investment if p["district_adcode"] is None]
    assert [p["project_no"] for p in outside] == [17]
    assert sum(r["total_investment_wan"] for r in district_metrics) + outside[0]["total_investment_wan"] == 7_612_343
    assert sum(r["planned_investment_wan"] for r in district_metrics) + outside[0]["planned_investment_wan"] \
        == 5_875_598
    assert sum(r["project_count"] for r in district_metrics) + len(outside) == 37


def test_label_points_lie_inside_their_districts(district_metrics):
    import geopandas as gpd
    from shapely.geometry import Point

    layer = gpd.read_file(DISTRICTS_GEOJSON_PATH).set_index("adcode")
    for r in district_metrics:
        assert layer.loc[r["adcode"]].geometry.contains(Point(r["label_lon"], r["label_lat"]))


@pytest.mark.parametrize("metric_key", list(map_chart.METRICS))
def test_choropleth_spec_reads_static_files_and_starts_at_zero(metric_key):
    spec = map_chart.choropleth(metric_key, None).to_dict()
    shapes, names = spec["layer"]
    assert shapes["data"]["url"] == map_chart.DISTRICTS_URL                # geometry is not inlined
    assert shapes["transform"][1]["lookup"] == "adcode"
    assert shapes["transform"][1]["from"]["data"]["url"] == map_chart.DISTRICT_METRICS_URL
    assert names["data"]["url"] == map_chart.DISTRICT_METRICS_URL and names["mark"]["type"] == "text"
    assert len(json.dumps(spec)) < 3_000                                   # cheap to resend per click
    assert shapes["mark"]["type"] == "geoshape"
    assert shapes["encoding"]["color"]["field"] == metric_key
    assert shapes["encoding"]["color"]["scale"]["domainMin"] == 0
    label = map_chart.metric_label(metric_key, "zh")
    assert "{unit}" not in label and ("亿元" in label or "个" in label)
    assert shapes["encoding"]["color"]["title"] == label
    assert [t["title"] for t in shapes["encoding"]["tooltip"]] == ["区县", label, "规划定位（专栏7）"]


def test_selected_district_is_shown_by_stroke_and_opacity():
    plain = map_chart.choropleth("project_count", None).to_dict()
    picked = map_chart.choropleth("project_count", "330381").to_dict()
    assert "330381" in json.dumps(picked["layer"][0]["encoding"]["stroke"])
    assert "330381" not in json.dumps(plain["layer"][0]["encoding"]["stroke"])
    # The click param carries no initial value, so clicks keep working after reruns.
    params = picked.get("params", [])
    assert [p["name"] for p in params] == [map_chart.CLICK_PARAM] and "value" not in params[0]


def _render_svg(chart: alt.TopLevelMixin) -> str:
    vlc = pytest.importorskip("vl_convert")
    return vlc.vegalite_to_svg(chart.to_dict())


def test_choropleth_renders_offline_with_inline_data(district_metrics):
    """The same builder with inline data (as an export would use): 12 shapes, Chinese names drawn."""
    import geopandas as gpd

    features = json.loads(gpd.read_file(DISTRICTS_GEOJSON_PATH).to_json())["features"]
    chart = map_chart.choropleth("planned_investment_yi", "330381", geometry=alt.InlineData(values=features),
                                 metrics=alt.InlineData(values=district_metrics))
    svg = _render_svg(chart)
    assert svg.count('aria-roledescription="geoshape"') == 12
    for name in ("瑞安市", "泰顺县", "洞头区"):
        assert f">{name}<" in svg
    # 龙湾区: 15 projects, 2,548,000 万元 planned (附件2, derived sum); 泰顺县 shows 0, not a gap.
    assert 'aria-label="“十四五”计划投资（亿元）: 254.8; 区县: 龙湾区; 规划定位（专栏7）: 全球眼健康科创引领高地"' in svg
    assert 'aria-label="“十四五”计划投资（亿元）: 0; 区县: 泰顺县;' in svg


def test_investment_bars_filter_fold_and_convert_to_yi_yuan(project_investment):
    chart = charts.investment_bars(alt.InlineData(values=project_investment), "洞头区 · 重大项目投资",
                                   district="330305")
    spec = chart.to_dict()
    assert spec["title"]["subtitle"].startswith("单位：亿元")
    svg = _render_svg(chart)
    # 洞头区 has 4 projects (附件2 第6、16、18、36行): 8 bars, total and planned for each.
    bars = [seg for seg in svg.split("<path") if "亿元: " in seg]
    assert len(bars) == 8
    yi = sorted(float(seg.split("亿元: ")[1].split(";")[0].split('"')[0].replace(",", "")) for seg in bars)
    assert sum(yi) == pytest.approx((686_000 + 581_000) / 10_000)   # total + planned of the 4 projects


def test_city_investment_bars_list_every_district(district_metrics):
    chart = charts.investment_bars(alt.InlineData(values=district_metrics), "各区县重大项目投资")
    bars = [seg for seg in _render_svg(chart).split("<path") if "亿元: " in seg]
    assert len(bars) == 24


def test_units():
    assert wan_to_yi(7_612_343) == 761.2343
    assert format_yi(7_612_343) == "761.23 亿元"
    assert format_wan(5_875_598) == "5,875,598 万元"


def test_choropleth_in_english_uses_english_names_and_billions():
    spec = map_chart.choropleth("planned_investment_yi", "330381", lang="en").to_dict()
    shapes, names = spec["layer"]
    assert names["encoding"]["text"]["field"] == "name_en"
    assert shapes["encoding"]["color"]["title"] == "Planned investment, 14th FYP (CNY bn)"
    # 1 CNY bn = 100 000 万元: the published 万元 field divided accordingly.
    calc = [t for t in shapes["transform"] if "calculate" in t and t["as"] == "planned_investment_yi"]
    assert calc[0]["calculate"] == "datum.planned_investment_wan / 100000"
    zh = map_chart.choropleth("planned_investment_yi", "330381").to_dict()
    assert [t for t in zh["layer"][0]["transform"] if t.get("as") == "planned_investment_yi"][0]["calculate"] \
        == "datum.planned_investment_wan / 10000"
