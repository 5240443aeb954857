"""The investment page's view: which of its tabs is open (``?chart=``, declared here; the first, by district,
when none is named), and what the page shows for one district in one language, made once per process for
every visitor (the same for all of them: no pandas work and no catalog look-up on a click).

Everything here is shared read-only: tuples, strings, ``MappingProxyType``, chart spec dicts that
``st.vega_lite_chart`` copies before it adds to them, Arrow tables (immutable) and frames handed out as
copies (:meth:`Table.frame`).
"""
from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple

import pandas as pd
import pyarrow as pa
import streamlit as st

from lib.domain import investment
from lib.domain.escaping import escape
from lib.domain.i18n import CHINESE_ONLY, N_, marked, plural_translator, translator
from lib.domain.sql import PLAN_FIRST_YEAR, PLAN_LAST_YEAR
from lib.domain.units import format_money, wan_divisor, wan_unit
from lib.charts.investment_charts import totals_line
from lib.web import arrow_tables, chart_specs, district_filter, queries, view_state


def _canonical(value: str) -> str | None:
    return value if value in investment.VIEWS else None


PARAM = view_state.register(view_state.UrlParam("chart", _canonical, default="area", max_length=16,
                                                label=N_("图表")))


def open_view() -> str:
    return view_state.get(PARAM.name)


def open_tab(key: str | None) -> None:
    view_state.set_param(PARAM.name, key)


class Table(NamedTuple):
    """A data table of the page: ``shown`` as ``st.dataframe`` gets it (an Arrow table, made once: no
    DataFrame → Arrow conversion on a run, no pandas metadata sent), the same rows as a frame for the CSV and
    Excel downloads (:meth:`frame`), the files' name and the buttons' key."""
    shown: pa.Table
    rows: pd.DataFrame
    file_stem: str
    key: str

    def frame(self) -> pd.DataFrame:
        """The rows for a download, as a copy: the shared frame stays as it is whatever the caller does."""
        return self.rows.copy(deep=False)


def _table(rows: pd.DataFrame, file_stem: str, key: str) -> Table:
    return Table(arrow_tables.for_display(rows), rows, file_stem, key)


def _exact_amounts(frame: pd.DataFrame, lang: str, columns=("total_investment_wan", "planned_investment_wan")):
    """The 万元 columns in the view's exact unit (CNY million in English, two decimals)."""
    if wan_divisor(lang) == 1:
        return frame
    return frame.assign(**{c: frame[c] / wan_divisor(lang) for c in columns})


class Overview(NamedTuple):
    """What the page shows above its tabs for one district in one language, and the totals its charts state."""
    title: str
    district_name: str | None
    metrics: tuple[tuple[str, str], ...]   # (label, value) beside each other
    words: str | None                      # the concentration sentences (escaped), or None
    empty: str | None                      # the district lists no project (an info box), or None
    outside: str | None                    # the whole city: the projects outside Wenzhou it counts (a caption)
    has_rows: bool                         # the view has projects: the tabs other than by district draw them
    no_rows: str                           # what those tabs say when it has none
    totals: tuple[str, str]                # the view's totals as a chart subtitle
    city_totals: tuple[str, str]
    labels: MappingProxyType               # view key → tab label


@st.cache_resource(show_spinner=False, max_entries=32)
def overview(district: str | None, lang: str) -> Overview:
    _ = translator(lang)
    ngettext = plural_translator(lang)
    names = district_filter.district_names(lang)
    areas = queries.investment_by_area()
    rows = queries.project_chart_rows(district)
    view = investment.totals(rows)
    city = investment.Totals(int(areas["project_count"].sum()), int(areas["total_investment_wan"].sum()),
                             int(areas["planned_investment_wan"].sum()))
    concentration = investment.concentration(rows, areas, district)
    words = escape(investment.concentration_text(concentration, district, lang)) if concentration else None
    empty = None if concentration or not rows.empty else \
        _("{name}在附件2 重大项目表中没有列出项目（计为 0）。").format(name=names.get(district, ""))
    outside = None
    if not district:
        area = areas.loc[areas["outside_wenzhou"]].iloc[0]
        n = int(area["project_count"])
        outside = ngettext("全市合计含{name}的 {n} 个项目（科技飞地）：计入全市，但不属于任何区县。",
                           "全市合计含{name}的 {n} 个项目（科技飞地）：计入全市，但不属于任何区县。", n).format(
            n=n, name=escape(area["area_name_en" if lang == "en" else "area_name"]))
    return Overview(
        title=_("投资分析") + (f" · {names[district]}" if district else ""),
        district_name=names.get(district),
        metrics=((_("重大项目"), _("{n} 个").format(n=view.project_count)),
                 (_("“十四五”计划投资"), format_money(view.planned_wan, lang)),
                 (_("项目总投资"), format_money(view.total_wan, lang))),
        words=words, empty=empty, outside=outside,
        has_rows=not rows.empty, no_rows=_("此视图没有可显示的项目。"),
        totals=totals_line(view.total_wan, view.planned_wan, view.project_count, lang),
        city_totals=totals_line(city.total_wan, city.planned_wan, city.project_count, lang),
        labels=MappingProxyType({key: _(label) for key, label in investment.VIEWS.items()}))


