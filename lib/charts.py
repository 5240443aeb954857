"""Chart builders: plain functions from DataFrames to Altair charts (no Streamlit here)."""
from __future__ import annotations

import altair as alt
import pandas as pd

from lib.units import WAN_PER_YI

INVESTMENT_KINDS = {
    "total_investment_wan": "项目总投资",
    "planned_investment_wan": "“十四五”计划投资",
}
_COLORS = alt.Scale(domain=list(INVESTMENT_KINDS.values()), range=["#9ecae1", "#08519c"])


def _long_investment(frame: pd.DataFrame, label_column: str) -> pd.DataFrame:
    long = frame.melt(id_vars=[label_column], value_vars=list(INVESTMENT_KINDS), var_name="kind",
                      value_name="wan")
    long["投资类别"] = long["kind"].map(INVESTMENT_KINDS)
    long["亿元"] = long["wan"] / WAN_PER_YI
    return long.rename(columns={label_column: "名称"})


def investment_bars(frame: pd.DataFrame, label_column: str, title: str) -> alt.Chart:
    """Total and 十四五 planned investment side by side for each row, in 亿元, largest first."""
    long = _long_investment(frame, label_column)
    order = (frame.sort_values("total_investment_wan", ascending=False)[label_column].tolist())
    return (
        alt.Chart(long, title=alt.Title(title, subtitle="单位：亿元（附件2 万元 ÷ 10000）"))
        .mark_bar()
        .encode(
            y=alt.Y("名称:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
            yOffset=alt.YOffset("投资类别:N", sort=list(INVESTMENT_KINDS.values())),
            x=alt.X("亿元:Q", title="投资（亿元）"),
            color=alt.Color("投资类别:N", scale=_COLORS, legend=alt.Legend(orient="top", title=None)),
            tooltip=[alt.Tooltip("名称:N"), alt.Tooltip("投资类别:N"),
                     alt.Tooltip("亿元:Q", format=",.2f"), alt.Tooltip("wan:Q", title="万元", format=",d")],
        )
        .properties(height=alt.Step(11))
    )
