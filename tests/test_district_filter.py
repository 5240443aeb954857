"""The one district filter: URL parsing, sidebar, map events and bad input, through the real app."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from lib.charts.map_chart import CLICK_PARAM
from lib.domain.i18n import translator
from lib.web import district_filter as df, view_state
from tests.conftest import ROOT

LOOKUP = {"330381": "330381", "瑞安市": "330381", "瑞安": "330381", "rui'an city": "330381",
          "330329": "330329", "泰顺县": "330329"}


@pytest.mark.parametrize("raw, expected", [
    ("330381", "330381"), ("瑞安市", "330381"), ("瑞安", "330381"), (" 330381 ", "330381"),
    ("RUI'AN CITY", "330381"), ("", df.WHOLE_CITY), ("   ", df.WHOLE_CITY),
])
def test_the_parameter_accepts_adcode_and_names(raw, expected):
    assert len(raw) <= df.PARAM.max_length and df.canonical_district(raw, LOOKUP) == expected


@pytest.mark.parametrize("raw", ["999999", "<script>alert(1)</script>", "x" * 5000, "330381' OR 1=1 --", "3303"])
def test_the_parameter_rejects_bad_values_with_a_notice_that_does_not_echo_them(raw):
    """Refused by the declared length limit (view_state drops it unread) or by the lookup."""
    assert len(raw) > df.PARAM.max_length or df.canonical_district(raw, LOOKUP) is None
    notice = view_state.notice_text(df.PARAM, "zh")
    assert notice == translator("zh")(df.BAD_PARAM_NOTICE) and raw.strip() not in notice


def test_the_district_is_declared_once_in_the_url_state():
    assert view_state.PARAMS[df.QUERY_PARAM] is df.PARAM and df.PARAM.canonical is df.canonical_district


@pytest.mark.parametrize("event, expected", [
    ({"selection": {CLICK_PARAM: [{"adcode": "330381"}]}}, "330381"),
    ({"selection": {CLICK_PARAM: []}}, None),
    ({}, None), (None, None), ({"selection": {}}, None), ({"selection": {CLICK_PARAM: ["junk"]}}, None),
])
def test_clicked_district_reads_map_events(event, expected):
    assert df.clicked_district(event) == expected


def test_map_key_changes_with_the_filter():
    assert df.map_key(None) != df.map_key("330381") != df.map_key("330382")


def _app(plan_db, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def chart_titles(at) -> list[str]:
    titles = []
    for chart in at.get("vega_lite_chart"):
        title = json.loads(chart.proto.spec).get("title")
        if title:
            titles.append(title["text"] if isinstance(title, dict) else title)
    return titles


def _metric_values(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_url_adcode_filters_the_map_page(plan_db):
    at = _app(plan_db, district="330381")
    assert not at.exception
    assert at.sidebar.selectbox(key=df.SELECT_KEY).value == "330381"
    metrics = _metric_values(at)
    assert metrics["瑞安市 · 重大项目"] == "1 个"          # 附件2 第19行 东新科创园
    assert metrics["“十四五”计划投资"] == "45.00 亿元"      # 450000 万元
    # The district's project (no chart of one bar): a card that opens it on the projects page.
    cards = [link.proto for link in at.get("page_link") if "project=" in link.proto.query_string]
    assert [c.query_string for c in cards] == ["district=330381&project=19"]
    assert cards[0].label.startswith("**东新科创园**")


def test_url_chinese_name_gives_the_same_view(plan_db):
    by_code = _metric_values(_app(plan_db, district="330381"))
    by_name = _metric_values(_app(plan_db, district="瑞安市"))
    assert by_code == by_name


def test_district_without_projects_shows_zero_not_missing(plan_db):
    at = _app(plan_db, district="330329")
    assert not at.exception
    assert _metric_values(at)["泰顺县 · 重大项目"] == "0 个"
    assert any("没有列出项目" in i.value for i in at.info)


@pytest.mark.parametrize("bad", ["<img src=x onerror=alert(1)>", "9" * 10_000, "北京市", "330381&district=1"])
def test_bad_url_values_show_a_notice_and_the_whole_city(plan_db, bad):
    at = _app(plan_db, district=bad)
    assert not at.exception
    assert [w.value for w in at.warning] == [df.BAD_PARAM_NOTICE]
    assert "district" not in at.query_params            # the bad value is dropped from the address
    assert _metric_values(at)["全市 · 重大项目"] == "37 个"
    page_text = " ".join(str(e.proto) for e in at.main) + " ".join(str(e.proto) for e in at.sidebar)
    assert bad[:20] not in page_text                     # never echoed


def test_sidebar_select_updates_the_url_and_the_page(plan_db):
    at = _app(plan_db)
    at.sidebar.selectbox(key=df.SELECT_KEY).set_value("330305").run()
    assert not at.exception
    assert at.query_params["district"] == "330305"
    assert _metric_values(at)["洞头区 · 重大项目"] == "4 个"
    at.sidebar.button[0].click().run()                    # 清除区县筛选
    assert "district" not in at.query_params
    assert at.sidebar.selectbox(key=df.SELECT_KEY).value == df.WHOLE_CITY


@pytest.mark.parametrize("page", ["pages/1_projects.py", "pages/2_data.py"])
def test_every_page_honours_the_filter(plan_db, page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["district"] = "330305"
    at.switch_page(page).run()
    assert not at.exception
    if page == "pages/1_projects.py":
        table = at.dataframe[0].value
        assert set(table["所属区县"]) == {"洞头区"} and len(table) == 4
