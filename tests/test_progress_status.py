"""The required paths and the status method (lib/domain/progress.py), with hand-computed cases.

Thresholds are sdg-build's (open-sdg/sdg-build, sdg/ProgressMeasure.py): progress value
= observed CAGR ÷ |required CAGR|; ≥ 0.95 substantial, ≥ 0.6 moderate, ≥ 0 limited, < 0
deterioration; target achieved overrides. Plan values are from 主要指标表 (data/raw lines 64–152).
"""
from __future__ import annotations

import pytest

from lib.domain import progress as p

# ---------------------------------------------------------------- path kinds


@pytest.mark.parametrize("growth_kind, unit, base, target, kind", [
    ("annual_rate", "家", 2404, 4400, p.PATH_COMPOUND),        # 高新技术企业数量, 12.85%
    ("cumulative_points", "%", 4.0, 7.0, p.PATH_LINEAR),       # 基础研究经费占比, [3]
    ("none", "%", 60.9, 62, p.PATH_LINEAR),                    # 高新技术产业增加值占比 60.9 → 62以上
    ("none", "%", 2.2, 3.0, p.PATH_LINEAR),                    # R&D 占 GDP 2.2左右 → 3.0左右
    ("none", "%", 6, 6, p.PATH_HOLD),                          # 本级财政科技拨款占比 6 → 6以上
    ("none", "亿元", 100, 200, p.PATH_COMPOUND),                # an amount without a stated rate
    ("none", "人", None, 10, p.PATH_NONE),                      # 顶尖人才 -- → 10
])
def test_path_kind(growth_kind, unit, base, target, kind):
    assert p.path_kind(growth_kind, unit, base, target) == kind


def test_compound_path_for_high_tech_enterprises():
    path = dict(p.required_path(2404, 4400, p.PATH_COMPOUND))
    assert path[2020] == pytest.approx(2404) and path[2025] == pytest.approx(4400)
    # (4400 / 2404) ** (1/5) = 1.128505…: each year 12.85 % more than the last (the table's rate).
    for year in range(2021, 2026):
        assert path[year] / path[year - 1] == pytest.approx(1.128505, abs=1e-6)
    assert path[2021] == pytest.approx(2712.93, abs=0.01)


def test_linear_path_in_points_for_basic_research_share():
    # [3] over five years: 0.6 points a year, 4.0 → 7.0.
    assert [v for _, v in p.required_path(4.0, 7.0, p.PATH_LINEAR)] == pytest.approx([4.0, 4.6, 5.2, 5.8, 6.4, 7.0])


def test_hold_path_for_a_floor_equal_to_its_base():
    assert [v for _, v in p.required_path(6, 6, p.PATH_HOLD)] == [6] * 6


def test_no_path_without_a_base():
    assert p.required_path(None, 10, p.PATH_NONE) is None
    assert p.required_path(None, 10, p.PATH_COMPOUND) is None


def test_approximate_band_is_five_percent_each_side():
    assert p.approx_band(3.0) == pytest.approx((2.85, 3.15))
    assert p.approx_band(2.2) == pytest.approx((2.09, 2.31))


def test_pace_in_points_for_shares_and_in_percent_for_counts():
    # 高新技术产业增加值占比 39.43 → 60.90 (2015 → 2020): 21.47 points / 5 = 4.294 a year.
    assert p.pace(39.43, 60.90, 5, "%") == (p.POINTS, pytest.approx(4.294))
    # 高新技术企业 618 → 2404: (2404/618) ** 0.2 − 1 = 31.22 % a year.
    kind, rate = p.pace(618, 2404, 5, "家")
    assert kind == p.RATE and rate == pytest.approx(31.22, abs=0.01)


# ---------------------------------------------------------------- thresholds


@pytest.mark.parametrize("ratio, status", [
    (2.0, p.SUBSTANTIAL), (0.95, p.SUBSTANTIAL), (0.9499, p.MODERATE), (0.6, p.MODERATE),
    (0.5999, p.LIMITED), (0.0, p.LIMITED), (-0.0001, p.DETERIORATION), (-3.0, p.DETERIORATION),
])
def test_status_at_each_threshold(ratio, status):
    assert p.status_from_ratio(ratio) == status


# Base 100 in 2020, target 161.051 in 2025 = exactly 10 % a year (1.1 ** 5 = 1.61051).
# A value in 2022 (two years on) of 100 × (1 + r) ** 2 has an observed rate r, so ratio = r / 10 %.
@pytest.mark.parametrize("current, ratio, status", [
    (121.0, 1.0, p.SUBSTANTIAL),             # 10 % a year: on track
    (100 * 1.0951 ** 2, 0.951, p.SUBSTANTIAL),
    (100 * 1.0949 ** 2, 0.949, p.MODERATE),
    (116.64, 0.8, p.MODERATE),               # 8 % a year
    (100 * 1.0601 ** 2, 0.601, p.MODERATE),
    (100 * 1.0599 ** 2, 0.599, p.LIMITED),
    (110.25, 0.5, p.LIMITED),                # 5 % a year
    (100.0, 0.0, p.LIMITED),                 # no change: limited, not deterioration (sdg-build: 0 ≤ value < 0.6)
    (95.0, (0.95 ** 0.5 - 1) / 0.1, p.DETERIORATION),
])
def test_progress_ratio_and_status(current, ratio, status):
    result = p.progress(100, 161.051, current, 2022)
    assert result.ratio == pytest.approx(ratio, abs=1e-9)
    assert result.required_rate == pytest.approx(10.0)
    assert result.status == status


