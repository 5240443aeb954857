"""The district choropleth: GeoJSON geometry + per-district metrics, drawn with Altair.

The geometry is not inlined: the spec points at the statically served layer
(``app/static/…``) and looks the metrics up by adcode, so a district change
re-sends a few KB of spec instead of the whole GeoJSON. The selection is shown
by stroke and opacity from the ``selected`` argument; the click selection
param has no initial value, so clicks keep working across reruns.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import altair as alt
import geopandas as gpd

from lib.paths import DISTRICTS_GEOJSON_PATH
from lib.units import WAN_PER_YI

# Served by Streamlit from static/ (a link to geo/) when server.enableStaticServing is on.
STATIC_LAYER_URL = "app/static/wenzhou_districts.geojson"
CLICK_PARAM = "district_pick"


@dataclass(frozen=True)
class MapMetric:
    key: str        # column in the lookup data
    short: str      # selector button text
    label: str      # legend and tooltip title, with its unit
    source: str     # how the value is derived from the plan
    number_format: str


METRICS = {
    m.key: m for m in (
        MapMetric("planned_investment_yi", "计划投资", "“十四五”计划投资（亿元）",
                  "附件2 各项目“十四五”计划投资（万元）按建设地点所属区县求和，÷10000 换算为亿元（派生）", ",.2f"),
        MapMetric("total_investment_yi", "总投资", "项目总投资（亿元）",
                  "附件2 各项目总投资（万元）按建设地点所属区县求和，÷10000 换算为亿元（派生）", ",.2f"),
        MapMetric("project_count", "项目数", "重大项目数（个）", "附件2 按建设地点所属区县计数（派生）", ",d"),
        MapMetric("platform_count", "平台数", "涉及的重大平台数（个）",
                  "附件1 各平台文字中点名该区县（或其境内功能区）的平台数（派生）", ",d"),
    )
}
DEFAULT_METRIC = "planned_investment_yi"


@lru_cache(maxsize=1)
def label_points(path: Path = DISTRICTS_GEOJSON_PATH) -> tuple[dict, ...]:
    """One label anchor per district, inside its own polygon (islands make centroids fall in the sea)."""
    layer = gpd.read_file(path)
    points = layer.geometry.representative_point()
    return tuple(
        {"adcode": row.adcode, "name": row["name"], "lon": round(pt.x, 4), "lat": round(pt.y, 4)}
        for (_, row), pt in zip(layer.iterrows(), points)
    )


def metric_rows(district_metrics) -> list[dict]:
    """Lookup rows for the map, values in display units; every district present, 0 where none."""
    rows = []
    for r in district_metrics.itertuples():
        rows.append({
            "adcode": r.adcode, "name": r.name_zh, "role": r.role_zh or "",
            "project_count": int(r.project_count), "platform_count": int(r.platform_count),
            "total_investment_yi": r.total_investment_wan / WAN_PER_YI,
            "planned_investment_yi": r.planned_investment_wan / WAN_PER_YI,
        })
    return rows


def choropleth(rows: list[dict], metric_key: str, selected: str | None, labels: tuple[dict, ...],
               geometry: alt.Data | alt.UrlData | None = None, height: int = 560) -> alt.LayerChart:
    metric = METRICS[metric_key]
    geometry = geometry or alt.UrlData(url=STATIC_LAYER_URL, format=alt.DataFormat(type="json", property="features"))
    pick = alt.selection_point(name=CLICK_PARAM, fields=["adcode"], on="click", clear=False, empty=False)
    is_selected = alt.datum.adcode == (selected or "")
    has_selection = selected is not None

    shapes = (
        alt.Chart(geometry)
        .transform_calculate(adcode="datum.properties.adcode")
        .transform_lookup(lookup="adcode", from_=alt.LookupData(alt.InlineData(values=rows), "adcode",
                                                               ["name", "role", metric.key]))
        .mark_geoshape(stroke="white", strokeWidth=0.8, cursor="pointer")
        .encode(
            color=alt.Color(f"{metric.key}:Q", title=metric.label,
                            scale=alt.Scale(scheme="blues", zero=True, domainMin=0),
                            legend=alt.Legend(orient="bottom", gradientLength=260, titleLimit=320)),
            opacity=alt.condition(is_selected, alt.value(1.0), alt.value(0.55 if has_selection else 0.95)),
            stroke=alt.condition(is_selected, alt.value("#d62728"), alt.value("white")),
            strokeWidth=alt.condition(is_selected, alt.value(3), alt.value(0.8)),
            tooltip=[
                alt.Tooltip("name:N", title="区县"),
                alt.Tooltip(f"{metric.key}:Q", title=metric.label, format=metric.number_format),
                alt.Tooltip("role:N", title="规划定位（专栏7）"),
            ],
        )
        .add_params(pick)
    )
    names = (
        alt.Chart(alt.InlineData(values=list(labels)))
        .mark_text(fontSize=13, fontWeight="bold", color="#1a1a1a")
        .encode(longitude="lon:Q", latitude="lat:Q", text="name:N")
    )
    return (shapes + names).properties(height=height).configure_view(stroke=None)
