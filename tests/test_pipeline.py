"""The build pipeline end to end: the real plan → the real DuckDB, checked against the plan itself.

Every number asserted here was read off data/raw/wenzhou_st_plan_2021_2025.txt
(主要指标表 lines 33–156, 附件1 line 281, 附件2 line 371, 附件3 line 779,
附件4 line 812), not copied from the pipeline's output.
"""
from __future__ import annotations

import hashlib
import math
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest

from lib.pipeline import freshness
from lib.pipeline.orchestrate import build_database, ensure_database
from lib.pipeline.snapshot import PlanFormatError
from lib.pipeline.tidy import parse_all
from lib.domain import citations
from lib.pipeline.database import SCHEMA, SOURCE_TYPE, write_database
from lib.pipeline.snapshot import load_plan_text
from lib.domain.paths import CURATED_DIR, RAW_PLAN_PATH

ROOT = Path(__file__).resolve().parent.parent

# 专栏7 市县协同创新推进计划 (line 248 on) names the twelve; the adcodes are the national codes.
WENZHOU_DISTRICTS = {
    "330302": "鹿城区", "330303": "龙湾区", "330304": "瓯海区", "330305": "洞头区", "330324": "永嘉县",
    "330326": "平阳县", "330327": "苍南县", "330328": "文成县", "330329": "泰顺县", "330381": "瑞安市",
    "330382": "乐清市", "330383": "龙港市",
}
WENZHOU_ADCODES = set(WENZHOU_DISTRICTS)
LONGWAN, DONGTOU, LUCHENG, TAISHUN = "330303", "330305", "330302", "330329"


def scalar(db, sql: str, *params):
    return db.execute(sql, list(params)).fetchone()[0]


def column(db, sql: str, *params) -> list:
    return [r[0] for r in db.execute(sql, list(params)).fetchall()]


def all_rows(con, table: str) -> list[tuple]:
    return con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


# ---------------------------------------------------------------- counts
# The row counts and investment sums themselves are the build's sanity checks (lib/pipeline/checks.py): a
# build with other numbers stops before there is a database, so they are tested on broken input in
# tests/test_broken_plan.py; here, what the checks do not cover.


def test_ten_indicators_are_five_doubling(db):
    # Rows 1–10 of 主要指标表 carry '#' (注：#为“五倍增五提升”指标); rows 11–16 do not.
    flagged = column(db, "SELECT row_no FROM indicators WHERE is_five_doubling ORDER BY row_no")
    assert flagged == list(range(1, 11))
    names = column(db, "SELECT name_zh FROM indicators")
    assert not any(n.endswith("#") for n in names)


def test_reform_tasks_per_reform(db):
    # Counted by hand in 附件4 (lines 818–875).
    expected = {1: 4, 2: 2, 3: 3, 4: 2, 5: 2, 6: 2, 7: 2, 8: 3, 9: 3, 10: 1, 11: 2}
    got = dict(db.execute("SELECT reform_no, count(*) FROM reform_tasks GROUP BY reform_no").fetchall())
    assert got == expected
    # Numbering runs 1..n within each reform.
    for reform_no, n in expected.items():
        assert column(db, "SELECT task_no FROM reform_tasks WHERE reform_no = ? ORDER BY task_no",
                      reform_no) == list(range(1, n + 1))
    assert scalar(db, "SELECT task_text FROM reform_tasks WHERE reform_no = 10 AND task_no = 1").startswith(
        "探索通过负面清单等方式")


def test_district_names_by_adcode(db):
    # The set of adcodes is a sanity check of the build; which name goes with which code is not.
    assert dict(db.execute("SELECT adcode, name_zh FROM districts").fetchall()) == WENZHOU_DISTRICTS


def test_parse_all_and_database_agree_on_row_counts(db, tables):
    for name in SCHEMA:
        assert scalar(db, f"SELECT count(*) FROM {name}") == len(tables[name]), name


# ---------------------------------------------------------------- investment


