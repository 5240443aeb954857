"""Map page (the home page, "/"): choropleth of the 12 districts, click to filter, and the district's projects."""
from __future__ import annotations

import functools

import streamlit as st

from lib import chart_specs, citations, district_filter, layout, map_chart, queries, view_state
from lib.i18n import N_, _, column, marked
from lib.units import format_money, format_wan_lang, wan_number, wan_unit

district = layout.page_setup(N_("区县地图"))
lang = view_state.lang()
st.title(_("温州市科技创新“十四五”规划 · 区县地图"))
names = district_filter.district_names(lang)
metric_key = view_state.map_metric()

metrics = queries.district_metrics()
totals = queries.plan_totals()
outside = queries.outside_projects()

with st.container(horizontal=True, gap="large"):  # one block, not four columns: less to send per click
    if district:
        row = metrics.set_index("adcode").loc[district]
        st.metric(_("{name} · 重大项目").format(name=names[district]), _("{n} 个").format(n=int(row["project_count"])))
        st.metric(_("“十四五”计划投资"), format_money(row["planned_investment_wan"], lang))
        st.metric(_("项目总投资"), format_money(row["total_investment_wan"], lang))
        st.metric(_("涉及重大平台"), _("{n} 个").format(n=int(row["platform_count"])))
    else:
        st.metric(_("全市 · 重大项目"), _("{n} 个").format(n=totals["project_count"]))
        st.metric(_("“十四五”计划投资"), format_money(totals["planned_investment_wan"], lang))
        st.metric(_("项目总投资"), format_money(totals["total_investment_wan"], lang))
        st.metric(_("重大平台（附件1）"), _("{n} 个").format(n=totals["platform_count"]))
st.caption(_("项目与投资：附件2 按建设地点归入区县后合计（派生），亿元 = 万元 ÷ 10000；平台：附件1 点名该区县的平台数。"))

map_col, info_col = st.columns([3, 2], gap="large")
with map_col:
    st.segmented_control(_("地图指标"), options=list(map_chart.METRICS), key=view_state.METRIC_KEY,
                         format_func=lambda k: _(map_chart.METRICS[k].short), on_change=view_state.on_metric_change)
    key = district_filter.map_key(district)
    spec = chart_specs.map_spec(metric_key, district, lang)
    st.vega_lite_chart(spec, key=key, on_select=functools.partial(district_filter.on_map_click, key),
                       selection_mode=map_chart.CLICK_PARAM, width="stretch")
    st.caption(_("点击区县筛选，再点一次取消。") + _(map_chart.METRICS[metric_key].source) + _("。"))
    has_projects = not (district and row["project_count"] == 0)
    investment = chart_specs.investment_spec(district, names.get(district), lang) if has_projects else None
    layout.download_menu(district, names.get(district), [
        (spec, f"map-{metric_key}-{district or 'all'}", _("区县地图")),
        *([(investment, f"investment-{district or 'all'}", _("重大项目投资图"))] if investment else []),
    ])

with info_col:
    if district:
        # In English the Chinese name is left out of the heading; the map and the sidebar keep both apart.
        st.subheader(names[district] if lang == "en" else f"{row['name_zh']}（{row['name_en']}）")
        st.markdown(_("**规划定位**：{role}").format(role=marked(row["role_zh"], lang)))
        st.caption(_("{positioning}（专栏7）").format(positioning=marked(row["positioning_zh"], lang)))
    else:
        st.subheader(_("全市 12 个县级行政区"))
        st.caption(_("点击地图上的区县，或在左侧选择，查看该区县的重大项目、投资与规划定位。"))
    st.markdown(_("**温州市外的项目**（科技飞地，不计入任何区县）") + "\n" + "\n".join(
        "- " + _("{name}（{location}，{source}）：总投资 {total}，“十四五”计划投资 {planned}").format(
            name=getattr(p, column("name", lang)), location=p.location_en if lang == "en" else p.location_text,
            source=citations.cite(p.source, lang), total=format_wan_lang(p.total_investment_wan, lang),
            planned=format_wan_lang(p.planned_investment_wan, lang)) for p in outside.itertuples()))
    map_total, map_planned = int(metrics["total_investment_wan"].sum()), int(metrics["planned_investment_wan"].sum())
    out_total, out_planned = int(outside["total_investment_wan"].sum()), int(outside["planned_investment_wan"].sum())
    st.caption(_("地图各区县合计 + 市外项目 = 附件2 全部{n}个项目合计（{unit}）：总投资 {map_total} + {out_total} = "
                 "{total}；计划投资 {map_planned} + {out_planned} = {planned}").format(
        n=totals["project_count"], unit=wan_unit(lang), map_total=wan_number(map_total, lang),
        out_total=wan_number(out_total, lang), total=wan_number(totals["total_investment_wan"], lang),
        map_planned=wan_number(map_planned, lang), out_planned=wan_number(out_planned, lang),
        planned=wan_number(totals["planned_investment_wan"], lang)))

st.divider()
if not has_projects:
    st.info(_("{name}在附件2 重大项目表中没有列出项目（计为 0）。").format(name=names[district]))
else:
    st.vega_lite_chart(investment, width="stretch")
