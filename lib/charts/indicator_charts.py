"""Indicator charts: overview panels, one indicator's path, the ambition comparison. Altair, no Streamlit.

Panels and the detail chart read the statically served ``indicator_series.json`` (published by the
build) and filter it by code in the browser, so a change of indicator re-sends a small spec only.
The ambition chart is small and the same for everyone, so its data is inline.
"""
from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from lib.domain import evidence
from lib.domain.i18n import DEFAULT_LANG, translator
from lib.domain.paths import INDICATOR_SERIES_URL

PANEL_PICK = "indicator_pick"
PATH_COLOR, HISTORY_COLOR, PLAN_COLOR, ACTUAL_COLOR = "#1f77b4", "#7f7f7f", "#08306b", "#d95f02"
LEAD_COLOR = "#6b6b6b"   # an unverified lead: grey, a cross, never the actual's orange


def wrap(text: str, width: int, lang: str = DEFAULT_LANG) -> list[str]:
    """Vega titles do not wrap. Chinese has no spaces: break every ``width`` characters; English
    (about half as wide per character) breaks between words at twice the width."""
    if lang != DEFAULT_LANG:
        return textwrap.wrap(text, round(width * 1.7), break_long_words=False) or [text]
    return textwrap.wrap(text, width, break_long_words=True) or [text]


def _field(name: str, lang: str) -> str:
    """The published series' words are in ``label``/``value_text`` and ``label_en``/``value_text_en``."""
    return f"{name}_en" if lang != DEFAULT_LANG else name


def _is(*series: str) -> alt.FieldOneOfPredicate | str:
    if len(series) == 1:  # as an expression: a third shorter than the predicate object, sent on every change
        return f"datum.series == '{series[0]}'"
    return alt.FieldOneOfPredicate(field="series", oneOf=list(series))


def panel(code: str, name: str, flagged: bool, subtitle: str, has_2015: bool,
          data=None, lang: str = "zh") -> alt.LayerChart:
    """One small multiple: base → target (and 2015 where the plan gives it); a click anywhere picks it."""
    _ = translator(lang)
    pick = alt.selection_point(name=PANEL_PICK, fields=["code"], on="click", clear=False)
    hit = (alt.Chart().transform_filter(_is("target"))
           .mark_rect(cursor="pointer", fill="#fff", opacity=0.01)
           .encode(x=alt.value(0), x2=alt.value("width"), y=alt.value(0), y2=alt.value("height"),
                   tooltip=alt.Tooltip("name:N", title=_("指标")))
           .transform_calculate(name=repr(name))
           .add_params(pick))
    # A 2020 text value that disagrees with the table (130 预估 vs 120) is left to the detail view.
    line = alt.Chart().transform_filter(_is("history", "path")).transform_filter("!datum.disagrees").mark_line().encode(
        strokeDash=alt.StrokeDash("series:N", legend=None, scale=alt.Scale(domain=["history", "path"],
                                                                           range=[[1, 0], [5, 3]])),
        color=alt.value(PATH_COLOR))
    # A 2020 text value equal to the table's base is the base itself: drawn blue, as the base (not a grey
    # dot on top of it), so every grey dot in a panel is a 2015 value.
    ends = alt.Chart().transform_filter(_is("base", "target", "history")).transform_filter(
        "!datum.disagrees && (datum.series != 'history' || datum.labelled)").mark_point(
        filled=True, size=36).encode(
        color=alt.condition(alt.datum.series == "history", alt.value(HISTORY_COLOR), alt.value(PLAN_COLOR)))
    labels = (alt.Chart().transform_filter(_is("base", "target"))
              # English: the number only (its unit word is in the subtitle; "120 person-years" overflows a panel)
              .mark_text(dy=-10, fontSize=11, color=PLAN_COLOR).encode(
                  text="short_en:N" if lang != DEFAULT_LANG else "value_text:N"))
    if lang != DEFAULT_LANG:
        subtitle = wrap(subtitle, 14, lang)
    title = alt.Title(wrap(name + (" #" if flagged else ""), 13, lang), subtitle=subtitle, fontSize=13, anchor="start",
                      subtitleColor="#555")
    return (alt.layer(hit, line, ends, labels, data=data or alt.UrlData(INDICATOR_SERIES_URL), title=title)
            .transform_filter(alt.datum.code == code)
            .encode(x=alt.X("year:Q", axis=alt.Axis(values=[2015, 2020, 2025], format="d", title=None, grid=False),
                            scale=alt.Scale(domain=[2014 if has_2015 else 2019, 2026])),
                    y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False, padding=14)))
            # fit-x: the height is the plot's, the title goes on top (Streamlit's default "fit" would
            # squeeze the title into the 130 px and clip it).
            .properties(height=130, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
            .configure_view(stroke=None))


