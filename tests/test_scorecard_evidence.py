"""Every verdict exactly as strong as its evidence (lib/domain/evidence.py, lib/domain/scorecard.py, lib/domain/progress.py).

One test per rule: grade gating (unattributed never scored, reported provisional), target kinds
(average annual needs every year 2021–2025; cumulative points judged in points), the equals-target
flag, and an official figure supplied later changing the verdict with no code change. The indicators
are the real ones from the built database; the observations are made up per test, each stated in it.
"""
from __future__ import annotations

import pandas as pd
import pytest

from lib.domain import evidence, progress, scorecard
from lib.pipeline import observations as stage
from lib.pipeline.tidy import parse_all

COLUMNS = ["indicator", "year", "value", "qualifier", "unit", "related_measure", "grade", "source_url",
           "source_title", "publisher", "published", "quote", "note"]


@pytest.fixture(scope="module")
def indicators(db) -> pd.DataFrame:
    return db.execute("SELECT i.*, g.better, g.target_kind FROM indicators i JOIN indicator_groups g USING (code)").df()


def obs(*rows: tuple) -> pd.DataFrame:
    """(indicator, year, value, grade[, qualifier]) → observation rows with a named publisher."""
    out = [{"indicator": r[0], "year": r[1], "value": r[2], "grade": r[3],
            "qualifier": r[4] if len(r) > 4 else "exact", "unit": "", "related_measure": "", "source_url": "",
            "source_title": "", "publisher": "测试来源", "published": "2026", "quote": "", "note": ""} for r in rows]
    return scorecard.combine(pd.DataFrame(out, columns=COLUMNS), None)


def card(indicators, *rows, lang="zh") -> pd.DataFrame:
    return scorecard.scorecard(indicators, obs(*rows), lang).set_index("code")


# ---------------------------------------------------------------- grade gating


def test_an_unattributed_value_is_never_scored_however_good(indicators):
    # 高新技术企业数量 2404 → 4400: 5000 in 2025 would be achieved, but its source names nobody.
    row = card(indicators, ("hitech_enterprises", 2025, 5000, "unattributed")).loc["hitech_enterprises"]
    assert row["status"] == progress.UNVERIFIED_LEAD and row["mark"] == "×"
    assert row["verdict"] == scorecard.NO_VERDICT and row["status_label"] == "仅有未核实线索"


def test_a_reported_value_gives_a_provisional_status_and_verdict(indicators):
    row = card(indicators, ("hitech_enterprises", 2025, 5000, "reported")).loc["hitech_enterprises"]
    assert row["status"] == progress.TARGET_ACHIEVED and row["provisional"] and row["mark"] == "◇"
    assert row["status_label"] == "已达标（待官方核实）" and row["verdict_2025"] == "达成（待官方核实）"
    en = card(indicators, ("hitech_enterprises", 2025, 5000, "reported"), lang="en").loc["hitech_enterprises"]
    assert en["status_label"] == "Target achieved (provisional)"


def test_an_official_value_gives_an_unqualified_status(indicators):
    row = card(indicators, ("hitech_enterprises", 2025, 5000, "official")).loc["hitech_enterprises"]
    assert (row["status_label"], row["verdict_2025"], row["mark"]) == ("已达标", "达成", "◆")


def test_a_lead_does_not_hide_behind_a_scored_value(indicators):
    # The status rests on the latest scoreable value (2023, official); the later lead is listed, not used.
    row = card(indicators, ("hitech_enterprises", 2023, 3000, "official"),
               ("hitech_enterprises", 2025, 9000, "unattributed")).loc["hitech_enterprises"]
    assert row["latest_year"] == 2023 and "2025：9,000" in row["leads"]
    assert row["status"] != progress.TARGET_ACHIEVED and row["verdict_2025"] == "不下结论（2025 年只有未核实线索）"


def test_summary_counts_statuses_by_grade(indicators):
    c = scorecard.scorecard(indicators, obs(("hitech_enterprises", 2025, 5000, "official"),
                                            ("tech_smes", 2025, 17000, "reported"),
                                            ("pct_applications", 2024, 300, "unattributed")), "zh")
    assert scorecard.status_counts(c)[progress.TARGET_ACHIEVED] == {"official": 1, "reported": 1}
    assert "已达标：官方 1 · 待官方核实 1" in scorecard.summary(c, "zh")
    assert scorecard.headline(c, "zh").startswith("16 项指标 · 2 项有 2025 年数值（其中可下结论 2 项）· "
                                                  "2025 年结论：官方来源 1 项，待官方核实 1 项")


# ---------------------------------------------------------------- target kinds


def test_average_annual_target_needs_every_year(indicators):
    # 高新技术产业投资增速: 年均增速 12% 以上. 29 % in 2023 alone is not a five-year average.
    row = card(indicators, ("hitech_investment_growth", 2023, 29.0, "official")).loc["hitech_investment_growth"]
    assert row["status"] == progress.INSUFFICIENT_YEARS and row["verdict"] == scorecard.NO_VERDICT
    assert "只有 1 年（2023）" in row["basis"]


