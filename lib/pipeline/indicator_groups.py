"""Stage 2: how the plan groups its 16 headline indicators, and which direction is better.

The 主要指标表 itself has no groups, only the # mark (五倍增五提升). The plan's goals paragraph
一（五）主要目标 restates 14 of the 16 targets under four headings (综合创新实力、企业创新能力、
人才高地、创新创业生态; the fifth heading, 重大创新平台, names none of them). The curated file
``data/curated/indicator_groups.csv`` records, per indicator, the heading and the quote that
restates its target; the quote must stand verbatim at its line, and for the four headings the
heading must stand in the same line. 数字经济增加值 (only in the table) and 本级财政科技拨款占比
(四（三）) form a fifth group. ``better`` is the direction the plan wants (read by lib/domain/progress.py).

``target_kind`` says how the target is judged (lib/domain/progress.py): ``level`` (a value to reach by 2025),
``cumulative_points`` (the table's ``[0.22]``: a five-year rise in points; must match the table's growth
column) or ``average_annual`` (the plan's words say 年均: the average over 2021–2025, never one year).
"""
from __future__ import annotations

from pathlib import Path

from lib.domain.citations import source_columns
from lib.domain.paths import CURATED_DIR
from lib.pipeline import curated
from lib.pipeline.snapshot import PlanFormatError, PlanText

FILE = "indicator_groups.csv"
COLUMNS = ("code", "group_no", "group_zh", "group_en", "better", "target_kind", *curated.REF_COLUMNS, "line", "quote")
REQUIRED = ("code", "group_no", "group_zh", "group_en", "better", "target_kind", "ref_kind", "line", "quote")
PARAGRAPH_GROUPS = (1, 2, 3, 4)   # groups named by a heading of 一（五）
DIRECTIONS = ("higher", "lower")
TARGET_KINDS = ("level", "cumulative_points", "average_annual")  # lib/domain/progress.TARGET_KINDS, checked in tests


def load_groups(plan: PlanText, growth_kinds: dict[str, str], directory: Path = CURATED_DIR) -> list[dict]:
    """``growth_kinds``: code → the table's growth kind (``cumulative_points`` for ``[0.22]``)."""
    codes = set(growth_kinds)
    rows = curated.read_csv(FILE, COLUMNS, REQUIRED, directory)
    seen = set()
    for row in rows:
        where = f"data/curated/{FILE} {row['code']}"
        if row["code"] not in codes:
            raise PlanFormatError(where, "unknown indicator code")
        if row["code"] in seen:
            raise PlanFormatError(where, "indicator listed twice")
        seen.add(row["code"])
        if row["better"] not in DIRECTIONS:
            raise PlanFormatError(where, f"better must be one of {DIRECTIONS}")
        if row["target_kind"] not in TARGET_KINDS:
            raise PlanFormatError(where, f"target_kind must be one of {TARGET_KINDS}")
        if (row["target_kind"] == "cumulative_points") != (growth_kinds[row["code"]] == "cumulative_points"):
            raise PlanFormatError(where, "target_kind cumulative_points must match the table's [..] growth column")
        if (row["target_kind"] == "average_annual") != ("年均" in row["quote"]):
            raise PlanFormatError(where, "target_kind average_annual needs 年均 in the quote, and 年均 needs it")
        try:
            row["group_no"], row["line"] = int(row["group_no"]), int(row["line"])
            text = plan.line(row["line"])
        except (ValueError, IndexError) as exc:
            raise PlanFormatError(where, "bad group number or line number") from exc
        if row["quote"] not in text:
            raise PlanFormatError(where, f"quote not found at line {row['line']}: {row['quote']!r}")
        if row["group_no"] in PARAGRAPH_GROUPS and f"——{row['group_zh']}" not in text:
            raise PlanFormatError(where, f"heading {row['group_zh']!r} is not at line {row['line']}")
        row.update(source_columns(curated.read_place(row, where)), source_line=row["line"])
    if seen != codes:
        raise PlanFormatError(f"data/curated/{FILE}", f"missing indicators: {sorted(codes - seen)}")
    return rows
