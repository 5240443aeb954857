"""Every SQL query the app runs, in one module.

All values come in as bound parameters (``?``), never as SQL text; results are
cached per argument with ``st.cache_data`` (the data only changes with a
rebuild, which restarts nothing but is picked up by a new process). Functions
return pandas DataFrames or plain Python values.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import sql
from lib.db import cursor

TABLES = ("indicators", "indicator_history", "goals", "projects", "platforms", "platform_districts",
          "districts", "zones", "policies", "reforms", "reform_tasks", "quality_flags")


def _frame(sql: str, params: list | None = None) -> pd.DataFrame:
    return cursor().execute(sql, params or []).df()


@st.cache_data(show_spinner=False)
def table_counts() -> pd.DataFrame:
    # Table names come from the constant above, not from input.
    return _frame(" UNION ALL ".join(f"SELECT '{t}' AS table_name, COUNT(*) AS rows FROM {t}" for t in TABLES))


@st.cache_data(show_spinner=False)
def districts() -> pd.DataFrame:
    return _frame("SELECT adcode, name_zh, short_zh, name_en, kind, role_zh, positioning_zh, source_ref, source_line "
                  "FROM districts ORDER BY adcode")


@st.cache_data(show_spinner=False)
def district_metrics() -> pd.DataFrame:
    """Per district: projects, investments (万元) and platforms present; 0 where there are none."""
    return _frame(sql.DISTRICT_METRICS)


@st.cache_data(show_spinner=False)
def projects(adcode: str | None = None) -> pd.DataFrame:
    """Projects of one district, or all (including those outside Wenzhou) when adcode is None."""
    return _frame("""
        SELECT p.project_no, p.name_zh, p.project_type, p.start_year, p.end_year, p.location_text, p.zone_name,
               p.district_adcode, d.name_zh AS district_name_zh, p.outside_wenzhou,
               CASE WHEN p.sector = 'other' THEN '其他' ELSE p.sector END AS sector, p.sector_reason,
               p.total_investment_wan, p.planned_investment_wan, p.builder, p.content, p.source_ref
        FROM projects p LEFT JOIN districts d ON d.adcode = p.district_adcode
        WHERE ?::VARCHAR IS NULL OR p.district_adcode = ?::VARCHAR
        ORDER BY p.project_no
    """, [adcode, adcode])


@st.cache_data(show_spinner=False)
def outside_projects() -> pd.DataFrame:
    return _frame("""
        SELECT p.project_no, p.name_zh, p.location_text, p.total_investment_wan, p.planned_investment_wan,
               z.reason, p.source_ref
        FROM projects p LEFT JOIN zones z ON z.zone_name = p.zone_name
        WHERE p.outside_wenzhou ORDER BY p.project_no
    """)


@st.cache_data(show_spinner=False)
def plan_totals() -> dict:
    row = cursor().execute("SELECT COUNT(*), SUM(total_investment_wan), SUM(planned_investment_wan), "
                           "(SELECT COUNT(*) FROM platforms) FROM projects").fetchone()
    return {"project_count": int(row[0]), "total_investment_wan": int(row[1]), "planned_investment_wan": int(row[2]),
            "platform_count": int(row[3])}


@st.cache_data(show_spinner=False)
def platforms(adcode: str | None = None) -> pd.DataFrame:
    """Platforms, or those whose text names the district (with the matched words as evidence)."""
    return _frame("""
        SELECT p.platform_no, p.name_zh, p.scope, p.focus, p.goal, p.source_ref, pd.matched_terms
        FROM platforms p
        LEFT JOIN platform_districts pd ON pd.platform_no = p.platform_no AND pd.district_adcode = ?::VARCHAR
        WHERE ?::VARCHAR IS NULL OR pd.district_adcode IS NOT NULL
        ORDER BY p.platform_no
    """, [adcode, adcode])


@st.cache_data(show_spinner=False)
def zones() -> pd.DataFrame:
    return _frame("SELECT zone_name, district_adcode, outside_wenzhou, name_en, role_zh, reason, source_ref "
                  "FROM zones ORDER BY zone_name")


@st.cache_data(show_spinner=False)
def quality_flags() -> pd.DataFrame:
    return _frame("SELECT * FROM quality_flags ORDER BY flag_id")


@st.cache_data(show_spinner=False)
def build_meta() -> dict:
    return dict(cursor().execute("SELECT key, value FROM build_meta").fetchall())


@st.cache_data(show_spinner=False)
def indicator_targets() -> pd.DataFrame:
    """The 16 main indicators with their 2020 base and 2025 target as the plan writes them (主要指标表)."""
    return _frame("SELECT code, row_no, name_zh, name_en, unit, base_text, target_text, source_ref "
                  "FROM indicators ORDER BY row_no")
