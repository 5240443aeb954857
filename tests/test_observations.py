"""Actual values: the shared row validation, each bad upload, the steward's command line, the build's checks.

Every bad upload is rejected with its reason and leaves the database file byte-identical; the
steward's `add` writes the curated CSV only when every row passes.
"""
from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib.domain import observation_rows as rows
from lib.files import exports
from lib.domain.paths import CURATED_DIR
from lib.pipeline import observations as stage
from lib.pipeline.snapshot import PlanFormatError
from lib.pipeline.tidy import parse_all
from tests.conftest import ROOT, sampled

HEADER = "indicator,year,value\n"


@pytest.fixture(scope="module")
def units(db) -> dict[str, rows.IndicatorSpec]:
    return {code: rows.IndicatorSpec(name, unit, target, kind) for code, name, unit, target, kind in db.execute(
        "SELECT code, name_zh, unit, target_2025, target_kind FROM indicators JOIN indicator_groups USING (code)"
    ).fetchall()}


def check(text: str | bytes, units, **kw) -> rows.Checked:
    return rows.check_rows(text.encode("utf-8") if isinstance(text, str) else text, units, **kw)


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- accepted files


def test_small_valid_file(units):
    result = check(HEADER + "hitech_enterprises,2025,4500\ntech_smes,2024,15000.5\n", units)
    assert result.file_error is None and not result.rejected
    assert [(r["indicator"], r["year"], r["value"], r["unit"], r["grade"]) for r in result.accepted] == [
        ("hitech_enterprises", 2025, 4500.0, "家", "unattributed"), ("tech_smes", 2024, 15000.5, "家", "unattributed")]


def test_upload_states_its_grade_and_a_blank_grade_is_an_unverified_lead(units):
    result = check("indicator,year,value,grade\nhitech_enterprises,2025,4500,official\ntech_smes,2025,15000,reported\n"
                   "pct_applications,2025,300,\nfiscal_st_share,2025,7,OFFICIAL\n", units)
    assert [r["grade"] for r in result.accepted] == ["official", "reported", "unattributed", "official"]
    refused = check("indicator,year,value,grade\nhitech_enterprises,2025,4500,secondary\n", units)
    assert "来源等级应为" in refused.rejected[0].reason


def test_gbk_file_saved_by_excel_with_chinese_headers_and_names(units):
    text = "指标,年份,数值,单位\r\n高新技术企业数量,2025,\"4,500\",家\r\n"
    result = check(text.encode("gbk"), units)
    assert result.encoding == "gb18030" and not result.rejected
    assert result.accepted[0]["indicator"] == "hitech_enterprises" and result.accepted[0]["value"] == 4500.0


def test_utf8_with_byte_order_mark(units):
    result = check(("\ufeff" + HEADER + "pct_applications,2023,300\n").encode("utf-8"), units)
    assert result.encoding == "utf-8-sig" and len(result.accepted) == 1


# ---------------------------------------------------------------- rejected rows, each with its reason


@pytest.mark.parametrize("line, reason", [
    ("no_such_indicator,2025,1", "未知指标"),
    ("<script>alert(1)</script>,2025,1", "未知指标"),
    ("hitech_enterprises,2019,3000", "年份超出范围"),
    ("hitech_enterprises,2031,3000", "年份超出范围"),
    ("hitech_enterprises,2025-Q1,3000", "年份不是整数年"),
    ("hitech_enterprises,2025,约3700", "数值不是数字"),
    ("hitech_enterprises,2025,", "数值不是数字"),
    ("hitech_enterprises,2025,nan", "数值不是数字"),
    # What Python's float() and int() take but a person did not mean (found by a hostile run).
    ("hitech_enterprises,2025,1e308", "数值不是数字"),
    ("hitech_enterprises,2025,１２３", "数值不是数字"),
    ("hitech_enterprises,２０２４,3000", "年份不是整数年"),
    ("hitech_enterprises,2025,1_000", "数值不是数字"),
    ("hitech_enterprises,2025,inf", "数值不是数字"),
    # Implausible for the indicator's unit and target.
    ("hitech_va_share,2025,101", "比重应在 0 到 100 之间"),
    ("hitech_va_share,2025,-1", "比重应在 0 到 100 之间"),
    ("hitech_enterprises,2025,-5", "不能为负数"),
    ("hitech_enterprises,2025,440001", "超过 2025 年目标的 100 倍"),
    ("hitech_investment_growth,2023,-100", "增速不能低于或等于 −100%"),
    ("hitech_investment_growth,2023,1201", "超过 2025 年目标的 100 倍"),
])
def test_bad_row_is_rejected_with_its_reason(units, line, reason):
    result = check(HEADER + "tech_smes,2024,15000\n" + line + "\n", units)
    assert len(result.accepted) == 1                     # the good row stays
    assert len(result.rejected) == 1 and reason in result.rejected[0].reason
    assert result.rejected[0].line == 3


