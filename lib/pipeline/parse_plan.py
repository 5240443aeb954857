"""Stage 2b: the plan's tables and the district roles, as tidy records (lists of dicts).

Each record carries ``source`` (where it stands: annex or section and row, as structured places,
lib/domain/citations.py), ``source_ref`` (the same in Chinese words) and ``source_line`` (line in data/raw/),
so every number shown later can be traced to the plan.
"""
from __future__ import annotations

import re

from lib.domain.citations import place as cited_place, source_columns
from lib.pipeline import plan_tables as T
from lib.pipeline.snapshot import PlanFormatError, PlanText
from lib.pipeline.values import (
    join_broken_cell,
    parse_growth,
    parse_qualified,
    parse_wan_yuan,
    parse_year_span,
)

FIVE_DOUBLING_MARK = "#"  # 注：#为“五倍增五提升”指标


def _quote(row: T.TableRow) -> str:
    return " | ".join(cell.replace("\n", " ") for cell in row.cells)


def parse_indicators(plan: PlanText) -> list[dict]:
    records = []
    for row in T.read_table(plan, T.INDICATORS):
        name, unit, base, target, growth, attribute = row.cells
        name = join_broken_cell(name)
        flagged = name.endswith(FIVE_DOUBLING_MARK)
        base_v = parse_qualified(base, row.where("2020年基数"))
        target_v = parse_qualified(target, row.where("2025年目标"))
        if target_v.value is None:
            raise PlanFormatError(row.where("2025年目标"), "every indicator needs a 2025 target")
        growth_kind, growth_value = parse_growth(growth, row.where("年均增长[累计提高]"))
        if growth_kind != "none" and (base_v.value is None or (growth_kind == "annual_rate" and base_v.value <= 0)):
            raise PlanFormatError(row.where("2020年基数"), "a stated growth needs a positive 2020 base")
        records.append({
            "row_no": row.index,
            "name_zh": name.rstrip(FIVE_DOUBLING_MARK),
            "unit": unit,
            "base_2020": base_v.value, "base_qualifier": base_v.qualifier, "base_text": base_v.text,
            "target_2025": target_v.value, "target_qualifier": target_v.qualifier, "target_text": target_v.text,
            "growth_kind": growth_kind, "growth_value": growth_value, "growth_text": growth,
            "is_five_doubling": flagged,
            "attribute": join_broken_cell(attribute),
            **source_columns(cited_place("indicator_row", part=1, section=5, row=row.index)),
            "source_line": row.line,
            "quote": _quote(row),
        })
    return records


def parse_projects(plan: PlanText) -> list[dict]:
    records = []
    for row in T.read_table(plan, T.PROJECTS):
        no, name, kind, period, place, content, total, planned, builder = row.cells
        if not re.fullmatch(r"\d+", no.strip()) or int(no) != row.index:
            raise PlanFormatError(row.where("序号"), f"expected number {row.index}, found {no!r}")
        kind = join_broken_cell(kind)
        if kind not in ("新建", "续建"):
            raise PlanFormatError(row.where("项目类型"), f"expected 新建 or 续建, found {kind!r}")
        start, end = parse_year_span(period, row.where("项目期限"))
        records.append({
            "project_no": row.index,
            "name_zh": join_broken_cell(name),
            "project_type": kind,
            "start_year": start, "end_year": end, "period_text": period.replace("\n", ""),
            "location_text": join_broken_cell(place),
            "content": join_broken_cell(content),
            "total_investment_wan": parse_wan_yuan(total, row.where("总投资（万元）")),
            "planned_investment_wan": parse_wan_yuan(planned, row.where("“十四五”计划投资（万元）")),
            "builder": join_broken_cell(builder),
            **source_columns(cited_place("annex_row", annex=2, table="重大项目", row=row.index)),
            "source_line": row.line,
        })
    return records


def _numbered(row: T.TableRow) -> int:
    no = row.cells[0].strip()
    if not re.fullmatch(r"\d+", no) or int(no) != row.index:
        raise PlanFormatError(row.where("序号"), f"expected number {row.index}, found {no!r}")
    return row.index


