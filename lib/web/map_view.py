"""The map page's view: which metric the map shows (``?metric=``, declared here; the segmented control
mirrors it), and the text of the panel beside the map, made once per district and language for every
visitor (the same for all of them: no pandas work on a click)."""
from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple

import streamlit as st

from lib.charts import map_chart
from lib.domain import citations, project_detail
from lib.domain.escaping import plain
from lib.domain.i18n import N_, column, marked, translator
from lib.domain.units import format_wan_lang, wan_number, wan_unit
from lib.web import queries, view_state

METRIC_KEY = "map_metric"


def _canonical(value: str) -> str | None:
    return value if value in map_chart.METRICS else None


PARAM = view_state.register(view_state.UrlParam("metric", _canonical, default=map_chart.DEFAULT_METRIC,
                                                max_length=32, label=N_("地图指标")))


def map_metric() -> str:
    """The metric named in the URL, or the default; the segmented control mirrors it."""
    return view_state.mirror(PARAM.name, METRIC_KEY)


def on_metric_change() -> None:
    view_state.widget_changed(PARAM.name, METRIC_KEY)


CARDS = 4   # the district's largest projects as cards (the rest on the projects page): ≤ 10 KB per click


class DistrictPanel(NamedTuple):
    """What the panel beside the map shows for one district, in one language (read-only: shared)."""
    row: MappingProxyType          # the district's row of queries.district_metrics
    heading: str
    role_markdown: str             # the role (专栏7's words) and the paragraph it comes from
    cards: tuple[tuple[str, int], ...]  # (card label, project_no): the largest projects
    platforms_markdown: str | None  # the platforms of 附件1 that name the district


@st.cache_resource(show_spinner=False, max_entries=32)
def district_panel(code: str, lang: str) -> DistrictPanel:
    _ = translator(lang)
    metrics = queries.district_metrics()
    row = metrics[metrics["adcode"] == code].iloc[0].to_dict()
    # In English the Chinese name is left out of the heading; the map and the sidebar keep both apart.
    heading = row["name_en"] if lang == "en" else f"{row['name_zh']}（{row['name_en']}）"
    role = (_("**规划定位**：{role}").format(role=marked(row["role_zh"], lang)) + "  \n" +
            _("{positioning}（专栏7）").format(positioning=plain(marked(row["positioning_zh"], lang))))
    top = queries.projects(code).sort_values(["planned_investment_wan", "total_investment_wan", "project_no"],
                                             ascending=[False, False, True]).head(CARDS)
    cards = []
    for p in top.to_dict("records"):
        name, facts, summary = project_detail.card(p, lang)
        cards.append((f"**{plain(name)}**  \n{plain(facts)}  \n{plain(summary)}", int(p["project_no"])))
    named = queries.platforms(code)
    platforms = None if named.empty else _("**点名该区县的重大平台**（附件1）：{names}").format(
        names=plain(("、" if lang == "zh" else "; ").join(named[column("name", lang)])))
    return DistrictPanel(MappingProxyType(row), heading, role, tuple(cards), platforms)


@st.cache_resource(show_spinner=False, max_entries=4)
def city_panel(lang: str) -> tuple[str, str]:
    """(the projects outside Wenzhou as a list, the caption that adds the map's districts and them up to
    附件2's totals) for the whole city, in ``lang``."""
    _ = translator(lang)
    outside, metrics, totals = queries.outside_projects(), queries.district_metrics(), queries.plan_totals()
    listing = _("**温州市外的项目**（科技飞地，不计入任何区县）") + "\n" + "\n".join(
        "- " + _("{name}（{location}，{source}）：总投资 {total}，“十四五”计划投资 {planned}").format(
            name=getattr(p, column("name", lang)), location=p.location_en if lang == "en" else p.location_text,
            source=citations.cite(p.source, lang), total=format_wan_lang(p.total_investment_wan, lang),
            planned=format_wan_lang(p.planned_investment_wan, lang)) for p in outside.itertuples())
    map_total, map_planned = int(metrics["total_investment_wan"].sum()), int(metrics["planned_investment_wan"].sum())
    out_total, out_planned = int(outside["total_investment_wan"].sum()), int(outside["planned_investment_wan"].sum())
    caption = _("地图各区县合计 + 市外项目 = 附件2 全部{n}个项目合计（{unit}）：总投资 {map_total} + {out_total} = "
                "{total}；计划投资 {map_planned} + {out_planned} = {planned}").format(
        n=totals["project_count"], unit=wan_unit(lang), map_total=wan_number(map_total, lang),
        out_total=wan_number(out_total, lang), total=wan_number(totals["total_investment_wan"], lang),
        map_planned=wan_number(map_planned, lang), out_planned=wan_number(out_planned, lang),
        planned=wan_number(totals["planned_investment_wan"], lang))
    return listing, caption
