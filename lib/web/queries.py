"""Every SQL query the app runs, in one module.

All values come in as bound parameters (``?``), never as SQL text. Results are
kept once per argument for the whole process and shared by every session
(:func:`shared`; the data only changes with a rebuild, which a new process
picks up). Functions return pandas DataFrames or plain Python values.
"""
from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Mapping
from types import MappingProxyType

import pandas as pd
import streamlit as st

from lib.domain import sql
from lib.web.db import cursor

# The tables the data page counts.
TABLES = ("indicators", "indicator_history", "goals", "projects", "platforms", "platform_districts",
          "districts", "zones", "policies", "reforms", "reform_tasks", "quality_flags", "indicator_groups",
          "observations", "plan_lines", "search_terms")


def shared(func: Callable | None = None, *, max_entries: int | None = None):
    """``st.cache_resource`` (one value per argument for every session: no pickling, no copy per call, which
    ``st.cache_data`` pays on every call) with copy-on-write handed out: a DataFrame comes back as a shallow
    copy, which pandas' copy-on-write (the default since pandas 3) keeps apart from the shared one whatever
    the page does to it; a dict or list as a copy. So a page can still change what it gets, and the next
    visitor gets the original (tests/test_shared_queries.py). ``max_entries`` bounds queries whose argument
    is free text."""
    def wrap(query: Callable) -> Callable:
        cached = st.cache_resource(show_spinner=False, max_entries=max_entries)(query)

        @functools.wraps(query)
        def call(*args, **kwargs):
            value = cached(*args, **kwargs)
            if isinstance(value, pd.DataFrame):
                return value.copy(deep=False)
            if isinstance(value, (dict, list)):
                return copy.deepcopy(value)
            return value  # int, str, tuple, frozenset, MappingProxyType: read-only

        call.clear = cached.clear
        return call
    return wrap(func) if func else wrap


def _frame(sql: str, params: list | None = None) -> pd.DataFrame:
    return cursor().execute(sql, params or []).df()


@shared
def table_counts() -> pd.DataFrame:
    # Table names come from the constant above, not from input.
    return _frame(" UNION ALL ".join(f"SELECT '{t}' AS table_name, COUNT(*) AS rows FROM {t}" for t in TABLES))


@shared
def districts() -> pd.DataFrame:
    return _frame("SELECT adcode, name_zh, short_zh, name_en, kind, role_zh, positioning_zh, source_ref, source_line, "
                  "source FROM districts ORDER BY adcode")


@shared
def district_metrics() -> pd.DataFrame:
    """Per district: projects, investments (万元) and platforms present; 0 where there are none."""
    return _frame(sql.DISTRICT_METRICS)


@shared
def projects(adcode: str | None = None) -> pd.DataFrame:
    """Projects of one district, or all (including those outside Wenzhou) when adcode is None."""
    return _frame("""
        SELECT p.project_no, p.name_zh, p.name_en, p.project_type, p.start_year, p.end_year, p.location_text,
               p.zone_name, p.district_adcode, d.name_zh AS district_name_zh, d.name_en AS district_name_en,
               p.outside_wenzhou, p.sector_en,
               CASE WHEN p.sector = 'other' THEN '其他' ELSE p.sector END AS sector, p.sector_reason,
               p.total_investment_wan, p.planned_investment_wan, p.builder, p.content, p.source_ref, p.source
        FROM projects p LEFT JOIN districts d ON d.adcode = p.district_adcode
        WHERE ?::VARCHAR IS NULL OR p.district_adcode = ?::VARCHAR
        ORDER BY p.project_no
    """, [adcode, adcode])


@shared
def outside_projects() -> pd.DataFrame:
    return _frame("""
        SELECT p.project_no, p.name_zh, p.name_en, p.location_text, z.name_en AS location_en,
               p.total_investment_wan, p.planned_investment_wan, z.reason, p.source_ref, p.source
        FROM projects p LEFT JOIN zones z ON z.zone_name = p.zone_name
        WHERE p.outside_wenzhou ORDER BY p.project_no
    """)


