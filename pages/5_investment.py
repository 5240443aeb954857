"""Investment page: 附件2's money by district, sector, type, period and (derived) year, under the district filter.

One view per tab and only the open tab is drawn (``?chart=``), so a district
change sends one chart spec, not five.
"""
from __future__ import annotations

import functools

import streamlit as st

from lib.charts.investment_charts import PROJECT_PICK, picked_project, totals_line
from lib.charts.map_chart import CLICK_PARAM
from lib.domain import investment
from lib.domain.escaping import escape
from lib.domain.i18n import CHINESE_ONLY, N_, marked
from lib.domain.sql import PLAN_FIRST_YEAR, PLAN_LAST_YEAR
from lib.domain.units import format_money, wan_divisor, wan_unit
from lib.web import chart_specs, district_filter, downloads, investment_view, page, queries, view_state
from lib.web.lang import _, current_lang, ngettext

TAB_KEY = "investment_tab"


def exact_amounts(frame):
    """The 万元 columns in the view's exact unit (CNY million in English, two decimals)."""
    if wan_divisor(lang) == 1:
        return frame
    return frame.assign(**{c: frame[c] / wan_divisor(lang) for c in ("total_investment_wan", "planned_investment_wan")})

district = page.page_setup(N_("投资分析"))
lang = current_lang()
names = district_filter.district_names(lang)
en = lang == "en"
exact = wan_unit(lang)   # the plan's exact amounts: 万元, CNY million in English
st.title(_("投资分析") + (f" · {names[district]}" if district else ""))

areas = queries.investment_by_area()
rows = queries.project_chart_rows(district)
view = investment.totals(rows)
city = investment.Totals(int(areas["project_count"].sum()), int(areas["total_investment_wan"].sum()),
                         int(areas["planned_investment_wan"].sum()))
totals = totals_line(view.total_wan, view.planned_wan, view.project_count, lang)

labels = {key: _(label) for key, label in investment.VIEWS.items()}
city_totals = totals_line(city.total_wan, city.planned_wan, city.project_count, lang)


def _charts() -> list[tuple]:
    """Every chart of the page for the view (not only the open tab's), for the download menu."""
    where = district or "all"
    charts = [(chart_specs.area_spec(district, city_totals, lang), f"investment-by-district-{where}", labels["area"],
               _("附件2 重大项目，按建设地点归入区县后合计（派生）；温州市外是上海嘉定的科技飞地"))]
    if not rows.empty:
        charts += [
            (chart_specs.category_spec("sector", _("按行业（本项目归类）"), district, totals, lang),
             f"investment-by-sector-{where}", _("按行业（本项目归类）"), _("附件2 重大项目；行业是本项目的归类，不是规划原文")),
            (chart_specs.category_spec("project_type", _("按项目类型（附件2）"), district, totals, lang),
             f"investment-by-type-{where}", _("按项目类型（附件2）"), _("附件2 重大项目的项目类型")),
            (chart_specs.timeline_spec(district, totals, lang), f"project-periods-{where}", labels["timeline"],
             _("附件2 重大项目的项目期限")),
            (chart_specs.yearly_spec(district, totals, lang), f"planned-by-year-{where}", labels["yearly"],
             _("附件2 重大项目；按年平均分摊是派生的，规划没有年度安排")),
        ]
    return charts


downloads.download_menu(district, names.get(district), _charts)   # the brief near the top of the page


with st.container(horizontal=True, gap="large"):
    st.metric(_("重大项目"), _("{n} 个").format(n=view.project_count))
    st.metric(_("“十四五”计划投资"), format_money(view.planned_wan, lang))
    st.metric(_("项目总投资"), format_money(view.total_wan, lang))
concentration = investment.concentration(rows, areas, district)
empty = _("{name}在附件2 重大项目表中没有列出项目（计为 0）。").format(name=names.get(district, ""))
if concentration:
    st.markdown(escape(investment.concentration_text(concentration, district, lang)))