@pytest.mark.parametrize("line, value", [
    ("hitech_enterprises,2025,\"4,500\"", 4500.0),     # thousands commas, as Excel writes them
    ("hitech_investment_growth,2023,-3.5", -3.5),       # a growth rate may fall
    ("hitech_va_share,2025,100", 100.0),                # a share's bounds are inclusive
    ("hitech_enterprises,2025,+4400", 4400.0),
])
def test_plausible_values_are_accepted(units, line, value):
    result = check(HEADER + line + "\n", units)
    assert not result.rejected and result.accepted[0]["value"] == value


def test_duplicate_rows(units):
    result = check(HEADER + "hitech_enterprises,2025,4500\n高新技术企业数量,2025,4600\n", units)
    assert len(result.accepted) == 1 and "重复" in result.rejected[0].reason


def test_unit_other_than_the_plans_needs_a_related_measure(units):
    result = check("indicator,year,value,unit,related_measure\n"
                   "digital_economy_va,2023,68.92,billion yuan,\n"
                   "digital_economy_va,2023,689.2,亿元,数字经济核心产业增加值\n", units)
    assert "单位与规划指标不一致" in result.rejected[0].reason
    assert result.accepted[0]["related_measure"] == "数字经济核心产业增加值"


@pytest.mark.parametrize("data, message", [
    (HEADER.replace(",value", "") + "hitech_enterprises,2025\n", "缺少列：value"),
    (b"", "文件是空的"),
    (b"PK\x03\x04\x00\x00binary xlsx", "不是 UTF-8 或 GBK"),
    (HEADER + "hitech_enterprises,2025,1\n" * 1 + "x" * (rows.MAX_UPLOAD_BYTES + 1), "文件过大"),
    ("indicator,year,value,value\nhitech_enterprises,2025,1,2\n", "表头有重复"),
])
def test_bad_file_is_refused_whole(units, data, message):
    result = check(data, units)
    assert message in result.file_error and not result.accepted and not result.rejected


def test_formula_cells_are_neutralised_before_any_export(units):
    result = check("indicator,year,value,note,source_title\n"
                   "hitech_enterprises,2025,4500,=HYPERLINK(\"http://x\"),@SUM(A1)\n"
                   "tech_smes,2025,16000,+1,-2\n", units)
    notes = [(r["note"], r["source_title"]) for r in result.accepted]
    assert notes == [("'=HYPERLINK(\"http://x\")", "'@SUM(A1)"), ("'+1", "'-2")]
    exported = exports.to_csv_bytes(pd.DataFrame(result.accepted)).decode("utf-8-sig")
    for cell in pd.read_csv(io.StringIO(exported), dtype=str).fillna("").to_numpy().ravel():
        assert not cell.startswith(("=", "+", "-", "@"))


def test_strict_mode_needs_every_source_field(units):
    result = check(HEADER + "hitech_enterprises,2025,4500\n", units, strict=True)
    assert "缺少列" in result.file_error


# ---------------------------------------------------------------- the page: bad files change nothing


BAD_UPLOADS = [
    HEADER + "no_such_indicator,2025,1\nhitech_enterprises,2019,3000\nhitech_enterprises,2025,abc\n",
    "indicator,year\nhitech_enterprises,2025\n",
    "指标,年份,数值\n高新技术企业数量,2025,4500\n高新技术企业数量,2025,4500\n".encode("gbk"),
    b"\x00\x01\x02",
    "x" * (rows.MAX_UPLOAD_BYTES + 10),
    HEADER + "=cmd|' /C calc'!A0,2025,1\n",
]


# An AppTest run each: make check uploads rows with three kinds of mistakes and a binary file; make test all.
@pytest.mark.parametrize("data", sampled(BAD_UPLOADS, [BAD_UPLOADS[0], BAD_UPLOADS[3]]))
def test_bad_upload_on_the_page_lists_reasons_and_leaves_the_database_as_it_was(plan_db, units, data):
    from lib.web import scorecard_view

    before = sha256(plan_db)
    checked = check(data, units)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/4_scorecard.py")
    at.session_state[scorecard_view.STATE_KEY] = {"name": "bad.csv", "checked": checked}
    at.run()
    assert not at.exception
    if checked.file_error:
        assert any("文件未被接受" in e.value for e in at.error)
    else:
        # A data grid (text stays text), never st.table, which renders a visitor's Markdown.
        assert not at.table
        rejected = next(d.value for d in at.dataframe if "原因" in d.value.columns)
        assert list(rejected["原因"]) == [r.reason for r in checked.rejected]
    assert "<script" not in "".join(m.value for m in at.markdown)
    assert sha256(plan_db) == before


# ---------------------------------------------------------------- the steward's command line


@pytest.fixture
def curated_copy(tmp_path):
    target = tmp_path / "curated"
    shutil.copytree(CURATED_DIR, target)
    return target


GOOD_ROW = ("pct_applications,2023,301,exact,件,,official,https://example.gov.cn/pct,PCT 统计,温州市市场监管局,"
            "2024-02-01,2023年PCT国际专利申请301件,test row\n")


