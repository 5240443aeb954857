"""Chart builders: plain functions returning Altair charts (no Streamlit here)."""
from __future__ import annotations

import altair as alt
import pandas as pd

from lib.paths import DISTRICT_METRICS_URL, PROJECT_INVESTMENT_URL
from lib.units import WAN_PER_YI

INVESTMENT_KINDS = {"total_investment_wan": "项目总投资", "planned_investment_wan": "“十四五”计划投资"}
_COLORS = alt.Scale(domain=list(INVESTMENT_KINDS.values()), range=["#9ecae1", "#08519c"])


def investment_bars(data: pd.DataFrame | alt.UrlData, title: str, label_field: str = "name_zh",
                    district: str | None = None) -> alt.Chart:
    """Total and 十四五 planned investment side by side per row, in 亿元, largest first.

    ``data`` has ``label_field`` and the two 万元 columns; with ``district`` only
    rows whose ``district_adcode`` matches are drawn (the filter runs in the browser).
    """
    chart = alt.Chart(data, title=alt.Title(title, subtitle="单位：亿元（附件2 万元 ÷ 10000）"))
    if district:
        chart = chart.transform_filter(alt.datum.district_adcode == district)
    kind_label = " : ".join(f"datum.kind == '{k}' ? '{v}'" for k, v in INVESTMENT_KINDS.items()) + " : ''"
    return (
        chart.transform_fold(list(INVESTMENT_KINDS), as_=["kind", "wan"])
        .transform_calculate(yi=f"datum.wan / {WAN_PER_YI}", kind_zh=kind_label)
        .mark_bar()
        .encode(
            y=alt.Y(f"{label_field}:N", title=None, axis=alt.Axis(labelLimit=260),
                    sort=alt.EncodingSortField("total_investment_wan", op="max", order="descending")),
            yOffset=alt.YOffset("kind_zh:N", sort=list(INVESTMENT_KINDS.values())),
            x=alt.X("yi:Q", title="投资（亿元）"),
            color=alt.Color("kind_zh:N", scale=_COLORS, legend=alt.Legend(orient="top", title=None)),
            tooltip=[alt.Tooltip(f"{label_field}:N", title="名称"), alt.Tooltip("kind_zh:N", title="类别"),
                     alt.Tooltip("yi:Q", title="亿元", format=",.2f"), alt.Tooltip("wan:Q", title="万元", format=",d")],
        )
        .properties(height=alt.Step(11))
    )


def district_investment_bars(district: str | None, district_name: str | None) -> alt.Chart:
    """The page's investment chart: one district's projects, or every district when none is selected."""
    if district:
        return investment_bars(alt.UrlData(PROJECT_INVESTMENT_URL), f"{district_name} · 重大项目投资",
                               district=district)
    return investment_bars(alt.UrlData(DISTRICT_METRICS_URL), "各区县重大项目投资")
