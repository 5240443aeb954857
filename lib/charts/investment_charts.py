"""Chart builders for the investment page: plain functions returning Altair charts (no Streamlit).

Every chart reads a static file the build publishes (``lib/domain/paths.py``) and
filters it in the browser, so a district change re-sends a small spec, not the
data. Amounts are 附件2's 万元, drawn in 亿元 (÷ 10000); every chart states its
unit and its total, and says what is derived. Colours: blues (light = 总投资,
dark = 十四五 planned) and one orange accent for the plan's own irregularities,
distinguishable without hue (colour-blind safe). Long project names are cut on
the axis (``labelLimit``) and given in full in the tooltip.

Pass ``data`` (a DataFrame) to draw from inline rows instead of the URL, e.g.
to render offline with vl-convert in tests.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from lib.charts.map_chart import CLICK_PARAM
from lib.charts.selection import first_pick
from lib.domain.i18n import DEFAULT_LANG, plural_translator, translator
from lib.domain.paths import INVESTMENT_BY_AREA_URL, PROJECT_CHART_URL, PROJECT_YEARS_URL
from lib.domain.sql import PLAN_FIRST_YEAR, PLAN_LAST_YEAR
from lib.domain.units import format_money, money_divisor, money_unit, wan_divisor, wan_unit

PROJECT_PICK = "project_pick"
PLANNED, TOTAL = "planned_investment_wan", "total_investment_wan"
LIGHT, DARK, ACCENT = "#9ecae1", "#08519c", "#e66101"
TIMELINE_START, TIMELINE_END = 2016, 2030
NAME_LIMIT_PX = 160          # project names longer than this are cut with … on the axis
NAME_LIMIT_PX_EN = 210       # English names are longer: a little more room before the cut


def _en(field: str, lang: str) -> str:
    """The published files hold names twice: ``area_name``/``area_name_en``, ``label``/``label_en``…"""
    return f"{field}_en" if lang != DEFAULT_LANG else field


def _source(data: pd.DataFrame | None, url: str) -> alt.Data | alt.UrlData:
    return alt.UrlData(url) if data is None else alt.Data(values=data.to_dict("records"))


def _kinds(lang: str) -> dict[str, str]:
    _ = translator(lang)
    return {PLANNED: _("“十四五”计划投资"), TOTAL: _("项目总投资")}


def totals_line(total_wan: int, planned_wan: int, count: int, lang: str) -> tuple[str, str]:
    """The view's totals as a chart subtitle, two short lines (a phone is ~350 px wide)."""
    _ = translator(lang)
    ngettext = plural_translator(lang)
    return (ngettext("合计 {n} 个项目：“十四五”计划投资 {planned}", "合计 {n} 个项目：“十四五”计划投资 {planned}", count).format(
        n=count, planned=format_money(planned_wan, lang)),
            _("总投资 {total}").format(total=format_money(total_wan, lang)))


def _paired_bars(chart: alt.Chart, label_field: str, label_title: str, lang: str, extra_tooltip=(),
                 fields: tuple[str, str] = (PLANNED, TOTAL)) -> alt.Chart:
    """Planned and total side by side per label, in 亿元 (CNY bn), largest planned first; ``fields``: the
    chart's planned and total 万元 columns."""
    _ = translator(lang)
    planned, total = fields
    planned_label, total_label = _kinds(lang).values()
    unit = money_unit(lang)
    # Each label once in the expression, once in the colour scale: a spec's Chinese goes out as \uXXXX, six
    # bytes a character, on every district change.
    calculate = {"yi": f"datum.wan / {money_divisor(lang)}",
                 "kind_label": f"datum.kind == '{planned}' ? '{planned_label}' : '{total_label}'"}
    if wan_divisor(lang) != 1:
        calculate["wan"] = f"datum.wan / {wan_divisor(lang)}"   # CNY million in English
    return (
        chart.transform_fold(list(fields), as_=["kind", "wan"])
        .transform_calculate(**calculate)
        .mark_bar()
        .encode(
            y=alt.Y(f"{label_field}:N", title=None, axis=alt.Axis(labelLimit=180),
                    sort=alt.EncodingSortField(planned, op="max", order="descending")),
            # Planned above total: Vega's default order (ascending) where the labels sort that way (both
            # languages today), else the order spelled out.
            yOffset=alt.YOffset("kind_label:N", **({} if planned_label < total_label else
                                                   {"sort": [planned_label, total_label]})),
            x=alt.X("yi:Q", title=_("投资（{unit}）").format(unit=unit)),
            color=alt.Color("kind_label:N", scale=alt.Scale(domain=[planned_label, total_label],
                                                            range=[DARK, LIGHT]),
                            # One entry per row: side by side, a phone (390 px) cuts the second
                            legend=alt.Legend(orient="top", title=None,
                                              columns=1)),
            tooltip=[alt.Tooltip(f"{label_field}:N", title=label_title), alt.Tooltip("kind_label:N", title=_("类别")),
                     alt.Tooltip("yi:Q", title=unit, format=",.2f"),
                     alt.Tooltip("wan:Q", title=wan_unit(lang), format=",.2f" if wan_divisor(lang) != 1 else ",d"),
                     *extra_tooltip],
        )
        .properties(height=alt.Step(10))
    )


