"""SQL shared by the run-time queries (lib/queries.py) and the build's static publishing step.

Plain strings, no Streamlit: the build must not import the run-time stack.
"""

DISTRICT_METRICS = """
    SELECT d.adcode, d.name_zh, d.name_en, d.role_zh, d.positioning_zh,
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
    SELECT project_no, name_zh, district_adcode, total_investment_wan, planned_investment_wan
    FROM projects ORDER BY project_no
"""
