"""Path and status math for the plan's indicators, in one place.

Pure functions, no Streamlit and no database, so every edge case is handled
explicitly here and unit-tested: a missing base (``--``), approximate or
"at least" values, and growth stated as an annual rate versus five-year
cumulative points.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

PLAN_BASE_YEAR = 2020
PLAN_TARGET_YEAR = 2025
PLAN_YEARS = PLAN_TARGET_YEAR - PLAN_BASE_YEAR


def implied_annual_rate(base: float | None, target: float | None, years: int = PLAN_YEARS) -> float | None:
    """Compound annual growth in % that takes ``base`` to ``target`` in ``years``.

    None when it is undefined: no base (the plan writes ``--``), a base of zero
    or below, or a negative target — never a division error or a complex number.
    """
    if base is None or target is None or years <= 0 or base <= 0 or target < 0:
        return None
    return (math.pow(target / base, 1.0 / years) - 1.0) * 100.0


def cumulative_points(base: float | None, target: float | None) -> float | None:
    """Five-year change in percentage points, the plan's ``[0.22]`` notation."""
    if base is None or target is None:
        return None
    return target - base


def path_values(base: float | None, target: float, growth_kind: str,
                years: range = range(PLAN_BASE_YEAR, PLAN_TARGET_YEAR + 1)) -> list[tuple[int, float]] | None:
    """The even path from base to target for drawing (derived, not stated by the plan).

    A stated annual rate means compound growth, so the path is geometric; a
    cumulative-points indicator (a share) moves linearly. Without a base there
    is no path, only the target.
    """
    if base is None:
        return None
    span = PLAN_TARGET_YEAR - PLAN_BASE_YEAR
    points = []
    for year in years:
        t = (year - PLAN_BASE_YEAR) / span
        if growth_kind == "annual_rate" and base > 0 and target > 0:
            value = base * math.pow(target / base, t)
        else:
            value = base + (target - base) * t
        points.append((year, value))
    return points


# ---------------------------------------------------------------- how each required path is drawn

# The form of the 2020 → 2025 path. A stated annual rate is compound growth; a stated
# cumulative rise in points ([3]) is a straight line in points; without a stated growth
# the unit decides: a share in % moves in points (straight), a count or amount compounds,
# a target equal to its base is a level to hold. Without a base (--) there is no path.
PATH_COMPOUND, PATH_LINEAR, PATH_HOLD, PATH_NONE = "compound", "linear", "hold", "none"
# ``左右`` has no stated width; the chart shows it as ±5 % of the value and says so.
APPROX_BAND = 0.05


def path_kind(growth_kind: str, unit: str, base: float | None, target: float | None) -> str:
    if base is None or target is None:
        return PATH_NONE
    if growth_kind == "annual_rate":
        return PATH_COMPOUND
    if growth_kind == "cumulative_points":
        return PATH_LINEAR
    if base == target:
        return PATH_HOLD
    return PATH_LINEAR if unit == "%" else PATH_COMPOUND


def required_path(base: float | None, target: float | None, kind: str) -> list[tuple[int, float]] | None:
    """Year-by-year values of the required path (derived), or None when there is none."""
    if kind == PATH_NONE or base is None or target is None:
        return None
    if kind == PATH_HOLD:
        return [(year, base) for year in range(PLAN_BASE_YEAR, PLAN_TARGET_YEAR + 1)]
    return path_values(base, target, "annual_rate" if kind == PATH_COMPOUND else "cumulative_points")


def approx_band(value: float) -> tuple[float, float]:
    return value * (1 - APPROX_BAND), value * (1 + APPROX_BAND)


# ---------------------------------------------------------------- ambition: 2015–2020 achieved vs 2020–2025 required

RATE, POINTS = "rate", "points"


def pace(start: float | None, end: float | None, years: int, unit: str) -> tuple[str, float | None]:
    """Yearly pace from ``start`` to ``end``: compound % a year, or for shares (unit %)
    percentage points a year, because a compound rate of a share mixes two bases."""
    if unit == "%":
        return POINTS, (None if start is None or end is None or years <= 0 else (end - start) / years)
    return RATE, implied_annual_rate(start, end, years)


