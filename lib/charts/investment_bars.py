"""Chart builders: plain functions returning Altair charts (no Streamlit here)."""
from __future__ import annotations

import altair as alt
import pandas as pd

from lib.domain.i18n import DEFAULT_LANG, N_, column, translator
from lib.domain.paths import DISTRICT_METRICS_URL, PROJECT_INVESTMENT_URL
from lib.domain.units import money_divisor, money_unit, wan_divisor, wan_unit

INVESTMENT_KINDS = {"total_investment_wan": N_("项目总投资"), "planned_investment_wan": N_("“十四五”计划投资")}
_RANGE = ["#9ecae1", "#08519c"]


def investment_bars(data: pd.DataFrame | alt.UrlData, title: str, label_field: str = "name_zh",
                    district: str | None = None, lang: str = DEFAULT_LANG) -> alt.Chart:
    """Total and 十四五 planned investment side by side per row, in 亿元 (CNY bn in English), largest first.

    ``data`` has ``label_field`` and the two 万元 columns; with ``district`` only
    rows whose ``district_adcode`` matches are drawn (the filter runs in the browser).
    """
    _ = translator(lang)
    kinds = {k: _(v) for k, v in INVESTMENT_KINDS.items()}
    unit = money_unit(lang)
    divisor = f"{money_divisor(lang):,}" if lang == "en" else str(money_divisor(lang))
    chart = alt.Chart(data, title=alt.Title(title, subtitle=_("单位：{unit}（附件2 万元 ÷ {divisor}）").format(
        unit=unit, divisor=divisor)))
    if district:
        chart = chart.transform_filter(alt.datum.district_adcode == district)
    kind_label = " : ".join(f"datum.kind == '{k}' ? '{v}'" for k, v in kinds.items()) + " : ''"
    return (
        chart.transform_fold(list(kinds), as_=["kind", "wan"])
        .transform_calculate(yi=f"datum.wan / {money_divisor(lang)}", exact=f"datum.wan / {wan_divisor(lang)}",
                             kind_zh=kind_label)  # kind_zh: the kind's label in the view's language
        .mark_bar()
        .encode(
            y=alt.Y(f"{label_field}:N", title=None, axis=alt.Axis(labelLimit=260),
                    sort=alt.EncodingSortField("total_investment_wan", op="max", order="descending")),
            yOffset=alt.YOffset("kind_zh:N", sort=list(kinds.values())),
            x=alt.X("yi:Q", title=_("投资（{unit}）").format(unit=unit)),
            color=alt.Color("kind_zh:N", scale=alt.Scale(domain=list(kinds.values()), range=_RANGE),
                            # One entry per row: side by side, a phone (390 px) cuts the second
                            legend=alt.Legend(orient="top", title=None,
                                              columns=1)),
            tooltip=[alt.Tooltip(f"{label_field}:N", title=_("名称")), alt.Tooltip("kind_zh:N", title=_("类别")),
                     alt.Tooltip("yi:Q", title=unit, format=",.2f"),
                     alt.Tooltip("exact:Q", title=wan_unit(lang), format=",.2f" if lang == "en" else ",d")],
        )
        .properties(height=alt.Step(11))
    )


def district_investment_bars(district: str | None, district_name: str | None,
                             lang: str = DEFAULT_LANG) -> alt.Chart:
    """The page's investment chart: one district's projects, or every district when none is selected."""
    _ = translator(lang)
    label = column("name", lang)
    if district:
        return investment_bars(alt.UrlData(PROJECT_INVESTMENT_URL),
                               _("{name} · 重大项目投资").format(name=district_name), label, district, lang)
    return investment_bars(alt.UrlData(DISTRICT_METRICS_URL), _("各区县重大项目投资"), label, lang=lang)
