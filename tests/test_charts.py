"""Chart builders and the static files they read, tested without Streamlit."""
from __future__ import annotations

import json

import altair as alt
import pytest

from lib.charts import investment_bars, map_chart
from lib.pipeline.publish import DISTRICT_METRICS_FILE, PROJECT_INVESTMENT_FILE
from lib.domain.paths import DISTRICT_LEADERS_FILE, DISTRICT_OUTLINES_FILE, DISTRICTS_GEOJSON_PATH, STATIC_BUILD_DIR
from lib.domain.units import format_wan, format_yi, wan_to_yi


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


def test_names_stand_inside_their_districts_or_outside_with_a_leader_line(district_metrics):
    """geo/district_labels.csv: a name inside its district, or, for the four small central and island
    districts, outside every district with a leader line from a point inside the district's mainland."""
    import geopandas as gpd
    import shapely
    from shapely.geometry import Point

    layer = gpd.read_file(DISTRICTS_GEOJSON_PATH).set_index("adcode")
    land = shapely.union_all(layer.geometry.values)
    leaders = {f["properties"]["adcode"]: f["geometry"]["coordinates"]
               for f in json.loads((STATIC_BUILD_DIR / DISTRICT_LEADERS_FILE).read_text(encoding="utf-8"))}
    outside = {r["adcode"] for r in district_metrics if r["leader"]}
    assert outside == set(leaders) == {"330302", "330303", "330304", "330305"}   # 鹿城 龙湾 瓯海 洞头
    for r in district_metrics:
        label = Point(r["label_lon"], r["label_lat"])
        district = layer.loc[r["adcode"]].geometry
        if r["leader"]:
            assert not land.contains(label), r["name_zh"]
            anchor = Point(r["anchor_lon"], r["anchor_lat"])
            assert district.contains(anchor), r["name_zh"]
            assert leaders[r["adcode"]] == [[anchor.x, anchor.y], [label.x, label.y]]
        else:
            assert district.contains(label), r["name_zh"]
            assert r["label_align"] == "center"


def test_selected_outline_is_the_mainland_alone(district_metrics):
    """The thick outline of a selected district goes round its largest part only: 瑞安市's 26 islands
    would otherwise be red blots beside 龙湾区 and 洞头区."""
    import geopandas as gpd
    import shapely

    layer = gpd.read_file(DISTRICTS_GEOJSON_PATH).set_index("adcode")
    outlines = json.loads((STATIC_BUILD_DIR / DISTRICT_OUTLINES_FILE).read_text(encoding="utf-8"))
    assert [f["properties"]["adcode"] for f in outlines] == sorted(layer.index)
    for feature in outlines:
        district = layer.loc[feature["properties"]["adcode"]].geometry
        outline = shapely.geometry.shape(feature["geometry"])
        assert outline.geom_type == "Polygon"
        assert outline.area == pytest.approx(max(part.area for part in district.geoms))
    ruian = layer.loc["330381"].geometry
    assert len(ruian.geoms) == 27 and next(f for f in outlines if f["properties"]["adcode"] == "330381")


@pytest.mark.parametrize("metric_key", list(map_chart.METRICS))
def test_choropleth_spec_reads_static_files_and_starts_at_zero(metric_key):
    spec = map_chart.choropleth(metric_key, None).to_dict()
    shapes, leaders, names = spec["layer"]
    assert shapes["data"]["url"] == map_chart.DISTRICTS_URL                # geometry is not inlined
    assert shapes["transform"][1]["lookup"] == "adcode"
    assert shapes["transform"][1]["from"]["data"]["url"] == map_chart.DISTRICT_METRICS_URL
    assert spec["data"]["url"] == map_chart.DISTRICT_METRICS_URL and "data" not in names   # names share it
    assert names["mark"]["type"] == "text" and leaders["data"]["url"] == map_chart.DISTRICT_LEADERS_URL
    assert len(json.dumps(spec)) < 3_000                                   # cheap to resend per click
    assert shapes["mark"]["type"] == "geoshape"
    assert shapes["encoding"]["color"]["field"] == metric_key
    assert shapes["encoding"]["color"]["scale"]["domainMin"] == 0
    label = map_chart.metric_label(metric_key, "zh")
    assert "{unit}" not in label and ("亿元" in label or "个" in label)
    assert shapes["encoding"]["color"]["title"] == label
    assert [t["title"] for t in shapes["encoding"]["tooltip"]] == ["区县", label]