@shared
def plan_totals() -> dict:
    """附件2 as a whole (all its projects), and the projects in Wenzhou itself (``city_*``: without the
    science enclave outside the city), which a district's share of the city is taken of."""
    row = cursor().execute("SELECT COUNT(*), SUM(total_investment_wan), SUM(planned_investment_wan), "
                           "(SELECT COUNT(*) FROM platforms), COUNT(*) FILTER (WHERE NOT outside_wenzhou), "
                           "SUM(total_investment_wan) FILTER (WHERE NOT outside_wenzhou), "
                           "SUM(planned_investment_wan) FILTER (WHERE NOT outside_wenzhou) FROM projects").fetchone()
    return {"project_count": int(row[0]), "total_investment_wan": int(row[1]), "planned_investment_wan": int(row[2]),
            "platform_count": int(row[3]), "city_project_count": int(row[4]), "city_total_investment_wan": int(row[5]),
            "city_planned_investment_wan": int(row[6])}


@shared
def platforms(adcode: str | None = None) -> pd.DataFrame:
    """Platforms, or those whose text names the district (with the matched words as evidence)."""
    return _frame("""
        SELECT p.platform_no, p.name_zh, p.name_en, p.scope, p.focus, p.goal, p.source_ref, p.source, pd.matched_terms
        FROM platforms p
        LEFT JOIN platform_districts pd ON pd.platform_no = p.platform_no AND pd.district_adcode = ?::VARCHAR
        WHERE ?::VARCHAR IS NULL OR pd.district_adcode IS NOT NULL
        ORDER BY p.platform_no
    """, [adcode, adcode])


@shared
def zones() -> pd.DataFrame:
    return _frame("SELECT zone_name, district_adcode, outside_wenzhou, name_en, role_zh, reason, source_ref, source "
                  "FROM zones ORDER BY zone_name")


@shared
def quality_flags() -> pd.DataFrame:
    return _frame("SELECT * FROM quality_flags ORDER BY flag_id")


@shared
def build_meta() -> dict:
    return dict(cursor().execute("SELECT key, value FROM build_meta").fetchall())


# ---------------------------------------------------------------- indicators, goals, actual values


@shared
def indicators() -> pd.DataFrame:
    """The 16 headline indicators with their group in 一（五） and the better direction, in plan order."""
    return _frame("""
        SELECT i.*, g.group_no, g.group_zh, g.group_en, g.better, g.target_kind, g.source_ref AS group_ref,
               g.source AS group_source,
               g.source_line AS group_line, g.quote AS group_quote
        FROM indicators i JOIN indicator_groups g ON g.code = i.code
        ORDER BY g.group_no, i.row_no
    """)


@shared
def indicator_history() -> pd.DataFrame:
    return _frame("SELECT * FROM indicator_history WHERE indicator_code IS NOT NULL ORDER BY indicator_code, year")


@shared
def goals() -> pd.DataFrame:
    """The quantified goals in plan order; ``restates`` names the first statement of a target said twice."""
    return _frame("SELECT goal_id, metric_zh, metric_en, value, value_text, qualifier, unit, kind, target_year, "
                  "source_ref, source_line, quote, source, restates FROM goals ORDER BY source_line, goal_id")


@shared
def observations() -> pd.DataFrame:
    """Published actual values; ``is_related`` rows are another measure and are never scored."""
    return _frame("SELECT * FROM observations ORDER BY indicator, year, observation_id")


@shared
def indicator_flags() -> pd.DataFrame:
    return _frame("SELECT entity_key AS code, check_code, severity, message_zh, message_args, source_ref FROM quality_flags "
                  "WHERE entity_table = 'indicators' ORDER BY flag_id")


# ---------------------------------------------------------------- investment, projects, annexes, search


@shared
def investment_by_area() -> pd.DataFrame:
    """The 12 districts and one row for the projects outside Wenzhou, largest planned investment first."""
    return _frame(sql.INVESTMENT_BY_AREA)


@shared
def project_chart_rows(adcode: str | None = None) -> pd.DataFrame:
    """What the investment charts show, per project, for one district or (None) all 37."""
    return _frame(f"SELECT * FROM ({sql.PROJECT_CHART_ROWS}) WHERE ?::VARCHAR IS NULL OR district_adcode = ?::VARCHAR "
                  "ORDER BY project_no", [adcode, adcode])


@shared
def planned_by_year(adcode: str | None = None) -> pd.DataFrame:
    """Derived: 十四五 planned investment per year, each project's amount spread evenly over its plan years."""
    return _frame(f"SELECT year, SUM(planned_wan) AS planned_wan, COUNT(*) AS project_count "
                  f"FROM ({sql.PROJECT_YEARS}) WHERE ?::VARCHAR IS NULL OR district_adcode = ?::VARCHAR "
                  "GROUP BY year ORDER BY year", [adcode, adcode])


@shared
def project_numbers() -> frozenset[int]:
    return frozenset(r[0] for r in cursor().execute("SELECT project_no FROM projects").fetchall())


