"""Projects page: 附件2 重大项目 under the district filter, searchable and filterable; a row opens the project."""
from __future__ import annotations

import streamlit as st

from lib.domain import project_tables
from lib.domain.i18n import N_
from lib.web import district_filter, downloads, page, projects_view, queries, search_view, view_state
from lib.web.lang import _, current_lang

SEARCH_KEY, SECTOR_KEY, TYPE_KEY, TABLE_KEY = "projects_q", "projects_sector", "projects_type", "projects_table"

district = page.page_setup(N_("重大项目"))
lang = current_lang()
names = district_filter.district_names(lang)
terms = queries.project_term_names()  # sector and type → curated English
st.title(_("重大项目（附件2）") + (f" · {names[district]}" if district else ""))
st.caption(_("投资单位为万元，与附件2 原表一致。“行业”一列是本项目按规划五大战略性新兴产业所作的归类，不是规划原文。"
             "选中表格中的一行（行首的选择框），查看该项目的全部信息。"))

text, sector, project_type = search_view.search_text(), view_state.get("sector"), view_state.get("type")
st.session_state[SEARCH_KEY] = text or ""
st.session_state[SECTOR_KEY] = sector
st.session_state[TYPE_KEY] = project_type


def _on_search() -> None:
    view_state.set_param("q", view_state.clean_search_text(st.session_state.get(SEARCH_KEY) or ""))


def _on_choice(param: str, key: str) -> None:
    view_state.set_param(param, st.session_state.get(key))


def _close() -> None:
    view_state.set_param("project", None)
    st.session_state["projects_table_generation"] = st.session_state.get("projects_table_generation", 0) + 1


st.text_input(_("搜索项目名称、建设内容、建设单位"), key=SEARCH_KEY, on_change=_on_search, max_chars=100,
              placeholder=_("例如：实验室 瓯江口（多个词用空格隔开，须全部出现）"), icon=":material/search:")
sector_col, type_col = st.columns([3, 1], gap="medium")
with sector_col:
    st.pills(_("行业（本项目归类）"), queries.project_sectors(), key=SECTOR_KEY, on_change=_on_choice,
             args=("sector", SECTOR_KEY), format_func=lambda s: terms[s] if lang == "en" else s)
with type_col:
    st.segmented_control(_("项目类型"), projects_view.PROJECT_TYPES, key=TYPE_KEY, on_change=_on_choice,
                         args=("type", TYPE_KEY), format_func=lambda t: terms[t] if lang == "en" else t)

table = projects_view.project_table(district, text, sector, project_type, lang)
numbers = table.numbers
# One table widget per filter state (and per "close"), so a selection never points into other rows.
key = "_".join((TABLE_KEY, district or "all", text or "", sector or "", project_type or "",
                str(st.session_state.get("projects_table_generation", 0))))
# A row picked in the table (its state arrives before this run) opens that project; read here,
# before the page reads ?project=, so the detail below follows in the same run.
picked = project_tables.selection_change(st.session_state.get(key), st.session_state.get(f"{key}_seen"), numbers)
if picked is not None:
    st.session_state[f"{key}_seen"] = picked.rows
    view_state.set_param("project", str(picked.project) if picked.project is not None else None)

selected = projects_view.project()
if selected is not None and (card := projects_view.project_card(selected, lang)):
    with st.container(border=True, key="project_detail"):
        head, close = st.columns([6, 1], vertical_alignment="center")
        head.subheader(card.heading)
        close.button(_("关闭"), on_click=_close, icon=":material/close:", key="close_project")
        if selected not in numbers:
            st.caption(_("该项目不在当前筛选结果中。"))
        st.markdown(card.body)
        st.page_link("pages/8_search.py", label=_("在规划原文中查看"), icon=":material/article:",
                     query_params={**{k: v for k, v in view_state.link_params().items() if k != "q"},
                                   "line": str(card.source_line)})

if not numbers:
    if district and queries.project_table(district).empty:
        st.info(_("{name}在附件2 重大项目表中没有列出项目（计为 0）。").format(name=names[district]))
    else:
        st.info(_("没有符合条件的项目。可以减少搜索词，或取消行业、类型筛选。"))
else:
    st.dataframe(table.rows, hide_index=True, width="stretch", height=min(38 + 35 * len(numbers), 420), key=key,
                 on_select="rerun", selection_mode="single-row",
                 column_config={_("项目名称"): st.column_config.TextColumn(width="medium"),
                                **{h: projects_view.exact_amount_column(lang) for h in project_tables.amount_headers(lang)}})
    st.caption(table.caption)
    downloads.download_buttons(lambda: project_tables.export(queries.project_table(district, text, sector, project_type),
                                                               lang), "wenzhou_projects", "projects")