def test_investments_are_bigint_integers(db):
    types = dict(db.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = 'projects' AND column_name LIKE '%investment_wan'").fetchall())
    assert types == {"total_investment_wan": "BIGINT", "planned_investment_wan": "BIGINT"}
    # A few cells as printed in 附件2.
    rows = dict((no, (t, p)) for no, t, p in db.execute(
        "SELECT project_no, total_investment_wan, planned_investment_wan FROM projects").fetchall())
    assert rows[1] == (1_000_000, 300_000)
    assert rows[20] == (32_100, 16_050)
    assert rows[22] == (93_378, 63_548)
    assert all(isinstance(t, int) and isinstance(p, int) for t, p in rows.values())


# ---------------------------------------------------------------- indicator values and qualifiers


def indicator(db, code: str) -> dict:
    cur = db.execute("SELECT * FROM indicators WHERE code = ?", [code])
    names = [d[0] for d in cur.description]
    row = cur.fetchone()
    assert row is not None, code
    return dict(zip(names, row))


def test_approximate_base_and_target(db):
    ind = indicator(db, "rd_gdp_share")  # 2.2左右 → 3.0左右
    assert (ind["base_2020"], ind["base_qualifier"]) == (2.2, "approx")
    assert (ind["target_2025"], ind["target_qualifier"]) == (3.0, "approx")
    assert ind["base_text"] == "2.2左右" and ind["target_text"] == "3.0左右"
    assert ind["growth_kind"] == "none" and ind["growth_value"] is None


def test_at_least_targets(db):
    hitech = indicator(db, "hitech_va_share")  # 60.9 → 62以上
    assert (hitech["base_2020"], hitech["base_qualifier"]) == (60.9, "exact")
    assert (hitech["target_2025"], hitech["target_qualifier"]) == (62, "at_least")
    fiscal = indicator(db, "fiscal_st_share")  # 6 → 6以上
    assert (fiscal["base_2020"], fiscal["base_qualifier"]) == (6, "exact")
    assert (fiscal["target_2025"], fiscal["target_qualifier"]) == (6, "at_least")


def test_missing_base_is_null(db):
    top = indicator(db, "top_talent")  # 顶尖人才: -- → 10
    assert top["base_2020"] is None and top["base_qualifier"] == "none"
    assert top["target_2025"] == 10 and top["target_qualifier"] == "exact"
    assert indicator(db, "leading_talent")["base_2020"] is None  # 领军人才: -- → 100
    assert set(column(db, "SELECT code FROM indicators WHERE base_2020 IS NULL")) == {"top_talent", "leading_talent"}


@pytest.mark.parametrize("code, kind, value", [
    ("ind_rd_revenue_share", "cumulative_points", 0.22),  # [0.22]
    ("basic_research_share", "cumulative_points", 3),     # [3]
    ("rd_staff_per_10k", "annual_rate", 2.53),            # 2.53%
    ("digital_economy_va", "annual_rate", 14.87),         # 14.87%
    ("tech_contract_value", "annual_rate", 7.56),         # 7.56%
])
def test_growth_kinds(db, code, kind, value):
    ind = indicator(db, code)
    assert ind["growth_kind"] == kind
    assert ind["growth_value"] == pytest.approx(value, abs=1e-12)


def test_eight_stated_annual_rates(db):
    # Rows 4, 5, 7, 8, 9, 10, 15, 16 of 主要指标表 have a '%' growth rate.
    assert column(db, "SELECT row_no FROM indicators WHERE growth_kind = 'annual_rate' ORDER BY row_no") == \
        [4, 5, 7, 8, 9, 10, 15, 16]
    assert scalar(db, "SELECT count(*) FROM indicators WHERE growth_kind = 'cumulative_points'") == 2


def test_stated_annual_rates_agree_with_base_and_target(db):
    rows = db.execute("SELECT code, base_2020, target_2025, growth_value FROM indicators "
                      "WHERE growth_kind = 'annual_rate'").fetchall()
    assert len(rows) == 8
    for code, base, target, stated in rows:
        cagr = ((target / base) ** (1 / 5) - 1) * 100  # computed here, independently of lib.domain.progress
        assert abs(cagr - stated) <= 0.01 + 1e-9, (code, cagr, stated)
    flagged = db.execute("SELECT entity_key, severity FROM quality_flags "
                         "WHERE check_code = 'growth_rate_recomputed'").fetchall()
    assert sorted(flagged) == sorted((code, "info") for code, *_ in rows)


# ---------------------------------------------------------------- projects: periods and places


def project(db, no: int) -> dict:
    cur = db.execute("SELECT * FROM projects WHERE project_no = ?", [no])
    names = [d[0] for d in cur.description]
    row = cur.fetchone()
    assert row is not None, no
    return dict(zip(names, row))


@pytest.mark.parametrize("no, start, end", [
    (11, 2021, 2025),  # cell broken across lines: '2021年—' / '2025年'
    (37, 2020, 2027),  # ASCII hyphen and broken: '2020年-' / '2027年'
    (10, 2023, 2030),
    (23, 2018, 2021),
    (26, 2016, 2023),
])
def test_project_periods(db, no, start, end):
    p = project(db, no)
    assert (p["start_year"], p["end_year"]) == (start, end)
    assert "\n" not in p["period_text"]


def test_raw_plan_really_breaks_the_period_cells():
    raw = RAW_PLAN_PATH.read_text(encoding="utf-8")
    assert "\t2021年—\n2025年\n\t温州经济技术开发区" in raw   # project 11
    assert "\t2020年-\n2027年\n\t鹿城区" in raw               # project 37


def test_every_project_period_is_ordered(db):
    assert scalar(db, "SELECT count(*) FROM projects WHERE start_year > end_year") == 0
    assert scalar(db, "SELECT count(*) FROM projects WHERE start_year IS NULL OR end_year IS NULL") == 0


def test_every_project_has_a_district_or_is_outside_never_both(db):
    for no, adcode, outside in db.execute(
            "SELECT project_no, district_adcode, outside_wenzhou FROM projects").fetchall():
        if outside:
            assert adcode is None, no
        else:
            assert adcode in WENZHOU_ADCODES, no


def test_exactly_one_project_outside_wenzhou(db):
    rows = db.execute("SELECT project_no, name_zh, location_text, district_adcode FROM projects "
                      "WHERE outside_wenzhou").fetchall()
    assert rows == [(17, "温州（嘉定）科创园二期建设项目", "上海市嘉定区", None)]


@pytest.mark.parametrize("nos, adcode", [
    ((16, 18, 36), DONGTOU),                  # 瓯江口产业集聚区 / 瓯江口 → 洞头区, not 龙湾区
    ((10, 25, 35), LONGWAN),                  # 浙南科技城
    ((11, 12, 13, 14, 15), LONGWAN),          # 温州经济技术开发区
    ((20,), LUCHENG),                         # 鹿城区（七都片区）
    ((8,), "330328"),                         # 文成县
    ((21, 22, 23, 24), "330304"),             # 瓯海区
])
def test_project_locations_map_to_districts(db, nos, adcode):
    for no in nos:
        assert project(db, no)["district_adcode"] == adcode, no


def test_locations_as_written(db):
    assert project(db, 16)["location_text"] == "瓯江口产业集聚区"
    assert project(db, 18)["location_text"] == "瓯江口"
    assert project(db, 20)["location_text"] == "鹿城区（七都片区）"
    assert project(db, 11)["location_text"] == "温州经济技术开发区"


def test_taishun_has_no_projects(db):
    # 第20行 鹿城-泰顺总部科创园 is Taishun's enclave, but it is built in 鹿城区.
    assert scalar(db, "SELECT count(*) FROM projects WHERE district_adcode = ?", TAISHUN) == 0


# ---------------------------------------------------------------- quality flags


def flags(db, check: str) -> list[tuple]:
    return db.execute("SELECT entity_key, severity, message_zh FROM quality_flags WHERE check_code = ? "
                      "ORDER BY entity_key", [check]).fetchall()


def test_text_disagrees_with_table(db):
    found = {key: (sev, msg) for key, sev, msg in flags(db, "text_disagrees_with_table")}
    # Line 9: 每万名从业人员中R&D人员数为130人年（预估值）; the table's base is 120.
    sev, msg = found["rd_staff_per_10k"]
    assert sev == "warning" and "130" in msg and "120" in msg
    # Line 7: 2020年高新技术产业投资增速达到20.3%; the table's base (row 14) is 12.
    sev, msg = found["hitech_investment_growth"]
    assert "20.3" in msg and "12" in msg
    # Everything else the text states for 2020 matches the table (2.2, 3.03, 60.90, 2404, 10340, 217.37).
    assert set(found) == {"rd_staff_per_10k", "hitech_investment_growth"}


def test_table_target_exact_where_the_text_says_at_least(db):
    found = {key: msg for key, sev, msg in flags(db, "target_qualifier_differs")}
    # 主要指标表 rows 11–12: 10 and 100 (exact); line 30: “…人才10名以上”, “…领军人才100名以上”.
    assert set(found) == {"top_talent", "leading_talent"}
    assert "10（确数）" in found["top_talent"] and "10名以上”（下限）" in found["top_talent"]
    assert "100（确数）" in found["leading_talent"] and "100名以上”（下限）" in found["leading_talent"]


@pytest.mark.parametrize("quote, written, qualifier", [
    ("人才10名以上", "10", "at_least"), ("主营业务收入10亿元以上", "10", "at_least"), ("超3700家", "3700", "at_least"),
    ("1200多家传统企业", "1200多", "at_least"), ("比重达到3.0%左右", "3", "approx"), ("达到136人年", "136", "exact"),
    ("5年集聚创新团队5个以上", "5", "at_least"), ("居全省第6位（预估值）", "6", "exact"),
    ("省级以上奖励112项", "112", "exact"), ("数字经济增加值#", "6500", None), ("达到100家", "10", None),
])
def test_text_qualifier_reads_the_words_around_the_number(quote, written, qualifier):
    from lib.pipeline.values import text_qualifier

    assert text_qualifier(quote, written) == qualifier


def test_history_records_the_lower_bounds_of_the_text(db):
    # H053 (附件2 第24行): 园区2020年主营业务收入10亿元以上; H020 (line 6): 1200多家.
    rows = dict(db.execute("SELECT history_id, qualifier FROM indicator_history WHERE qualifier <> 'exact'").fetchall())
    assert rows == {"H053": "at_least", "H020": "at_least"}


def test_new_project_starts_before_plan(db):
    # 附件2 第16行: 新建, 2020年—2023年.
    assert [k for k, *_ in flags(db, "new_project_starts_before_plan")] == ["16"]


def test_projects_ending_after_plan(db):
    # 第1行 2027, 第9行 2026, 第10行 2030, 第37行 2027.
    assert {int(k) for k, *_ in flags(db, "project_ends_after_plan")} == {1, 9, 10, 37}


def test_no_planned_investment_exceeds_total(db):
    assert flags(db, "planned_exceeds_total") == []
    assert scalar(db, "SELECT count(*) FROM projects WHERE planned_investment_wan > total_investment_wan") == 0


def test_location_normalised_for_every_non_district_location(db):
    district_names = set(column(db, "SELECT name_zh FROM districts"))
    locations = dict(db.execute("SELECT project_no, location_text FROM projects").fetchall())
    expected = {no for no, text in locations.items() if text not in district_names}
    # Read off 附件2: 浙南科技城 (10, 25, 35), 温州经济技术开发区 (11–15), 瓯江口… (16, 18, 36),
    # 上海市嘉定区 (17), 鹿城区（七都片区） (20).
    assert expected == {10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 25, 35, 36}
    assert {int(k) for k, *_ in flags(db, "location_normalised")} == expected
    assert column(db, "SELECT project_no FROM projects WHERE location_normalised ORDER BY project_no") == \
        sorted(expected)


# ---------------------------------------------------------------- provenance


SOURCE_TABLES = [t for t in SCHEMA if t != "build_meta"]


@pytest.mark.parametrize("table", SOURCE_TABLES)
def test_every_row_has_a_source_reference(db, table):
    assert "source_ref" in [c for c, _ in SCHEMA[table]], table
    assert scalar(db, f"SELECT count(*) FROM {table}") > 0
    assert scalar(db, f"SELECT count(*) FROM {table} WHERE source_ref IS NULL OR trim(source_ref) = ''") == 0


@pytest.mark.parametrize("table", [t for t in SOURCE_TABLES if t != "observations"])
def test_every_row_cites_structured_places(db, table):
    """source: the places in the plan as a list of structs (annex, part, section, row …), never null but for
    the zones whose note cites administrative facts besides the plan (lib/domain/citations.cite_prose)."""
    declared = scalar(db, f"SELECT typeof(NULL::{SOURCE_TYPE})")
    assert [r[0] for r in db.execute(f"SELECT DISTINCT typeof(source) FROM {table}").fetchall()] == [declared]
    assert {"annex", "part", "section", "row", "line"} <= set(citations.FIELDS)
    empty = scalar(db, f"SELECT count(*) FROM {table} WHERE source IS NULL OR len(source) = 0")
    assert empty == (4 if table == "zones" else 0)


@pytest.mark.parametrize("table, key, annex", [
    ("projects", "project_no", 2), ("platforms", "platform_no", 1), ("policies", "policy_no", 3),
    ("reforms", "reform_no", 4),
])
def test_annex_rows_are_stored_as_annex_and_row(db, table, key, annex):
    rows = db.execute(f"SELECT {key}, source[1].kind, source[1].annex, source[1].row FROM {table}").fetchall()
    assert rows and all(r[1:] == ("annex_row", annex, r[0]) for r in rows)


@pytest.mark.parametrize("table, key", [
    ("projects", "project_no"), ("platforms", "platform_no"), ("policies", "policy_no"), ("reforms", "reform_no"),
])
def test_table_rows_start_at_their_source_line(db, table, key):
    plan = load_plan_text()
    for no, line in db.execute(f"SELECT {key}, source_line FROM {table}").fetchall():
        assert plan.line(line) == f"\t{no}", (table, no, line)


def test_indicator_rows_start_at_their_source_line(db):
    plan = load_plan_text()
    rows = db.execute("SELECT name_zh, is_five_doubling, source_line FROM indicators").fetchall()
    for name, flagged, line in rows:
        assert plan.line(line) == "\t" + name + ("#" if flagged else ""), (name, line)


@pytest.mark.parametrize("table", ["goals", "indicator_history"])
def test_quotes_stand_verbatim_at_their_source_line(db, table):
    plan = load_plan_text()
    rows = db.execute(f"SELECT quote, source_line FROM {table}").fetchall()
    assert rows
    for quote, line in rows:
        assert 1 <= line <= len(plan.lines)
        assert quote and quote in plan.line(line), (quote, line)


def test_at_least_a_hundred_goals(db):
    assert scalar(db, "SELECT count(*) FROM goals") >= 100


def test_restated_goals(db):
    # 125 statements; 30 restate an earlier one (data/README.md lists them): 95 distinct targets.
    assert scalar(db, "SELECT count(*) FROM goals WHERE restates IS NULL") == 95
    # G007 (一（五）, line 28) is stated again in 专栏1 (line 161) and 附件1 第1行 (line 294).
    assert db.execute("SELECT goal_id, source_line FROM goals WHERE restates = 'G007' ORDER BY goal_id").fetchall() \
        == [("G026", 161), ("G082", 294)]
    # Every restatement agrees with its first statement in value, target year and (measure word aside) unit.
    rows = db.execute("""SELECT r.goal_id, r.value = f.value, r.target_year = f.target_year,
                                r.unit = f.unit OR (r.unit, f.unit) = ('支', '个'), f.restates IS NULL,
                                f.source_line <= r.source_line
                         FROM goals r JOIN goals f ON f.goal_id = r.restates""").fetchall()
    assert len(rows) == 30 and all(all(checks) for _id, *checks in rows)
    # G003 (年均 12%) and G050 (每年 12%) are two targets.
    assert scalar(db, "SELECT restates FROM goals WHERE goal_id = 'G050'") is None


def goal_values(db, metric: str) -> set[tuple]:
    return set(db.execute("SELECT value, unit, source_line FROM goals WHERE metric_zh = ?", [metric]).fetchall())


def test_specific_goals(db):
    # Line 28: 高能级创新平台累计数达到30家.
    assert (30, "家", 28) in goal_values(db, "高能级创新平台累计数")
    # 附件1 第5行 (line 320): 全市建成新型研发机构50家、其中省级15家.
    assert (50, "家", 320) in goal_values(db, "新型研发机构")
    assert (15, "家", 320) in goal_values(db, "其中省级新型研发机构")
    # Line 31: 技术交易年成交额达到313亿元.
    assert (313, "亿元", 31) in goal_values(db, "技术交易年成交额")


def history(db, metric_like: str) -> dict[int, float]:
    return dict(db.execute("SELECT year, value FROM indicator_history WHERE metric_zh LIKE ?",
                           [metric_like]).fetchall())


def test_specific_history(db):
    # Line 6: 规上工业企业R&D经费支出从70.61亿元增加到153.59亿元 (2015 → 2020).
    assert history(db, "规上工业企业R&D经费支出") == {2015: 70.61, 2020: 153.59}
    # Line 8: 技术合同总额由2015年的17.8亿元增至2020年的217.37亿元.
    assert history(db, "技术合同总额") == {2015: 17.8, 2020: 217.37}
    # Line 6: 高新技术企业从618家增加到2404家.
    assert history(db, "高新技术企业数量") == {2015: 618, 2020: 2404}
    assert scalar(db, "SELECT indicator_code FROM indicator_history WHERE metric_zh = '技术合同总额' "
                      "AND year = 2020") == "tech_contract_value"


# ---------------------------------------------------------------- districts and platforms


def test_every_district_has_positioning_and_role(db):
    plan = load_plan_text()
    rows = db.execute("SELECT name_zh, positioning_zh, role_zh, source_line FROM districts").fetchall()
    assert len(rows) == 12
    for name, positioning, role, line in rows:
        assert positioning and role, name
        # 专栏7 (line 248) lists one district per line: "名称：定位…".
        assert 249 <= line <= 263, (name, line)
        assert plan.line(line).strip() == f"{name}：{positioning}"
        # The role is the bracket after the name in the paragraph above 专栏7 (line 247).
        assert f"{name}（{role}）" in plan.line(247)


@pytest.mark.parametrize("name, role", [
    ("泰顺县", "温州西南（浙南闽北）生态产业集聚区"),  # nested brackets
    ("鹿城区", "浙南闽北赣东科技服务业发展领跑区"),
    ("龙湾区", "全球眼健康科创引领高地"),
    ("龙港市", "国家级高新技术产业集聚区"),
])
def test_district_roles(db, name, role):
    assert scalar(db, "SELECT role_zh FROM districts WHERE name_zh = ?", name) == role


def test_taishun_positioning(db):
    positioning = scalar(db, "SELECT positioning_zh FROM districts WHERE name_zh = '泰顺县'")
    assert positioning.startswith("抓牢“生态县也要发展生态工业”这一理念")
    assert positioning.endswith("全力打造温州西南（浙南闽北）生态产业集聚区。")


def test_high_tech_park_platform_names_six_districts(db):
    # 附件1 第3行: 加强乐清、瑞安等省级高新园区建设 … 支持平阳、永嘉、瓯海、龙港等地创建省级高新区.
    assert scalar(db, "SELECT name_zh FROM platforms WHERE platform_no = 3") == "高新技术产业园区"
    adcodes = set(column(db, "SELECT district_adcode FROM platform_districts WHERE platform_no = 3"))
    assert {"330382", "330381", "330326", "330324", "330304", "330383"} <= adcodes
    assert adcodes <= WENZHOU_ADCODES
    assert TAISHUN not in adcodes


def test_platform_districts_reference_known_rows(db):
    assert scalar(db, "SELECT count(*) FROM platform_districts pd LEFT JOIN districts d "
                      "ON pd.district_adcode = d.adcode WHERE d.adcode IS NULL") == 0
    assert scalar(db, "SELECT count(*) FROM platform_districts pd LEFT JOIN platforms p "
                      "USING (platform_no) WHERE p.name_zh IS NULL") == 0


# ---------------------------------------------------------------- CLI, determinism, atomicity, staleness
# Each builds a database of its own (or starts a Python process that does): slow, left to make test.


@pytest.mark.slow
def test_cli_builds_and_prints_counts(tmp_path):
    target = tmp_path / "x.duckdb"
    result = subprocess.run([sys.executable, "-m", "lib.pipeline", "--db", str(target)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert target.exists()
    counts = {}
    for line in result.stdout.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            counts[parts[0]] = int(parts[1])
    assert counts["indicators"] == 16
    assert counts["projects"] == 37
    assert counts["platforms"] == 12
    assert counts["districts"] == 12
    assert counts["policies"] == 5
    assert counts["reforms"] == 11
    assert counts["reform_tasks"] == 26
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM projects").fetchone()[0] == 37


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_the_same_inputs_give_the_same_bytes(db, tmp_path):
    """Two builds, at different times, into two folders under different file names: every output is the
    same, byte for byte — the database, its published copy, build_meta, datapackage.json, every static file."""
    first = build_database(tmp_path / "a" / "wenzhou_plan.duckdb", static_dir=tmp_path / "a" / "static")
    time.sleep(1.1)  # a build time read from the clock (to the second) would now differ
    second = build_database(tmp_path / "b" / "elsewhere.duckdb", static_dir=tmp_path / "b" / "static")
    assert first.read_bytes() == second.read_bytes()
    static_a, static_b = _files(tmp_path / "a" / "static"), _files(tmp_path / "b" / "static")
    assert static_a.keys() == static_b.keys()
    assert {"open/datapackage.json", "open/wenzhou_plan.duckdb", "open/csv/build_meta.csv",
            "open/parquet/build_meta.parquet", "indicator_series.json", freshness.STAMP_FILE} <= static_a.keys()
    assert [name for name in static_a if static_a[name] != static_b[name]] == []
    assert static_a["open/wenzhou_plan.duckdb"] == first.read_bytes()
    # The session's database (another build, earlier) has the same rows in every table, build_meta included.
    with duckdb.connect(str(first), read_only=True) as other:
        for table in SCHEMA:
            assert all_rows(db, table) == all_rows(other, table), table


def test_build_time_is_the_newest_inputs_date_not_the_clock(monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")               # the reproducible-builds convention wins
    assert freshness.build_inputs().newest_date().isoformat() == "2025-01-01T00:00:00+00:00"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    curated = tmp_path / "curated"
    shutil.copytree(CURATED_DIR, curated)
    newer = 4_000_000_000                                                # 2096: later than any commit or file here
    os.utime(curated / "goals.csv", (newer, newer))                     # untracked by git: its file time counts
    inputs = freshness.build_inputs(curated_dir=curated)
    assert inputs.newest_date().timestamp() == newer
    meta = dict((r["key"], r["value"]) for r in parse_all(curated_dir=curated, inputs=inputs)["build_meta"])
    assert meta["built_at"] == datetime.fromtimestamp(newer, timezone.utc).isoformat() == "2096-10-02T07:06:40+00:00"
    assert meta[freshness.INPUTS_KEY] == inputs.sha256()


def _broken_plan(tmp_path: Path) -> Path:
    text = RAW_PLAN_PATH.read_text(encoding="utf-8")
    snippet = "\t1000000\n"  # 附件2 第1行 总投资
    assert text.count(snippet) == 1
    broken = tmp_path / "broken_plan.txt"
    broken.write_text(text.replace(snippet, "\t100万\n"), encoding="utf-8")
    return broken


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_failed_build_keeps_previous_database(tmp_path):
    folder = tmp_path / "out"
    db_path = build_database(folder / "wenzhou_plan.duckdb")
    before, listing = _digest(db_path), sorted(os.listdir(folder))
    broken = _broken_plan(tmp_path)
    with pytest.raises(PlanFormatError):
        build_database(db_path, raw_path=broken)
    assert _digest(db_path) == before
    assert sorted(os.listdir(folder)) == listing == ["wenzhou_plan.duckdb"]
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM projects").fetchone()[0] == 37


@pytest.mark.slow
def test_failure_while_writing_keeps_previous_database(tmp_path):
    """A failure inside the DuckDB write (here a duplicate primary key) must not touch the old file."""
    folder = tmp_path / "out"
    db_path = build_database(folder / "wenzhou_plan.duckdb")
    before = _digest(db_path)
    tables = parse_all()
    tables["projects"] = tables["projects"] + [dict(tables["projects"][0])]
    with pytest.raises(duckdb.Error):
        write_database(tables, db_path)
    assert _digest(db_path) == before
    assert sorted(os.listdir(folder)) == ["wenzhou_plan.duckdb"]
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM projects").fetchone()[0] == 37


@pytest.mark.slow
def test_stale_by_content_not_by_file_time(tmp_path):
    raw = tmp_path / "plan.txt"
    shutil.copyfile(RAW_PLAN_PATH, raw)
    curated = tmp_path / "curated"
    shutil.copytree(CURATED_DIR, curated)
    db_path, static = tmp_path / "out" / "x.duckdb", tmp_path / "out" / "static"

    def stale() -> list[str]:
        return freshness.stale_outputs(db_path, static, raw_path=raw, curated_dir=curated)

    assert len(stale()) == 2                                            # nothing built yet
    _, reasons = ensure_database(db_path, raw, curated, static)
    assert reasons and stale() == []
    built = db_path.stat().st_mtime_ns
    assert ensure_database(db_path, raw, curated, static) == (db_path, [])
    assert db_path.stat().st_mtime_ns == built                          # up to date: not rebuilt

    newer = db_path.stat().st_mtime + 10                                # a newer file time, the same content
    os.utime(raw, (newer, newer))
    assert stale() == []
    goals = (curated / "goals.csv").read_bytes()
    (curated / "goals.csv").write_bytes(goals.replace(b"Basic research share of R&D expenditure",
                                                      b"Basic research share of R&D spending"))
    assert len(stale()) == 2                                            # one English name changed
    (curated / "goals.csv").write_bytes(goals)
    assert stale() == []                                                # and back: the same inputs again

    (static / "indicator_series.json").unlink()                         # a build that stopped half-way …
    freshness.remove_stamp(static)
    assert stale() == [f"{static}: no complete build"]
    ensure_database(db_path, raw, curated, static)
    assert (static / "indicator_series.json").exists() and stale() == []


def test_the_build_imports_are_found_from_the_import_graph():
    modules, libraries = freshness.imported_by_the_build()
    # Modules a hand-kept list would miss, reached through the stages that use them (evidence: publish_indicators).
    assert {"lib.domain.units", "lib.domain.evidence", "lib.pipeline.publish_indicators", "lib.pipeline.tidy"} <= \
        modules.keys()
    assert all(path.is_file() and path.is_relative_to(ROOT) for path in modules.values())
    # The build stands on lib.domain alone (.importlinter): no run-time layer, no page, no Streamlit or Altair.
    assert not [m for m in modules if m.startswith(("lib.web", "lib.files", "lib.charts", "pages"))]
    assert {"duckdb", "pandas", "geopandas", "babel"} <= libraries and not {"streamlit", "altair"} & libraries
    versions = freshness.library_versions(libraries)
    assert {"duckdb", "pandas", "numpy", "shapely", "pyogrio", "pyproj"} <= versions.keys()   # and what they need
    assert versions["duckdb"] == duckdb.__version__


def _copy_of_the_repository(target: Path) -> Path:
    """What the build reads: the code (lib/, with the catalog), the data and the district layer."""
    shutil.copytree(ROOT / "lib", target / "lib", ignore=shutil.ignore_patterns("__pycache__"))
    for folder in ("raw", "curated"):
        shutil.copytree(ROOT / "data" / folder, target / "data" / folder)
    (target / "geo").mkdir()
    for name in ("wenzhou_districts.geojson", "district_labels.csv"):
        shutil.copyfile(ROOT / "geo" / name, target / "geo" / name)
    return target


def _run_build(repo: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("WENZHOU_DB", "SOURCE_DATE_EPOCH")}
    result = subprocess.run([sys.executable, "-m", "lib.pipeline"], cwd=repo, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.slow   # two builds in a copy of the repository, through new Python processes
def test_make_run_builds_once_and_rebuilds_when_an_english_label_changes(tmp_path):
    """``python -m lib.pipeline`` (make run's build step) in a copy of the repository: a build, then nothing
    while the tree is unchanged, then a rebuild when the catalog's English for a chart label changes —
    the label indicator_series.json bakes in."""
    repo = _copy_of_the_repository(tmp_path / "repo")
    static = repo / "data" / "build" / "static"
    assert _run_build(repo).startswith("building: ")
    series = (static / "indicator_series.json").read_bytes()
    assert "2025 target (indicator table)".encode() in series
    before = {p: p.stat().st_mtime_ns for p in [repo / "data" / "build" / "wenzhou_plan.duckdb", *static.rglob("*")]}

    assert _run_build(repo).startswith("up to date: ")                  # unchanged tree: not rebuilt
    assert {p: p.stat().st_mtime_ns for p in before} == before

    catalog = repo / "lib" / "locale" / "en" / "LC_MESSAGES" / "messages.po"
    text = catalog.read_text(encoding="utf-8")
    entry = 'msgid "2025 年目标（主要指标表）"\nmsgstr "2025 target (indicator table)"\n'
    assert text.count(entry) == 1
    catalog.write_text(text.replace(entry, entry.replace("2025 target (indicator table)", "Target for 2025 (table)")),
                       encoding="utf-8")
    assert _run_build(repo).startswith("building: ")
    rebuilt = (static / "indicator_series.json").read_bytes()
    assert b"Target for 2025 (table)" in rebuilt and b"2025 target (indicator table)" not in rebuilt
    assert _run_build(repo).startswith("up to date: ")
