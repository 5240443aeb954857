"""The investment page's chart builders, without Streamlit: what the specs say and what they draw.

Drawing: the specs are rendered offline with vl-convert from the published static rows (inlined, since
vl-convert cannot fetch URLs); each mark's accessible label carries its values, so the bars can be
added up and compared with 附件2 read by hand (tests/annex2_by_hand.py).
"""
from __future__ import annotations

import html
import json
import re

import altair as alt
import pandas as pd
import pytest
import vl_convert as vlc

from lib.charts import investment_charts as ic
from lib.charts.map_chart import CLICK_PARAM
from lib.domain.paths import INVESTMENT_BY_AREA_URL, PROJECT_CHART_URL, PROJECT_YEARS_URL, STATIC_BUILD_DIR
from tests.annex2_by_hand import annex2, in_state
from tests.conftest import sampled

PROJECTS = annex2()
TOTALS = ("合计 …", "总投资 …")


@pytest.fixture(scope="module")
def static_rows(plan_db) -> dict[str, pd.DataFrame]:
    return {name: pd.DataFrame(json.loads((STATIC_BUILD_DIR / name).read_text(encoding="utf-8")))
            for name in ("project_chart_rows.json", "project_years.json", "investment_by_area.json")}


def _marks(chart: alt.TopLevelMixin) -> list[dict[str, str]]:
    """The accessible label of every mark the chart draws, as {field title: shown value}."""
    svg = vlc.vegalite_to_svg(chart.to_dict(), allowed_base_urls=[])
    marks = []
    for label in re.findall(r'aria-label="([^"]*)"', svg):
        label = html.unescape(label)
        if "axis" in label.lower() or ": " not in label:
            continue
        marks.append(dict(part.split(": ", 1) for part in label.split("; ")))
    return marks


def _number(text: str) -> float:
    return float(text.replace(",", ""))


@pytest.mark.parametrize("district", sampled([None, "330303", "330305"], {None}))
def test_drawn_bars_add_up_to_the_plan(district, static_rows):
    rows = in_state(PROJECTS, district)
    planned, total = sum(p.planned_wan for p in rows), sum(p.total_wan for p in rows)

    category = _marks(ic.category_bars("sector", "按行业", district, TOTALS, "zh", static_rows["project_chart_rows.json"]))
    assert sum(_number(m["万元"]) for m in category if m.get("类别") == "“十四五”计划投资") == planned
    assert sum(_number(m["万元"]) for m in category if m.get("类别") == "项目总投资") == total
    assert sum(_number(m["项目数"]) for m in category if m.get("类别") == "项目总投资") == len(rows)

    kinds = _marks(ic.category_bars("project_type", "按类型", district, TOTALS, "zh",
                                    static_rows["project_chart_rows.json"]))
    new = [p for p in rows if p.kind == "新建"]
    assert sum(_number(m["万元"]) for m in kinds if m.get("类别") == "“十四五”计划投资" and m["按类型"] == "新建") \
        == sum(p.planned_wan for p in new)

    bars = [m for m in _marks(ic.timeline(district, TOTALS, "zh", static_rows["project_chart_rows.json"]))
            if "项目" in m]
    assert sorted(m["项目"] for m in bars) == sorted(p.name for p in rows)      # one bar per project
    for m in bars:
        p = next(p for p in rows if p.name == m["项目"])
        assert m["建设单位"] == p.builder and _number(m["总投资（亿元）"]) == pytest.approx(p.total_wan / 10000, abs=0.005)
        assert m["项目期限"].startswith(f"{p.start}年") and m["项目期限"].endswith(f"{p.end}年")

    yearly = _marks(ic.yearly_bars(district, TOTALS, "zh", static_rows["project_years.json"]))
    shown = [m for m in yearly if "年份" in m]
    active = sorted({y for p in rows for y in range(max(p.start, 2021), min(p.end, 2025) + 1)})
    assert [m["年份"] for m in shown] == [str(y) for y in active]
    assert sum(_number(m["亿元"]) for m in shown) == pytest.approx(planned / 10000)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_paired_bars_draw_planned_above_total(lang, static_rows):
    """Within each row of the paired bars the 十四五 planned bar is drawn above the total one (whether the
    spec spells the order out or Vega's default gives it), in both languages."""
    kinds = ic._kinds(lang)
    for chart in (ic.category_bars("sector", "sector", None, TOTALS, lang, static_rows["project_chart_rows.json"]),
                  ic.area_bars(None, TOTALS, lang, static_rows["investment_by_area.json"])):
        svg = vlc.vegalite_to_svg(chart.to_dict(), allowed_base_urls=[])
        tops = {}   # row label → {kind label: the bar's top (y of its path's start)}
        for label, top in re.findall(r'<path aria-label="([^"]*)"[^>]*? d="M[\d.-]+,([\d.-]+)', svg):
            fields = dict(part.split(": ", 1) for part in html.unescape(label).split("; "))
            if "kind_label" in fields:
                row = fields.get("sector_en" if lang == "en" else "sector") or fields[ic._en("area_name", lang)]
                tops.setdefault(row, {})[fields["kind_label"]] = float(top)
        assert len(tops) >= 6
        for row, bars in tops.items():
            assert bars[kinds[ic.PLANNED]] < bars[kinds[ic.TOTAL]], (lang, row)


