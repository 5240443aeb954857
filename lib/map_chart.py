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
from lib.i18n import DEFAULT_LANG, N_, translator
from lib.units import money_divisor, money_unit

CLICK_PARAM = "district_pick"


@dataclass(frozen=True)
class MapMetric:
    key: str        # field computed in the spec
    short: str      # selector button text (catalog text)
    label: str      # legend and tooltip title (catalog text; ``{unit}`` is the money unit of the language)
    field: str      # published field it comes from
    money: bool     # a 万元 amount shown in 亿元 / CNY bn, or a count shown as is
    source: str     # how the value is derived from the plan (catalog text)


METRICS = {
    m.key: m for m in (
        MapMetric("planned_investment_yi", N_("计划投资"), N_("“十四五”计划投资（{unit}）"), "planned_investment_wan",
                  True, N_("地图：附件2“十四五”计划投资按区县求和（派生）")),
        MapMetric("total_investment_yi", N_("总投资"), N_("项目总投资（{unit}）"), "total_investment_wan", True,
                  N_("地图：附件2 总投资按区县求和（派生）")),
        MapMetric("project_count", N_("项目数"), N_("重大项目数（个）"), "project_count", False,
                  N_("地图：附件2 项目按区县计数（派生）")),
        MapMetric("platform_count", N_("平台数"), N_("涉及的重大平台数（个）"), "platform_count", False,
                  N_("地图：附件1 文字点名该区县（含境内功能区）的平台数（派生）")),
    )
}
DEFAULT_METRIC = "planned_investment_yi"
LOOKUP_FIELDS = ["name_zh", "name_en", "role_zh", "project_count", "platform_count",
                 "total_investment_wan", "planned_investment_wan"]


def metric_label(metric_key: str, lang: str) -> str:
    return translator(lang)(METRICS[metric_key].label).format(unit=money_unit(lang))


def choropleth(metric_key: str, selected: str | None, geometry: alt.Data | alt.UrlData | None = None,
               metrics: alt.Data | alt.UrlData | None = None, height: int = 560, lang: str = DEFAULT_LANG,
               large: bool = False) -> alt.LayerChart:
    """``geometry``/``metrics`` default to the served static files; pass inline data to render offline.
    ``large``: bigger names and legend, for presenter mode."""
    _ = translator(lang)
    metric = METRICS[metric_key]
    label = metric_label(metric_key, lang)
    expr = f"datum.{metric.field} / {money_divisor(lang)}" if metric.money else f"datum.{metric.field}"
    name_field = "name_en" if lang == "en" else "name_zh"
    geometry = geometry or alt.UrlData(url=DISTRICTS_URL, format=alt.DataFormat(type="json", property="features"))
    metrics = metrics or alt.UrlData(url=DISTRICT_METRICS_URL)
    pick = alt.selection_point(name=CLICK_PARAM, fields=["adcode"], on="click", clear=False, empty=False)
    is_selected = alt.datum.adcode == (selected or "")
    dim_others = 0.55 if selected else 0.95
    text_size = 19 if large else 13 if lang != "en" else 12   # English names are wider

    shapes = (
        alt.Chart(geometry)
        .transform_calculate(adcode="datum.properties.adcode")
        .transform_lookup(lookup="adcode", from_=alt.LookupData(metrics, "adcode", LOOKUP_FIELDS))
        .transform_calculate(**{metric.key: expr})
        .mark_geoshape(stroke="white", strokeWidth=0.8, cursor="pointer")
        .encode(
            color=alt.Color(f"{metric.key}:Q", title=label,
                            scale=alt.Scale(scheme="blues", zero=True, domainMin=0),
                            legend=alt.Legend(orient="bottom", gradientLength=400 if large else 260,
                                              titleLimit=520 if large else 320,
                                              titleFontSize=16 if large else 11, labelFontSize=15 if large else 10)),
            opacity=alt.condition(is_selected, alt.value(1.0), alt.value(dim_others)),
            stroke=alt.condition(is_selected, alt.value("#d62728"), alt.value("white")),
            strokeWidth=alt.condition(is_selected, alt.value(3), alt.value(0.8)),
            tooltip=[
                alt.Tooltip(f"{name_field}:N", title=_("区县")),
                alt.Tooltip(f"{metric.key}:Q", title=label, format=",.2f" if metric.money else ",d"),
                alt.Tooltip("role_zh:N", title=_("规划定位（专栏7）") + (" · " + _("原文") if lang == "en" else "")),
            ],
        )
        .add_params(pick)
    )
    names = alt.Chart(metrics)
    if lang == "en":  # on the map, "Longwan" for Longwan District: the full names overlap (tooltips keep them)
        names = names.transform_calculate(name_en="replace(datum.name_en, regexp(' (District|County|City)$'), '')")
    names = (
        names
        .mark_text(fontSize=text_size, fontWeight="bold", color="#1a1a1a")
        .encode(longitude="label_lon:Q", latitude="label_lat:Q", text=f"{name_field}:N")
    )
    return (shapes + names).properties(height=height).configure_view(stroke=None)