def _terms(text: str | None) -> list[str]:
    """Search words: the text split on spaces; every word must occur (case-insensitive for Latin letters)."""
    return [t.lower() for t in (text or "").split()]


@shared(max_entries=256)
def project_table(adcode: str | None = None, text: str | None = None, sector: str | None = None,
                 project_type: str | None = None) -> pd.DataFrame:
    """附件2 rows under the district filter, matching every search word in name (Chinese or English),
    content or builder, and the sector and type filters (None = any)."""
    return _frame("""
        SELECT p.project_no, p.name_zh, p.name_en, p.project_type, p.project_type_en, p.period_text, p.start_year,
               p.end_year, COALESCE(d.name_zh, '温州市外') AS area_name, COALESCE(d.name_en, z.name_en) AS area_name_en,
               p.location_text, p.zone_name, CASE WHEN p.sector = 'other' THEN '其他' ELSE p.sector END AS sector,
               p.sector_en, p.total_investment_wan, p.planned_investment_wan, p.builder, p.content, p.source_ref,
               p.source_line, p.source
        FROM projects p LEFT JOIN districts d ON d.adcode = p.district_adcode
        LEFT JOIN zones z ON z.zone_name = p.zone_name
        WHERE (?::VARCHAR IS NULL OR p.district_adcode = ?::VARCHAR)
          AND len(list_filter(?::VARCHAR[], lambda t:
                  strpos(lower(p.name_zh || ' ' || p.name_en || ' ' || p.content || ' ' || p.builder), t) = 0)) = 0
          AND (?::VARCHAR IS NULL OR (CASE WHEN p.sector = 'other' THEN '其他' ELSE p.sector END) = ?::VARCHAR)
          AND (?::VARCHAR IS NULL OR p.project_type = ?::VARCHAR)
        ORDER BY p.project_no
    """, [adcode, adcode, _terms(text), sector, sector, project_type, project_type])


@shared
def project_sectors() -> tuple[str, ...]:
    """This project's sector labels in a fixed order (其他 last); a tuple, read on every run, never copied."""
    rows = cursor().execute("SELECT DISTINCT CASE WHEN sector = 'other' THEN '其他' ELSE sector END AS s, "
                            "sector = 'other' FROM projects ORDER BY 2, 1").fetchall()
    return tuple(r[0] for r in rows)


@shared
def project_term_names() -> Mapping[str, str]:
    """Sector labels (as ``project_sectors``) and project types (新建, 续建) → curated English
    (data/curated/names_en.csv)."""
    rows = cursor().execute("""
        SELECT DISTINCT CASE WHEN sector = 'other' THEN '其他' ELSE sector END, sector_en FROM projects
        UNION SELECT DISTINCT project_type, project_type_en FROM projects""").fetchall()
    return MappingProxyType(dict(rows))   # read on every run: read-only rather than copied


@shared
def project_detail(project_no: int) -> dict | None:
    """Every 附件2 field of one project, with its district, zone, the reasons for both, sector and flags."""
    frame = _frame("""
        SELECT p.*, CASE WHEN p.sector = 'other' THEN '其他' ELSE p.sector END AS sector_label,
               d.name_zh AS district_name_zh, d.name_en AS district_name_en, z.name_en AS zone_name_en,
               z.reason AS zone_reason, z.source_ref AS zone_source, z.source AS zone_places, z.role_zh AS zone_role,
               (SELECT list([q.check_code, q.message_args] ORDER BY q.flag_id) FROM quality_flags q
                 WHERE q.entity_table = 'projects' AND q.entity_key = CAST(p.project_no AS VARCHAR)) AS flags
        FROM projects p LEFT JOIN districts d ON d.adcode = p.district_adcode
        LEFT JOIN zones z ON z.zone_name = p.zone_name
        WHERE p.project_no = ?
    """, [project_no])
    return None if frame.empty else frame.iloc[0].to_dict()


