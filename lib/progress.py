"""Path and status math for the plan's indicators, in one place.

Pure functions, no Streamlit and no database, so every edge case is handled
explicitly here and unit-tested: a missing base (``--``), approximate or
"at least" values, and growth stated as an annual rate versus five-year
cumulative points.
"""
from __future__ import annotations

import math

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
