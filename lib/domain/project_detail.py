"""One project of 附件2, field by field, for the projects page (pure; no Streamlit).

Every column of the annex comes first, as printed; then what this project
adds (district, functional zone, sector), each with its reason; then the
source. Values are plain text: the page escapes them before any markdown.
In English, names, types, sectors and places come from the curated English
columns; the plan's own text (location, content, builder) and this project's
Chinese-only notes (reasons) are shown as written, marked; the build's data-check notes are
written in the view's language (lib/domain/quality_notes.py).
"""
from __future__ import annotations

import json

from lib.domain import quality_notes
from lib.domain.citations import cite, cite_prose
from lib.domain.i18n import CHINESE_ONLY, DEFAULT_LANG, marked, translator
from lib.domain.units import format_money, format_wan_lang


def _amount(wan, lang: str) -> str:
    return f"{format_wan_lang(wan, lang)}（{format_money(wan, lang)}）" if lang == DEFAULT_LANG else \
        f"{format_wan_lang(wan, lang)} ({format_money(wan, lang)})"


def detail_sections(p: dict, lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(heading, [(label, value)]) for one row of ``queries.project_detail``: the annex's own
    columns, then this project's assignments with their reasons, then the source."""
    _ = translator(lang)
    en = lang != DEFAULT_LANG
    if p["outside_wenzhou"]:
        district = _("温州市外（不属于任何区县，计入全市合计）")
    else:
        district = p["district_name_en"] if en else p["district_name_zh"]
    # The reasons are this project's notes, written in Chinese only (data/curated/zones.csv).
    reason = marked(p["zone_reason"], lang, CHINESE_ONLY)
    source = cite_prose(p["zone_source"], p["zone_places"], lang)
    if p["outside_wenzhou"]:
        where = _("建设地点“{location}”在温州市域之外，不归入任何区县。理由：{reason}（依据：{source}）").format(
            location=p["zone_name_en"] if en else p["location_text"], reason=reason, source=source)
    elif p["zone_name"]:
        where = _("建设地点是功能区或片区“{zone}”，归入{district}。理由：{reason}（依据：{source}）").format(
            zone=p["zone_name_en"] if en else p["zone_name"], district=district, reason=reason, source=source)
    else:
        where = _("附件2 的建设地点直接写明区县名“{location}”。").format(
            location=p["district_name_en"] if en else p["location_text"])
    annex = [
        (_("序号"), str(p["project_no"])),
        (_("项目名称"), p["name_en"] if en else p["name_zh"]),
        *([(_("项目名称（原文）"), p["name_zh"])] if en else []),
        (_("项目类型"), p["project_type_en"] if en else p["project_type"]),
        (_("项目期限"), f"{p['start_year']}–{p['end_year']}" if en else p["period_text"]),
        (_("建设地点"), marked(p["location_text"], lang)),
        (_("建设内容和规模"), marked(p["content"], lang)),
        (_("总投资"), _amount(p["total_investment_wan"], lang)),
        (_("“十四五”计划投资"), _amount(p["planned_investment_wan"], lang)),
        (_("建设单位"), marked(p["builder"], lang)),
    ]
    derived = [
        (_("所属区县"), district),
        (_("归入理由"), where),
        (_("行业（本项目归类）"), p["sector_en"] if en else p["sector_label"]),
        (_("归类理由"), marked(p["sector_reason"], lang, CHINESE_ONLY)),
    ]
    if p["flags"] is not None and len(p["flags"]):   # [check, message_args] per flag: the note in this language
        derived.append((_("数据检查提示"), ("；" if lang == DEFAULT_LANG else "; ").join(
            quality_notes.message(check, json.loads(args), lang) for check, args in p["flags"])))
    source = [(_("出处"), _("{ref}，规划原文第 {line} 行起").format(ref=cite(p["source"], lang),
                                                            line=p["source_line"]))]
    return [(_("附件2 原文"), annex), (_("本项目的归并与归类（不是规划原文）"), derived), (_("来源"), source)]


# ---------------------------------------------------------------- a project as a card (the map page's district view)
SUMMARY_CHARS = 24   # one line on a phone's card


def summary(content: str | None, limit: int = SUMMARY_CHARS) -> str:
    """The start of the plan's 建设内容和规模, at most ``limit`` characters (cut with …): an excerpt, not a
    rewording, so it says no more than the plan does."""
    text = " ".join(str(content or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip("，、；：,;: ") + "…"


def card(p: dict, lang: str) -> tuple[str, str, str]:
    """(name, sector · period · planned investment, one-line summary of the content) for a row of
    ``queries.projects``; the summary is plan text, marked as the original in English."""
    _ = translator(lang)
    en = lang != DEFAULT_LANG
    sector = p["sector_en"] if en else p["sector"]
    facts = " · ".join((sector, f"{p['start_year']}–{p['end_year']}",
                        _("计划投资 {amount}").format(amount=format_money(p["planned_investment_wan"], lang))))
    return (p["name_en"] if en else p["name_zh"]), facts, marked(summary(p["content"]), lang)