def parse_platforms(plan: PlanText) -> list[dict]:
    return [
        {
            "platform_no": _numbered(row),
            "name_zh": join_broken_cell(row.cells[1]),
            "scope": row.cells[2], "focus": row.cells[3], "goal": row.cells[4],
            **source_columns(cited_place("annex_row", annex=1, table="重大平台", row=row.index)),
            "source_line": row.line,
        }
        for row in T.read_table(plan, T.PLATFORMS)
    ]


def parse_policies(plan: PlanText) -> list[dict]:
    return [
        {
            "policy_no": _numbered(row),
            "name_zh": join_broken_cell(row.cells[1]),
            "content": row.cells[2],
            "expected_goal": row.cells[3].replace(" ", ""),
            **source_columns(cited_place("annex_row", annex=3, table="重大政策", row=row.index)),
            "source_line": row.line,
        }
        for row in T.read_table(plan, T.POLICIES)
    ]


_TASK = re.compile(r"（(\d+)）\s*")


def parse_reforms(plan: PlanText) -> tuple[list[dict], list[dict]]:
    reforms, tasks = [], []
    for row in T.read_table(plan, T.REFORMS):
        no = _numbered(row)
        reforms.append({"reform_no": no, "name_zh": join_broken_cell(row.cells[1]).strip(),
                        **source_columns(cited_place("annex_row", annex=4, table="重大改革", row=no)),
                        "source_line": row.line})
        # Tasks are written （1）…（2）…; numbering must run 1..n without gaps.
        pieces = _TASK.split(row.cells[2].replace("\n", ""))
        if pieces[0].strip() or len(pieces) < 3:
            raise PlanFormatError(row.where("主要任务"), "tasks must be numbered （1）（2）…")
        for i in range(1, len(pieces), 2):
            task_no = int(pieces[i])
            if task_no != (i + 1) // 2:
                raise PlanFormatError(row.where("主要任务"), f"task （{task_no}） out of order")
            tasks.append({"reform_no": no, "task_no": task_no, "task_text": pieces[i + 1].strip(),
                          **source_columns(cited_place("annex_row", annex=4, table="重大改革", row=no, task=task_no))})
    return reforms, tasks


# 专栏7 lists each district (and three functional zones) as "名称：定位…" one per line.
_COLUMN7_BOX, _COLUMN7_TITLE = 7, "市县协同创新推进计划"
_COLUMN7 = f"专栏{_COLUMN7_BOX}：{_COLUMN7_TITLE}"
_COLUMN7_ENTRY = re.compile(r"^[^：，。\s]{2,12}：\S")


def parse_positioning(plan: PlanText, names: list[str]) -> dict[str, dict]:
    """Positioning text from 专栏7 and the short role from the paragraph before it, per name."""
    column_line = plan.find_line(_COLUMN7)
    found: dict[str, dict] = {}
    number = column_line + 1
    # The column is a run of "名称：定位" lines; it ends at the first line of another form.
    while number <= len(plan.lines) and _COLUMN7_ENTRY.match(plan.line(number).strip()):
        text = plan.line(number).strip()
        head, sep, body = text.partition("：")
        if head in names:
            found[head] = {"positioning_zh": body, "positioning_line": number,
                           "positioning_source": cited_place("box", box=_COLUMN7_BOX, title=_COLUMN7_TITLE, item=head)}
        number += 1
    # The paragraph just above 专栏7: "大力支持鹿城区（浙南闽北赣东科技服务业发展领跑区），龙湾区（…）…"
    para_line = column_line - 1
    paragraph = plan.line(para_line)
    for name in names:
        if m := re.search(re.escape(name) + r"（((?:[^（）]|（[^（）]*）)+)）", paragraph):
            found.setdefault(name, {}).update(
                {"role_zh": m.group(1), "role_line": para_line})
    missing = [n for n in names if "positioning_zh" not in found.get(n, {})]
    if missing:
        raise PlanFormatError("专栏7 市县协同创新推进计划", f"no positioning line for {'、'.join(missing)}")
    return found
