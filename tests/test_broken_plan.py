"""A plan or curated file that does not have the expected structure stops the build with a message
naming the table, the row and the cell, never a silently wrong result or a bare Python error.

Each case copies the real input into tmp_path and changes exactly one thing.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lib.pipeline import checks
from lib.pipeline.orchestrate import build_database
from lib.pipeline.snapshot import PlanFormatError
from lib.pipeline.tidy import parse_all
from lib.domain.paths import CURATED_DIR, RAW_PLAN_PATH

PLAN = RAW_PLAN_PATH.read_text(encoding="utf-8")


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"snippet must be unique: {old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def broken_plan(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "plan.txt"
    path.write_text(replace_once(PLAN, old, new), encoding="utf-8")
    return path


def parse_error(**kwargs) -> str:
    with pytest.raises(PlanFormatError) as info:
        parse_all(**kwargs)
    return str(info.value)


def test_the_unbroken_copy_parses(tmp_path):
    """Control: a byte-identical copy in tmp_path parses, so every failure below is due to the change."""
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    assert len(parse_all(raw_path=path)["projects"]) == 37


# ---------------------------------------------------------------- 附件2 重大项目


def test_project_row_with_a_cell_missing(tmp_path):
    # 附件2 第6行 loses its last cell (建设单位).
    path = broken_plan(tmp_path, "\t浙江诚意药业股份有限公司\n", "")
    message = parse_error(raw_path=path)
    assert "附件2" in message and "第6行" in message
    assert "8 cells" in message and "expected 9" in message


def test_project_row_with_an_extra_cell(tmp_path):
    # An extra cell in 附件2 第3行 (after 建设单位).
    path = broken_plan(tmp_path, "\t浙南科技城管委会\n\n\t4\n", "\t浙南科技城管委会\n\t多余\n\n\t4\n")
    message = parse_error(raw_path=path)
    assert "附件2" in message and "第3行" in message and "10 cells" in message


def test_non_numeric_total_investment(tmp_path):
    path = broken_plan(tmp_path, "\t1000000\n", "\t100万\n")  # 附件2 第1行
    message = parse_error(raw_path=path)
    assert "附件2" in message and "第1行" in message and "总投资" in message
    assert "100万" in message


def test_non_numeric_planned_investment(tmp_path):
    path = broken_plan(tmp_path, "\t1000000\n\t300000\n", "\t1000000\n\t三十万\n")  # 附件2 第1行
    message = parse_error(raw_path=path)
    assert "附件2" in message and "第1行" in message and "计划投资" in message


def test_unknown_location(tmp_path):
    # 附件2 第8行 大数据中心项目 is in 文成县; 文成县 also starts the 建设单位 cell, so anchor on the next cell.
    path = broken_plan(tmp_path, "\t文成县\n\t建设用地面积80亩", "\t火星\n\t建设用地面积80亩")
    message = parse_error(raw_path=path)
    assert "附件2" in message and "第8行" in message and "建设地点" in message
    assert "unknown location" in message and "火星" in message


def test_malformed_period(tmp_path):
    # '2022年—2025年' is in rows 8 and 14; anchor on row 8's location.
    path = broken_plan(tmp_path, "\t2022年—2025年\n\t文成县\n", "\t2022年至今\n\t文成县\n")
    message = parse_error(raw_path=path)
    assert "附件2" in message and "第8行" in message and "项目期限" in message
    assert "2022年至今" in message


def test_reversed_period(tmp_path):
    path = broken_plan(tmp_path, "\t2023年—2030年\n", "\t2030年—2023年\n")  # 附件2 第10行
    message = parse_error(raw_path=path)
    assert "第10行" in message and "项目期限" in message


def test_wrong_project_number(tmp_path):
    path = broken_plan(tmp_path, "\t5\n\t安防智慧科技产业园\n", "\t50\n\t安防智慧科技产业园\n")
    message = parse_error(raw_path=path)
    assert "附件2" in message and "第5行" in message and "序号" in message


# ---------------------------------------------------------------- 主要指标表


def test_indicators_header_changed(tmp_path):
    path = broken_plan(tmp_path, "\t2020年基数\n", "\t2021年基数\n")
    message = parse_error(raw_path=path)
    assert "主要指标表" in message and "header" in message and "2021年基数" in message


def test_growth_cell_not_a_rate(tmp_path):
    path = broken_plan(tmp_path, "\t2.53%\n", "\tabc\n")  # 主要指标表 第4行
    message = parse_error(raw_path=path)
    assert "主要指标表" in message and "第4行" in message and "年均增长" in message
    assert "'abc'" in message


def test_base_not_a_number(tmp_path):
    path = broken_plan(tmp_path, "\t3250\n\t6500\n", "\t三千\n\t6500\n")  # 主要指标表 第8行
    message = parse_error(raw_path=path)
    assert "主要指标表" in message and "第8行" in message and "2020年基数" in message


def test_stated_growth_without_base(tmp_path):
    # 主要指标表 第4行 states 2.53% a year but its base becomes '--'.
    path = broken_plan(tmp_path, "\t120\n\t136\n", "\t--\n\t136\n")
    message = parse_error(raw_path=path)
    assert "主要指标表" in message and "第4行" in message and "2020年基数" in message


# ---------------------------------------------------------------- structure and file


def test_annex_heading_missing(tmp_path):
    # Without the 附件3 heading, 附件2 no longer ends and runs into the orphaned title at line 780.
    path = broken_plan(tmp_path, "\n附件3\n", "\n")
    message = parse_error(raw_path=path)
    assert "附件2" in message
    assert "重大政策" in message and "line 779" in message


def test_last_annex_missing_entirely(tmp_path):
    start = PLAN.index("\n附件4\n")
    path = tmp_path / "plan.txt"
    path.write_text(PLAN[:start + 1], encoding="utf-8")
    message = parse_error(raw_path=path)
    assert "附件4" in message and "not found" in message


def test_first_annex_heading_missing(tmp_path):
    path = broken_plan(tmp_path, "附件1\n重大平台\n", "重大平台\n")
    message = parse_error(raw_path=path)
    assert "附件1" in message and "not found" in message


def test_not_utf8(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(b"\xff\xfe" + PLAN.encode("utf-16-le"))
    message = parse_error(raw_path=path)
    assert "UTF-8" in message and str(path) in message


def test_missing_file(tmp_path):
    path = tmp_path / "no_such_plan.txt"
    message = parse_error(raw_path=path)
    assert str(path) in message and "cannot read" in message


def test_empty_file(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("", encoding="utf-8")
    with pytest.raises(PlanFormatError):
        parse_all(raw_path=path)


# ---------------------------------------------------------------- curated data


@pytest.fixture
def curated(tmp_path) -> Path:
    directory = tmp_path / "curated"
    shutil.copytree(CURATED_DIR, directory)
    return directory


def corrupt(path: Path, old: str, new: str) -> None:
    path.write_text(replace_once(path.read_text(encoding="utf-8"), old, new), encoding="utf-8")


def test_goal_quote_not_in_plan(curated):
    # G022 quotes line 31: 技术交易年成交额达到313亿元.
    corrupt(curated / "goals.csv", ",31,技术交易年成交额达到313亿元", ",31,技术交易年成交额达到331亿元")
    message = parse_error(curated_dir=curated)
    assert "goals.csv" in message and "G022" in message and "quote not found" in message


def test_goal_quote_at_wrong_line(curated):
    corrupt(curated / "goals.csv", ",31,技术交易年成交额达到313亿元", ",30,技术交易年成交额达到313亿元")
    message = parse_error(curated_dir=curated)
    assert "goals.csv" in message and "G022" in message and "line 30" in message


def test_goal_value_disagrees_with_its_text(curated):
    corrupt(curated / "goals.csv", "G022,技术交易年成交额,Annual technology transaction value,313,",
            "G022,技术交易年成交额,Annual technology transaction value,314,")
    message = parse_error(curated_dir=curated)
    assert "goals.csv" in message and "G022" in message and "314" in message


def test_goal_line_number_must_be_positive(curated):
    # G125 quotes line 854 (附件4 第7行). PlanText.line(n) is lines[n - 1], so line 854 - len(lines)
    # (a negative number) is the same list element counted from the end.
    lines = PLAN.split("\n")
    negative = 854 - len(lines)
    assert negative < 0 and lines[negative - 1] == lines[854 - 1]
    corrupt(curated / "goals.csv", ",854,", f",{negative},")
    message = parse_error(curated_dir=curated)
    assert "goals.csv" in message and "G125" in message


def test_history_quote_not_in_plan(curated):
    # H039 and H040 quote the same sentence (line 8); break H039's copy only.
    corrupt(curated / "indicator_history.csv", "tech_contract_value,2015,17.8,17.8,exact,亿元,false,section,1,1,,,,现实基础,,,8,技术合同总额由2015年的17.8亿元",
            "tech_contract_value,2015,17.8,17.8,exact,亿元,false,section,1,1,,,,现实基础,,,8,技术合同总额由2015年的18.7亿元")
    message = parse_error(curated_dir=curated)
    assert "indicator_history.csv" in message and "H039" in message and "quote not found" in message


def test_indicator_name_mismatch(curated):
    # 主要指标表 第4行 is 每万名就业人员中研发人员.
    corrupt(curated / "indicators.csv", "每万名就业人员中研发人员", "每万名就业人员中研发人才")
    message = parse_error(curated_dir=curated)
    assert "indicators.csv" in message and "第4行" in message and "每万名就业人员中研发人员" in message


def test_curated_file_missing(curated):
    (curated / "zones.csv").unlink()
    message = parse_error(curated_dir=curated)
    assert "zones.csv" in message and "cannot read" in message


def test_curated_columns_changed(curated):
    corrupt(curated / "project_sectors.csv", "project_no,project_name,sector,reason",
            "project_no,project_name,sector")
    message = parse_error(curated_dir=curated)
    assert "project_sectors.csv" in message and "columns" in message


def test_zone_without_district(curated):
    # 瓯江口产业集聚区 loses its district adcode while still claiming to be in Wenzhou.
    corrupt(curated / "zones.csv", ",330305,false,Oujiangkou", ",,false,Oujiangkou")
    message = parse_error(curated_dir=curated)
    assert "zones.csv" in message and "瓯江口产业集聚区" in message


def test_unknown_sector(curated):
    corrupt(curated / "project_sectors.csv", "2,瓯江实验室,生命健康,", "2,瓯江实验室,医药,")
    message = parse_error(curated_dir=curated)
    assert "project_sectors.csv" in message and "sector" in message


# ---------------------------------------------------------------- English names (names_en.csv)


def test_english_name_missing_for_a_project(curated):
    corrupt(curated / "names_en.csv", "projects,19,东新科创园,Dongxin Science and Innovation Park\n", "")
    message = parse_error(curated_dir=curated)
    assert "names_en.csv" in message and "projects" in message and "19" in message


def test_english_name_for_a_renamed_platform(curated):
    # The curated Chinese name no longer equals 附件1 第4行's: the English name would label the wrong thing.
    corrupt(curated / "names_en.csv", "platforms,4,实验室体系,", "platforms,4,实验室系统,")
    message = parse_error(curated_dir=curated)
    assert "platforms 4" in message and "实验室体系" in message


def test_english_name_listed_twice(curated):
    corrupt(curated / "names_en.csv", "policies,5,生物医药专项扶持政策,Dedicated support for biomedicine\n",
            "policies,5,生物医药专项扶持政策,Dedicated support for biomedicine\n"
            "policies,5,生物医药专项扶持政策,Biomedicine support\n")
    message = parse_error(curated_dir=curated)
    assert "duplicate policies 5" in message


def test_english_name_for_an_unknown_sector(curated):
    corrupt(curated / "names_en.csv", "sectors,新材料,新材料,New materials\n", "")
    message = parse_error(curated_dir=curated)
    assert "sectors" in message and "新材料" in message


# ---------------------------------------------------------------- restated goals (goals.csv, column restates)

G042_RESTATES_G010 = (",188,全市高新技术企业达到4400家,G010", ",188,全市高新技术企业达到4400家,")


@pytest.mark.parametrize("edits, expected", [
    # An unknown goal.
    ([(G042_RESTATES_G010[0], G042_RESTATES_G010[1] + "G999")], ("goals.csv G042", "G999")),
    # G027 (五年…领军企业50家以上) is another target than G007 (高能级创新平台30家): the values differ.
    ([("五年累计培育创新型领军（瞪羚）企业50家以上,\n", "五年累计培育创新型领军（瞪羚）企业50家以上,G007\n")],
     ("goals.csv G027", "G007", "50", "30")),
    # G082 must name the first statement G007, not G026 (itself a restatement of G007).
    ([(",294,五年累计打造高能级创新平台30家以上,G007", ",294,五年累计打造高能级创新平台30家以上,G026")],
     ("goals.csv G082", "G026", "first statement")),
    # The first statement is the earlier one: G010 (line 29) cannot restate G042 (line 188).
    ([(",29,全市高新技术企业达到4400家,\n", ",29,全市高新技术企业达到4400家,G042\n"), G042_RESTATES_G010],
     ("goals.csv G010", "G042", "before")),
])
def test_bad_restatement(curated, edits, expected):
    for old, new in edits:
        corrupt(curated / "goals.csv", old, new)
    message = parse_error(curated_dir=curated)
    assert all(part in message for part in expected), message


@pytest.mark.parametrize("name, old, new, key", [
    # H053 drops the 以上 of 园区2020年主营业务收入10亿元以上.
    ("indicator_history.csv", ",10,10,at_least,亿元,false,annex_row", ",10,10,exact,亿元,false,annex_row", "H053"),
    # G017 集聚…人才10名以上 recorded as exact.
    ("goals.csv", "10,10,at_least,名,level,2025,section,1,5,,,,主要目标,,,30,集聚",
     "10,10,exact,名,level,2025,section,1,5,,,,主要目标,,,30,集聚",
     "G017"),
])
def test_a_lower_bound_in_the_words_must_be_recorded(curated, name, old, new, key):
    corrupt(curated / name, old, new)
    message = parse_error(curated_dir=curated)
    assert name in message and key in message and "at_least" in message


def test_goal_reference_kind_unknown(curated):
    # G001 cites 一（五）主要目标 as a section: part 1, section 5.
    corrupt(curated / "goals.csv", "2025,section,1,5,,,,主要目标,,,27,全社会R&D经费支出占GDP比重达到3.0%左右",
            "2025,chapter,1,5,,,,主要目标,,,27,全社会R&D经费支出占GDP比重达到3.0%左右")
    message = parse_error(curated_dir=curated)
    assert "goals.csv" in message and "G001" in message and "ref_kind" in message


def test_goal_reference_part_not_a_number(curated):
    corrupt(curated / "goals.csv", "2025,section,1,5,,,,主要目标,,,27,全社会R&D经费支出占GDP比重达到3.0%左右",
            "2025,section,一,5,,,,主要目标,,,27,全社会R&D经费支出占GDP比重达到3.0%左右")
    message = parse_error(curated_dir=curated)
    assert "goals.csv" in message and "G001" in message and "ref_part" in message and "'一'" in message


def test_zone_source_place_not_in_its_note(curated):
    # 温州高教园区's note cites 专栏3 瓯海 (line 182); a place the note does not name is refused.
    corrupt(curated / "zone_sources.csv", "温州高教园区,box,,,3,,,,瓯海,,182", "温州高教园区,box,,,4,,,,瓯海,,182")
    message = parse_error(curated_dir=curated)
    assert "zone_sources.csv" in message and "专栏4 瓯海" in message


# ---------------------------------------------------------------- the build's sanity checks (lib/pipeline/checks.py)
# Counts and sums the plan fixes, checked on every build before a database is written. The numbers here are
# read off the plan, so a check that expects something else, or no longer checks, fails a test.


@pytest.fixture
def plan_tables(tables) -> dict:
    """The parsed tables as the checks see them: without build_meta, the build's own record added after."""
    return {name: rows for name, rows in tables.items() if name != "build_meta"}


