"""The indicators and scorecard pages under AppTest, their chart specs, and the published series.

Expected values come from the plan's 主要指标表 (data/raw lines 64–152), 一（一）现实基础 (lines 6–9)
and data/curated/observations.csv, computed by hand in the comments.
"""
from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from lib.charts import indicator_charts
from lib.domain.paths import INDICATOR_SERIES_URL
from lib.pipeline.publish_indicators import indicator_series
from tests.conftest import ROOT

INDICATORS_PAGE, SCORECARD_PAGE = "pages/3_indicators.py", "pages/4_scorecard.py"


def _run(page: str, session: dict | None = None, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    for key, value in (session or {}).items():
        at.session_state[key] = value
    at.switch_page(page)
    return at.run()


def _specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")]


def _md(at: AppTest, needle: str) -> str:
    """The first markdown block containing ``needle``, with markdown escapes removed."""
    return next(m.value.replace("\\", "") for m in at.markdown if needle in m.value.replace("\\", ""))


def _filters(spec: dict) -> list:
    return [t.get("filter") for t in spec.get("transform", [])]


# ---------------------------------------------------------------- indicators page


def test_overview_has_sixteen_panels_in_five_groups(plan_db):
    at = _run(INDICATORS_PAGE)
    assert not at.exception
    specs = _specs(at)
    panels = [s for s in specs if indicator_charts.PANEL_PICK in json.dumps(s)]
    assert len(panels) == 16
    assert all(s["data"]["url"] == INDICATOR_SERIES_URL for s in panels)
    groups = [m.value for m in at.markdown if m.value.startswith("**") and m.value.endswith("**")]
    assert groups[:5] == ["**综合创新实力大幅提升**", "**企业创新能力显著增强**", "**人才高地建设加快推进**",
                          "**创新创业生态持续优化**", "**仅见于主要指标表或其他章节**"]
    assert at.selectbox(key="indicator_select").value == ""  # nothing open yet (selectbox 0 is the sidebar district filter)


def test_link_opens_high_tech_enterprises(plan_db):
    at = _run(INDICATORS_PAGE, indicator="hitech_enterprises")
    assert not at.exception
    assert at.selectbox(key="indicator_select").value == "hitech_enterprises"
    detail = [s for s in _specs(at) if s.get("height") == 360]
    assert len(detail) == 1
    assert "(datum.code === 'hitech_enterprises')" in _filters(detail[0])
    facts = _md(at, "单位")
    # 2404 → 4400 at 12.85 % a year, recomputed (4400/2404) ** 0.2 − 1 = 12.851 %.
    for text in ("2404", "4400", "年均 12.85%", "12.851%", "是（表中标 #）"):
        assert text in facts
    assert "12.85% 复利增长的路径" in json.dumps(detail[0], ensure_ascii=False)
    # One indicator open: its chart and facts only, no overview panels.
    assert not [s for s in _specs(at) if indicator_charts.PANEL_PICK in json.dumps(s)]


def test_chinese_name_in_the_link_becomes_the_code(plan_db):
    at = _run(INDICATORS_PAGE, indicator="高新技术企业数量")
    assert not at.exception and at.query_params["indicator"] == "hitech_enterprises"


def test_bad_indicator_in_the_link_gives_a_notice(plan_db):
    at = _run(INDICATORS_PAGE, indicator="<img src=x onerror=alert(1)>")
    assert not at.exception and "indicator" not in at.query_params
    assert any("指标" in w.value and "无法识别" in w.value for w in at.warning)
    assert not any(s.get("height") == 360 for s in _specs(at))


def test_select_box_writes_the_url(plan_db):
    at = _run(INDICATORS_PAGE)
    box = at.selectbox(key="indicator_select")
    box.select_index(box.options.index("基础研究经费占R&D经费比重")).run()
    assert at.query_params["indicator"] == "basic_research_share"
    facts = _md(at, "单位")
    assert "五年累计提高 3 个百分点" in facts


def test_panel_click_event_names_the_indicator():
    from lib.web import indicator_view

    assert indicator_view.picked({"selection": {indicator_charts.PANEL_PICK: [{"code": "tech_smes"}]}}) == "tech_smes"
    assert indicator_view.picked({"selection": {indicator_charts.PANEL_PICK: []}}) is None
    assert indicator_view.picked(None) is None


def test_district_keeps_city_figures(plan_db):
    at = _run(INDICATORS_PAGE, district="330381", indicator="hitech_enterprises")
    assert not at.exception
    assert any("全市口径" in i.value and "瑞安市" in i.value for i in at.info)
    assert "2404" in _md(at, "单位")


def test_disagreeing_history_is_flagged(plan_db):
    at = _run(INDICATORS_PAGE, indicator="rd_staff_per_10k")
    facts = _md(at, "单位")
    assert "正文与表不一致" in facts and "130" in facts and "120" in facts


def test_table_target_and_text_lower_bound_are_flagged(plan_db):
    facts = _md(_run(INDICATORS_PAGE, indicator="top_talent"), "单位")
    assert "目标的限定与正文不一致" in facts and "10名以上" in facts and "确数" in facts
    assert "目标的限定与正文不一致" not in _md(_run(INDICATORS_PAGE, indicator="hitech_enterprises"), "单位")


def test_overview_caption_says_which_grey_dots_are_which(plan_db):
    at = _run(INDICATORS_PAGE)
    caption = next(c.value for c in at.caption if "灰点" in c.value)
    # 2015 values in 一（一）: 高新技术企业, 科技型中小企业, 高新技术产业增加值占比, 规上R&D占营收, 技术合同 (5).
    assert "2015 年值（5 项指标有）" in caption
    # The two 2020 text values that differ from the table's base are named.
    assert "高新技术产业投资增速：正文 20.3%，表 12%" in caption and "正文 130人年，表 120人年" in caption
    # In a panel, a grey (history) point is drawn only where it is not the base itself.
    panel = next(s for s in _specs(at) if indicator_charts.PANEL_PICK in json.dumps(s))
    assert "datum.labelled" in json.dumps(panel)


def test_ambition_in_words(plan_db):
    at = _run(INDICATORS_PAGE)
    text = _md(at, "2015—2020 年实际")
    # 618 → 2404: (2404/618) ** 0.2 − 1 = 31.22 %; required 12.85 %.
    assert "高新技术企业数量：2015—2020 年实际每年 31.22%" in text and "规划要求每年 12.85%" in text
    # Shares in points: 39.43 → 60.90 is 4.29 points a year; 60.9 → 62 is 0.22 a year.
    assert "每年 4.29 个百分点" in text and "每年 0.22 个百分点" in text


def test_goal_search_in_chinese(plan_db):
    at = _run(INDICATORS_PAGE, goals_q="鲲鹏")
    goals = next(d.value for d in at.dataframe if "原文" in d.value.columns)
    assert list(goals["目标"]) == ["集聚海内外院士人才或“鲲鹏计划”人才"]   # goals.csv G017, line 30
    at = _run(INDICATORS_PAGE)
    all_goals = next(d.value for d in at.dataframe if "原文" in d.value.columns)
    assert len(all_goals) == 125


def test_restated_goals_are_counted_once_and_linked(plan_db):
    at = _run(INDICATORS_PAGE)
    assert any(s.value == "95 项量化目标（正文、专栏与附件；另有 30 处重复表述）" for s in at.subheader)
    goals = next(d.value for d in at.dataframe if "原文" in d.value.columns).set_index("目标")
    # G007 (line 28) names its two restatements, and each names G007.
    assert goals.loc["高能级创新平台累计数", "同一目标的其他表述"] == (
        "另见 专栏1 自创区八大攻坚行动（第 161 行）；附件1 第1行 温州国家自主创新示范区（第 294 行）")
    assert set(goals.loc["五年累计打造高能级创新平台", "同一目标的其他表述"]) == {"重述，首见于 一（五）主要目标（第 28 行）"}
    assert goals["同一目标的其他表述"].str.startswith("重述").sum() == 30
    # A search keeps the links and counts the restatements it shows.
    searched = _run(INDICATORS_PAGE, goals_q="高新技术企业达到4400")
    shown = next(d.value for d in searched.dataframe if "原文" in d.value.columns)
    assert list(shown["行号"]) == [29, 188]
    assert any("共 2 行，其中 1 行重述" in c.value for c in searched.caption)
    english = _run(INDICATORS_PAGE, lang="en")
    assert any(s.value == "95 quantified goals (text, boxes and annexes; 30 more statements repeat one of them)"
               for s in english.subheader)


# ---------------------------------------------------------------- scorecard


def _card(at: AppTest):
    return next(d.value for d in at.dataframe if "状态" in d.value.columns).set_index("指标")


def test_scorecard_statuses_from_the_curated_values(plan_db):
    at = _run(SCORECARD_PAGE)
    assert not at.exception
    card = _card(at)
    assert len(card) == 16
    # 64.7 % in 2021 from english.wenzhou.gov.cn (official) ≥ 62以上: achieved, said to rest on 2021. The
    # 2024 and 2025 values (73 %) are unattributed: leads, so no 2025 verdict.
    row = card.loc["高新技术产业增加值占规模以上工业增加值比重"]
    assert (row["状态"], row["来源等级"], row["数值"], row["年份"]) == ("已达标", "官方发布", "64.7", "2021")
    assert "2021" in row["状态依据"] and row["2025 年结论"] == "不下结论（2025 年只有未核实线索）"
    assert "2024：73" in row["未核实线索（不计分）"] and "2025：73" in row["未核实线索（不计分）"]
    # An unsigned article (chaxiaohao.com): an unverified lead, never scored; its value equals the target.
    for name in ("R&D经费占地区生产总值的比重", "每万人高价值发明专利拥有量"):
        assert card.loc[name, "状态"] == "仅有未核实线索" and card.loc[name, "标记"] == "×"
        assert "与规划 2025 年目标值完全相同" in card.loc[name, "数值提示"]
    # One reported year of a five-year average target: insufficient years, no verdict.
    row = card.loc["高新技术产业投资增速"]
    assert (row["状态"], row["标记"], row["来源等级"]) == ("年数不足", "◇", "媒体转述")
    assert row["2025 年结论"].startswith("不下结论")
    # ≥ 3700 in 2022 from an aggregator's copy: a lead, shown as a lower bound, not scored.
    row = card.loc["高新技术企业数量"]
    assert (row["状态"], row["数值"], row["来源等级"]) == ("仅有未核实线索", "≥ 3,700", "未注明来源")
    # Only related measures (研发费用, Q1): no published value of the indicator itself.
    assert card.loc["规上工业企业R&D经费支出占营业收入比重", "状态"] == "无公开数值"
    assert card.loc["顶尖人才", "数值"] == ""
    assert "None" not in card.to_csv() and "nan" not in card.to_csv()
    # The first line says how many verdicts the evidence allows.
    assert "16 项指标 · 1 项有 2025 年数值（其中可下结论 0 项）· 2025 年结论：官方来源 0 项，待官方核实 0 项" in _md(
        at, "项指标")


def test_scorecard_cards_show_status_grade_and_link(plan_db):
    at = _run(SCORECARD_PAGE)
    cards = [m.value.replace("\\", "") for m in at.markdown if ":gray[2020 年基数" in m.value.replace("\\", "")]
    assert len(cards) == 16
    va = next(c for c in cards if "高新技术产业增加值占规模以上工业增加值比重" in c)
    assert ":orange[◆] **已达标** · 按 2021 年数值（官方发布）" in va and ":orange-badge[◆ 官方发布]" in va
    lead = next(c for c in cards if "R&D经费占地区生产总值的比重" in c)
    assert ":gray[×] **仅有未核实线索**" in lead and "最新线索（不计分）" in lead and "已达标" not in lead
    links = [p for p in at.get("page_link") if p.proto.page == "indicators" and "indicator=" in p.proto.query_string]
    assert len(links) == 16


def test_scorecard_filters(plan_db):
    achieved = _card(_run(SCORECARD_PAGE, status="target_achieved"))
    assert set(achieved.index) == {"高新技术产业增加值占规模以上工业增加值比重"}
    leads = _card(_run(SCORECARD_PAGE, status="unverified_lead"))
    assert set(leads.index) == {"R&D经费占地区生产总值的比重", "高新技术企业数量", "科技型中小企业数量",
                                "每万人高价值发明专利拥有量"}
    flagged = _card(_run(SCORECARD_PAGE, flagged="1"))
    assert len(flagged) == 10 and set(flagged["#"]) == {"#"}


@pytest.mark.parametrize("grade, status, verdict, mark", [
    ("official", "已达标", "达成", "◆"),
    ("reported", "已达标（待官方核实）", "达成（待官方核实）", "◇"),
    ("", "仅有未核实线索", "不下结论（2025 年只有未核实线索）", "×"),   # no grade: an unverified lead
])
def test_uploaded_value_changes_the_status_for_this_session_only(plan_db, grade, status, verdict, mark):
    from lib.domain import observation_rows
    from lib.web import scorecard_view

    specs = {"hitech_enterprises": observation_rows.IndicatorSpec("高新技术企业数量", "家", 4400.0, "level")}
    checked = observation_rows.check_rows(
        f"indicator,year,value,grade\nhitech_enterprises,2025,4500,{grade}\n".encode(), specs)
    at = _run(SCORECARD_PAGE, session={scorecard_view.STATE_KEY: {"name": "mine.csv", "checked": checked}})
    row = _card(at).loc["高新技术企业数量"]
    assert (row["状态"], row["2025 年结论"], row["标记"]) == (status, verdict, mark)
    assert any("接受 1 行" in s.value and "拒绝 0 行" in s.value for s in at.success)
    assert _card(_run(SCORECARD_PAGE)).loc["高新技术企业数量", "状态"] == "仅有未核实线索"


def test_indicator_detail_shows_the_scorecard_status_and_links_back(plan_db):
    at = _run(INDICATORS_PAGE, indicator="hitech_investment_growth")
    assert not at.exception
    status = _md(at, "完成情况")
    assert "年数不足" in status and "不下结论" in status
    assert any(p.proto.page == "scorecard" for p in at.get("page_link"))
    facts = _md(at, "公开报道的实际值")
    assert "◇ 媒体转述" in facts
    lead = _md(_run(INDICATORS_PAGE, indicator="high_value_patents_per_10k"), "公开报道的实际值")
    assert "未核实线索，不计分" in lead and "与规划 2025 年目标值完全相同" in lead


# ---------------------------------------------------------------- specs and the published series


@pytest.fixture(scope="module")
def series(db) -> list[dict]:
    return indicator_series(db)


def test_published_series_draws_qualifiers_honestly(series):
    by = lambda code, kind: [r for r in series if r["code"] == code and r["series"] == kind]  # noqa: E731
    assert [(r["lo"], r["hi"] > 73) for r in by("hitech_va_share", "floor")] == [(62.0, True)]   # 62以上: open band
    assert [(round(r["lo"], 2), round(r["hi"], 2)) for r in by("rd_gdp_share", "band")] == [(2.09, 2.31), (2.85, 3.15)]
    assert not by("top_talent", "path") and not by("top_talent", "base")     # -- : a target marker, no path
    assert [r["value"] for r in by("top_talent", "target")] == [10.0]
    assert [(r["year"], r["value"]) for r in by("hitech_enterprises", "history")] == [(2015, 618.0), (2020, 2404.0)]
    assert [r["disagrees"] for r in by("rd_staff_per_10k", "history")] == [True]            # 130 预估 vs 120
    assert {r["path_kind"] for r in by("basic_research_share", "path")} == {"linear"}
    assert not [r for r in by("digital_economy_va", "actual")]                              # 核心产业: not drawn


def test_specs_stay_small(plan_db):
    from lib.web import indicator_view

    import lib.web.queries  # noqa: F401  (cached queries work without a running app)
    for code in ("hitech_enterprises", "hitech_va_share", "top_talent", "rd_gdp_share"):
        detail = json.dumps(indicator_view.detail_chart(code, "zh").to_dict(), separators=(",", ":"))
        panel = json.dumps(indicator_view.panel_chart(code, "zh").to_dict(), separators=(",", ":"))
        assert len(detail.encode()) < 4_500 and len(panel.encode()) < 2_500


@pytest.mark.parametrize("page, params, notice", [
    (SCORECARD_PAGE, {"status": "<script>alert(1)</script>"}, "完成状态"),
    (SCORECARD_PAGE, {"flagged": "yes please"}, "只看“五倍增五提升”指标"),
    (INDICATORS_PAGE, {"indicator": "x" * 500}, "指标"),
])
def test_hostile_links_are_dropped_with_a_notice(plan_db, page, params, notice):
    at = _run(page, **params)
    assert not at.exception
    assert not set(params) & set(at.query_params)
    assert any(notice in w.value for w in at.warning)
    assert "<script" not in "".join(m.value for m in at.markdown)


def test_goal_search_text_is_cleaned_and_never_markup(plan_db):
    at = _run(INDICATORS_PAGE, goals_q="高新\x00技术 <b>")
    assert not at.exception
    assert at.text_input(key="goals_q_input").value == "高新 技术 <b>"
    goals = next(d.value for d in at.dataframe if "原文" in d.value.columns)
    assert goals.empty


@pytest.mark.parametrize("page", [INDICATORS_PAGE, SCORECARD_PAGE])
def test_pages_render_in_english_without_error(plan_db, page):
    at = _run(page, lang="en", indicator="tech_smes")
    assert not at.exception


def test_uploaded_value_changes_the_indicator_page_status_for_this_session_only(plan_db):
    """The detail's status line follows this session's upload; every other visitor keeps the curated one
    (made once per view and shared)."""
    from lib.domain import observation_rows
    from lib.web import scorecard_view

    specs = {"hitech_enterprises": observation_rows.IndicatorSpec("高新技术企业数量", "家", 4400.0, "level")}
    checked = observation_rows.check_rows(b"indicator,year,value,grade\nhitech_enterprises,2025,4500,official\n", specs)
    mine = _md(_run(INDICATORS_PAGE, indicator="hitech_enterprises",
                    session={scorecard_view.STATE_KEY: {"name": "mine.csv", "checked": checked}}), "完成情况")
    assert ":orange[◆] **已达标**" in mine and "2025 年结论：达成" in mine
    others = _md(_run(INDICATORS_PAGE, indicator="hitech_enterprises"), "完成情况")
    assert "**仅有未核实线索**" in others and "2025 年结论：无 2025 年数值" in others


def _actual_symbols(svg: str) -> list[tuple[str, bool, bool]]:
    """(stroke colour, filled, turned 45°) of each actual-value symbol in a rendered detail chart: the
    symbols drawn with the actual values' stroke width (2.5; the plan's points have 2 or none)."""
    symbols = [p for p in re.findall(r"<path [^>]*>", svg)
               if 'aria-roledescription="point"' in p and 'stroke-width="2.5"' in p]
    return [(re.search(r'stroke="([^"]+)"', p).group(1), 'fill="#d95f02"' in p, "rotate(45)" in p)
            for p in symbols]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lean_detail_spec_draws_what_altair_wrote(plan_db, lang):
    """The detail spec sent on every change leaves out what Vega-Lite infers ($schema, nominal types): the
    rendered chart is the same, mark for mark, as Altair's own spec; actual values keep their marks by
    evidence (official ◆ filled orange, unattributed × grey, turned)."""
    from lib.files import chart_export
    from lib.web import chart_specs, indicator_view

    for code in ("hitech_va_share", "rd_gdp_share", "hitech_investment_growth"):
        sent = chart_specs.indicator_detail_spec(code, lang)
        assert "$schema" not in sent and '"type": "nominal"' not in json.dumps(sent)
        full = indicator_view.detail_chart(code, lang).to_dict()
        assert chart_export.convert(sent, "svg") == chart_export.convert(full, "svg")
    svg = chart_export.convert(chart_specs.indicator_detail_spec("hitech_va_share", lang), "svg").decode()
    assert _actual_symbols(svg) == [("#d95f02", True, False), ("#6b6b6b", False, True), ("#6b6b6b", False, True)]
