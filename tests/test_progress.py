"""Unit tests for lib/domain/progress.py: implied growth rates, cumulative points and drawing paths."""
from __future__ import annotations

import math

import pytest

from lib.domain.paths import RAW_PLAN_PATH
from lib.domain.progress import PLAN_BASE_YEAR, PLAN_TARGET_YEAR, cumulative_points, implied_annual_rate, path_values


def test_plan_years_are_the_columns_of_the_indicator_table():
    # 主要指标表 (lines 33–38): 指标 / 单位 / 2020年基数 / 2025年目标 / 年均增长. The span (five years) is
    # checked by the stated rates below, which only come out at five years.
    plan = RAW_PLAN_PATH.read_text(encoding="utf-8")
    header = plan[plan.index("“十四五”科技创新主要指标"):][:300]
    assert f"\t{PLAN_BASE_YEAR}年基数\n\t{PLAN_TARGET_YEAR}年目标\n" in header


# ---------------------------------------------------------------- implied_annual_rate


@pytest.mark.parametrize("base, target, stated", [
    (3250, 6500, 14.87),     # 数字经济增加值: doubling in five years
    (120, 136, 2.53),        # 每万名就业人员中研发人员
    (12, 18, 8.45),          # 全社会劳动生产率
    (206, 260, 4.77),        # PCT
    (2404, 4400, 12.85),     # 高新技术企业数量
    (10340, 16000, 9.12),    # 科技型中小企业数量
    (3.6, 9.7, 21.93),       # 每万人高价值发明专利拥有量
    (217.37, 313, 7.56),     # 技术（合同）交易总额
])
def test_implied_rate_matches_the_plans_rates(base, target, stated):
    assert implied_annual_rate(base, target) == pytest.approx(stated, abs=0.01)


def test_doubling_in_five_years_exactly():
    assert implied_annual_rate(3250, 6500) == pytest.approx((2 ** 0.2 - 1) * 100, rel=1e-12)
    assert round(implied_annual_rate(3250, 6500), 2) == 14.87


def test_no_growth_and_decline():
    assert implied_annual_rate(100, 100) == pytest.approx(0.0, abs=1e-12)
    assert implied_annual_rate(100, 50) == pytest.approx((0.5 ** 0.2 - 1) * 100)
    assert implied_annual_rate(100, 50) < 0


def test_target_zero_is_minus_hundred():
    assert implied_annual_rate(100, 0) == pytest.approx(-100.0)


def test_other_spans():
    assert implied_annual_rate(100, 121, years=2) == pytest.approx(10.0)
    assert implied_annual_rate(100, 110, years=1) == pytest.approx(10.0)


@pytest.mark.parametrize("base, target, years", [
    (None, 10, 5),    # the plan writes -- (顶尖人才, 领军人才)
    (0, 10, 5),
    (-5, 10, 5),
    (10, None, 5),
    (10, -1, 5),
    (10, 20, 0),
    (10, 20, -5),
])
def test_undefined_rates_are_none(base, target, years):
    assert implied_annual_rate(base, target, years=years) is None


# ---------------------------------------------------------------- cumulative_points


def test_cumulative_points():
    assert cumulative_points(3.03, 3.25) == pytest.approx(0.22)   # [0.22]
    assert cumulative_points(4.0, 7.0) == pytest.approx(3.0)      # [3]
    assert cumulative_points(5.0, 4.5) == pytest.approx(-0.5)


@pytest.mark.parametrize("base, target", [(None, 3.0), (3.0, None), (None, None)])
def test_cumulative_points_undefined(base, target):
    assert cumulative_points(base, target) is None


# ---------------------------------------------------------------- path_values


def test_geometric_path_for_annual_rate():
    path = path_values(3250, 6500, "annual_rate")
    years = [y for y, _ in path]
    values = [v for _, v in path]
    assert years == [2020, 2021, 2022, 2023, 2024, 2025]
    assert values[0] == pytest.approx(3250) and values[-1] == pytest.approx(6500)
    # Constant ratio = 1 + implied rate.
    factor = 2 ** 0.2
    for a, b in zip(values, values[1:]):
        assert b / a == pytest.approx(factor)
    # Symmetric years multiply to base × target (geometric mean), unlike a straight line.
    assert values[2] * values[3] == pytest.approx(3250 * 6500)
    assert values[1] * values[4] == pytest.approx(3250 * 6500)
    assert values[1] == pytest.approx(3250 * factor)
    assert values[2] < (3250 + 6500) / 2 * 0.9  # well below the linear path


def test_geometric_midpoint_is_the_geometric_mean():
    path = dict(path_values(100, 400, "annual_rate", years=range(2020, 2026)))
    # Half way (2022.5) is not a year; 2022 and 2023 straddle sqrt(100 × 400) = 200.
    assert path[2022] < 200 < path[2023]
    assert math.sqrt(path[2022] * path[2023]) == pytest.approx(200)


@pytest.mark.parametrize("kind", ["cumulative_points", "none"])
def test_linear_path_otherwise(kind):
    path = path_values(3.03, 3.25, kind)
    values = [v for _, v in path]
    assert values[0] == pytest.approx(3.03) and values[-1] == pytest.approx(3.25)
    steps = [b - a for a, b in zip(values, values[1:])]
    assert steps == pytest.approx([0.044] * 5)
    assert values[2] + values[3] == pytest.approx(3.03 + 3.25)


def test_linear_path_for_a_decline():
    values = [v for _, v in path_values(10, 5, "none")]
    assert values == pytest.approx([10, 9, 8, 7, 6, 5])


def test_annual_rate_falls_back_to_linear_when_geometric_is_undefined():
    # A zero target (or base) has no compound path; the path is drawn straight.
    assert [v for _, v in path_values(10, 0, "annual_rate")] == pytest.approx([10, 8, 6, 4, 2, 0])
    assert [v for _, v in path_values(0, 10, "annual_rate")] == pytest.approx([0, 2, 4, 6, 8, 10])


def test_no_path_without_base():
    assert path_values(None, 10, "none") is None
    assert path_values(None, 10, "annual_rate") is None


def test_custom_years_are_placed_on_the_plan_span():
    path = path_values(100, 200, "none", years=range(2020, 2026, 5))
    assert path == [(2020, pytest.approx(100)), (2025, pytest.approx(200))]
