"""Sanity checks on the parsed tables: exact expected counts, sums and codes.

If the source changes, these fail loudly before a database is written.
"""
from __future__ import annotations

from lib.pipeline.snapshot import PlanFormatError

WENZHOU_ADCODES = frozenset({
    "330302", "330303", "330304", "330305", "330324", "330326",
    "330327", "330328", "330329", "330381", "330382", "330383",
})
EXPECTED_COUNTS = {
    "indicators": 16, "projects": 37, "platforms": 12, "districts": 12,
    "policies": 5, "reforms": 11, "goals": 125,
}
# goals.csv: 125 statements of quantified targets, 30 of them restating an earlier one (column restates).
EXPECTED_DISTINCT_GOALS = 95
EXPECTED_FIVE_DOUBLING = 10            # rows marked # in 主要指标表
EXPECTED_TOTAL_INVESTMENT_WAN = 7_612_343
EXPECTED_PLANNED_INVESTMENT_WAN = 5_875_598
EXPECTED_ANNUAL_RATES = 8              # rows with a stated annual growth rate


def check_tables(tables: dict[str, list[dict]]) -> None:
    problems = []
    for name, count in EXPECTED_COUNTS.items():
        if len(tables[name]) != count:
            problems.append(f"{name}: {len(tables[name])} rows, expected {count}")
    flagged = sum(1 for i in tables["indicators"] if i["is_five_doubling"])
    if flagged != EXPECTED_FIVE_DOUBLING:
        problems.append(f"indicators: {flagged} rows marked #, expected {EXPECTED_FIVE_DOUBLING}")
    rates = sum(1 for i in tables["indicators"] if i["growth_kind"] == "annual_rate")
    if rates != EXPECTED_ANNUAL_RATES:
        problems.append(f"indicators: {rates} stated annual rates, expected {EXPECTED_ANNUAL_RATES}")
    distinct = sum(1 for g in tables["goals"] if g["restates"] is None)
    if distinct != EXPECTED_DISTINCT_GOALS:
        problems.append(f"goals: {distinct} distinct targets, expected {EXPECTED_DISTINCT_GOALS}")
    total = sum(p["total_investment_wan"] for p in tables["projects"])
    planned = sum(p["planned_investment_wan"] for p in tables["projects"])
    if total != EXPECTED_TOTAL_INVESTMENT_WAN:
        problems.append(f"projects: total investment {total} 万元, expected {EXPECTED_TOTAL_INVESTMENT_WAN}")
    if planned != EXPECTED_PLANNED_INVESTMENT_WAN:
        problems.append(f"projects: planned investment {planned} 万元, expected {EXPECTED_PLANNED_INVESTMENT_WAN}")
    adcodes = {d["adcode"] for d in tables["districts"]}
    if adcodes != WENZHOU_ADCODES:
        problems.append(f"districts: adcodes {sorted(adcodes)} differ from Wenzhou's 12")
    for p in tables["projects"]:
        if (p["district_adcode"] is None) != p["outside_wenzhou"]:
            problems.append(f"projects 第{p['project_no']}行: needs a district or the outside-Wenzhou mark")
    for name, rows in tables.items():
        for row in rows:
            if not str(row.get("source_ref") or "").strip():
                problems.append(f"{name}: a row has no source reference: {row}")
                break
    if problems:
        raise PlanFormatError("sanity checks", "; ".join(problems))


# Non-blank lines of the snapshot after the bookmarks are removed (876 lines, 114 blank);
# the search must hold every one of them, no more and no fewer.
EXPECTED_PLAN_LINES = 762


def check_plan_lines(rows: list[dict]) -> None:
    numbers = [r["line"] for r in rows]
    if len(rows) != EXPECTED_PLAN_LINES:
        raise PlanFormatError("plan_lines", f"{len(rows)} non-blank lines, expected {EXPECTED_PLAN_LINES}")
    if numbers != sorted(set(numbers)) or any(not r["text"] for r in rows):
        raise PlanFormatError("plan_lines", "line numbers must be unique and ascending, texts non-empty")
