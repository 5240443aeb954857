"""Stage 2a: the plan's tables, read from the exported text into row records.

In the export a table is a run of lines: a line that starts with a TAB opens a
cell, a line without one continues the previous cell (a cell broken across
lines, e.g. ``2021年—`` / ``2025年``), and a blank line ends a row. Nothing is
guessed: a row with the wrong number of cells stops the build with the table,
row and cell named.
"""
from __future__ import annotations

from dataclasses import dataclass

from lib.pipeline.snapshot import PlanFormatError, PlanText


@dataclass(frozen=True)
class TableRow:
    table: str          # human name used in errors and source references
    index: int          # 1-based data row number (the header is row 0)
    line: int           # raw-file line where the row starts
    cells: tuple[str, ...]

    def where(self, cell: str | None = None) -> str:
        place = f"{self.table} 第{self.index}行 (line {self.line})"
        return f"{place}, 列「{cell}」" if cell else place


@dataclass(frozen=True)
class TableSpec:
    name: str                 # e.g. "附件2 重大项目"
    anchor: tuple[str, ...]   # lines that must appear, in order, right before the table
    header: tuple[str, ...]   # header cells with line breaks removed
    end_markers: tuple[str, ...]  # a line starting with one of these ends the table


INDICATORS = TableSpec(
    "主要指标表",
    ("“十四五”科技创新主要指标",),
    ("指标", "单位", "2020年基数", "2025年目标", "年均增长[累计提高]", "指标属性"),
    ("注：",),
)
PLATFORMS = TableSpec(
    "附件1 重大平台",
    ("附件1", "重大平台"),
    ("序号", "平台名称", "规划范围（发展载体）", "发展重点及工作举措", "发展目标"),
    ("附件2",),
)
PROJECTS = TableSpec(
    "附件2 重大项目",
    ("附件2", "重大项目"),
    ("序号", "项目名称", "项目类型", "项目期限", "建设地点", "建设内容和规模",
     "总投资（万元）", "“十四五”计划投资（万元）", "建设单位"),
    ("附件3",),
)
POLICIES = TableSpec(
    "附件3 重大政策",
    ("附件3", "重大政策"),
    ("序号", "政策名称", "“十四五”具体内容", "预期目标"),
    ("附件4",),
)
REFORMS = TableSpec(
    "附件4 重大改革",
    ("附件4", "重大改革"),
    ("序号", "项目名称", "主要任务"),
    (),
)


def _anchor_line(plan: PlanText, spec: TableSpec) -> int:
    """Line number of the last anchor line; the anchors must be consecutive non-blank lines."""
    wanted = list(spec.anchor)
    for number in range(1, len(plan.lines) + 1):
        if plan.line(number).strip() != wanted[0]:
            continue
        n, ok = number, True
        for text in wanted[1:]:
            n += 1
            while n <= len(plan.lines) and not plan.line(n).strip():
                n += 1
            if n > len(plan.lines) or plan.line(n).strip() != text:
                ok = False
                break
        if ok:
            return n
    raise PlanFormatError(spec.name, f"table heading {' / '.join(spec.anchor)!r} not found")


def read_table(plan: PlanText, spec: TableSpec) -> list[TableRow]:
    """Rows of one table (header checked and dropped), each with exactly len(header) cells."""
    start = _anchor_line(plan, spec) + 1
    rows: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    current_line = 0
    for number in range(start, len(plan.lines) + 1):
        text = plan.line(number)
        stripped = text.strip()
        if any(stripped.startswith(m) for m in spec.end_markers):
            break
        if not stripped:
            if current is not None:
                rows.append((current_line, current))
                current = None
            continue
        if text.startswith("\t"):
            if current is None:
                current, current_line = [], number
            current.append(stripped)
        elif current is not None:
            # A cell broken across lines: the line continues the previous cell.
            current[-1] = f"{current[-1]}\n{stripped}"
        else:
            raise PlanFormatError(spec.name, f"line {number}: text outside any table cell: {stripped[:30]!r}")
    if current is not None:
        rows.append((current_line, current))
    if not rows:
        raise PlanFormatError(spec.name, "table has no rows")

    header_line, header = rows[0]
    header_text = tuple(cell.replace("\n", "").replace(" ", "") for cell in header)
    if header_text != spec.header:
        raise PlanFormatError(spec.name, f"header (line {header_line}) is {header_text}, expected {spec.header}")

    result = []
    for index, (line, cells) in enumerate(rows[1:], start=1):
        if len(cells) != len(spec.header):
            raise PlanFormatError(
                f"{spec.name} 第{index}行 (line {line})",
                f"has {len(cells)} cells, expected {len(spec.header)} ({'、'.join(spec.header)})",
            )
        result.append(TableRow(spec.name, index, line, tuple(cells)))
    return result
