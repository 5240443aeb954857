"""Investment figures in words: totals and concentration for the current filter (pure functions).

Amounts are 附件2's 万元; shares are derived (a project's or a district's 十四五
planned investment ÷ the planned total of the view) and labelled as such.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.domain.i18n import DEFAULT_LANG, N_, plural_translator, translator
from lib.domain.units import format_money

TOP_N = 5


@dataclass(frozen=True)
class Totals:
    project_count: int
    total_wan: int
    planned_wan: int


@dataclass(frozen=True)
class Concentration:
    planned_wan: int            # planned total of the view (万元)
    project_count: int
    top_n: int                  # how many projects the top share covers (≤ TOP_N)
    top_share: float            # share of the planned total held by the top_n projects
    top_names: tuple[str, ...]
    area_name: str | None       # the largest area of the view: the top district (city) or the selected one
    area_share: float | None    # its share of the planned total of the projects in Wenzhou itself
    area_name_en: str | None = None   # the same area's curated English name
    city_project_count: int = 0  # projects in Wenzhou itself (the share's denominator; the enclave outside is not)


def totals(projects: pd.DataFrame) -> Totals:
    return Totals(len(projects), int(projects["total_investment_wan"].sum()),
                  int(projects["planned_investment_wan"].sum()))


def concentration(projects: pd.DataFrame, areas: pd.DataFrame, district: str | None) -> Concentration | None:
    """``projects``: the view's projects; ``areas``: every area's totals (queries.investment_by_area).
    None when the view has no planned investment (a district without projects)."""
    planned = int(projects["planned_investment_wan"].sum())
    if planned <= 0:
        return None
    top = projects.sort_values(["planned_investment_wan", "project_no"], ascending=[False, True]).head(TOP_N)
    # A district's share of the city is taken of the projects in Wenzhou itself: the science enclave
    # outside the city belongs to no district, so the 12 districts' shares add up to 100 %.
    city = areas.loc[~areas["outside_wenzhou"].astype(bool)]
    if district:
        row = city.loc[city["area_key"] == district].iloc[0]
    else:
        row = city.sort_values(["planned_investment_wan", "area_key"], ascending=[False, True]).iloc[0]
    area_share = int(row["planned_investment_wan"]) / int(city["planned_investment_wan"].sum())
    return Concentration(planned, len(projects), len(top), int(top["planned_investment_wan"].sum()) / planned,
                         tuple(top["name_zh"]), row["area_name"], area_share, row.get("area_name_en"),
                         int(city["project_count"].sum()))


def concentration_text(c: Concentration, district: str | None, lang: str) -> str:
    """One or two sentences, plain text (no markup), for beside the charts."""
    _ = translator(lang)
    area = c.area_name_en if lang != DEFAULT_LANG and c.area_name_en else c.area_name
    if c.project_count <= c.top_n:
        ngettext = plural_translator(lang)
        first = ngettext("这 {n} 个项目即全部项目，“十四五”计划投资合计 {total}。",
                         "这 {n} 个项目即全部项目，“十四五”计划投资合计 {total}。", c.project_count).format(
            n=c.project_count, total=format_money(c.planned_wan, lang))
    else:
        first = _("投资最多的 {n} 个项目占“十四五”计划投资合计 {total} 的 {share:.1%}。").format(
            n=c.top_n, total=format_money(c.planned_wan, lang), share=c.top_share)
    if district:
        second = _("{area}占全市“十四五”计划投资（温州市内 {n} 个项目，不含市外科技飞地）的 {share:.1%}。").format(
            area=area, share=c.area_share, n=c.city_project_count)
    else:
        second = _("投资最多的区县是{area}，占全市（温州市内 {n} 个项目，不含市外科技飞地）的 {share:.1%}。").format(
            area=area, share=c.area_share, n=c.city_project_count)
    # Chinese runs the sentences together; English needs a space between them.
    return first + second if lang == DEFAULT_LANG else f"{first} {second}"


# The investment page's views, one tab each (only the open one is drawn); the URL names it with ?chart=.
VIEWS = {"area": N_("按区县"), "category": N_("按行业与类型"), "timeline": N_("项目期限"), "yearly": N_("年度分布（派生）")}


def irregular_periods(projects: pd.DataFrame, first_year: int, last_year: int) -> tuple[list[int], list[int]]:
    """Project numbers whose period ends after the plan, and 新建 projects whose period starts before it."""
    late = projects.loc[projects["end_year"] > last_year, "project_no"]
    early = projects.loc[(projects["project_type"] == "新建") & (projects["start_year"] < first_year), "project_no"]
    return sorted(int(n) for n in late), sorted(int(n) for n in early)


def by_category(projects: pd.DataFrame, field: str) -> pd.DataFrame:
    """Sums per category (sector or type) as the chart draws them: count, total and planned 万元."""
    return (projects.groupby(field, as_index=False)
            .agg(project_count=("project_no", "count"), total_investment_wan=("total_investment_wan", "sum"),
                 planned_investment_wan=("planned_investment_wan", "sum"))
            .sort_values(["planned_investment_wan", field], ascending=[False, True], ignore_index=True))