def area_bars(selected: str | None, totals: tuple[str, ...], lang: str,
              data: pd.DataFrame | None = None) -> alt.Chart:
    """Every district (and the projects outside Wenzhou) side by side; a click picks the district.

    The click selection uses the map's parameter name and an ``adcode`` field, so the
    page hands it to the same filter callback as the map (``district_filter.on_map_click``).
    """
    _ = translator(lang)
    pick = alt.selection_point(name=CLICK_PARAM, fields=["adcode"], on="click", clear=False, empty=False)
    chart = alt.Chart(_source(data, INVESTMENT_BY_AREA_URL),
                      title=alt.Title(_("各区县重大项目投资"), subtitle=list(totals)))
    bars = _paired_bars(chart.transform_calculate(adcode="datum.area_key"), _en("area_name", lang), _("区县"), lang,
                        [alt.Tooltip("project_count:Q", title=_("项目数"))])
    if selected:
        bars = bars.encode(opacity=alt.condition(alt.datum.adcode == selected, alt.value(1.0), alt.value(0.35)))
    return bars.mark_bar(cursor="pointer").add_params(pick)


def category_bars(field: str, title: str, district: str | None, totals: tuple[str, ...], lang: str,
                  data: pd.DataFrame | None = None) -> alt.Chart:
    """Projects of the view summed by ``field`` (sector or type), planned and total side by side."""
    _ = translator(lang)
    field = _en(field, lang)   # sector_en, project_type_en: curated English (data/curated/names_en.csv)
    chart = alt.Chart(_source(data, PROJECT_CHART_URL), title=alt.Title(title, subtitle=list(totals)))
    if district:
        chart = chart.transform_filter(alt.datum.district_adcode == district)
    # Short names for the sums: each is named four or five times in the spec sent on every district change.
    chart = chart.transform_aggregate(planned=f"sum({PLANNED})", total=f"sum({TOTAL})", project_count="count()",
                                      groupby=[field])
    return _paired_bars(chart, field, title, lang, [alt.Tooltip("project_count:Q", title=_("项目数"))],
                        fields=("planned", "total"))


def _template_expr(template: str, field: str) -> str:
    """A catalog text with one ``{year}`` as a Vega string expression around ``datum[field]``."""
    before, _, after = template.partition("{year}")
    return f"{before!r} + datum.{field} + {after!r}"


