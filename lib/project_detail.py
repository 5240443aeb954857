"""One project of 附件2, field by field, for the projects page (pure; no Streamlit).

Every column of the annex comes first, as printed; then what this project
adds (district, functional zone, sector), each with its reason; then the
source. Values are plain text: the page escapes them before any markdown.
"""
from __future__ import annotations

from lib.i18n import translator
from lib.units import format_wan, format_yi


def _amount(wan) -> str:
    return f"{format_wan(wan)}（{format_yi(wan)}）"


def detail_sections(p: dict, lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(heading, [(label, value)]) for one row of ``queries.project_detail``: the annex's own
    columns, then this project's assignments with their reasons, then the source."""
    _ = translator(lang)
    if p["outside_wenzhou"]:
        district = _("温州市外（不属于任何区县，计入全市合计）")
    else:
        district = p["district_name_zh"]
    if p["outside_wenzhou"]:
        where = _("建设地点“{location}”在温州市域之外，不归入任何区县。理由：{reason}（依据：{source}）").format(
            location=p["location_text"], reason=p["zone_reason"], source=p["zone_source"])
    elif p["zone_name"]:
        where = _("建设地点是功能区或片区“{zone}”，归入{district}。理由：{reason}（依据：{source}）").format(
            zone=p["zone_name"], district=district, reason=p["zone_reason"], source=p["zone_source"])
    else:
        where = _("附件2 的建设地点直接写明区县名“{location}”。").format(location=p["location_text"])
    annex = [
        (_("序号"), str(p["project_no"])),
        (_("项目名称"), p["name_zh"]),
        (_("项目类型"), p["project_type"]),
        (_("项目期限"), p["period_text"]),
        (_("建设地点"), p["location_text"]),
        (_("建设内容和规模"), p["content"]),
        (_("总投资"), _amount(p["total_investment_wan"])),
        (_("“十四五”计划投资"), _amount(p["planned_investment_wan"])),
        (_("建设单位"), p["builder"]),
    ]
    derived = [
        (_("所属区县"), district),
        (_("归入理由"), where),
        (_("行业（本项目归类）"), p["sector_label"]),
        (_("归类理由"), p["sector_reason"]),
    ]
    if p["flags"]:
        derived.append((_("数据检查提示"), p["flags"]))
    source = [(_("出处"), _("{ref}，规划原文第 {line} 行起").format(ref=p["source_ref"], line=p["source_line"]))]
    return [(_("附件2 原文"), annex), (_("本项目的归并与归类（不是规划原文）"), derived), (_("来源"), source)]