# ---------------------------------------------------------------- the tabs, one view each


def _amount_headers(lang: str) -> dict[str, str]:
    _ = translator(lang)
    exact = wan_unit(lang)   # the plan's exact amounts: 万元, CNY million in English
    return {"project_count": _("项目数"), "total_investment_wan": _("总投资（{unit}）").format(unit=exact),
            "planned_investment_wan": _("“十四五”计划投资（{unit}）").format(unit=exact)}


class AreaTab(NamedTuple):
    spec: dict
    key: str              # the chart's widget key (its click filters by district)
    caption: str
    table_label: str
    table: Table          # every area's totals (the same for every district)


@st.cache_resource(show_spinner=False, max_entries=32)
def area_tab(district: str | None, lang: str) -> AreaTab:
    _ = translator(lang)
    headers = {"area_name_en" if lang == "en" else "area_name": _("区县"), **_amount_headers(lang)}
    rows = _exact_amounts(queries.investment_by_area(), lang).rename(columns=headers)[list(headers.values())]
    return AreaTab(
        chart_specs.area_spec(district, overview(district, lang).city_totals, lang),
        f"investment_area_{district or 'all'}",
        _("单位：亿元（附件2 万元 ÷ 10000）。项目按建设地点归入区县（派生；功能区的归属理由见“数据与来源”）。"
          "“温州市外”是上海嘉定的科技飞地项目。点击柱条按区县筛选，再点一次取消。"),
        _("数据表"), _table(rows, "wenzhou_investment_by_district", "area_table"))


class CategoryTab(NamedTuple):
    specs: tuple[dict, dict]   # by sector, by type, side by side
    caption: str
    table_label: str
    tables: tuple[Table, ...]  # the sums by sector and by type, then each project's sector and the reason


@st.cache_resource(show_spinner=False, max_entries=32)
def category_tab(district: str | None, lang: str) -> CategoryTab:
    _ = translator(lang)
    en = lang == "en"
    totals = overview(district, lang).totals
    rows = queries.project_chart_rows(district)
    tables = []
    for field, label, stem in (("sector", _("行业（本项目归类）"), "by_sector"),
                               ("project_type", _("项目类型"), "by_type")):
        field = f"{field}_en" if en else field   # curated English (data/curated/names_en.csv)
        sums = _exact_amounts(investment.by_category(rows, field), lang).rename(
            columns={field: label, **_amount_headers(lang)})
        tables.append(_table(sums, f"wenzhou_investment_{stem}", stem))
    reasons = _exact_amounts(queries.sector_reasons(district), lang)
    if en:  # English names and sectors are curated; the reasons are written in Chinese only
        reasons = reasons.assign(name_zh=reasons["name_en"], sector=reasons["sector_en"],
                                 sector_reason=reasons["sector_reason"].map(lambda t: marked(t, lang, CHINESE_ONLY)))
    amounts = _amount_headers(lang)
    reasons = reasons.drop(columns=["name_en", "sector_en"]).rename(columns={
        "project_no": _("序号"), "name_zh": _("项目名称"), "sector": _("行业（本项目归类）"), "sector_reason": _("归类理由"),
        "planned_investment_wan": amounts["planned_investment_wan"],
        "total_investment_wan": amounts["total_investment_wan"]})
    tables.append(_table(reasons, "wenzhou_project_sectors", "sector_reasons"))
    return CategoryTab(
        (chart_specs.category_spec("sector", _("按行业（本项目归类）"), district, totals, lang),
         chart_specs.category_spec("project_type", _("按项目类型（附件2）"), district, totals, lang)),
        _("行业是本项目按规划五大战略性新兴产业所作的归类（每个项目的理由见下表），不是规划原文；"
          "项目类型（新建、续建）是附件2 原文。单位：亿元。"),
        _("数据表：按行业、按类型的合计，以及每个项目的行业归类理由"), tuple(tables))


