"""Investment page: 附件2's money by district, sector, type, period and (derived) year, under the district filter.

One view per tab and only the open tab is drawn (``?chart=``), so a district
change sends one chart spec, not five. What a view shows is made once per district
and language for every visitor (lib/web/investment_view); a data table is built
only while its expander is open, so a click sends the charts, not the tables.
"""
from __future__ import annotations

import functools

import streamlit as st

from lib.charts.investment_charts import PROJECT_PICK, picked_project
from lib.charts.map_chart import CLICK_PARAM
from lib.domain.i18n import N_
from lib.web import district_filter, downloads, investment_view, page, view_state
from lib.web.lang import current_lang

TAB_KEY = "investment_tab"

district = page.page_setup(N_("投资分析"))
lang = current_lang()
view = investment_view.overview(district, lang)
st.title(view.title)

downloads.download_menu(district, view.district_name,   # the brief near the top of the page
                        functools.partial(investment_view.charts, district, lang))

with st.container(horizontal=True, gap="large"):
    for label, value in view.metrics:
        st.metric(label, value)
if view.words:
    st.markdown(view.words)
elif view.empty:
    st.info(view.empty)
if view.outside:
    st.caption(view.outside)

labels = view.labels
st.session_state[TAB_KEY] = labels[investment_view.open_view()]


def _on_tab_change() -> None:
    chosen = st.session_state.get(TAB_KEY)
    investment_view.open_tab(next((k for k, v in labels.items() if v == chosen), None))


def _table(table: investment_view.Table, notes: tuple[str, ...] = (), column_config=None) -> None:
    st.dataframe(table.shown, hide_index=True, width="stretch", column_config=column_config)
    downloads.download_buttons(table.frame, table.file_stem, table.key, notes=notes)


def _expander(label: str, key: str):
    """A data table's expander, built only while open (``on_change="rerun"``): closed, a click sends its
    label, not the rows."""
    return st.expander(label, key=f"investment_{key}_open", on_change="rerun")


tabs = dict(zip(labels, st.tabs(list(labels.values()), key=TAB_KEY, on_change=_on_tab_change)))

if tabs["area"].open:
    with tabs["area"]:
        area = investment_view.area_tab(district, lang)
        st.vega_lite_chart(area.spec, key=area.key, on_select=functools.partial(district_filter.on_map_click, area.key),
                           selection_mode=CLICK_PARAM, width="stretch")
        st.caption(area.caption)
        with (table := _expander(area.table_label, "area")):
            if table.open:
                _table(area.table)

if tabs["category"].open:
    with tabs["category"]:
        if not view.has_rows:
            st.info(view.no_rows)
        else:
            category = investment_view.category_tab(district, lang)
            for column, spec in zip(st.columns(2, gap="large"), category.specs):
                with column:
                    st.vega_lite_chart(spec, width="stretch")
            st.caption(category.caption)
            with (tables := _expander(category.table_label, "category")):
                if tables.open:
                    for table in category.tables:
                        _table(table)

if tabs["timeline"].open:
    with tabs["timeline"]:
        if not view.has_rows:
            st.info(view.no_rows)
        else:
            timeline = investment_view.timeline_tab(district, lang)
            event = st.vega_lite_chart(timeline.spec, key=timeline.key, on_select="rerun",
                                       selection_mode=PROJECT_PICK, width="stretch")
            if (picked := picked_project(event)) is not None:
                st.switch_page("pages/1_projects.py",
                               query_params={**view_state.link_params(), "project": str(picked)})
            st.caption(timeline.caption)

if tabs["yearly"].open:
    with tabs["yearly"]:
        if not view.has_rows:
            st.info(view.no_rows)
        else:
            yearly = investment_view.yearly_tab(district, lang)
            st.vega_lite_chart(yearly.spec, width="stretch")
            st.caption(yearly.caption)
            with (table := _expander(yearly.table_label, "yearly")):
                if table.open:
                    _table(yearly.table, yearly.notes, {
                        yearly.year_header: st.column_config.NumberColumn(format="%d"),
                        yearly.planned_header: st.column_config.NumberColumn(format=yearly.planned_format)})