def test_timeline_marks_the_plans_own_irregularities(static_rows):
    """附件2 as printed: nos. 1, 9, 10 and 37 end after 2025; no. 16 is 新建 yet starts in 2020."""
    notes = {m["label"]: m["note"] for m in _marks(ic.timeline(None, TOTALS, "zh", static_rows["project_chart_rows.json"]))
             if "note" in m}
    by_no = {int(label.split(" ", 1)[0]): note for label, note in notes.items()}
    expected_late = {p.no: p.end for p in PROJECTS if p.end > 2025}
    assert expected_late == {1: 2027, 9: 2026, 10: 2030, 37: 2027}
    assert by_no == {**{no: f"延至{end}年" for no, end in expected_late.items()}, 16: "“新建”，2020年起"}


def test_area_chart_has_every_district_and_the_outside_project(static_rows):
    marks = _marks(ic.area_bars(None, TOTALS, "zh", static_rows["investment_by_area.json"]))
    planned = {m["区县"]: _number(m["万元"]) for m in marks if m.get("类别") == "“十四五”计划投资"}
    assert len(planned) == 13 and planned["泰顺县"] == 0
    assert planned["温州市外（上海市嘉定区）"] == 100_000
    assert sum(planned.values()) == sum(p.planned_wan for p in PROJECTS)


def test_specs_read_static_files_and_state_units():
    specs = {"area": ic.area_bars("330303", TOTALS, "zh").to_dict(),
             "category": ic.category_bars("sector", "按行业", "330303", TOTALS, "zh").to_dict(),
             "timeline": ic.timeline("330303", TOTALS, "zh").to_dict(),
             "yearly": ic.yearly_bars("330303", TOTALS, "zh").to_dict()}
    assert specs["area"]["data"] == {"url": INVESTMENT_BY_AREA_URL}
    assert specs["category"]["data"] == {"url": PROJECT_CHART_URL}
    assert specs["timeline"]["data"] == {"url": PROJECT_CHART_URL}
    assert specs["yearly"]["data"] == {"url": PROJECT_YEARS_URL}
    for name, spec in specs.items():
        text = json.dumps(spec, ensure_ascii=False)
        assert "亿元" in text, name                              # the unit is stated
        assert "values" not in json.dumps(spec.get("data", {})), name
        # What Streamlit sends per district change (json.dumps escapes Chinese): small.
        assert len(json.dumps(spec)) < 4_000, name
    assert specs["area"]["encoding"]["x"]["title"] == "投资（亿元）"
    assert "假设：各项目在其期内各年平均分摊" in specs["yearly"]["title"]["subtitle"]
    # Every plan year is on the axis, also where the view has no project that year (e.g. 洞头区 in 2025).
    assert specs["yearly"]["layer"][0]["encoding"]["x"]["scale"]["domain"] == [2021, 2022, 2023, 2024, 2025]


def test_tooltips_and_labels():
    timeline = ic.timeline(None, TOTALS, "zh").to_dict()
    bars = timeline["layer"][1]
    titles = [t["title"] for t in bars["encoding"]["tooltip"]]
    assert titles == ["项目", "建设单位", "项目期限", "区县", "“十四五”计划投资（亿元）", "总投资（亿元）", "原文如此"]
    assert bars["encoding"]["tooltip"][0]["field"] == "name_zh"          # the full name on hover
    assert bars["encoding"]["y"]["axis"]["labelLimit"] == ic.NAME_LIMIT_PX  # long names cut on the axis
    plan_band = timeline["layer"][0]["encoding"]
    assert plan_band["x"]["datum"] == {"year": 2021} and plan_band["x2"]["datum"] == {"year": 2026}
    assert [p["name"] for p in timeline["params"]] == [ic.PROJECT_PICK]


def test_colours_are_colour_blind_safe():
    """Two blues that differ in lightness, and one orange accent: no red–green contrast carries meaning."""
    area = ic.area_bars(None, TOTALS, "zh").to_dict()
    assert area["encoding"]["color"]["scale"]["range"] == [ic.DARK, ic.LIGHT]
    timeline = ic.timeline(None, TOTALS, "zh").to_dict()["layer"][1]["encoding"]
    assert timeline["color"]["scale"]["range"] == [ic.LIGHT, ic.DARK]
    assert timeline["stroke"]["condition"]["value"] == ic.ACCENT

    def lightness(hex_colour: str) -> float:
        r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    assert lightness(ic.LIGHT) - lightness(ic.DARK) > 0.4


def test_area_chart_click_uses_the_district_filter_parameter():
    spec = ic.area_bars("330381", TOTALS, "zh").to_dict()
    assert spec["params"][0]["name"] == CLICK_PARAM
    assert spec["params"][0]["select"]["fields"] == ["adcode"]
    assert {"calculate": "datum.area_key", "as": "adcode"} in spec["transform"]
    assert spec["encoding"]["opacity"]["condition"]["test"] == "(datum.adcode === '330381')"


@pytest.mark.parametrize("event, expected", [
    ({"selection": {ic.PROJECT_PICK: [{"project_no": 16}]}}, 16),
    ({"selection": {ic.PROJECT_PICK: []}}, None),
    ({"selection": {}}, None),
    ({"selection": {ic.PROJECT_PICK: [{"project_no": "16"}]}}, None),
    ({"selection": {ic.PROJECT_PICK: [{"project_no": True}]}}, None),
    (None, None),
])
def test_picked_project(event, expected):
    assert ic.picked_project(event) == expected
