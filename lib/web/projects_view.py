"""The projects page's view: the open project (``?project=``) and the sector and type filters (``?sector=``,
``?type=``), declared here; the search words are lib/web/search_view.py's ``?q=``."""
from __future__ import annotations

import streamlit as st

from lib.domain.i18n import N_
from lib.web import queries, view_state

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
