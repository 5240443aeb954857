"""Presenter mode (?present=1) under AppTest against the real database: four screens, the district
filter and the language apply, next/previous keep the whole view in the URL."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def _run(page: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(params)
    if page:
        at.switch_page(page)
    return at.run()


def test_four_screens_for_a_district(plan_db):
    titles = []
    for slide in ("1", "2", "3", "4"):
        at = _run(present="1", slide=slide, district="330381")
        assert not at.exception
        titles.append(at.title[0].value)
    # The indicators are the city's: their screen is titled for the city (not "瑞安市 · 全市指标").
    assert titles == ["瑞安市 · 地图", "瑞安市 · 关键数字", "瑞安市 · 重点项目", "温州市 · 全市指标"]


def test_the_indicator_screen_lists_all_16_in_two_tables_with_the_briefs_status(plan_db):
    from lib.web import briefs

    at = _run(present="1", slide="4", district="330382")
    tables = [t.value for t in at.table]
    assert [len(t) for t in tables] == [8, 8]
    rows = [*tables[0].to_dict("records"), *tables[1].to_dict("records")]
    # The status cell is the brief's (lib/web/briefs.indicator_rows), whatever it says.
    expected = briefs.indicator_rows("zh")
    assert [r["最新值 / 状态"] for r in rows] == [" · ".join(filter(None, (e.latest, e.status))) for e in expected]
    assert rows[0]["2020 基期 → 2025 目标"] == f"{expected[0].base} → {expected[0].target}"
    assert any("全市口径" in c.value for c in at.caption)


def test_key_figures_are_the_districts(plan_db):
    # 附件2 第19行 东新科创园 is 瑞安市's one project: 总投资 500000, 计划投资 450000 万元.
    at = _run(present="1", slide="2", district="330381")
    figures = {m.label: m.value for m in at.metric}
    assert figures["重大项目"] == "1 个"
    assert figures["“十四五”计划投资"] == "45.00 亿元" and figures["项目总投资"] == "50.00 亿元"
    # 450000 / 5775598 = 7.79 % of the planned investment of the 36 projects in Wenzhou.
    assert any("占全市 7.8%" in c.value for c in at.caption)


def test_next_and_previous_keep_district_and_language(plan_db):
    at = _run(present="1", district="330303", lang="en")
    assert at.query_params.get("slide") is None            # screen 1 is the default, not written
    at.button(key="present_next").click().run()
    assert at.query_params["slide"] == "2" and at.query_params["district"] == "330303"
    assert at.query_params["lang"] == "en" and at.query_params["present"] == "1"
    at.button(key="present_next").click().run()
    at.button(key="present_next").click().run()
    assert at.query_params["slide"] == "4"
    assert at.button(key="present_next").disabled            # no screen after the last
    at.button(key="present_prev").click().run()
    assert at.query_params["slide"] == "3"
    at.button(key="present_exit").click().run()
    assert "present" not in at.query_params and "slide" not in at.query_params
    assert at.query_params["district"] == "330303"           # leaving keeps the view's filter


def test_presenter_mode_opens_from_any_page(plan_db):
    at = _run("pages/1_projects.py", present="1", slide="3", district="330303")
    assert not at.exception
    assert at.title[0].value == "龙湾区 · 重点项目"
    # The page's own content is not drawn under the deck.
    assert not at.dataframe


def test_bad_screen_number_falls_back_with_a_notice(plan_db):
    at = _run(present="1", slide="99")
    assert not at.exception
    assert at.title[0].value == "温州市 · 地图"
    assert any("演示页码" in w.value for w in at.warning)
