"""Entry point and map page: choropleth of the 12 districts, click to filter, and the district's projects."""
from __future__ import annotations

import functools

import streamlit as st

from lib import charts, district_filter, layout, map_chart, queries, view_state
from lib.units import format_wan, format_yi

district = layout.page_setup("区县地图")
st.title("温州市科技创新“十四五”规划 · 区县地图")
names = district_filter.district_names()
metric_key = view_state.map_metric()

metrics = queries.district_metrics()
totals = queries.plan_totals()
outside = queries.outside_projects()

cols = st.columns(4)
if district:
    row = metrics.set_index("adcode").loc[district]
    cols[0].metric(f"{row['name_zh']} · 重大项目", f"{int(row['project_count'])} 个")
    cols[1].metric("“十四五”计划投资", format_yi(row["planned_investment_wan"]))
    cols[2].metric("项目总投资", format_yi(row["total_investment_wan"]))
    cols[3].metric("涉及重大平台", f"{int(row['platform_count'])} 个")
else:
    cols[0].metric("全市 · 重大项目", f"{totals['project_count']} 个")
    cols[1].metric("“十四五”计划投资", format_yi(totals["planned_investment_wan"]))
    cols[2].metric("项目总投资", format_yi(totals["total_investment_wan"]))
    cols[3].metric("重大平台（附件1）", f"{len(queries.platforms())} 个")

map_col, info_col = st.columns([3, 2], gap="large")
with map_col:
    st.segmented_control("地图指标", options=list(map_chart.METRICS), key=view_state.METRIC_KEY,
                         format_func=lambda k: map_chart.METRICS[k].short, on_change=view_state.on_metric_change)
    chart = view_state.cached_map(metric_key, district)
    key = district_filter.map_key(district)
    st.altair_chart(chart, key=key, on_select=functools.partial(district_filter.on_map_click, key),
                    selection_mode=map_chart.CLICK_PARAM, width="stretch")
    st.caption(f"点击区县即筛选，再次点击同一区县或用左侧“清除区县筛选”取消。{map_chart.METRICS[metric_key].source}。")

with info_col:
    if district:
        st.subheader(f"{row['name_zh']}（{row['name_en']}）")
        st.markdown(f"**规划定位**：{row['role_zh']}")
        st.caption(f"{row['positioning_zh']}（专栏7 市县协同创新推进计划）")
    else:
        st.subheader("全市 12 个县级行政区")
        st.caption("点击地图上的区县，或在左侧选择，查看该区县的重大项目、投资与规划定位。")
    st.markdown("**温州市外的项目**（科技飞地，不计入任何区县）")
    st.dataframe(
        outside.rename(columns={"project_no": "序号", "name_zh": "项目", "location_text": "建设地点",
                                "total_investment_wan": "总投资（万元）", "planned_investment_wan": "计划投资（万元）"})
        [["序号", "项目", "建设地点", "总投资（万元）", "计划投资（万元）"]],
        hide_index=True, width="stretch")
    map_total = int(metrics["total_investment_wan"].sum())
    map_planned = int(metrics["planned_investment_wan"].sum())
    st.caption(
        f"地图各区县合计：总投资 {format_wan(map_total)}、计划投资 {format_wan(map_planned)}；"
        f"加上市外项目 {format_wan(outside['total_investment_wan'].sum())}、{format_wan(outside['planned_investment_wan'].sum())}，"
        f"等于附件2 全部 {totals['project_count']} 个项目合计 {format_wan(totals['total_investment_wan'])}、"
        f"{format_wan(totals['planned_investment_wan'])}。")

st.divider()
if district:
    frame = queries.projects(district)
    if frame.empty:
        st.info(f"{names[district]}在附件2 重大项目表中没有列出项目（计为 0）。")
    else:
        st.altair_chart(charts.investment_bars(frame, "name_zh", f"{names[district]} · 重大项目投资"),
                        width="stretch")
else:
    by_district = metrics.rename(columns={"name_zh": "区县"})[["区县", "total_investment_wan", "planned_investment_wan"]]
    st.altair_chart(charts.investment_bars(by_district, "区县", "各区县重大项目投资"), width="stretch")