# ---------------------------------------------------------------- status: the Open SDG progress measure
#
# From sdg-build (open-sdg/sdg-build, sdg/ProgressMeasure.py, commit 139fede74ba534d2ed8b9eee4cd878b41f54cb67),
# the method of Statistics Canada's Sustainable Development Goals Data Hub, "methodology 2" (a target value):
#   growth_calculation(val1, val2, t1, t2) = (val1 / val2) ** (1 / (t1 - t2)) - 1
#   cagr_o = growth(current, base);  cagr_r = growth(target, base)   (base year → current / target year)
#   progress value = sign × direction × cagr_o / |cagr_r|            (direction +1 "positive", -1 otherwise)
#   thresholds {'high': 0.95, 'med': 0.6, 'low': 0}:
#     value ≥ 0.95 substantial_progress; 0.6 ≤ value < 0.95 moderate_progress;
#     0 ≤ value < 0.6 limited_progress; value < 0 deterioration
#   is_target_achieved: current ≥ target (positive) or ≤ target (negative); it overrides the thresholds.
#   fewer than two data points (current year − base year < 1), no data, or base and current of
#   opposite signs: no progress value ("not_available").
# Explicit here, where sdg-build is silent or does something we cannot: a target equal to its base
# (6 → 6以上) needs zero growth, so the ratio is undefined: not achieved then means the value fell
# below the level it had to hold, i.e. deterioration. A base or current value ≤ 0 gives no status
# (sdg-build substitutes 0.001 for a zero base; we do not invent a value). Without a base (--) there is
# one point only, so no progress value; a reading at or beyond the target is still "target achieved",
# as in sdg-build, where target_achieved is decided before and apart from the progress value.

HIGHER, LOWER = "higher", "lower"
DIRECTIONS = (HIGHER, LOWER)
THRESHOLDS = {"high": 0.95, "med": 0.6, "low": 0.0}
TARGET_ACHIEVED = "target_achieved"
SUBSTANTIAL, MODERATE, LIMITED, DETERIORATION = (
    "substantial_progress", "moderate_progress", "limited_progress", "deterioration")
NOT_AVAILABLE = "not_available"
# Beyond sdg-build, where the evidence decides that no verdict may be given (lib/domain/scorecard.py):
# an average-annual target with fewer years than it covers, values from unattributed sources only
# (listed as leads, never scored), and no published value at all.
INSUFFICIENT_YEARS, UNVERIFIED_LEAD, NO_DATA = "insufficient_years", "unverified_lead", "no_data"
STATUSES = (TARGET_ACHIEVED, SUBSTANTIAL, MODERATE, LIMITED, DETERIORATION, INSUFFICIENT_YEARS, NOT_AVAILABLE,
            UNVERIFIED_LEAD, NO_DATA)
# Why a status is not available (shown beside it).
NO_ACTUAL, NO_BASE, ONE_POINT, NOT_POSITIVE = "no_actual", "no_base", "one_point", "not_positive"

# What kind of target an indicator has (data/curated/indicator_groups.csv, checked against the plan's words):
# a level to reach by 2025; a five-year cumulative rise in percentage points (the table's [0.22]); an average
# annual growth rate over the plan's years (年均增速 … 以上).
LEVEL, CUMULATIVE_POINTS, AVERAGE_ANNUAL = "level", "cumulative_points", "average_annual"
TARGET_KINDS = (LEVEL, CUMULATIVE_POINTS, AVERAGE_ANNUAL)
PLAN_YEARS_COVERED = tuple(range(PLAN_BASE_YEAR + 1, PLAN_TARGET_YEAR + 1))   # 2021–2025


@dataclass(frozen=True)
class Progress:
    status: str
    ratio: float | None = None          # observed ÷ required pace
    observed_rate: float | None = None  # % a year since the base (points a year for a cumulative-points target)
    required_rate: float | None = None  # % a year the target needs (points a year, or the average-annual target)
    reason: str | None = None           # why not available
    years: tuple[int, ...] = ()         # the years of the values the status rests on


def status_from_ratio(ratio: float) -> str:
    if ratio >= THRESHOLDS["high"]:
        return SUBSTANTIAL
    if ratio >= THRESHOLDS["med"]:
        return MODERATE
    if ratio >= THRESHOLDS["low"]:
        return LIMITED
    return DETERIORATION


def target_achieved(current: float, target: float, better: str = HIGHER) -> bool:
    """A floor (以上) and an exact or approximate target alike: met when reached or passed."""
    return current >= target if better == HIGHER else current <= target


def _two_points(base, target, current, current_year, better: str, base_year: int) -> Progress | None:
    """The status when there are not two points to compare (no value, no base, only the base year), else None.
    Fewer than two points → no status, even for a single reading at or above the target (sdg-build
    would call that achieved; this project's rule is stricter). The 2025 verdict is separate."""
    if better not in DIRECTIONS:
        raise ValueError(f"better must be one of {DIRECTIONS}, not {better!r}")
    if current is None or current_year is None or target is None:
        return Progress(NOT_AVAILABLE, reason=NO_ACTUAL)
    if base is None:
        return Progress(NOT_AVAILABLE, reason=NO_BASE)
    if current_year - base_year < 1:
        return Progress(NOT_AVAILABLE, reason=ONE_POINT)
    return None