class TimelineTab(NamedTuple):
    spec: dict
    key: str       # the chart's widget key (its click opens the project)
    caption: str   # with the plan's own irregular periods named


@st.cache_resource(show_spinner=False, max_entries=32)
def timeline_tab(district: str | None, lang: str) -> TimelineTab:
    _ = translator(lang)
    en = lang == "en"
    late, early = investment.irregular_periods(queries.project_chart_rows(district), PLAN_FIRST_YEAR, PLAN_LAST_YEAR)
    notes, comma = [], ", " if en else "、"
    if late:
        notes.append(_("第 {nos} 号项目的期限延至 2025 年以后").format(nos=comma.join(map(str, late))))
    if early:
        notes.append(_("第 {nos} 号“新建”项目的期限始于 2021 年以前").format(nos=comma.join(map(str, early))))
    caption = (_("阴影为“十四五”规划期（2021—2025 年）；颜色越深，“十四五”计划投资越多。点击柱条打开项目详情。")
               + (_("橙色标出规划原文本身的不规则之处（原文如此，未改动）：") + ("; " if en else "；").join(notes)
                  + _("。") if notes else ""))
    return TimelineTab(chart_specs.timeline_spec(district, overview(district, lang).totals, lang),
                       f"investment_timeline_{district or 'all'}", caption)


class YearlyTab(NamedTuple):
    spec: dict
    caption: str
    table_label: str
    table: Table
    year_header: str
    planned_header: str
    planned_format: str   # 万元 whole, CNY million with two decimals
    notes: tuple[str, ...]   # what the downloaded files say about the figures (derived, source, scope)


@st.cache_resource(show_spinner=False, max_entries=32)
def yearly_tab(district: str | None, lang: str) -> YearlyTab:
    _ = translator(lang)
    planned = _("计划投资（{unit}，派生）").format(unit=wan_unit(lang))
    years = queries.planned_by_year(district)
    years = years.assign(planned_wan=years["planned_wan"] / wan_divisor(lang)).rename(columns={
        "year": _("年份"), "planned_wan": planned, "project_count": _("在建项目数")})
    return YearlyTab(
        chart_specs.yearly_spec(district, overview(district, lang).totals, lang),
        _("派生数据：规划只给出每个项目“十四五”期间的计划投资，没有年度安排。此图假设每个项目的计划投资"
          "在其期限与 2021—2025 年重叠的各年平均分摊，仅表示这一假设下的节奏；各年合计等于计划投资合计。"),
        _("数据表"), _table(years, "wenzhou_investment_by_year", "by_year"), _("年份"), planned,
        "%,.2f" if lang == "en" else "%.0f",
        (_("派生数据，不是规划的年度安排：规划只给出每个项目“十四五”期间的计划投资。此表假设每个项目的计划投资"
           "在其期限与 2021—2025 年重叠的各年平均分摊，各年合计等于计划投资合计。"),
         _("来源：《温州市科技创新“十四五”规划》附件2 重大项目，“十四五”计划投资；按年平均分摊为本站的派生计算。"),
         _("范围：{area}").format(area=district_filter.district_names(lang).get(district) or _("全市"))))


@st.cache_resource(show_spinner=False, max_entries=32)
def charts(district: str | None, lang: str) -> tuple[tuple, ...]:
    """Every chart of the page for the view (not only the open tab's), for the download menu:
    ``(spec, file_stem, title, source)`` each."""
    _ = translator(lang)
    view = overview(district, lang)
    where = district or "all"
    out = [(area_tab(district, lang).spec, f"investment-by-district-{where}", view.labels["area"],
            _("附件2 重大项目，按建设地点归入区县后合计（派生）；温州市外是上海嘉定的科技飞地"))]
    if view.has_rows:
        by_sector, by_type = category_tab(district, lang).specs
        out += [
            (by_sector, f"investment-by-sector-{where}", _("按行业（本项目归类）"), _("附件2 重大项目；行业是本项目的归类，不是规划原文")),
            (by_type, f"investment-by-type-{where}", _("按项目类型（附件2）"), _("附件2 重大项目的项目类型")),
            (timeline_tab(district, lang).spec, f"project-periods-{where}", view.labels["timeline"],
             _("附件2 重大项目的项目期限")),
            (yearly_tab(district, lang).spec, f"planned-by-year-{where}", view.labels["yearly"],
             _("附件2 重大项目；按年平均分摊是派生的，规划没有年度安排")),
        ]
    return tuple(out)