def test_target_reached_is_achieved_whatever_the_ratio():
    assert p.progress(100, 161.051, 161.051, 2024).status == p.TARGET_ACHIEVED
    assert p.progress(2404, 4400, 4500, 2025).status == p.TARGET_ACHIEVED


def test_just_short_of_the_target_in_2025_is_substantial_not_achieved():
    # ((4399/2404) ** 0.2 − 1) / ((4400/2404) ** 0.2 − 1) = 0.12848… / 0.12850… = 0.99960…
    result = p.progress(2404, 4400, 4399, 2025)
    assert result.status == p.SUBSTANTIAL and result.ratio == pytest.approx(0.99960, abs=1e-5)


def test_floor_met_counts_as_achieved():
    # 高新技术产业增加值占比 60.9 → 62以上: 62 meets the floor, 73 passes it.
    assert p.progress(60.9, 62, 62, 2025).status == p.TARGET_ACHIEVED
    assert p.progress(60.9, 62, 73, 2025).status == p.TARGET_ACHIEVED


def test_target_equal_to_base_needs_zero_growth():
    # 本级财政科技拨款占比 6 → 6以上: holding 6 is achieved; 5.8 fell below the level → deterioration.
    assert p.progress(6, 6, 6, 2023).status == p.TARGET_ACHIEVED
    result = p.progress(6, 6, 5.8, 2023)
    assert result.status == p.DETERIORATION and result.required_rate == 0.0 and result.ratio is None


def test_lower_is_better():
    # Base 100, target 50: required (0.5 ** 0.2 − 1) = −12.945 %; 80 in 2022: (0.8 ** 0.5 − 1) = −10.557 %.
    result = p.progress(100, 50, 80, 2022, better=p.LOWER)
    assert result.ratio == pytest.approx(0.81555, abs=1e-5) and result.status == p.MODERATE
    assert p.progress(100, 50, 120, 2022, better=p.LOWER).status == p.DETERIORATION
    assert p.progress(100, 50, 50, 2024, better=p.LOWER).status == p.TARGET_ACHIEVED
    with pytest.raises(ValueError):
        p.progress(100, 50, 80, 2022, better="sideways")


@pytest.mark.parametrize("base, target, current, year, reason", [
    (2404, 4400, None, None, p.NO_ACTUAL),     # no published value found
    (None, 10, 8, 2025, p.NO_BASE),            # 顶尖人才: base --, a single point below target
    (2404, 4400, 3000, 2020, p.ONE_POINT),     # only the base year
    (12, 20, -3, 2023, p.NOT_POSITIVE),        # a growth rate that turned negative has no CAGR
    (0, 20, 3, 2023, p.NOT_POSITIVE),
])
def test_not_available(base, target, current, year, reason):
    result = p.progress(base, target, current, year)
    assert result.status == p.NOT_AVAILABLE and result.reason == reason and result.ratio is None


def test_single_reading_that_meets_the_target_still_has_no_status():
    # Fewer than two points → no status (sdg-build would say achieved; the rule is stricter).
    result = p.progress(None, 10, 12, 2025)
    assert result.status == p.NOT_AVAILABLE and result.reason == p.NO_BASE
    assert p.progress(2404, 2000, 2500, 2020).reason == p.ONE_POINT


# ---------------------------------------------------------------- the other two target kinds (named edge cases)


def test_points_progress_without_a_base_or_with_one_point():
    assert p.progress_points(None, 7.0, 5.0, 2023).reason == p.NO_BASE
    assert p.progress_points(4.0, 7.0, 5.0, 2020).reason == p.ONE_POINT
    assert p.progress_points(4.0, 7.0, None, None).reason == p.NO_ACTUAL


def test_points_progress_falling_share_is_deterioration():
    # 4.0 → 3.5 in 2022 while 7.0 is required: −0.25 points a year against +0.6.
    result = p.progress_points(4.0, 7.0, 3.5, 2022)
    assert result.status == p.DETERIORATION and result.ratio == pytest.approx(-0.25 / 0.6)


def test_average_growth_is_the_compound_mean():
    assert p.average_growth({2021: 10.0, 2022: 10.0}) == pytest.approx(10.0)
    assert p.average_growth({2021: 21.0, 2022: 0.0}) == pytest.approx((1.21 ** 0.5 - 1) * 100)   # 10.0 %
    assert p.average_growth({2021: -100.0}) is None                                             # wiped out
    assert p.average_growth({}) is None


def test_average_target_edge_cases():
    years = tuple(range(2021, 2026))
    assert p.progress_average({}, 12).reason == p.NO_ACTUAL
    # Years outside 2021–2025 do not count towards the five.
    partial = p.progress_average({2020: 30.0, 2023: 29.0}, 12)
    assert partial.status == p.INSUFFICIENT_YEARS and partial.years == (2023,)
    # A year that fell by 100 % or more: no average can be taken, and the target is not met.
    assert p.progress_average({y: (-100.0 if y == 2022 else 20.0) for y in years}, 12).status == p.DETERIORATION
    falling = p.progress_average({y: -5.0 for y in years}, 12)
    assert falling.status == p.DETERIORATION and falling.observed_rate == pytest.approx(-5.0)