def sanity_error(plan_tables: dict, **changed: list[dict]) -> str:
    """The message the checks stop the build with, once ``changed`` tables replace the parsed ones."""
    with pytest.raises(PlanFormatError) as info:
        checks.check_tables({**plan_tables, **changed})
    return str(info.value)


def edited(rows: list[dict], index: int, **values) -> list[dict]:
    """A copy of ``rows`` with one row changed (the session's parsed tables stay as they are)."""
    return [{**row, **values} if i == index else row for i, row in enumerate(rows)]


def test_the_parsed_plan_passes_the_checks(plan_tables):
    """Control: each failure below is due to its one change."""
    checks.check_tables(plan_tables)


@pytest.mark.parametrize("table, rows", [
    ("indicators", 16),   # 主要指标表: 16 data rows
    ("projects", 37),     # 附件2: 序号 1–37
    ("platforms", 12),    # 附件1: 序号 1–12
    ("districts", 12),    # 专栏7: Wenzhou's 12 county-level divisions
    ("policies", 5),      # 附件3: 序号 1–5
    ("reforms", 11),      # 附件4: 序号 1–11
    ("goals", 125),       # data/curated/goals.csv: every quantified target statement, each quoted at its line
])
def test_a_row_lost_or_repeated_stops_the_build(plan_tables, table, rows):
    lost, repeated = plan_tables[table][:-1], plan_tables[table] + plan_tables[table][:1]
    assert f"{table}: {rows - 1} rows, expected {rows}" in sanity_error(plan_tables, **{table: lost})
    assert f"{table}: {rows + 1} rows, expected {rows}" in sanity_error(plan_tables, **{table: repeated})