def test_selected_district_is_shown_by_outline_and_opacity():
    plain = map_chart.choropleth("project_count", None).to_dict()
    picked = map_chart.choropleth("project_count", "330381").to_dict()
    assert "330381" in json.dumps(picked["layer"][0]["encoding"]["opacity"])
    outline = picked["layer"][1]
    assert outline["data"]["url"] == map_chart.DISTRICT_OUTLINES_URL
    assert outline["transform"] == [{"filter": "datum.properties.adcode === '330381'"}]
    assert outline["mark"]["stroke"] == map_chart.SELECTED_STROKE and outline["mark"]["filled"] is False
    assert len(plain["layer"]) == len(picked["layer"]) - 1 and "330381" not in json.dumps(plain)
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
    static = {name: alt.InlineData(values=json.loads((STATIC_BUILD_DIR / name).read_text(encoding="utf-8")))
              for name in (DISTRICT_OUTLINES_FILE, DISTRICT_LEADERS_FILE)}
    chart = map_chart.choropleth("planned_investment_yi", "330381", geometry=alt.InlineData(values=features),
                                 metrics=alt.InlineData(values=district_metrics),
                                 outlines=static[DISTRICT_OUTLINES_FILE], leaders=static[DISTRICT_LEADERS_FILE])
    svg = _render_svg(chart)
    # 12 districts, 瑞安市's mainland outline, 4 leader lines.
    assert svg.count('aria-roledescription="geoshape"') == 12
    assert svg.count(f'stroke="{map_chart.SELECTED_STROKE}"') == 1 and svg.count(f'stroke="{map_chart.LEADER_COLOR}"') == 4
    for name in ("瑞安市", "泰顺县", "洞头区"):
        assert f">{name}<" in svg
    # 龙湾区: 15 projects, 2,548,000 万元 planned (附件2, derived sum); 泰顺县 shows 0, not a gap.
    assert 'aria-label="“十四五”计划投资（亿元）: 254.8; 区县: 龙湾区"' in svg
    assert 'aria-label="“十四五”计划投资（亿元）: 0; 区县: 泰顺县"' in svg


@pytest.mark.slow  # draws all 12 districts × metrics through vl-convert (~13 s)
def test_name_colour_contrasts_with_the_fill_as_drawn(district_metrics):
    """Black or white, whichever contrasts more with the fill (WCAG AA: 4.5:1): by hand from Vega's
    blues scheme, white only from 74.1 % of the largest value (selected, opaque) or 78.1 % (the city
    view, opacity 0.95); never on dimmed districts; never for a name written outside with a leader."""
    assert map_chart.contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert map_chart.light_text_from(map_chart.SELECTED_OPACITY) == 0.741
    assert map_chart.light_text_from(map_chart.CITY_OPACITY) == 0.781
    assert map_chart.light_text_from(map_chart.DIMMED_OPACITY) is None
    for step in range(101):
        for opacity in (map_chart.SELECTED_OPACITY, map_chart.CITY_OPACITY, map_chart.DIMMED_OPACITY):
            fill = map_chart.fill_on_white(step / 100, opacity)
            threshold = map_chart.light_text_from(opacity)
            text = (255, 255, 255) if threshold is not None and step / 100 >= threshold else (0, 0, 0)
            assert map_chart.contrast(fill, text) >= 4.5, (step, opacity)
    # Platforms (附件1 names): 瓯海区, 瑞安市 and 龙湾区 are named by the most platforms; 龙湾 and 瓯海 are
    # written outside (leader lines), so only 瑞安市 is white, and only while nothing else is selected or it is.
    assert map_chart.light_text_districts(district_metrics, "platform_count", None) == ["330381"]
    assert map_chart.light_text_districts(district_metrics, "platform_count", "330381") == ["330381"]
    assert map_chart.light_text_districts(district_metrics, "platform_count", "330304") == []
    assert map_chart.light_text_districts(district_metrics, "planned_investment_wan", None) == []   # 龙湾: outside


def test_investment_bars_filter_fold_and_convert_to_yi_yuan(project_investment):
    chart = investment_bars.investment_bars(alt.InlineData(values=project_investment), "洞头区 · 重大项目投资",
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
    chart = investment_bars.investment_bars(alt.InlineData(values=district_metrics), "各区县重大项目投资")
    bars = [seg for seg in _render_svg(chart).split("<path") if "亿元: " in seg]
    assert len(bars) == 24


def test_units():
    assert wan_to_yi(7_612_343) == 761.2343
    assert format_yi(7_612_343) == "761.23 亿元"
    assert format_wan(5_875_598) == "5,875,598 万元"


def test_choropleth_in_english_uses_english_names_and_billions():
    spec = map_chart.choropleth("planned_investment_yi", "330381", lang="en").to_dict()
    shapes, outline, leaders, names = spec["layer"]
    assert names["encoding"]["text"]["field"] == "short_en"
    assert shapes["encoding"]["color"]["title"] == "Planned investment, 14th FYP (CNY bn)"
    # 1 CNY bn = 100 000 万元: the published 万元 field divided accordingly.
    calc = [t for t in shapes["transform"] if "calculate" in t and t["as"] == "planned_investment_yi"]
    assert calc[0]["calculate"] == "datum.planned_investment_wan / 100000"
    zh = map_chart.choropleth("planned_investment_yi", "330381").to_dict()
    assert [t for t in zh["layer"][0]["transform"] if t.get("as") == "planned_investment_yi"][0]["calculate"] \
        == "datum.planned_investment_wan / 10000"
