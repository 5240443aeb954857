"""Totals agree everywhere, for every filter state: the whole city and each of the 12 districts.

Expected numbers come from 附件2 read by hand from the plan text (tests/annex2_by_hand.py), not from the
code. Each state is checked against the database, the queries behind every table and chart, the static
files the charts read (filtered as the chart specs filter them), the exported CSV and Excel files, and
the pages themselves under AppTest. The one project outside Wenzhou (no. 17, in Shanghai) is in the city
total and in no district; 泰顺县 has no project and gets an empty state, never an error.
"""
from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
import pytest

from lib.domain import investment, project_tables
from lib.files import exports
from lib.web import chart_specs, queries
from lib.charts.investment_charts import totals_line
from lib.domain.paths import STATIC_BUILD_DIR
from tests.annex2_by_hand import DISTRICT_NAMES, annex2, in_state, states
from tests.conftest import sampled
from tests.test_investment_pages import _open_tables, _run

PROJECTS = annex2()
STATES = states()
IDS = ["city", *DISTRICT_NAMES]
# make check: the city, 龙湾区 (the most projects) and 泰顺县 (none: the empty state); make test every district.
FAST_STATES = {None, "330303", "330329"}


def _expected(district):
    rows = in_state(PROJECTS, district)
    return len(rows), sum(p.total_wan for p in rows), sum(p.planned_wan for p in rows)


def test_the_hand_reading_matches_the_plans_own_totals():
    # The plan does not print a total row; these sums are what the build's sanity check also asserts.
    assert _expected(None) == (37, 7_612_343, 5_875_598)
    assert sum(_expected(d)[0] for d in DISTRICT_NAMES) == 36          # no. 17 is on no district
    assert [p.no for p in PROJECTS if p.district is None] == [17]
    assert _expected("330329") == (0, 0, 0)                           # 泰顺县: no project in 附件2


@pytest.fixture(scope="module")
def static_files(plan_db) -> dict[str, pd.DataFrame]:
    return {name: pd.DataFrame(json.loads((STATIC_BUILD_DIR / name).read_text(encoding="utf-8")))
            for name in ("project_chart_rows.json", "project_years.json", "investment_by_area.json")}


@pytest.mark.parametrize("district", sampled(STATES, FAST_STATES, ids=IDS))
def test_database_and_queries_agree_with_the_plan(district, db, plan_db):
    count, total, planned = _expected(district)
    row = db.execute("SELECT COUNT(*), COALESCE(SUM(total_investment_wan), 0), "
                     "COALESCE(SUM(planned_investment_wan), 0) FROM projects "
                     "WHERE ?::VARCHAR IS NULL OR district_adcode = ?", [district, district]).fetchone()
    assert tuple(int(x) for x in row) == (count, total, planned)

    table = queries.project_table(district)
    assert len(table) == count
    assert int(table["total_investment_wan"].sum()) == total
    assert int(table["planned_investment_wan"].sum()) == planned
    chart_rows = queries.project_chart_rows(district)
    assert investment.totals(chart_rows) == investment.Totals(count, total, planned)
    for field in ("sector", "project_type"):
        sums = investment.by_category(chart_rows, field)
        assert (int(sums["project_count"].sum()), int(sums["total_investment_wan"].sum()),
                int(sums["planned_investment_wan"].sum())) == (count, total, planned)
    yearly = queries.planned_by_year(district)
    assert yearly["planned_wan"].sum() == pytest.approx(planned, abs=1e-6)
    areas = queries.investment_by_area()
    if district:
        area = areas.loc[areas["area_key"] == district].iloc[0]
        assert (int(area["project_count"]), int(area["total_investment_wan"]),
                int(area["planned_investment_wan"])) == (count, total, planned)
    else:
        assert (int(areas["project_count"].sum()), int(areas["total_investment_wan"].sum()),
                int(areas["planned_investment_wan"].sum())) == (count, total, planned)
        outside = areas.loc[areas["outside_wenzhou"]]
        assert outside["area_name"].tolist() == ["温州市外（上海市嘉定区）"]
        assert int(outside["planned_investment_wan"].iloc[0]) == 100_000   # 附件2 第17行


@pytest.mark.parametrize("district", sampled(STATES, FAST_STATES, ids=IDS))
def test_chart_data_filtered_as_the_specs_filter_it(district, static_files):
    """Each chart draws the published file through its spec's filter; filtered that way the rows add up."""
    count, total, planned = _expected(district)
    totals = totals_line(total, planned, count, "zh")
    specs = {"category": chart_specs.category_spec("sector", "按行业", district, totals, "zh"),
             "timeline": chart_specs.timeline_spec(district, totals, "zh"),
             "yearly": chart_specs.yearly_spec(district, totals, "zh")}
    for name, spec in specs.items():
        filters = [t["filter"] for t in spec.get("transform", []) if "filter" in t]
        if district:
            assert f"(datum.district_adcode === '{district}')" in filters, name
        else:
            assert not any("district_adcode" in str(f) for f in filters), name
        assert totals[0] in spec["title"]["subtitle"], name          # the chart states the view's total
    rows = static_files["project_chart_rows.json"]
    years = static_files["project_years.json"]
    if district:
        rows, years = rows.loc[rows["district_adcode"] == district], years.loc[years["district_adcode"] == district]
    assert (len(rows), int(rows["total_investment_wan"].sum()), int(rows["planned_investment_wan"].sum())) \
        == (count, total, planned)
    assert years["planned_wan"].sum() == pytest.approx(planned, abs=1e-6)
    # Every project's spread lies inside 2021–2025 and adds up to its own planned amount.
    assert set(years["year"]) <= set(range(2021, 2026))
    per_project = years.groupby("project_no")["planned_wan"].sum()
    for p in in_state(PROJECTS, district):
        assert per_project[p.no] == pytest.approx(p.planned_wan)


