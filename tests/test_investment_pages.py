"""The investment, projects, platforms, policies and search pages under AppTest, on the real database.

Every view is present, follows the URL, and gives a plain empty state for 泰顺县 (no project in 附件2);
bad URL values are dropped with a notice. Chart and table clicks are simulated the way AppTest allows:
the widget's selection state is set before ``run()``.
"""
from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib.domain import investment
from lib.web import investment_view
from lib.web.page import PAGES
from lib.charts.investment_charts import PROJECT_PICK
from tests.annex2_by_hand import annex2
from tests.conftest import ROOT

PROJECTS = annex2()
TAISHUN = "330329"
TABLES_LABEL = "数据表：按行业、按类型的合计，以及每个项目的行业归类理由"
NEW_PAGES = ("pages/5_investment.py", "pages/6_platforms.py", "pages/7_policies.py", "pages/8_search.py")


def _run(page: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    return at.run()


def _param(at: AppTest, name: str) -> str | None:
    """A query parameter after the run (AppTest keeps what the page set as text, what the test set as a list)."""
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def _texts(at: AppTest) -> str:
    return "\n".join(e.value for kind in ("markdown", "caption", "info", "warning", "subheader", "title")
                     for e in getattr(at, kind))


def test_new_pages_are_linked_from_every_page():
    scripts = [script for script, _ in PAGES]
    assert set(NEW_PAGES) <= set(scripts) and "pages/1_projects.py" in scripts
    for script in scripts:
        assert (ROOT / script).exists()


@pytest.mark.parametrize("page", NEW_PAGES)
@pytest.mark.parametrize("district", [None, TAISHUN])
def test_every_new_page_runs_for_the_city_and_for_taishun(page, district, plan_db):
    at = _run(page, **({"district": district} if district else {}))
    assert not at.exception
    assert "Traceback" not in _texts(at)


# ---------------------------------------------------------------- investment


@pytest.mark.parametrize("chart", list(investment.VIEWS))
def test_investment_tabs_draw_only_the_open_view(chart, plan_db):
    at = _run("pages/5_investment.py", chart=chart)
    assert not at.exception
    titles = [json.loads(c.proto.spec)["title"]["text"] for c in at.get("vega_lite_chart")]
    assert titles == {"area": ["各区县重大项目投资"], "category": ["按行业（本项目归类）", "按项目类型（附件2）"],
                      "timeline": ["项目期限与“十四五”规划期（阴影）"], "yearly": ["年度计划投资（派生，亿元）"]}[chart]
    assert at.tabs[0].label == "按区县" and [t.label for t in at.tabs] == list(investment.VIEWS.values())


def test_investment_words_and_outside_project(plan_db):
    at = _run("pages/5_investment.py")
    text = _texts(at)
    assert "投资最多的 5 个项目占“十四五”计划投资合计 587\\.56 亿元" in text
    assert "全市合计含温州市外（上海市嘉定区）的 1 个项目（科技飞地）" in text


def test_investment_timeline_names_the_irregular_projects(plan_db):
    at = _run("pages/5_investment.py", chart="timeline")
    caption = next(c.value for c in at.caption if "不规则" in c.value)
    assert "第 1、9、10、37 号项目的期限延至 2025 年以后" in caption
    assert "第 16 号“新建”项目的期限始于 2021 年以前" in caption


def _open_tables(at: AppTest, chart: str) -> AppTest:
    """What opening a tab's data table does (its expander reruns the page: on_change="rerun")."""
    at.session_state[f"investment_{chart}_open"] = True
    return at.run()


@pytest.mark.parametrize("chart, label, rows", [("area", "数据表", 13), ("category", TABLES_LABEL, None),
                                                ("yearly", "数据表", 5)])
def test_data_tables_are_built_only_while_open(chart, label, rows, plan_db):
    """Closed, a tab's expander sends its label and no rows; opened, its tables and their downloads."""
    at = _run("pages/5_investment.py", chart=chart)
    assert [e.label for e in at.expander] == [label]
    assert not at.dataframe and not [b for b in at.get("download_button") if b.proto.label == "下载 CSV"]
    _open_tables(at, chart)
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    assert len(frames) == (3 if chart == "category" else 1)
    assert len([b for b in at.get("download_button") if b.proto.label in ("下载 CSV", "下载 Excel")]) == 2 * len(frames)
    if rows:
        assert len(frames[0]) == rows
    planned = next(c for c in frames[0].columns if "计划投资" in c)
    assert round(frames[0][planned].sum()) == sum(p.planned_wan for p in PROJECTS)   # every project, 万元


def test_table_shown_is_the_table_downloaded(plan_db):
    """The Arrow table st.dataframe gets and the frame the CSV/Excel buttons serve hold the same rows, in both
    languages (English: CNY million, curated names)."""
    for lang in ("zh", "en"):
        tab = investment_view.category_tab("330381", lang)
        for table in (*tab.tables, investment_view.area_tab(None, lang).table,
                      investment_view.yearly_tab("330381", lang).table):
            frame = table.frame()
            assert table.shown.column_names == list(frame.columns)
            pd.testing.assert_frame_equal(table.shown.to_pandas(), frame.reset_index(drop=True), check_dtype=False)
            frame.iloc[0, -1] = -1                            # a caller's copy: the shared rows stay as they were
            assert table.rows.iloc[0, -1] != -1 and table.frame().iloc[0, -1] != -1


def test_investment_category_tab_lists_sector_reasons(plan_db):
    at = _open_tables(_run("pages/5_investment.py", chart="category", district="330305"), "category")
    frames = [d.value for d in at.dataframe]
    reasons = frames[2]
    assert reasons["序号"].tolist() == [p.no for p in PROJECTS if p.district == "330305"]
    assert reasons["归类理由"].str.len().gt(0).all()
    assert int(frames[0]["“十四五”计划投资（万元）"].sum()) == sum(p.planned_wan for p in PROJECTS
                                                          if p.district == "330305")


def test_investment_taishun_empty_state_on_every_tab(plan_db):
    for chart in investment.VIEWS:
        at = _run("pages/5_investment.py", district=TAISHUN, chart=chart)
        assert not at.exception
        assert "泰顺县在附件2 重大项目表中没有列出项目（计为 0）。" in [i.value for i in at.info]
        assert {m.label: m.value for m in at.metric}["重大项目"] == "0 个"


def test_timeline_click_opens_the_project(plan_db):
    at = _run("pages/5_investment.py", chart="timeline", district="330305")
    key = "investment_timeline_330305"
    at.session_state[key] = {"selection": {PROJECT_PICK: [{"project_no": 16}]}}
    at.run()
    assert not at.exception
    assert _param(at, "project") == "16" and _param(at, "district") == "330305"
    assert [s.value for s in at.subheader][0] == "第 16 号项目：中国温州安全（应急）产业园"


def test_bad_chart_value_is_dropped_with_a_notice(plan_db):
    at = _run("pages/5_investment.py", chart="<script>")
    assert not at.exception and "chart" not in at.query_params
    assert [w.value for w in at.warning] == ["链接中的参数“图表”无法识别，已忽略。"]
    assert len(at.get("vega_lite_chart")) == 1


# ---------------------------------------------------------------- projects


def test_project_detail_from_the_url(plan_db):
    at = _run("pages/1_projects.py", project="17")
    assert not at.exception
    assert at.subheader[0].value == "第 17 号项目：温州（嘉定）科创园二期建设项目"
    detail = "\n".join(m.value for m in at.markdown)
    for heading in ("序号", "项目名称", "项目类型", "项目期限", "建设地点", "建设内容和规模", "总投资",
                    "“十四五”计划投资", "建设单位", "所属区县", "归入理由", "行业（本项目归类）", "归类理由", "出处"):
        assert f"**{heading}**：" in detail
    assert "温州现代集团有限公司" in detail and "总建筑面积9万平方米" in detail
    assert "温州市外（不属于任何区县，计入全市合计）" in detail
    # The three sections, in order, are one element (one message per change instead of three).
    [card] = [m.value for m in at.markdown if "##### " in m.value]
    assert [line for line in card.split("\n") if line.startswith("##### ")] == [
        "##### 附件2 原文", "##### 本项目的归并与归类（不是规划原文）", "##### 来源"]


def test_projects_table_is_shared_ready_and_unchanged_by_a_visit(plan_db):
    """The table a filter state shows is made once (an Arrow table, per state and language) and shared by
    every session; the page's rows, numbers and caption come from it, and a visit leaves it as it was."""
    import pyarrow as pa

    from lib.web import projects_view

    before = projects_view.project_table("330304", None, None, None, "zh")
    assert isinstance(before.rows, pa.Table)
    at = _run("pages/1_projects.py", district="330304", project=str(before.numbers[0]))
    assert at.dataframe[0].value["序号"].tolist() == list(before.numbers)
    assert f"共 {len(before.numbers)} 个项目" in before.caption and any(c.value == before.caption for c in at.caption)
    from lib.domain import project_tables
    from lib.web import arrow_tables, queries

    fresh = project_tables.shown(queries.project_table("330304"), "zh")
    after = projects_view.project_table("330304", None, None, None, "zh")
    assert after is before and after.rows.equals(arrow_tables.for_display(fresh))
    assert after.rows.column_names == list(fresh.columns) and after.rows.to_pylist() == fresh.to_dict("records")


def test_selecting_a_row_opens_the_project_and_close_clears_it(plan_db):
    at = _run("pages/1_projects.py", district="330304")
    table = at.dataframe[0]
    ouhai = [p.no for p in PROJECTS if p.district == "330304"]
    assert table.value["序号"].tolist() == ouhai
    at.session_state[table.key] = {"selection": {"rows": [2], "columns": [], "cells": []}}
    at.run()
    assert _param(at, "project") == str(ouhai[2])
    assert at.subheader[0].value.startswith(f"第 {ouhai[2]} 号项目")
    at.button(key="close_project").click().run()
    assert "project" not in at.query_params and not at.subheader
    assert at.dataframe[0].key != table.key              # a fresh table: the old row is no longer selected


def test_project_in_url_survives_a_still_selected_row(plan_db):
    at = _run("pages/1_projects.py")
    key = at.dataframe[0].key
    at.session_state[key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert _param(at, "project") == "1"
    at.query_params["project"] = "37"               # e.g. a timeline click or a shared link
    at.run()
    assert _param(at, "project") == "37" and at.subheader[0].value.startswith("第 37 号项目")


def test_project_search_box_and_filters_live_in_the_url(plan_db):
    at = _run("pages/1_projects.py")
    at.text_input(key="projects_q").set_value("实验室").run()
    assert _param(at, "q") == "实验室"
    assert at.dataframe[0].value["项目名称"].tolist() == [p.name for p in PROJECTS
                                                          if "实验室" in p.name + p.content + p.builder]
    at.button_group(key="projects_type").set_value("新建").run()
    assert _param(at, "type") == "新建"
    at = _run("pages/1_projects.py", sector="生命健康", type="续建", district="330303")
    assert at.button_group(key="projects_sector").value == "生命健康"
    expected = {28, 29}   # 龙湾区 续建 projects that project_sectors.csv files under 生命健康
    assert set(at.dataframe[0].value["序号"]) == expected


def test_projects_empty_states(plan_db):
    at = _run("pages/1_projects.py", district=TAISHUN)
    assert [i.value for i in at.info] == ["泰顺县在附件2 重大项目表中没有列出项目（计为 0）。"]
    assert not at.dataframe and not at.get("download_button")
    at = _run("pages/1_projects.py", q="没有这个项目")
    assert [i.value for i in at.info] == ["没有符合条件的项目。可以减少搜索词，或取消行业、类型筛选。"]


@pytest.mark.parametrize("params, name", [({"project": "99"}, "项目"), ({"project": "1; DROP"}, "项目"),
                                          ({"sector": "<b>x</b>"}, "行业"), ({"type": "新"}, "项目类型")])
def test_bad_project_params_are_dropped_with_a_notice(params, name, plan_db):
    at = _run("pages/1_projects.py", **params)
    assert not at.exception
    assert [w.value for w in at.warning] == [f"链接中的参数“{name}”无法识别，已忽略。"]
    assert not set(params) & set(at.query_params)
    assert len(at.dataframe[0].value) == 37


def test_hostile_search_text_is_never_markup(plan_db):
    at = _run("pages/1_projects.py", q="<img src=x onerror=alert(1)>")
    assert not at.exception
    assert at.text_input(key="projects_q").value == "<img src=x onerror=alert(1)>"
    assert "<img" not in _texts(at)


# ---------------------------------------------------------------- platforms, policies


def test_platforms_city_and_district(plan_db):
    at = _run("pages/6_platforms.py")
    assert [e.label for e in at.expander][:2] == ["1\\. 温州国家自主创新示范区", "2\\. 环大罗山科创走廊"]
    assert len(at.expander) == 12 and len(at.dataframe[0].value) == 12
    at = _run("pages/6_platforms.py", district="330381")
    assert [s.value for s in at.subheader] == ["点名瑞安市的平台（3 个）", "全市性平台（未点名区县，8 个）", "平台一览"]
    assert at.expander[1].label == "2\\. 环大罗山科创走廊（点名：瑞安科技城）"
    city_wide = at.expander[3:]  # no words name a district: no "点名" part, and never a missing value shown
    assert city_wide and all("点名" not in e.label and "nan" not in e.label for e in city_wide)
    assert all("未点名任何区县：全市性平台" in e.markdown[0].value and "nan" not in e.markdown[0].value
               for e in city_wide)
    at = _run("pages/6_platforms.py", district=TAISHUN)
    assert [i.value for i in at.info] == ["附件1 的平台文字中没有点名泰顺县或其境内的功能区。下面的全市性平台同样适用于该区县。"]
    assert len(at.expander) == 8 and len(at.dataframe[0].value) == 8


def test_policies_and_reforms_with_sources(plan_db):
    at = _run("pages/7_policies.py")
    assert [t.label for t in at.tabs] == ["重大政策（5 项）", "重大改革（11 项）"]
    assert len(at.expander) == 5 + 11
    assert len(at.dataframe[0].value) == 5 and len(at.dataframe[1].value) == 26
    first_reform = next(e for e in at.expander if e.label == "1\\. 建立提升创新首位度的体制机制")
    assert "（2）加快构建“1\\+8”一体化科创服务体系。" in first_reform.markdown[0].value
    assert "附件4 重大改革 第1行，规划原文第 818 行起" in [c.value for c in first_reform.caption]
    at = _run("pages/7_policies.py", district=TAISHUN)
    assert [i.value for i in at.info] == ["所选的区县（泰顺县）不影响本页：附件3、附件4 没有按区县安排。"]


# ---------------------------------------------------------------- search


def test_search_results_and_context(plan_db):
    at = _run("pages/8_search.py", q="瓯江实验室")
    assert not at.exception
    captions = [c.value for c in at.caption if " · 第 " in c.value]
    assert "附件2 · 第 398 行" in captions
    assert any(":orange-background[**瓯江实验室**]" in m.value for m in at.markdown)
    at = _run("pages/8_search.py", q="瓯江实验室", line="398")
    assert at.subheader[0].value == "原文第 398 行"
    assert "**398**　:orange-background[**瓯江实验室**]" in [m.value for m in at.markdown]


def test_search_text_box_sets_the_url_and_clears_the_passage(plan_db):
    at = _run("pages/8_search.py", line="30")
    at.text_input(key="plan_search_q").set_value("研发投入").run()
    assert _param(at, "q") == "研发投入" and "line" not in at.query_params


@pytest.mark.parametrize("params, info", [
    ({}, "输入搜索词后按回车。"),
    ({"q": "根本不存在的词语"}, "规划全文中没有同时包含这些词的段落。可以减少或更换搜索词。"),
])
def test_search_empty_states(params, info, plan_db):
    at = _run("pages/8_search.py", **params)
    assert [i.value for i in at.info] == [info]


def test_bad_line_is_dropped(plan_db):
    at = _run("pages/8_search.py", line="99999")
    assert [w.value for w in at.warning] == ["链接中的参数“原文行号”无法识别，已忽略。"]
    assert "line" not in at.query_params