def test_a_marker_or_a_rate_lost_stops_the_build(plan_tables):
    indicators = plan_tables["indicators"]
    row_11 = next(i for i, r in enumerate(indicators) if r["row_no"] == 11)   # rows 1–10 carry '#'
    assert "11 rows marked #, expected 10" in sanity_error(
        plan_tables, indicators=edited(indicators, row_11, is_five_doubling=True))
    row_4 = next(i for i, r in enumerate(indicators) if r["row_no"] == 4)     # 2.53%: one of 8 stated rates
    assert "7 stated annual rates, expected 8" in sanity_error(
        plan_tables, indicators=edited(indicators, row_4, growth_kind="none", growth_value=None))


def test_a_restatement_lost_stops_the_build(plan_tables):
    # 30 of the 125 statements restate an earlier one (95 distinct targets): G042 restates G010 (4400家).
    goals = plan_tables["goals"]
    g042 = next(i for i, g in enumerate(goals) if g["goal_id"] == "G042")
    assert goals[g042]["restates"] == "G010"
    assert "goals: 96 distinct targets, expected 95" in sanity_error(plan_tables, goals=edited(goals, g042, restates=None))


def test_an_investment_off_by_one_wan_stops_the_build(plan_tables):
    # 附件2 sums over its 37 rows: 总投资 7,612,343 万元, “十四五”计划投资 5,875,598 万元.
    projects = plan_tables["projects"]
    first = projects[0]
    message = sanity_error(plan_tables, projects=edited(projects, 0,
                                                        total_investment_wan=first["total_investment_wan"] + 1))
    assert "total investment 7612344 万元, expected 7612343" in message
    message = sanity_error(plan_tables, projects=edited(projects, 0,
                                                        planned_investment_wan=first["planned_investment_wan"] - 1))
    assert "planned investment 5875597 万元, expected 5875598" in message