@shared
def platform_list(adcode: str | None = None) -> pd.DataFrame:
    """All 12 platforms (附件1) with the districts their text names; with a district, the platforms that
    name it (matched words as evidence) and those that name no district at all (city-wide)."""
    return _frame("""
        WITH linked AS (
            SELECT pd.platform_no, string_agg(d.name_zh || '（' || pd.matched_terms || '）', '；'
                                              ORDER BY pd.district_adcode) AS districts_named,
                   string_agg(d.name_en, '; ' ORDER BY pd.district_adcode) AS districts_named_en,
                   bool_or(pd.district_adcode = ?::VARCHAR) AS names_selected,
                   max(CASE WHEN pd.district_adcode = ?::VARCHAR THEN pd.matched_terms END) AS matched_terms
            FROM platform_districts pd JOIN districts d ON d.adcode = pd.district_adcode
            GROUP BY pd.platform_no)
        SELECT p.platform_no, p.name_zh, p.name_en, p.scope, p.focus, p.goal, p.source_ref, p.source_line, p.source,
               l.districts_named, l.districts_named_en, l.matched_terms, l.platform_no IS NULL AS city_wide
        FROM platforms p LEFT JOIN linked l ON l.platform_no = p.platform_no
        WHERE ?::VARCHAR IS NULL OR l.names_selected OR l.platform_no IS NULL
        ORDER BY p.platform_no
    """, [adcode, adcode, adcode])


@shared
def policies() -> pd.DataFrame:
    return _frame("SELECT policy_no, name_zh, name_en, content, expected_goal, source_ref, source_line, source "
                  "FROM policies ORDER BY policy_no")


@shared
def reform_tasks() -> pd.DataFrame:
    """One row per task of 附件4, with its reform's name and line."""
    return _frame("""
        SELECT r.reform_no, r.name_zh, r.name_en, t.task_no, t.task_text, t.source_ref, t.source,
               r.source_ref AS reform_ref, r.source AS reform_source, r.source_line
        FROM reforms r JOIN reform_tasks t ON t.reform_no = r.reform_no
        ORDER BY r.reform_no, t.task_no
    """)


@shared
def plan_line_count() -> int:
    return int(cursor().execute("SELECT max(line) FROM plan_lines").fetchone()[0])


@shared
def english_terms() -> pd.DataFrame:
    """English → the plan's Chinese: this project's glossary (data/curated/search_terms.csv) and the curated
    English names of what the plan names (projects, platforms, policies, reforms, districts, zones,
    indicators, goals), lower-cased; ``kind`` says which."""
    return _frame("""
        SELECT term_en AS en, term_zh AS zh, 'glossary' AS kind FROM search_terms
        UNION SELECT lower(name_en), name_zh, 'name' FROM projects
        UNION SELECT lower(name_en), name_zh, 'name' FROM platforms
        UNION SELECT lower(name_en), name_zh, 'name' FROM policies
        UNION SELECT lower(name_en), name_zh, 'name' FROM reforms
        UNION SELECT lower(name_en), name_zh, 'name' FROM districts
        UNION SELECT lower(name_en), zone_name, 'name' FROM zones
        UNION SELECT lower(name_en), name_zh, 'name' FROM indicators
        UNION SELECT lower(metric_en), metric_zh, 'name' FROM goals
        ORDER BY kind, en, zh
    """)


@shared(max_entries=256)
def search_plan(groups: tuple[tuple[str, ...], ...]) -> pd.DataFrame:
    """Lines of the plan where every group of words has one word (case-insensitive for Latin letters), in
    order: a group is a search word and, for an English word, the plan's Chinese for it (lib/plan_search)."""
    return _frame("""
        SELECT line, section, text, source FROM plan_lines
        WHERE len(list_filter(?::VARCHAR[][], lambda alts: len(list_filter(alts, lambda t: strpos(lower(text), t) > 0)) = 0)) = 0
        ORDER BY line
    """, [[[t.lower() for t in group] for group in groups] or [[""]]])


@shared(max_entries=256)
def plan_context(line: int, radius: int = 6) -> pd.DataFrame:
    """The non-blank lines around ``line``: ``radius`` before it and after it."""
    return _frame("""
        (SELECT line, section, text, source FROM plan_lines WHERE line < ? ORDER BY line DESC LIMIT ?)
        UNION ALL
        (SELECT line, section, text, source FROM plan_lines WHERE line >= ? ORDER BY line LIMIT ?)
        ORDER BY line
    """, [line, radius, line, radius + 1])


@shared
def sector_reasons(adcode: str | None = None) -> pd.DataFrame:
    """This project's sector for each project of the view, with the reason (data/curated/project_sectors.csv)."""
    return _frame("""
        SELECT project_no, name_zh, name_en, CASE WHEN sector = 'other' THEN '其他' ELSE sector END AS sector,
               sector_en, sector_reason,
               planned_investment_wan, total_investment_wan
        FROM projects WHERE ?::VARCHAR IS NULL OR district_adcode = ?::VARCHAR ORDER BY project_no
    """, [adcode, adcode])
