"""Parsing the plan's written numbers: ``2.2左右``, ``62以上``, ``--``, ``[0.22]``, ``2.53%``, years, 万元."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from lib.pipeline.snapshot import PlanFormatError

# Qualifiers as stored in the database.
EXACT, APPROX, AT_LEAST, MISSING = "exact", "approx", "at_least", "none"
_QUALIFIER_SUFFIX = {"左右": APPROX, "以上": AT_LEAST}
_DASHES = "—-－–"


@dataclass(frozen=True)
class QualifiedValue:
    value: float | None
    qualifier: str
    text: str


def _number(text: str, where: str) -> float:
    try:
        return float(Decimal(text))
    except InvalidOperation as exc:
        raise PlanFormatError(where, f"not a number: {text!r}") from exc


def parse_qualified(text: str, where: str) -> QualifiedValue:
    """``2.2左右`` → (2.2, approx); ``62以上`` → (62, at_least); ``--`` → (None, none)."""
    s = text.strip()
    if s and all(ch in _DASHES for ch in s):
        return QualifiedValue(None, MISSING, text)
    for suffix, qualifier in _QUALIFIER_SUFFIX.items():
        if s.endswith(suffix):
            return QualifiedValue(_number(s[: -len(suffix)], where), qualifier, text)
    return QualifiedValue(_number(s, where), EXACT, text)


# How the words qualify a number: 以上/多/左右 after it (a unit or measure word may stand between),
# 超/超过 before it.
_AROUND = r"(?P<before>超过?)?{number}(?P<unit>[^\d，、。；,以左多]{{0,3}})(?P<after>以上|多|左右)?"   # str.format template


def text_qualifier(quote: str, written: str) -> str | None:
    """The qualifier the words give the number ``written`` in ``quote``: exact, at_least (10名以上,
    1200多家, 超3700家) or approx (3.0%左右); None when the number is not written there (数字经济增加值 is
    restated without its target). ``written`` is the number as the row records it (10, 3.0, 1200多)."""
    digits = re.sub(r"(以上|多|左右)$", "", written)
    number = rf"(?<![\d.]){re.escape(digits)}(?:\.0+)?(?![\d.])"
    found = set()
    for match in re.finditer(_AROUND.format(number=number), quote):   # 5年…5个以上: the qualified one counts
        if match["after"] in ("以上", "多") or match["before"]:
            found.add(AT_LEAST)
        else:
            found.add(APPROX if match["after"] == "左右" else EXACT)
    for qualifier in (AT_LEAST, APPROX, EXACT):
        if qualifier in found:
            return qualifier
    return None


# Growth column kinds.
ANNUAL_RATE, CUMULATIVE_POINTS, NO_GROWTH = "annual_rate", "cumulative_points", "none"


def parse_growth(text: str, where: str) -> tuple[str, float | None]:
    """``2.53%`` → annual rate in %; ``[0.22]`` → five-year cumulative points; ``--`` → none."""
    s = text.strip()
    if s and all(ch in _DASHES for ch in s):
        return NO_GROWTH, None
    if m := re.fullmatch(r"\[([0-9.]+)\]", s):
        return CUMULATIVE_POINTS, _number(m.group(1), where)
    if m := re.fullmatch(r"([0-9.]+)%", s):
        return ANNUAL_RATE, _number(m.group(1), where)
    raise PlanFormatError(where, f"growth is neither a rate (2.53%), cumulative points ([0.22]) nor --: {text!r}")


_YEARS = re.compile(r"(\d{4})年\s*[" + re.escape(_DASHES) + r"]\s*(\d{4})年")


def parse_year_span(text: str, where: str) -> tuple[int, int]:
    """``2021年—2025年`` and ``2020年-2027年``, also when the cell is broken across lines."""
    s = re.sub(r"\s+", "", text)
    m = _YEARS.fullmatch(s)
    if not m:
        raise PlanFormatError(where, f"project period is not like 2021年—2025年: {text!r}")
    start, end = int(m.group(1)), int(m.group(2))
    if not (2000 <= start <= end <= 2050):
        raise PlanFormatError(where, f"implausible project period {start}–{end}")
    return start, end


def parse_wan_yuan(text: str, where: str) -> int:
    """Investment in 万元 as an exact integer (the plan writes whole numbers)."""
    s = re.sub(r"\s+", "", text)
    if not re.fullmatch(r"\d+", s):
        raise PlanFormatError(where, f"investment is not a whole number of 万元: {text!r}")
    return int(s)


def join_broken_cell(text: str) -> str:
    """A name or place broken across lines in the export: join the pieces (Chinese has no spaces)."""
    return "".join(part.strip() for part in text.split("\n"))
