"""The district choropleth: GeoJSON geometry + per-district metrics, drawn with Altair.

Neither the geometry nor the metrics are inlined: the spec points at the
static files the build publishes (``app/static/…``) and joins them by adcode,
so a district change re-sends about 2 KB of spec instead of the data. The
selection is shown by stroke and opacity from the ``selected`` argument; the
click selection param has no initial value, so clicks keep working across reruns.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import altair as alt

from lib.domain.i18n import DEFAULT_LANG, N_, translator
from lib.domain.paths import (DISTRICT_LEADERS_URL, DISTRICT_METRICS_FILE, DISTRICT_METRICS_URL, DISTRICT_OUTLINES_URL,
                              DISTRICTS_URL, STATIC_BUILD_DIR)
from lib.domain.units import money_divisor, money_unit

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


# Text on the map is black or white, whichever contrasts more with the district's fill as drawn: Vega's
# "blues" scheme (vega-scale's colour stops, interpolated in RGB) at the district's share of the largest
# value, over the white page at the district's opacity. For any fill the better of the two is at least
# 4.58:1 (WCAG AA asks 4.5:1 for text), so the colour only has to flip at the right share.
BLUES = "cfe1f2bed8eca8cee58fc1de74b2d75ba3cf4592c63181bd206fb2125ca40a4a90"
TEXT_DARK, TEXT_LIGHT = "#000", "#fff"
SELECTED_OPACITY, CITY_OPACITY, DIMMED_OPACITY = 1.0, 0.95, 0.55
SELECTED_STROKE = "#d62728"
LEADER_COLOR = "#4a4a4a"


def _blues(t: float) -> tuple[float, float, float]:
    stops = [tuple(int(BLUES[i + j:i + j + 2], 16) for j in (0, 2, 4)) for i in range(0, len(BLUES), 6)]
    t = min(max(t, 0.0), 1.0) * (len(stops) - 1)
    i = min(int(t), len(stops) - 2)
    return tuple(round(a + (b - a) * (t - i)) for a, b in zip(stops[i], stops[i + 1]))


def luminance(rgb) -> float:
    """WCAG 2 relative luminance of an sRGB colour given as 0–255 components."""
    def linear(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def fill_on_white(t: float, opacity: float) -> tuple[float, ...]:
    """The colour a district of share ``t`` shows: the scheme's colour over the white page."""
    return tuple(opacity * c + (1 - opacity) * 255 for c in _blues(t))


def light_text_from(opacity: float) -> float | None:
    """The smallest share of the largest value from which white text contrasts more than black
    (None: black is better for every share at this opacity), to the thousandth."""
    for step in range(1001):
        fill = fill_on_white(step / 1000, opacity)
        if contrast(fill, (255, 255, 255)) > contrast(fill, (0, 0, 0)):
            return step / 1000
    return None


def light_text_districts(rows: list[dict], field: str, selected: str | None) -> list[str]:
    """The districts whose name is written in white: those whose fill, as drawn, is dark (``rows``: the
    published district metrics, with the label placement). A name written outside its district (with a
    leader line) stands on the white page, and with a district selected the others are dimmed
    (DIMMED_OPACITY), where black reads best: those are always black."""
    largest = max((r[field] for r in rows), default=0)
    threshold = light_text_from(SELECTED_OPACITY if selected else CITY_OPACITY)
    if not largest or threshold is None:
        return []
    return sorted(r["adcode"] for r in rows if not r.get("leader") and r[field] >= threshold * largest
                  and (selected is None or r["adcode"] == selected))


@functools.lru_cache(maxsize=4)
def _published_rows(path: Path, version: tuple) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def _metric_rows(metrics) -> list[dict]:
    """The rows the chart draws: inline values, or the published file the URL names."""
    if isinstance(metrics, alt.Data) and not isinstance(metrics, alt.UrlData):
        return list(metrics.values)
    path = STATIC_BUILD_DIR / DISTRICT_METRICS_FILE
    stat = path.stat()
    return _published_rows(path, (stat.st_mtime_ns, stat.st_size))


def _text_color(light: list[str]) -> str | alt.ExprRef:
    if not light:
        return TEXT_DARK
    codes = ", ".join(f"'{code}'" for code in light)
    return alt.ExprRef(f"indexof([{codes}], datum.adcode) < 0 ? '{TEXT_DARK}' : '{TEXT_LIGHT}'")


def choropleth(metric_key: str, selected: str | None, geometry: alt.Data | alt.UrlData | None = None,
               metrics: alt.Data | alt.UrlData | None = None, height: int = 560, lang: str = DEFAULT_LANG,
               large: bool = False, outlines: alt.Data | alt.UrlData | None = None,
               leaders: alt.Data | alt.UrlData | None = None) -> alt.LayerChart:
    """``geometry``/``metrics``/``outlines``/``leaders`` default to the served static files; pass inline data
    to render offline. ``large``: bigger names and legend, for presenter mode.

    Layers: the districts (coloured by the metric; a click selects one), the selected district's outline
    around its mainland only (geo/README.md: the islands would become blots), leader lines to the names
    written outside the small central and island districts, and the names (geo/district_labels.csv)."""
    _ = translator(lang)
    metric = METRICS[metric_key]
    label = metric_label(metric_key, lang)
    expr = f"datum.{metric.field} / {money_divisor(lang)}" if metric.money else f"datum.{metric.field}"
    name_field = "name_en" if lang == "en" else "name_zh"
    geometry = geometry or alt.UrlData(url=DISTRICTS_URL, format=alt.DataFormat(type="json", property="features"))
    metrics = metrics or alt.UrlData(url=DISTRICT_METRICS_URL)
    pick = alt.selection_point(name=CLICK_PARAM, fields=["adcode"], on="click", clear=False, empty=False)
    is_selected = alt.datum.adcode == (selected or "")
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
            opacity=alt.condition(is_selected, alt.value(SELECTED_OPACITY),
                                  alt.value(DIMMED_OPACITY if selected else CITY_OPACITY)),
            tooltip=[
                alt.Tooltip(f"{name_field}:N", title=_("区县")),
                alt.Tooltip(f"{metric.key}:Q", title=label, format=",.2f" if metric.money else ",d"),
            ],   # a district's role and projects are beside the map once it is clicked (every byte is resent)
        )
        .add_params(pick)
    )
    layers = [shapes]
    # The outline and the leader lines are decoration (aria=False): the districts and the names carry the content.
    if selected:
        outlines = outlines or alt.UrlData(url=DISTRICT_OUTLINES_URL)
        layers.append(alt.Chart(outlines).transform_filter(f"datum.properties.adcode === '{selected}'")
                      .mark_geoshape(filled=False, fill=None, stroke=SELECTED_STROKE, strokeWidth=3, aria=False))
    layers.append(alt.Chart(leaders or alt.UrlData(url=DISTRICT_LEADERS_URL))
                  .mark_geoshape(filled=False, fill=None, stroke=LEADER_COLOR, strokeWidth=1, aria=False))
    light = light_text_districts(_metric_rows(metrics), metric.field, selected)
    # On the map, "Longwan" for Longwan District (short_en): the full names overlap (the tooltip keeps them).
    layers.append(
        alt.Chart().mark_text(fontSize=text_size, fontWeight="bold", align=alt.ExprRef("datum.label_align"),
                              color=_text_color(light))
        .encode(longitude="label_lon:Q", latitude="label_lat:Q", text="short_en:N" if lang == "en" else "name_zh:N")
    )
    return alt.layer(*layers, data=metrics).properties(height=height).configure_view(stroke=None)
