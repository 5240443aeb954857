"""Indicators page. Without ``?indicator=``: the 16 headline indicators as panels, the ambition
comparison and the plan's quantified goals (restatements linked). With it: one indicator's required path, its facts and the
published values. City-wide figures only."""
from __future__ import annotations

import functools

import streamlit as st

from lib.charts import indicator_charts
from lib.domain import citations
from lib.domain.i18n import N_
from lib.web import chart_specs, district_filter, downloads, indicator_view, page, view_state
from lib.web.lang import _, current_lang

district = page.page_setup(N_("指标与目标"))
lang = current_lang()
st.title(_("“十四五”主要指标与目标"))
if district:
    st.info(_("这些指标都是全市口径，规划没有分解到区县：已选{name}，下面仍是全市数值。").format(
        name=district_filter.district_names(lang)[district]), icon=":material/info:")
names = indicator_view.names(lang)
code = indicator_view.current()
ambition_titles = {"rate": _("目标有多难：复合年均增速（个数与金额）"), "points": _("目标有多难：每年提高的百分点（比重）")}


def _source(indicator: str) -> str:
    row = indicator_view.row(indicator)
    return _("{ref}，第 {line} 行").format(ref=citations.cite(row.source, lang), line=row.source_line)


def _charts() -> list[tuple]:
    """The page's charts for the download menu (made only while it is open): the open indicator's, or
    the two ambition charts and the 16 panels."""
    if code:
        return [(chart_specs.indicator_detail_spec(code, lang), f"indicator-{code}", names[code], _source(code))]
    specs = chart_specs.ambition_specs(lang)
    ambition_source = _("一（一）现实基础所载 2015、2020 年数值与主要指标表的目标（派生计算）")
    return [*((specs[kind], f"ambition-{kind}", ambition_titles[kind], ambition_source) for kind in specs),
            *((chart_specs.indicator_panel_spec(c, lang), f"indicator-panel-{c}", names[c], _source(c))
              for c in names)]


# The one-click brief near the top of the page (it was some 3,000 px down the overview on a phone).
downloads.download_menu(district, district_filter.district_names(lang).get(district), _charts)

with st.container(horizontal=True, gap="medium", vertical_alignment="bottom"):
    st.selectbox(_("选择指标"), options=[indicator_view.NONE, *names], key=indicator_view.SELECT_KEY,
                 on_change=indicator_view.on_select,
                 format_func=lambda c: _("（全部 16 项：点击下方任一指标，或在此选择）") if c == indicator_view.NONE
                 else names[c])
    if code:
        st.button(_("返回全部指标"), on_click=indicator_view.close, icon=":material/grid_view:")
        # The status below comes from the scorecard: its card is a click away (in this row, not a row of its
        # own: every block is sent again on every click).
        st.page_link("pages/4_scorecard.py", label=_("在完成情况页查看"), icon=":material/fact_check:",
                     query_params={k: v for k, v in view_state.link_params().items()
                                   if k in ("lang", district_filter.QUERY_PARAM)})

if code:
    # The same status as the scorecard (this session's upload included).
    st.markdown(indicator_view.status_markdown(code, lang))
    chart_col, facts_col = st.columns([3, 2], gap="large")
    with chart_col:
        st.vega_lite_chart(chart_specs.indicator_detail_spec(code, lang), width="stretch")
        st.caption(_(":blue[● 深蓝点]：主要指标表的 2020 年基数与 2025 年目标（空心点为“左右”，灰带示意 ±5%；"
                     "横线加绿带与 ▲ 为“以上”，目标是下限）；:blue[虚线]：按规划增速推算的路径（派生）；"
                     ":gray[灰线与灰点]：正文所载的历史值；:orange[◆ 实心菱形]：官方发布的同口径实际值；"
                     ":orange[◇ 空心菱形]：媒体转述的实际值（待官方核实）；:gray[× 灰色叉]：未注明来源的未核实线索（不计分）。"
                     "悬停任一点可见出处与原文。"))
    with facts_col:
        st.markdown(indicator_view.facts_markdown(code, lang))
    st.stop()

st.subheader(_("16 项主要指标"))
st.caption(_("主要指标表本身不分组，只用 # 标出 10 项“五倍增五提升”指标；这里按一（五）主要目标的段落分组"
             "（14 项的目标在这些段落中重述，另 2 项只见于指标表或其他章节；“重大创新平台”一段不含表中指标）。"
             "每格：2020 年基数 → 2025 年目标；灰点为正文一（一）现实基础所载的 2015 年值（{n} 项指标有）。"
             "正文的 2020 年值与表列基数相同的，画作基数（深蓝点）；不同的（{differ}）只在详情页画出并注明。"
             "点击一格查看详情。").format(n=len(indicator_view.with_2015()),
                                         differ=indicator_view.text_base_differences(lang)))
for heading, codes in indicator_view.panel_groups(lang):
    st.markdown(heading)
    for i, panel_code in enumerate(codes):
        if i % 4 == 0:  # a new row of four, so a phone (one column) keeps the plan's order
            columns = st.columns(4, gap="small")
        with columns[i % 4]:
            key = indicator_view.panel_key(panel_code)
            st.vega_lite_chart(chart_specs.indicator_panel_spec(panel_code, lang), key=key,
                               on_select=functools.partial(indicator_view.on_panel_click, key),
                               selection_mode=indicator_charts.PANEL_PICK, width="stretch")

st.subheader(_("目标有多难：前五年实际增速与规划要求"))
specs = chart_specs.ambition_specs(lang)
chart_col, text_col = st.columns([3, 2], gap="large")
with chart_col:
    for kind in specs:
        st.vega_lite_chart(specs[kind], width="stretch")
with text_col:
    st.markdown(indicator_view.ambition_markdown(lang))
    st.caption(_("只比较规划给出 2015 年数值的 5 项指标。个数与金额用复合年均增速（%）；比重（%）用每年提高的百分点，"
                 "因为比重的“增速”混合了分子分母两个基数。2015 与 2020 年数值取自一（一）现实基础（派生计算）。"))

distinct, restated = indicator_view.goal_counts()
st.subheader(_("{n} 项量化目标（正文、专栏与附件；另有 {m} 处重复表述）").format(n=distinct, m=restated))
query = indicator_view.goals_query()
st.session_state["goals_q_input"] = query or ""
st.text_input(_("搜索目标（可输入中文，如“高新技术企业”）"), key="goals_q_input", max_chars=100,
              on_change=lambda: indicator_view.set_goals_query(st.session_state.get("goals_q_input", "")))
goals, shown, restated_shown = indicator_view.goals_table(query, lang)
st.caption(_("按章节顺序排列，共 {n} 行，其中 {m} 行重述前文已有的目标（同一数值、单位和年份，"
             "经逐条阅读判断；见“同一目标的其他表述”列）；每项附原文与行号。").format(
    n=shown, m=restated_shown))
# Widths so that the other statement of a restated goal shows at 1400 px without scrolling sideways.
st.dataframe(goals, hide_index=True, width="stretch", height=420,
             column_config={_("章节"): st.column_config.TextColumn(width=150),
                            _("目标"): st.column_config.TextColumn(width=250),
                            _("年份"): st.column_config.NumberColumn(format="%d", width=50),
                            _("同一目标的其他表述"): st.column_config.TextColumn(width=300),
                            _("行号"): st.column_config.NumberColumn(format="%d")})