elif rows.empty:
    st.info(empty)
no_rows = _("此视图没有可显示的项目。")
if not district:
    outside = areas.loc[areas["outside_wenzhou"]].iloc[0]
    n = int(outside["project_count"])
    st.caption(ngettext("全市合计含{name}的 {n} 个项目（科技飞地）：计入全市，但不属于任何区县。",
                        "全市合计含{name}的 {n} 个项目（科技飞地）：计入全市，但不属于任何区县。", n).format(
        n=n, name=escape(outside["area_name_en" if en else "area_name"])))

st.session_state[TAB_KEY] = labels[investment_view.open_view()]


def _on_tab_change() -> None:
    chosen = st.session_state.get(TAB_KEY)
    investment_view.open_tab(next((k for k, v in labels.items() if v == chosen), None))


tabs = dict(zip(labels, st.tabs(list(labels.values()), key=TAB_KEY, on_change=_on_tab_change)))

if tabs["area"].open:
    with tabs["area"]:
        key = f"investment_area_{district or 'all'}"
        st.vega_lite_chart(chart_specs.area_spec(district, city_totals, lang),
                           key=key, on_select=functools.partial(district_filter.on_map_click, key),
                           selection_mode=CLICK_PARAM, width="stretch")
        st.caption(_("单位：亿元（附件2 万元 ÷ 10000）。项目按建设地点归入区县（派生；功能区的归属理由见“数据与来源”）。"
                     "“温州市外”是上海嘉定的科技飞地项目。点击柱条按区县筛选，再点一次取消。"))
        table = exact_amounts(areas).rename(columns={
            "area_name_en" if en else "area_name": _("区县"), "project_count": _("项目数"),
            "total_investment_wan": _("总投资（{unit}）").format(unit=exact),
            "planned_investment_wan": _("“十四五”计划投资（{unit}）").format(unit=exact)})
        table = table[[_("区县"), _("项目数"), _("总投资（{unit}）").format(unit=exact),
                       _("“十四五”计划投资（{unit}）").format(unit=exact)]]
        with st.expander(_("数据表")):
            st.dataframe(table, hide_index=True, width="stretch")
            downloads.download_buttons(table, "wenzhou_investment_by_district", "area_table")

if tabs["category"].open:
    with tabs["category"]:
        if rows.empty:
            st.info(no_rows)
        else:
            sector_col, type_col = st.columns(2, gap="large")
            with sector_col:
                st.vega_lite_chart(chart_specs.category_spec("sector", _("按行业（本项目归类）"), district, totals, lang),
                                   width="stretch")
            with type_col:
                st.vega_lite_chart(chart_specs.category_spec("project_type", _("按项目类型（附件2）"), district, totals,
                                                             lang), width="stretch")
            st.caption(_("行业是本项目按规划五大战略性新兴产业所作的归类（每个项目的理由见下表），不是规划原文；"
                         "项目类型（新建、续建）是附件2 原文。单位：亿元。"))
            with st.expander(_("数据表：按行业、按类型的合计，以及每个项目的行业归类理由")):
                for field, label, stem in (("sector", _("行业（本项目归类）"), "by_sector"),
                                           ("project_type", _("项目类型"), "by_type")):
                    field = f"{field}_en" if en else field   # curated English (data/curated/names_en.csv)
                    sums = exact_amounts(investment.by_category(rows, field)).rename(columns={
                        field: label, "project_count": _("项目数"),
                        "total_investment_wan": _("总投资（{unit}）").format(unit=exact),
                        "planned_investment_wan": _("“十四五”计划投资（{unit}）").format(unit=exact)})
                    st.dataframe(sums, hide_index=True, width="stretch")
                    downloads.download_buttons(sums, f"wenzhou_investment_{stem}", stem)
                reasons = exact_amounts(queries.sector_reasons(district))
                if en:  # English names and sectors are curated; the reasons are written in Chinese only
                    reasons = reasons.assign(name_zh=reasons["name_en"], sector=reasons["sector_en"],
                                             sector_reason=reasons["sector_reason"].map(
                                                 lambda t: marked(t, lang, CHINESE_ONLY)))
                reasons = reasons.drop(columns=["name_en", "sector_en"]).rename(columns={
                    "project_no": _("序号"), "name_zh": _("项目名称"), "sector": _("行业（本项目归类）"),
                    "sector_reason": _("归类理由"),
                    "planned_investment_wan": _("“十四五”计划投资（{unit}）").format(unit=exact),
                    "total_investment_wan": _("总投资（{unit}）").format(unit=exact)})
                st.dataframe(reasons, hide_index=True, width="stretch")
                downloads.download_buttons(reasons, "wenzhou_project_sectors", "sector_reasons")