def test_steward_adds_valid_rows_atomically(curated_copy, tmp_path):
    new = tmp_path / "new.csv"
    new.write_text(",".join(rows.COLUMNS) + "\n" + GOOD_ROW, encoding="utf-8")
    before = (curated_copy / stage.FILE).read_text(encoding="utf-8")
    assert stage.main(["--curated-dir", str(curated_copy), "add", str(new)]) == 0
    after = (curated_copy / stage.FILE).read_text(encoding="utf-8")
    assert after == before + GOOD_ROW
    assert not list(curated_copy.glob("*.tmp*"))
    added = [r for r in stage.load_observations(stage._curated_indicator_specs(curated_copy), curated_copy)
             if r["indicator"] == "pct_applications"]
    assert [(r["year"], r["value"], r["grade"]) for r in added] == [(2023, 301.0, "official")]
    # Adding the same row again is a duplicate of the curated one: nothing changes.
    assert stage.main(["--curated-dir", str(curated_copy), "add", str(new)]) == 1
    assert (curated_copy / stage.FILE).read_text(encoding="utf-8") == after


def test_steward_file_with_one_bad_row_adds_nothing(curated_copy, tmp_path, capsys):
    new = tmp_path / "new.csv"
    new.write_text(",".join(rows.COLUMNS) + "\n" + GOOD_ROW
                   + GOOD_ROW.replace("pct_applications,2023", "pct_applications,2035"), encoding="utf-8")
    before = sha256(curated_copy / stage.FILE)
    assert stage.main(["--curated-dir", str(curated_copy), "add", str(new)]) == 1
    assert "line 3" in capsys.readouterr().err
    assert sha256(curated_copy / stage.FILE) == before


def test_steward_row_without_quote_is_refused(curated_copy, tmp_path, capsys):
    new = tmp_path / "new.csv"
    new.write_text(",".join(rows.COLUMNS) + "\n" + GOOD_ROW.replace("2023年PCT国际专利申请301件", ""),
                   encoding="utf-8")
    assert stage.main(["--curated-dir", str(curated_copy), "add", str(new)]) == 1
    assert "quote" in capsys.readouterr().err


@pytest.mark.slow   # two new Python processes
def test_steward_command_line_runs_as_a_module(tmp_path):
    result = subprocess.run([sys.executable, "-m", "lib.pipeline.observations", "check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "all valid" in result.stdout
    missing = subprocess.run([sys.executable, "-m", "lib.pipeline.observations", "add", str(tmp_path / "no.csv")],
                             cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2


# ---------------------------------------------------------------- the build's checks on the curated file


def test_curated_observations_in_the_database(db):
    rows_ = db.execute("SELECT indicator, year, value, grade, is_related FROM observations "
                       "WHERE indicator = 'hitech_va_share' ORDER BY year").fetchall()
    # english.wenzhou.gov.cn (2021, official); an unsigned article (2024) and a self-media repost (2025), both
    # unattributed; see data/curated/observations.csv and the grading rule in data/README.md.
    assert rows_ == [("hitech_va_share", 2021, 64.7, "official", False),
                     ("hitech_va_share", 2024, 73.0, "unattributed", False),
                     ("hitech_va_share", 2025, 73.0, "unattributed", False)]
    grades = dict(db.execute("SELECT grade, COUNT(*) FROM observations GROUP BY grade").fetchall())
    assert set(grades) <= {"official", "reported", "unattributed"}
    related = db.execute("SELECT indicator, related_measure FROM observations WHERE is_related ORDER BY 1, 2").fetchall()
    assert ("digital_economy_va", "数字经济核心产业增加值") in related
    assert db.execute("SELECT COUNT(*) FROM observations WHERE quote IS NULL OR quote = ''").fetchone()[0] == 0


@pytest.mark.parametrize("bad, message", [
    ("hitech_enterprises,2019,3700", "年份超出范围"),
    ("no_such,2022,3700", "未知指标"),
    ("hitech_enterprises,2022,lots", "数值不是数字"),
])
def test_build_stops_on_a_bad_curated_row(curated_copy, bad, message):
    path = curated_copy / stage.FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    good = next(line for line in lines if line.startswith("hitech_enterprises,2022,3700"))
    path.write_text("".join(lines).replace(good, good.replace("hitech_enterprises,2022,3700", bad)), encoding="utf-8")
    with pytest.raises(PlanFormatError, match=message):
        parse_all(curated_dir=curated_copy)


def test_build_stops_on_a_duplicate_or_a_missing_quote(curated_copy):
    path = curated_copy / stage.FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines) + lines[1], encoding="utf-8")
    with pytest.raises(PlanFormatError, match="重复"):
        parse_all(curated_dir=curated_copy)


@pytest.mark.slow   # a new Python process
def test_row_validation_is_pure():
    """Shared by build time and run time, so it imports neither Streamlit nor the pipeline."""
    code = ("import sys, lib.domain.observation_rows; "
            "bad = [m for m in sys.modules if m.startswith(('streamlit', 'lib.pipeline'))]; "
            "sys.exit(1 if bad else 0)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=60).returncode == 0
