"""SQL shared by the run-time queries (lib/web/queries.py) and the build's static publishing step.

Plain strings, no Streamlit: the build must not import the run-time stack.
"""
from lib.domain.progress import PLAN_BASE_YEAR, PLAN_TARGET_YEAR

# The plan period as years (2021–2025): PLAN_BASE_YEAR is 2020, the year before it.
PLAN_FIRST_YEAR, PLAN_LAST_YEAR = PLAN_BASE_YEAR + 1, PLAN_TARGET_YEAR

DISTRICT_METRICS = """
    SELECT d.adcode, d.name_zh, d.name_en, regexp_replace(d.name_en, ' (District|County|City)$', '') AS short_en,
           d.role_zh, d.positioning_zh,
           COUNT(p.project_no)                         AS project_count,
           COALESCE(SUM(p.total_investment_wan), 0)    AS total_investment_wan,
           COALESCE(SUM(p.planned_investment_wan), 0)  AS planned_investment_wan,
           (SELECT COUNT(DISTINCT pd.platform_no) FROM platform_districts pd
             WHERE pd.district_adcode = d.adcode)      AS platform_count
    FROM districts d LEFT JOIN projects p ON p.district_adcode = d.adcode
    GROUP BY ALL ORDER BY d.adcode
"""

# One row per project for the investment chart; district_adcode is NULL outside Wenzhou.
PROJECT_INVESTMENT = """
    SELECT project_no, name_zh, name_en, district_adcode, total_investment_wan, planned_investment_wan
    FROM projects ORDER BY project_no
"""

# ---------------------------------------------------------------- the investment page
# The 12 districts plus one row for the projects outside Wenzhou (the Shanghai science enclave),
# so the bars add up to the plan's total; area_key is the adcode, or 'outside'. The English name of
# the outside row is its zone's curated name ("Jiading District, Shanghai (science enclave)").
INVESTMENT_BY_AREA = """
    SELECT d.adcode AS area_key, d.name_zh AS area_name, d.name_en AS area_name_en, FALSE AS outside_wenzhou,
           COUNT(p.project_no) AS project_count,
           CAST(COALESCE(SUM(p.total_investment_wan), 0) AS BIGINT) AS total_investment_wan,
           CAST(COALESCE(SUM(p.planned_investment_wan), 0) AS BIGINT) AS planned_investment_wan
    FROM districts d LEFT JOIN projects p ON p.district_adcode = d.adcode
    GROUP BY ALL
    UNION ALL
    SELECT 'outside', '温州市外（' || string_agg(DISTINCT p.location_text, '、') || '）',
           string_agg(DISTINCT z.name_en, '; '), TRUE, COUNT(*),
           CAST(SUM(p.total_investment_wan) AS BIGINT), CAST(SUM(p.planned_investment_wan) AS BIGINT)
    FROM projects p LEFT JOIN zones z ON z.zone_name = p.zone_name WHERE p.outside_wenzhou HAVING COUNT(*) > 0
    ORDER BY planned_investment_wan DESC, total_investment_wan DESC, area_key
"""

# One row per project with what the investment charts show; notes are the build's quality flags
# on the project's period (a 新建 project starting before 2021, a period ending after 2025).
PROJECT_CHART_ROWS = """
    SELECT p.project_no, p.name_zh, p.name_en, p.project_type, p.project_type_en, p.start_year, p.end_year,
           p.period_text, p.district_adcode, COALESCE(d.name_zh, '温州市外（' || p.location_text || '）') AS area_name,
           COALESCE(d.name_en, z.name_en) AS area_name_en,
           CASE WHEN p.sector = 'other' THEN '其他' ELSE p.sector END AS sector, p.sector_en,
           p.total_investment_wan, p.planned_investment_wan, p.builder,
           p.project_no || ' ' || p.name_zh AS label, p.project_no || ' ' || p.name_en AS label_en,
           ROW_NUMBER() OVER (ORDER BY p.start_year, p.end_year, p.project_no) AS timeline_order,
           (SELECT string_agg(q.message_zh, '；' ORDER BY q.flag_id) FROM quality_flags q
             WHERE q.entity_table = 'projects' AND q.entity_key = CAST(p.project_no AS VARCHAR)
               AND q.check_code IN ('new_project_starts_before_plan', 'project_ends_after_plan')) AS period_note
    FROM projects p LEFT JOIN districts d ON d.adcode = p.district_adcode
    LEFT JOIN zones z ON z.zone_name = p.zone_name
    ORDER BY p.project_no
"""

# Derived, not in the plan: each project's 十四五 planned amount spread evenly over its years
# inside 2021–2025 (the plan gives no yearly split). Every project has at least one such year.
PROJECT_YEARS = f"""
    SELECT p.project_no, p.district_adcode, y.year,
           p.planned_investment_wan
             / (LEAST(p.end_year, {PLAN_LAST_YEAR}) - GREATEST(p.start_year, {PLAN_FIRST_YEAR}) + 1) AS planned_wan
    FROM projects p CROSS JOIN range({PLAN_FIRST_YEAR}, {PLAN_LAST_YEAR + 1}) AS y(year)
    WHERE y.year BETWEEN GREATEST(p.start_year, {PLAN_FIRST_YEAR}) AND LEAST(p.end_year, {PLAN_LAST_YEAR})
    ORDER BY p.project_no, y.year
"""
