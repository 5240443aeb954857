"""Entry point and map page: choropleth of the 12 districts, click to filter, and the district's projects."""
from __future__ import annotations

import functools

import streamlit as st

from lib import chart_specs, district_filter, layout, map_chart, queries, view_state
from lib.i18n import N_, _
from lib.units import format_wan, format_yi

district = layout.page_setup(N_("区县地图"))
st.title("温州市科技创新“十四五”规划 · 区县地图")
names = district_filter.district_names()
metric_key = view_state.map_metric()

metrics = queries.district_metrics()
totals = queries.plan_totals()
outside = queries.outside_projects()

with st.container(horizontal=True, gap="large"):  # one block, not four columns: less to send per click
    if district:
        row = metrics.set_index("adcode").loc[district]
        st.metric(f"{row['name_zh']} · 重大项目", f"{int(row['project_count'])} 个")
        st.metric("“十四五”计划投资", format_yi(row["planned_investment_wan"]))
        st.metric("项目总投资", format_yi(row["total_investment_wan"]))
        st.metric("涉及重大平台", f"{int(row['platform_count'])} 个")
    else:
        st.metric("全市 · 重大项目", f"{totals['project_count']} 个")
        st.metric("“十四五”计划投资", format_yi(totals["planned_investment_wan"]))
        st.metric("项目总投资", format_yi(totals["total_investment_wan"]))
        st.metric("重大平台（附件1）", f"{totals['platform_count']} 个")
st.caption("项目与投资：附件2 按建设地点归入区县后合计（派生），亿元 = 万元 ÷ 10000；平台：附件1 点名该区县的平台数。")

map_col, info_col = st.columns([3, 2], gap="large")
with map_col:
    st.segmented_control("地图指标", options=list(map_chart.METRICS), key=view_state.METRIC_KEY,
                         format_func=lambda k: _(map_chart.METRICS[k].short), on_change=view_state.on_metric_change)
    key = district_filter.map_key(district)
    spec = chart_specs.map_spec(metric_key, district, view_state.lang())
    st.vega_lite_chart(spec, key=key, on_select=functools.partial(district_filter.on_map_click, key),
                       selection_mode=map_chart.CLICK_PARAM, width="stretch")
    st.caption(_("点击区县筛选，再点一次取消。") + _(map_chart.METRICS[metric_key].source) + "。")
    has_projects = not (district and metrics.set_index("adcode").loc[district, "project_count"] == 0)
    investment = chart_specs.investment_spec(district, names.get(district)) if has_projects else None
    layout.download_menu(district, names.get(district), [
        (spec, f"map-{metric_key}-{district or 'all'}", _("区县地图")),
        *([(investment, f"investment-{district or 'all'}", _("重大项目投资图"))] if investment else []),
    ])

with info_col:
    if district:
        st.subheader(f"{row['name_zh']}（{row['name_en']}）")
        st.markdown(f"**规划定位**：{row['role_zh']}")
        st.caption(f"{row['positioning_zh']}（专栏7）")
    else:
        st.subheader("全市 12 个县级行政区")
        st.caption("点击地图上的区县，或在左侧选择，查看该区县的重大项目、投资与规划定位。")
    st.markdown("**温州市外的项目**（科技飞地，不计入任何区县）\n" + "\n".join(
        f"- {p.name_zh}（{p.location_text}，{p.source_ref}）：总投资 {format_wan(p.total_investment_wan)}，"
        f"“十四五”计划投资 {format_wan(p.planned_investment_wan)}" for p in outside.itertuples()))
    map_total, map_planned = int(metrics["total_investment_wan"].sum()), int(metrics["planned_investment_wan"].sum())
    out_total, out_planned = int(outside["total_investment_wan"].sum()), int(outside["planned_investment_wan"].sum())
    st.caption(f"地图各区县合计 + 市外项目 = 附件2 全部{totals['project_count']}个项目合计（万元）："
               f"总投资 {map_total:,} + {out_total:,} = {totals['total_investment_wan']:,}；"
               f"计划投资 {map_planned:,} + {out_planned:,} = {totals['planned_investment_wan']:,}")

st.divider()
if not has_projects:
    st.info(f"{names[district]}在附件2 重大项目表中没有列出项目（计为 0）。")
else:
    st.vega_lite_chart(investment, width="stretch")