if tabs["timeline"].open:
    with tabs["timeline"]:
        if rows.empty:
            st.info(no_rows)
        else:
            timeline_key = f"investment_timeline_{district or 'all'}"
            event = st.vega_lite_chart(chart_specs.timeline_spec(district, totals, lang), key=timeline_key,
                                       on_select="rerun", selection_mode=PROJECT_PICK, width="stretch")
            if (picked := picked_project(event)) is not None:
                st.switch_page("pages/1_projects.py",
                               query_params={**view_state.link_params(), "project": str(picked)})
            late, early = investment.irregular_periods(rows, PLAN_FIRST_YEAR, PLAN_LAST_YEAR)
            notes, comma = [], ", " if en else "、"
            if late:
                notes.append(_("第 {nos} 号项目的期限延至 2025 年以后").format(nos=comma.join(map(str, late))))
            if early:
                notes.append(_("第 {nos} 号“新建”项目的期限始于 2021 年以前").format(nos=comma.join(map(str, early))))
            st.caption(_("阴影为“十四五”规划期（2021—2025 年）；颜色越深，“十四五”计划投资越多。点击柱条打开项目详情。")
                       + (_("橙色标出规划原文本身的不规则之处（原文如此，未改动）：") + ("; " if en else "；").join(notes)
                          + _("。") if notes else ""))

if tabs["yearly"].open:
    with tabs["yearly"]:
        if rows.empty:
            st.info(no_rows)
        else:
            st.vega_lite_chart(chart_specs.yearly_spec(district, totals, lang), width="stretch")
            st.caption(_("派生数据：规划只给出每个项目“十四五”期间的计划投资，没有年度安排。此图假设每个项目的计划投资"
                         "在其期限与 2021—2025 年重叠的各年平均分摊，仅表示这一假设下的节奏；各年合计等于计划投资合计。"))
            with st.expander(_("数据表")):
                planned = _("计划投资（{unit}，派生）").format(unit=exact)
                years = queries.planned_by_year(district)
                years = years.assign(planned_wan=years["planned_wan"] / wan_divisor(lang)).rename(columns={
                    "year": _("年份"), "planned_wan": planned, "project_count": _("在建项目数")})
                st.dataframe(years, hide_index=True, width="stretch",
                             column_config={_("年份"): st.column_config.NumberColumn(format="%d"),
                                            planned: st.column_config.NumberColumn(format="%,.2f" if en else "%.0f")})
                downloads.download_buttons(years, "wenzhou_investment_by_year", "by_year", notes=(
                    _("派生数据，不是规划的年度安排：规划只给出每个项目“十四五”期间的计划投资。此表假设每个项目的计划投资"
                      "在其期限与 2021—2025 年重叠的各年平均分摊，各年合计等于计划投资合计。"),
                    _("来源：《温州市科技创新“十四五”规划》附件2 重大项目，“十四五”计划投资；按年平均分摊为本站的派生计算。"),
                    _("范围：{area}").format(area=district_filter.district_names(lang).get(district) or _("全市"))))
