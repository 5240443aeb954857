"""The district choropleth: GeoJSON geometry + per-district metrics, drawn with Altair.

Neither the geometry nor the metrics are inlined: the spec points at the
static files the build publishes (``app/static/…``) and joins them by adcode,
so a district change re-sends about 2 KB of spec instead of the data. The
selection is shown by stroke and opacity from the ``selected`` argument; the
click selection param has no initial value, so clicks keep working across reruns.
"""
from __future__ import annotations

from dataclasses import dataclass

import altair as alt

from lib.paths import DISTRICT_METRICS_URL, DISTRICTS_URL
from lib.units import WAN_PER_YI

CLICK_PARAM = "district_pick"


@dataclass(frozen=True)
class MapMetric:
    key: str        # field computed in the spec
    short: str      # selector button text
    label: str      # legend and tooltip title, with its unit
    expr: str       # Vega expression from the published metrics
    source: str     # how the value is derived from the plan
    number_format: str


METRICS = {
    m.key: m for m in (
        MapMetric("planned_investment_yi", "计划投资", "“十四五”计划投资（亿元）",
                  f"datum.planned_investment_wan / {WAN_PER_YI}",
                  "地图：附件2“十四五”计划投资按区县求和（派生）", ",.2f"),
        MapMetric("total_investment_yi", "总投资", "项目总投资（亿元）",
                  f"datum.total_investment_wan / {WAN_PER_YI}",
                  "地图：附件2 总投资按区县求和（派生）", ",.2f"),
        MapMetric("project_count", "项目数", "重大项目数（个）", "datum.project_count",
                  "地图：附件2 项目按区县计数（派生）", ",d"),
        MapMetric("platform_count", "平台数", "涉及的重大平台数（个）", "datum.platform_count",
                  "地图：附件1 文字点名该区县（含境内功能区）的平台数（派生）", ",d"),
    )
}
DEFAULT_METRIC = "planned_investment_yi"
LOOKUP_FIELDS = ["name_zh", "role_zh", "project_count", "platform_count",
                 "total_investment_wan", "planned_investment_wan"]


def choropleth(metric_key: str, selected: str | None, geometry: alt.Data | alt.UrlData | None = None,
               metrics: alt.Data | alt.UrlData | None = None, height: int = 560) -> alt.LayerChart:
    """``geometry``/``metrics`` default to the served static files; pass inline data to render offline."""
    metric = METRICS[metric_key]
    geometry = geometry or alt.UrlData(url=DISTRICTS_URL, format=alt.DataFormat(type="json", property="features"))
    metrics = metrics or alt.UrlData(url=DISTRICT_METRICS_URL)
    pick = alt.selection_point(name=CLICK_PARAM, fields=["adcode"], on="click", clear=False, empty=False)
    is_selected = alt.datum.adcode == (selected or "")
    dim_others = 0.55 if selected else 0.95

    shapes = (
        alt.Chart(geometry)
        .transform_calculate(adcode="datum.properties.adcode")
        .transform_lookup(lookup="adcode", from_=alt.LookupData(metrics, "adcode", LOOKUP_FIELDS))
        .transform_calculate(**{metric.key: metric.expr})
        .mark_geoshape(stroke="white", strokeWidth=0.8, cursor="pointer")
        .encode(
            color=alt.Color(f"{metric.key}:Q", title=metric.label,
                            scale=alt.Scale(scheme="blues", zero=True, domainMin=0),
                            legend=alt.Legend(orient="bottom", gradientLength=260, titleLimit=320)),
            opacity=alt.condition(is_selected, alt.value(1.0), alt.value(dim_others)),
            stroke=alt.condition(is_selected, alt.value("#d62728"), alt.value("white")),
            strokeWidth=alt.condition(is_selected, alt.value(3), alt.value(0.8)),
            tooltip=[
                alt.Tooltip("name_zh:N", title="区县"),
                alt.Tooltip(f"{metric.key}:Q", title=metric.label, format=metric.number_format),
                alt.Tooltip("role_zh:N", title="规划定位（专栏7）"),
            ],
        )
        .add_params(pick)
    )
    names = (
        alt.Chart(metrics)
        .mark_text(fontSize=13, fontWeight="bold", color="#1a1a1a")
        .encode(longitude="label_lon:Q", latitude="label_lat:Q", text="name_zh:N")
    )
    return (shapes + names).properties(height=height).configure_view(stroke=None)