def test_a_wrong_district_code_stops_the_build(plan_tables):
    lucheng = next(i for i, d in enumerate(plan_tables["districts"]) if d["adcode"] == "330302")
    message = sanity_error(plan_tables, districts=edited(plan_tables["districts"], lucheng, adcode="330300"))
    assert "districts: adcodes" in message and "330300" in message and "differ from Wenzhou's 12" in message


def test_a_project_neither_placed_nor_outside_stops_the_build(plan_tables):
    projects = plan_tables["projects"]
    no_17 = next(i for i, p in enumerate(projects) if p["project_no"] == 17)   # 上海市嘉定区: outside Wenzhou
    message = sanity_error(plan_tables, projects=edited(projects, no_17, outside_wenzhou=False))
    assert "projects 第17行: needs a district or the outside-Wenzhou mark" in message


def test_a_row_without_its_source_stops_the_build(plan_tables):
    message = sanity_error(plan_tables, platforms=edited(plan_tables["platforms"], 2, source_ref=" "))
    assert "platforms: a row has no source reference" in message


def test_a_typo_in_the_plan_stops_the_build_before_a_database_exists(tmp_path):
    # 附件2 第1行 总投资 1000000 → 1000001: still a number, so only the sum can tell.
    path = broken_plan(tmp_path, "\t1000000\n\t300000\n", "\t1000001\n\t300000\n")
    target = tmp_path / "out" / "wenzhou_plan.duckdb"
    with pytest.raises(PlanFormatError, match="sanity checks: projects: total investment 7612344 万元"):
        build_database(target, raw_path=path)
    assert not target.parent.exists() or not any(target.parent.iterdir())