# The series drawn in their series' colour (actual values are coloured by their grade, bands by kind).
SERIES_COLORS = {"base": PLAN_COLOR, "target": PLAN_COLOR, "path": PATH_COLOR, "history": HISTORY_COLOR}


def detail(code: str, name: str, flagged: bool, subtitle: list[str], unit: str, has_2015: bool,
           has_base: bool = True, data=None, lang: str = "zh", scale_by: float = 1.0) -> alt.LayerChart:
    """The required path 2020 → 2025 with the 2015 history, qualifiers drawn honestly, and actual values.

    ``unit`` is the axis title in the view's language; ``scale_by`` converts the published values to
    it (money in English: 亿元 → CNY bn is 0.1), in the browser."""
    _ = translator(lang)
    # No Vega legend: the caption under the chart says what each mark is. Streamlit sends specs as
    # ASCII-escaped JSON (6 bytes per Chinese character), and the caption is sent once and then by reference.
    color = alt.Color("series:N", legend=None,
                      scale=alt.Scale(domain=list(SERIES_COLORS), range=list(SERIES_COLORS.values())))
    # 左右 as a grey band (±5 %), 以上 as a green band open upwards from the target.
    bands = (alt.Chart().transform_filter(_is("band", "floor"))
             .transform_calculate(x0="datum.year - 0.28", x1="datum.year + 0.28")
             .mark_rect(opacity=0.3).encode(x="x0:Q", x2="x1:Q", y="lo:Q", y2="hi:Q", color=alt.condition(
                 "datum.series == 'band'", alt.value("#bdbdbd"), alt.value("#74c476"))))
    arrow = alt.Chart().transform_filter(_is("floor")).mark_text(text="▲ " + _("以上"), dy=-14, fontSize=12).encode(
        color=alt.value("#238b45"))
    lines = alt.Chart().transform_filter(_is("history", "path")).mark_line(strokeWidth=2).encode(
        strokeDash=alt.StrokeDash("series:N", legend=None,
                                  scale=alt.Scale(domain=["history", "path"], range=[[1, 0], [6, 4]])))
    # Exact values are filled points; 左右 a hollow point in its band; 以上 a tick at the foot of its open band.
    filled = alt.Chart().transform_filter("datum.series != 'actual' && datum.qualifier != 'at_least' "
                                          "&& datum.qualifier != 'approx'").mark_point(size=110, filled=True)
    hollow = alt.Chart().transform_filter("datum.series != 'actual' && datum.qualifier == 'approx'").mark_point(
        size=110, strokeWidth=2)
    # Published values by the strength of their source (lib/domain/evidence.MARKS): ◆ official filled, ◇ reported
    # hollow, × unattributed a grey cross (an unverified lead, never scored).
    # Shape, angle and fill as mark expressions: half the bytes of encoding conditions, drawn the same.
    lead = f"datum.grade == '{evidence.UNATTRIBUTED}'"
    actual = alt.Chart().mark_point(
        size=130, strokeWidth=2.5, shape=alt.ExprRef(expr=f"{lead} ? 'cross' : 'diamond'"),
        # Vega's cross is an upright plus; turned 45° it is the × the scorecard shows.
        angle=alt.ExprRef(expr=f"{lead} ? 45 : 0"),
        fill=alt.ExprRef(expr=f"datum.grade == '{evidence.OFFICIAL}' ? '{ACTUAL_COLOR}' : 'transparent'"))
    ticks = alt.Chart().transform_filter("datum.qualifier == 'at_least' && datum.series != 'actual'").mark_tick(
        thickness=3, size=28, orient="horizontal")
    value_text = f"{_field('value_text', lang)}:N"
    labels = alt.Chart().transform_filter("datum.series != 'actual' && datum.labelled !== false").mark_text(
        dx=9, align="left", fontSize=12).encode(text=value_text)
    actual_labels = alt.Chart().mark_text(dy=-14, fontSize=12).encode(text=value_text)
    # The published values and their labels share one filter and one colour rule (sent once, not twice), and
    # are drawn last, over the plan's marks (the labels were; the points now are too).
    published = alt.layer(actual, actual_labels).transform_filter(_is("actual")).encode(
        color=alt.condition(lead, alt.value(LEAD_COLOR), alt.value(ACTUAL_COLOR)))
    points = alt.layer(filled, hollow, ticks, labels, published).transform_filter(
        _is("base", "target", "history", "actual"))
    title = alt.Title(wrap(name + (" #" if flagged else ""), 20, lang), subtitle=subtitle, anchor="start", fontSize=16,
                      subtitleColor="#444", subtitleFontSize=12)
    years = [2015, *range(2020, 2026)] if has_2015 else list(range(2020, 2026))
    chart = alt.layer(bands, arrow, lines, points, data=data or alt.UrlData(INDICATOR_SERIES_URL),
                      title=title).transform_filter(alt.datum.code == code)
    if scale_by != 1:
        chart = chart.transform_calculate(**{f: f"datum.{f} == null ? null : datum.{f} * {scale_by}"
                                             for f in ("value", "lo", "hi")})
    return (chart
            .encode(x=alt.X("year:Q", axis=alt.Axis(values=years, format="d", title=None),
                            scale=alt.Scale(domain=[2014.5 if has_2015 else 2019.5, 2025.6])),
                    # A lone target (base --) is shown against zero, so its axis is not a single tick.
                    y=alt.Y("value:Q", title=unit, scale=alt.Scale(zero=False, padding=20) if has_base
                            else alt.Scale(domainMin=0)), color=color,
                    tooltip=[alt.Tooltip(f"{_field('label', lang)}:N", title=_("类别")),
                             alt.Tooltip(value_text, title=_("数值")),
                             alt.Tooltip(f"{_field('flags', lang)}:N", title=_("数值提示")),
                             alt.Tooltip("quote:N", title=_("出处与原文"))])
            .properties(height=360, autosize=alt.AutoSizeParams(type="fit-x", contains="padding")))


