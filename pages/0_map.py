"""Map page (the home page, "/"): choropleth of the 12 districts, click to filter, and the district's projects."""
from __future__ import annotations

import functools

import streamlit as st

from lib.charts import map_chart
from lib.domain.i18n import N_
from lib.domain.units import format_money
from lib.web import chart_specs, district_filter, downloads, map_view, page, queries, view_state
from lib.web.lang import _, current_lang

district = page.page_setup(N_("区县地图"))
lang = current_lang()
st.title(_("温州市科技创新“十四五”规划 · 区县地图"))
names = district_filter.district_names(lang)
metric_key = map_view.map_metric()

totals = queries.plan_totals()
panel = map_view.district_panel(district, lang) if district else None
row = panel.row if panel else None
spec = chart_specs.map_spec(metric_key, district, lang)
has_projects = not (district and row["project_count"] == 0)
investment = chart_specs.investment_spec(district, names.get(district), lang) if has_projects else None
downloads.download_menu(district, names.get(district), [
    (spec, f"map-{metric_key}-{district or 'all'}", _("区县地图"), _(map_chart.METRICS[metric_key].source)),
    *([(investment, f"investment-{district or 'all'}", _("重大项目投资图"),
        _("附件2 重大项目，按建设地点归入区县（派生）"))] if investment else []),
])

with st.container(horizontal=True, gap="large"):  # one block, not four columns: less to send per click
    if district:
        st.metric(_("{name} · 重大项目").format(name=names[district]), _("{n} 个").format(n=int(row["project_count"])))
        st.metric(_("“十四五”计划投资"), format_money(row["planned_investment_wan"], lang))
        st.metric(_("项目总投资"), format_money(row["total_investment_wan"], lang))
        st.metric(_("涉及重大平台"), _("{n} 个").format(n=int(row["platform_count"])))
    else:
        st.metric(_("全市 · 重大项目"), _("{n} 个").format(n=totals["project_count"]))
        st.metric(_("“十四五”计划投资"), format_money(totals["planned_investment_wan"], lang))
        st.metric(_("项目总投资"), format_money(totals["total_investment_wan"], lang))
        st.metric(_("重大平台（附件1）"), _("{n} 个").format(n=totals["platform_count"]))
# Constant (sent as a reference to the browser's copy after the first run), so it also explains the cards.
st.caption(_("项目与投资：附件2 按建设地点归入区县后合计（派生），亿元 = 万元 ÷ 10000；平台：附件1 点名该区县的平台数。"
             "区县的项目卡片按“十四五”计划投资排序，行业为本项目归类（不是规划原文）。"))

def district_projects(code: str, count: int) -> None:
    """The district's largest projects (十四五 planned investment), each a card whose name opens the
    project on the projects page in one tap."""
    if not count:
        st.info(_("{name}在附件2 重大项目表中没有列出项目（计为 0）。").format(name=names[code]))
        return
    view = view_state.link_params()
    # The heading opens all of the district's projects; each card opens one.
    st.page_link("pages/1_projects.py", label=_("**重大项目（{n} 个）**").format(n=count), query_params=view,
                 icon=":material/arrow_forward:", icon_position="right")
    for label, project_no in panel.cards:
        # One link per card (lib/web/app.css draws a link of several lines as a card): a tap anywhere opens the
        # project. No container around them: on the map page every element costs bytes on every click.
        st.page_link("pages/1_projects.py", label=label, query_params={**view, "project": str(project_no)},
                     width="stretch")


map_col, info_col = st.columns([3, 2], gap="large")
with map_col:
    st.segmented_control(_("地图指标"), options=list(map_chart.METRICS), key=map_view.METRIC_KEY,
                         format_func=lambda k: _(map_chart.METRICS[k].short), on_change=map_view.on_metric_change)
    key = district_filter.map_key(district)
    st.vega_lite_chart(spec, key=key, on_select=functools.partial(district_filter.on_map_click, key),
                       selection_mode=map_chart.CLICK_PARAM, width="stretch")
    st.caption(_("点击区县筛选，再点一次取消。") + _(map_chart.METRICS[metric_key].source) + _("。"))

with info_col:
    if district:
        st.subheader(panel.heading)
        st.markdown(panel.role_markdown)
        district_projects(district, int(row["project_count"]))
        if panel.platforms_markdown:
            st.markdown(panel.platforms_markdown)
    else:
        st.subheader(_("全市 12 个县级行政区"))
        st.caption(_("点击地图上的区县，查看该区县的重大项目、投资与规划定位。"))
        outside_listing, totals_caption = map_view.city_panel(lang)
        st.markdown(outside_listing)
        st.caption(totals_caption)

if not district:  # a district's projects are its cards above; the city's bars compare the districts
    st.divider()
    st.vega_lite_chart(investment, width="stretch")