def progress(base: float | None, target: float | None, current: float | None, current_year: int | None,
             better: str = HIGHER, base_year: int = PLAN_BASE_YEAR, target_year: int = PLAN_TARGET_YEAR) -> Progress:
    """Status of one indicator from its base, target and latest actual value (sdg-build methodology 2)."""
    if missing := _two_points(base, target, current, current_year, better, base_year):
        return missing
    years = (current_year,)
    if target_achieved(current, target, better):
        return Progress(TARGET_ACHIEVED, observed_rate=_rate(base, current, current_year - base_year),
                        required_rate=_rate(base, target, target_year - base_year), years=years)
    if base <= 0 or current <= 0 or target <= 0:
        return Progress(NOT_AVAILABLE, reason=NOT_POSITIVE, years=years)
    observed = implied_annual_rate(base, current, current_year - base_year)
    required = implied_annual_rate(base, target, target_year - base_year)
    if required == 0:
        return Progress(DETERIORATION, observed_rate=observed, required_rate=0.0, years=years)
    direction = 1 if better == HIGHER else -1
    ratio = direction * observed / abs(required)
    return Progress(status_from_ratio(ratio), ratio, observed, required, years=years)


def _rate(base: float | None, value: float | None, years: int) -> float | None:
    return implied_annual_rate(base, value, years) if years > 0 else None


# ---------------------------------------------------------------- the other two target kinds
#
# Cumulative points ([0.22]: a share to rise by 0.22 points in five years) is judged on the cumulative
# figure: the rise since the base, in points, against the rise the target needs, both per year elapsed
# (a compound rate of a share mixes two bases). Reached or passed: target achieved.
#
# Average annual (年均增速 12% 以上) needs the average over every year it covers, 2021–2025: the compound
# mean ((1 + g1/100) … (1 + g5/100))^(1/5) − 1. With fewer years there is no verdict (INSUFFICIENT_YEARS),
# however high the years present are: one good year does not make a five-year average. With all five,
# the average is the observed pace and the target the required one: ratio = average ÷ target.


def progress_points(base: float | None, target: float | None, current: float | None, current_year: int | None,
                    better: str = HIGHER, base_year: int = PLAN_BASE_YEAR,
                    target_year: int = PLAN_TARGET_YEAR) -> Progress:
    """Status of a cumulative-points target from the rise since the base."""
    if missing := _two_points(base, target, current, current_year, better, base_year):
        return missing
    elapsed = current_year - base_year
    observed = (current - base) / elapsed
    required = (target - base) / (target_year - base_year)
    years = (current_year,)
    if target_achieved(current, target, better):
        return Progress(TARGET_ACHIEVED, observed_rate=observed, required_rate=required, years=years)
    if required == 0:
        return Progress(DETERIORATION, observed_rate=observed, required_rate=0.0, years=years)
    direction = 1 if better == HIGHER else -1
    ratio = direction * observed / abs(required)
    return Progress(status_from_ratio(ratio), ratio, observed, required, years=years)


def average_growth(rates: dict[int, float]) -> float | None:
    """Compound mean of yearly growth rates in %, or None when a year fell by 100 % or more."""
    if not rates:
        return None
    product = 1.0
    for rate in rates.values():
        if rate <= -100:
            return None
        product *= 1 + rate / 100
    return (math.pow(product, 1 / len(rates)) - 1) * 100


def progress_average(rates: dict[int, float], target: float | None, better: str = HIGHER,
                     years: tuple[int, ...] = PLAN_YEARS_COVERED) -> Progress:
    """Status of an average-annual target from the yearly rates (year → % growth) it covers."""
    if better not in DIRECTIONS:
        raise ValueError(f"better must be one of {DIRECTIONS}, not {better!r}")
    covered = {year: rates[year] for year in years if year in rates}
    if not covered or target is None:
        return Progress(NOT_AVAILABLE, reason=NO_ACTUAL)
    average = average_growth(covered)
    if len(covered) < len(years):
        return Progress(INSUFFICIENT_YEARS, observed_rate=average, required_rate=target, years=tuple(covered))
    if average is None:
        return Progress(DETERIORATION, required_rate=target, years=tuple(covered))
    if target_achieved(average, target, better):
        return Progress(TARGET_ACHIEVED, observed_rate=average, required_rate=target, years=tuple(covered))
    if target == 0:
        return Progress(DETERIORATION, observed_rate=average, required_rate=0.0, years=tuple(covered))
    direction = 1 if better == HIGHER else -1
    ratio = direction * average / abs(target)
    return Progress(status_from_ratio(ratio), ratio, average, target, years=tuple(covered))