@pytest.mark.parametrize("district", sampled(STATES, FAST_STATES, ids=IDS))
def test_exports_hold_exactly_the_rows(district, plan_db):
    count, total, planned = _expected(district)
    frame = project_tables.export(queries.project_table(district), "zh")
    data = exports.to_csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    csv = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert len(csv) == count
    assert list(csv.columns) == ["序号", "项目名称", "类型", "项目期限", "所属区县", "建设地点（原文）", "行业（本项目归类）",
                                 "总投资（万元）", "“十四五”计划投资（万元）", "建设内容和规模", "建设单位", "出处"]
    assert int(csv["总投资（万元）"].sum()) == total and int(csv["“十四五”计划投资（万元）"].sum()) == planned
    assert sorted(csv["序号"]) == sorted(p.no for p in in_state(PROJECTS, district))
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx_bytes(frame))).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == count + 1
    assert sum(r[8] for r in values[1:]) == planned


@pytest.mark.parametrize("district", sampled(STATES, FAST_STATES, ids=IDS))
def test_pages_show_the_same_totals(district, plan_db):
    count, total, planned = _expected(district)
    params = {"district": district} if district else {}

    projects = _run("pages/1_projects.py", **params)
    assert not projects.exception
    if count:
        table = projects.dataframe[0].value
        assert len(table) == count
        assert int(table["总投资（万元）"].sum()) == total
        assert int(table["“十四五”计划投资（万元）"].sum()) == planned
        footer = next(c.value for c in projects.caption if c.value.startswith("共 "))
        assert f"共 {count} 个项目；总投资合计 {total:,} 万元" in footer and f"计划投资合计 {planned:,} 万元" in footer
    else:
        assert not projects.dataframe
        assert [i.value for i in projects.info] == ["泰顺县在附件2 重大项目表中没有列出项目（计为 0）。"]

    page = _run("pages/5_investment.py", **params)
    assert not page.exception
    metrics = {m.label: m.value for m in page.metric}
    assert metrics == {"重大项目": f"{count} 个", "“十四五”计划投资": f"{planned / 10000:,.2f} 亿元",
                       "项目总投资": f"{total / 10000:,.2f} 亿元"}
    for chart in ("category", "timeline", "yearly"):
        tab = _run("pages/5_investment.py", chart=chart, **params)
        assert not tab.exception
        specs = [json.loads(c.proto.spec) for c in tab.get("vega_lite_chart")]
        if count:
            subtitle = f"合计 {count} 个项目：“十四五”计划投资 {planned / 10000:,.2f} 亿元"
            assert specs and all(subtitle in s["title"]["subtitle"] for s in specs), chart
            if chart != "timeline":   # the tab's data tables, once opened, add up to the same totals
                tables = [d.value for d in _open_tables(tab, chart).dataframe]
                if chart == "category":
                    by_sector, by_type, reasons = tables
                    for sums in (by_sector, by_type):
                        assert (int(sums["项目数"].sum()), int(sums["总投资（万元）"].sum()),
                                int(sums["“十四五”计划投资（万元）"].sum())) == (count, total, planned)
                    assert sorted(reasons["序号"]) == sorted(p.no for p in in_state(PROJECTS, district))
                else:
                    assert tables[0]["计划投资（万元，派生）"].sum() == pytest.approx(planned)
        else:
            assert not specs
            assert "泰顺县在附件2 重大项目表中没有列出项目（计为 0）。" in [i.value for i in tab.info]


def test_project_export_neutralises_formulas(plan_db):
    """A cell that a spreadsheet would run as a formula is written as text, in CSV and in Excel."""
    frame = queries.project_table("330305").copy()
    frame.loc[frame.index[0], "builder"] = "=HYPERLINK(\"http://x\",\"点我\")"
    frame.loc[frame.index[1], "content"] = "@SUM(A1:A9)"
    export = project_tables.export(frame, "zh")
    csv = pd.read_csv(io.BytesIO(exports.to_csv_bytes(export)), encoding="utf-8-sig")
    assert csv["建设单位"].iloc[0] == "'=HYPERLINK(\"http://x\",\"点我\")"
    assert csv["建设内容和规模"].iloc[1] == "'@SUM(A1:A9)"
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx_bytes(export))).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert int(csv["“十四五”计划投资（万元）"].sum()) == _expected("330305")[2]   # numbers stay numbers