def test_average_annual_target_with_five_years_is_judged_on_the_compound_mean(indicators):
    # (1.20 × 1.05 × 1.10 × 1.08 × 1.00)^(1/5) − 1 = 1.49688^0.2 − 1 = 8.40 % < 12 %: not achieved;
    # 8.40 / 12 = 0.70 → moderate.
    years = dict(zip(range(2021, 2026), (20.0, 5.0, 10.0, 8.0, 0.0)))
    row = card(indicators, *(("hitech_investment_growth", y, g, "official") for y, g in years.items())).loc[
        "hitech_investment_growth"]
    assert row["observed_rate"] == pytest.approx(8.40, abs=0.01)
    assert row["status"] == progress.MODERATE and row["verdict"] == scorecard.NOT_ACHIEVED
    # All five at 12.5 %: achieved; one of the five only reported: the verdict is provisional.
    rows = [("hitech_investment_growth", y, 12.5, "official") for y in range(2021, 2025)]
    row = card(indicators, *rows, ("hitech_investment_growth", 2025, 12.5, "reported")).loc["hitech_investment_growth"]
    assert row["status_label"] == "已达标（待官方核实）" and row["verdict_2025"] == "达成（待官方核实）"


def test_cumulative_points_target_is_judged_in_points(indicators):
    # 基础研究经费占比 4.0 → 7.0, [3]: 0.6 points a year. 5.0 in 2023 is 1/3 point a year: 0.556 → limited.
    # (A compound rate would say 7.72 % vs 11.84 % a year = 0.65, moderate: the wrong measure for a share.)
    row = card(indicators, ("basic_research_share", 2023, 5.0, "official")).loc["basic_research_share"]
    assert row["target_kind"] == progress.CUMULATIVE_POINTS
    assert row["ratio"] == pytest.approx(0.556, abs=0.001) and row["status"] == progress.LIMITED
    assert row["observed_rate"] == pytest.approx(0.33, abs=0.01) and row["required_rate"] == pytest.approx(0.6)


def test_target_kinds_follow_the_plans_words(indicators):
    kinds = dict(zip(indicators["code"], indicators["target_kind"]))
    assert kinds["hitech_investment_growth"] == progress.AVERAGE_ANNUAL           # 年均增速达到12%以上
    assert {c for c, k in kinds.items() if k == progress.CUMULATIVE_POINTS} == {
        "ind_rd_revenue_share", "basic_research_share"}                          # the table's [0.22] and [3]


# ---------------------------------------------------------------- per-value flags


@pytest.mark.parametrize("grade, flags", [
    ("unattributed", [evidence.EQUALS_TARGET]), ("reported", [evidence.EQUALS_TARGET]), ("official", [])])
def test_a_value_equal_to_the_target_is_flagged_unless_official(grade, flags):
    assert evidence.value_flags(9.7, grade, base=3.6, target=9.7) == flags
    assert evidence.value_flags(3.6, grade, base=3.6, target=9.7) == ([] if grade == "official" else
                                                                       [evidence.EQUALS_BASE])


def test_curated_values_equal_to_the_target_are_flagged_in_the_database(db):
    flagged = db.execute("SELECT indicator, year, value_flags FROM observations WHERE value_flags IS NOT NULL "
                         "ORDER BY indicator").fetchall()
    # chaxiaohao.com's R&D 3 % (target 3.0左右) and 9.7 件 (target 9.7), both 2024.
    assert flagged == [("high_value_patents_per_10k", 2024, "equals_target"), ("rd_gdp_share", 2024, "equals_target")]


# ---------------------------------------------------------------- an official figure supplied later


def test_an_official_figure_added_by_the_steward_changes_the_verdict(tmp_path):
    import shutil

    from lib.domain.paths import CURATED_DIR

    curated = tmp_path / "curated"
    shutil.copytree(CURATED_DIR, curated)
    new = tmp_path / "new.csv"
    new.write_text(",".join(COLUMNS) + "\n" + "hitech_va_share,2025,74.1,exact,%,,official,"
                   "https://tjj.wenzhou.gov.cn/example,2025年温州市国民经济和社会发展统计公报,温州市统计局,2026-03-01,"
                   "高新技术产业增加值占规上工业增加值比重为74.1%,test row\n", encoding="utf-8")
    # The curated 2025 value (73 %, self-media) is a different key only by source; same key → a duplicate.
    path = curated / stage.FILE
    path.write_text("".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                            if not line.startswith("hitech_va_share,2025,")), encoding="utf-8")

    def verdict(curated_dir):
        tables = parse_all(curated_dir=curated_dir)
        groups = pd.DataFrame(tables["indicator_groups"])[["code", "better", "target_kind"]]
        indicators = pd.DataFrame(tables["indicators"]).merge(groups, on="code")
        observations = pd.DataFrame(tables["observations"]).reindex(columns=COLUMNS)
        return scorecard.scorecard(indicators, scorecard.combine(observations, None), "zh").set_index(
            "code").loc["hitech_va_share"]

    before = verdict(curated)
    assert before["verdict"] == scorecard.NO_VERDICT and before["latest_year"] == 2021
    assert stage.main(["--curated-dir", str(curated), "add", str(new)]) == 0
    after = verdict(curated)
    assert (after["verdict_2025"], after["mark"], after["latest_year"]) == ("达成", "◆", 2025)
    assert after["status_label"] == "已达标" and "2025" in after["basis"]
