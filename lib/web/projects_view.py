"""The projects page's view: the open project (``?project=``) and the sector and type filters (``?sector=``,
``?type=``), declared here; the search words are lib/web/search_view.py's ``?q=``."""
from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import streamlit as st

from lib.domain import project_detail, project_tables
from lib.domain.escaping import escape
from lib.domain.i18n import N_, colon, plural_translator, translator
from lib.domain.units import format_money, format_wan_lang
from lib.web import arrow_tables, queries, view_state

PROJECT_TYPES = ("新建", "续建")   # 附件2's 项目类型 column: new, continued


def _project(value: str) -> str | None:
    value = value.strip()
    return str(int(value)) if value.isascii() and value.isdigit() and int(value) in queries.project_numbers() else None


def _sector(value: str) -> str | None:
    return value if value in queries.project_sectors() else None


def _project_type(value: str) -> str | None:
    return value if value in PROJECT_TYPES else None


PROJECT = view_state.register(view_state.UrlParam("project", _project, max_length=8, label=N_("项目")))
SECTOR = view_state.register(view_state.UrlParam("sector", _sector, max_length=16, label=N_("行业")))
TYPE = view_state.register(view_state.UrlParam("type", _project_type, max_length=8, label=N_("项目类型")))


def project() -> int | None:
    value = view_state.get(PROJECT.name)
    return int(value) if value else None


def exact_amount_column(lang: str):
    """Column format of the plan's exact amounts: whole 万元, or CNY million with two decimals."""
    return st.column_config.NumberColumn(format="%,.2f" if lang == "en" else "localized")


@dataclass(frozen=True)
class ProjectTable:
    """One filter state's table as the page shows it, made once per state and language and shared by every
    session (read-only): the rows as an Arrow table (``st.dataframe`` takes it as is, no conversion per run),
    each row's project number, and the caption under it."""
    rows: pa.Table
    numbers: tuple[int, ...]
    caption: str


@st.cache_resource(show_spinner=False, max_entries=256)   # bounded: the search text is free text
def project_table(district: str | None, text: str | None, sector: str | None, project_type: str | None,
                  lang: str) -> ProjectTable:
    frame = queries.project_table(district, text, sector, project_type)
    shown = project_tables.shown(frame, lang)
    ngettext = plural_translator(lang)
    total, planned = int(frame["total_investment_wan"].sum()), int(frame["planned_investment_wan"].sum())
    caption = ngettext("共 {n} 个项目；总投资合计 {total}（{total_yi}），“十四五”计划投资合计 {planned}（{planned_yi}）。"
                       "下载的文件是这些行，另含“建设内容和规模”列。",
                       "共 {n} 个项目；总投资合计 {total}（{total_yi}），“十四五”计划投资合计 {planned}（{planned_yi}）。"
                       "下载的文件是这些行，另含“建设内容和规模”列。", len(frame)).format(
        n=len(frame), total=format_wan_lang(total, lang), total_yi=format_money(total, lang),
        planned=format_wan_lang(planned, lang), planned_yi=format_money(planned, lang))
    return ProjectTable(arrow_tables.for_display(shown),
                        tuple(int(n) for n in frame["project_no"]), caption)


@dataclass(frozen=True)
class ProjectCard:
    """One project's detail as the page shows it (inert markdown), once per project and language."""
    heading: str
    body: str          # every section, heading and fields, in one markdown element
    source_line: int


@st.cache_resource(show_spinner=False, max_entries=128)
def project_card(project_no: int, lang: str) -> ProjectCard | None:
    detail = queries.project_detail(project_no)
    if not detail:
        return None
    _ = translator(lang)
    heading = _("第 {no} 号项目：{name}").format(
        no=project_no, name=escape(detail["name_en"] if lang == "en" else detail["name_zh"]))
    body = "\n\n".join(f"##### {escape(section)}\n" + "  \n".join(f"**{escape(label)}**{colon(lang)}{escape(value)}"
                                                               for label, value in fields)
                        for section, fields in project_detail.detail_sections(detail, lang))
    return ProjectCard(heading, body, int(detail["source_line"]))