def timeline(district: str | None, totals: tuple[str, ...], lang: str,
             data: pd.DataFrame | None = None) -> alt.LayerChart:
    """Project periods 2016–2030, the plan period shaded, bars coloured by 十四五 planned investment.

    The plan's own irregularities stay as printed and are marked in orange (outline and
    a note at the bar's end): a period that runs past 2025, a 新建 (new) project whose
    period starts before 2021. Data and transforms sit on the layer, shared by its parts.
    """
    _ = translator(lang)
    en = lang != DEFAULT_LANG
    unit = money_unit(lang)
    pick = alt.selection_point(name=PROJECT_PICK, fields=["project_no"], on="click", clear=False, empty=False)
    ends_late = f"datum.end_year > {PLAN_LAST_YEAR}"
    starts_early = f"datum.project_type == '新建' && datum.start_year < {PLAN_FIRST_YEAR}"
    late_note, early_note = _("延至{year}年"), _("“新建”，{year}年起")   # (outside the f-string: pybabel reads these)
    note = (f"{ends_late} ? {_template_expr(late_note, 'end_year')} : "
            f"({starts_early} ? {_template_expr(early_note, 'start_year')} : '')")
    y = alt.Y(f"{_en('label', lang)}:N", title=None, sort=alt.EncodingSortField("timeline_order", op="min"),
              axis=alt.Axis(labelLimit=NAME_LIMIT_PX_EN if en else NAME_LIMIT_PX, labelOverlap=False))
    bars = alt.Chart().mark_bar(cursor="pointer", strokeWidth=2, height={"band": 0.7}).encode(
        y=y,
        # A year's label sits just right of its 1 January tick, i.e. over that year's span.
        x=alt.X("begin:T", title=None, axis=alt.Axis(format="%Y", tickCount="year", labelAlign="left"),
                scale=alt.Scale(domain=[alt.DateTime(year=TIMELINE_START),
                                        alt.DateTime(year=TIMELINE_END, month=12, date=31)])),
        x2="finish:T",
        color=alt.Color("planned_yi:Q", title=_("“十四五”计划投资（{unit}）").format(unit=unit),
                        scale=alt.Scale(range=[LIGHT, DARK]),
                        # ",.2f": one project's legend would otherwise read 45.000000
                        legend=alt.Legend(orient="top", gradientLength=140, titleLimit=260, format=",.2f")),
        stroke=alt.condition("datum.note", alt.value(ACCENT), alt.value(None)),
        # The builder has no English name: in English its tooltip title says it is the original.
        tooltip=[alt.Tooltip("name_en:N" if en else "name_zh:N", title=_("项目")),
                 alt.Tooltip("builder:N", title=_("建设单位（原文）") if en else _("建设单位")),
                 alt.Tooltip("period_text:N", title=_("项目期限")),
                 alt.Tooltip(f"{_en('area_name', lang)}:N", title=_("区县")),
                 alt.Tooltip("planned_yi:Q", title=_("“十四五”计划投资（{unit}）").format(unit=unit), format=".2f"),
                 alt.Tooltip("total_yi:Q", title=_("总投资（{unit}）").format(unit=unit), format=".2f"),
                 alt.Tooltip("remark:N", title=_("原文如此"))],
    ).add_params(pick)
    notes = alt.Chart().transform_filter("datum.note").mark_text(
        align="left", dx=3, fontSize=11, color=ACCENT).encode(y=y, x="finish:T", text="note:N")
    band = alt.Chart().transform_aggregate(n="count()").mark_rect(color="#fdd0a2", opacity=0.4).encode(
        x=alt.datum(alt.DateTime(year=PLAN_FIRST_YEAR)), x2=alt.datum(alt.DateTime(year=PLAN_LAST_YEAR + 1)))
    chart = alt.layer(band, bars, notes, data=_source(data, PROJECT_CHART_URL),
                      title=alt.Title(_("项目期限与“十四五”规划期（阴影）"), subtitle=list(totals)))
    if district:
        chart = chart.transform_filter(alt.datum.district_adcode == district)
    divisor = money_divisor(lang)
    # In English the period is the years (not 2021年—2025年) and the remark the note on the bar: the build's
    # data-check messages are written in Chinese only.
    period = {"period_text": "datum.start_year + '–' + datum.end_year"} if en else {}
    return chart.transform_calculate(
        begin="datetime(datum.start_year, 0, 1)", finish="datetime(datum.end_year + 1, 0, 1)",
        planned_yi=f"datum.{PLANNED} / {divisor}", total_yi=f"datum.{TOTAL} / {divisor}", note=note,
        remark="datum.note || '—'" if en else "datum.period_note || '—'", **period,
    ).properties(height=alt.Step(20))


def yearly_bars(district: str | None, totals: tuple[str, ...], lang: str,
                data: pd.DataFrame | None = None) -> alt.LayerChart:
    """Derived: 十四五 planned investment per year, each project's amount spread evenly over its plan years."""
    _ = translator(lang)
    # Every plan year on the axis, also those without a project in the view.
    x = alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0),
              scale=alt.Scale(domain=list(range(PLAN_FIRST_YEAR, PLAN_LAST_YEAR + 1))))
    unit = money_unit(lang)
    y = alt.Y("yi:Q", title=unit)
    bars = alt.Chart().mark_bar(color=DARK).encode(
        x=x, y=y, tooltip=[alt.Tooltip("year:O", title=_("年份")),
                           alt.Tooltip("yi:Q", title=_("计划投资（{unit}，派生）").format(unit=unit), format=",.2f"),
                           alt.Tooltip("project_count:Q", title=_("在建项目数"))])
    labels = alt.Chart().mark_text(dy=-6).encode(x=x, y=y, text=alt.Text("yi:Q", format=",.1f"))
    chart = alt.layer(bars, labels, data=_source(data, PROJECT_YEARS_URL), title=alt.Title(
        _("年度计划投资（派生，{unit}）").format(unit=unit), subtitle=[_("假设：各项目在其期内各年平均分摊"), *totals]))
    if district:
        chart = chart.transform_filter(alt.datum.district_adcode == district)
    return chart.transform_aggregate(planned_wan="sum(planned_wan)", project_count="count()", groupby=["year"]) \
        .transform_calculate(yi=f"datum.planned_wan / {money_divisor(lang)}").properties(height=220)


def picked_project(event) -> int | None:
    """The project number a timeline click names, or None for an empty selection."""
    value = first_pick(event, PROJECT_PICK, "project_no")
    return value if isinstance(value, int) and not isinstance(value, bool) else None