def ambition_bars(frame: pd.DataFrame, kind: str, lang: str = "zh") -> alt.Chart:
    """Achieved 2015–2020 vs required 2020–2025 pace, one measure (rate or points) per chart."""
    _ = translator(lang)
    rows = frame[frame["kind"] == kind]
    measure = rows["measure"].iloc[0]
    periods = list(dict.fromkeys(rows["period"]))
    bars = alt.Chart(rows[["name", "period", "value"]]).encode(
        # English names are longer: cut sooner (the tooltip has them in full), so the bars and legend keep room
        y=alt.Y("name:N", title=None, sort=None, axis=alt.Axis(labelLimit=300 if lang == DEFAULT_LANG else 200)),
        yOffset=alt.YOffset("period:N", sort=periods),
        x=alt.X("value:Q", title=measure),
        color=alt.Color("period:N", title=None, sort=periods, scale=alt.Scale(range=["#9ecae1", "#08519c"]),
                        legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("name:N", title=_("指标")), alt.Tooltip("period:N", title=_("时期")),
                 alt.Tooltip("value:Q", title=measure, format=".2f")],
    )
    text = bars.mark_text(align="left", dx=3, fontSize=11).encode(text=alt.Text("value:Q", format=".2f"))
    return (bars.mark_bar() + text).properties(height=alt.Step(16), title=measure)
