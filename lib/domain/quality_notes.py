"""The build's data-quality notes (table quality_flags) in words, in either language (pure, no Streamlit).

The build (lib/pipeline/quality.py) stores each note as its check, the numbers and names it is made of
(``message_args``, JSON) and the Chinese text made here; the pages make the text again here in the
view's language from the same arguments, through the catalog. So the app's own notes are translated
like the rest of the UI, and a test checks that the stored Chinese is what this module writes.
Names and units in the arguments come in both languages (``metric_zh``/``metric_en``…).
"""
from __future__ import annotations

from lib.domain.i18n import DEFAULT_LANG, N_, translator
from lib.domain.units import as_printed, number_text, plan_value

MESSAGES = {
    "growth_rate_recomputed": N_("表列年均增长{stated}%；由基数{base}与目标{target}推算为{computed}%"
                                 "（相差{diff}个百分点，{verdict}）"),
    "cumulative_points_recomputed": N_("表列五年累计提高{stated}个百分点；目标{target}减基数{base}为{computed}（{verdict}）"),
    "text_disagrees_with_table": N_("正文写{year}年{metric}为{value}{estimate}，主要指标表基数为{base}"),
    "new_project_starts_before_plan": N_("“新建”项目的期限始于{start}年，早于规划期（2021—2025年）"),
    "project_ends_after_plan": N_("项目期限至{end}年，超出规划期；“十四五”计划投资为总投资的一部分"),
    "planned_exceeds_total": N_("“十四五”计划投资{planned}万元高于总投资{total}万元"),
    "location_outside": N_("建设地点“{location}”在温州市外（科技飞地）：保留并标为市外，不归入任何区县"),
    "location_zone": N_("建设地点“{location}”是功能区或片区，不是区县名；归入{district}（理由见“功能区与区县的对应”）"),
    "target_qualifier_differs": N_("主要指标表的 2025 年目标为{target}（{table_kind}），一（五）主要目标写作“{quote}”（{text_kind}）："
                                   "两处对目标的限定不同；本站按表列数值作图和比较"),
}
QUALIFIER_KINDS = {"exact": N_("确数"), "at_least": N_("下限"), "approx": N_("约数")}
# What each check is, for the data page's table (never its code).
CHECK_LABELS = {
    "growth_rate_recomputed": N_("年均增速复算"),
    "cumulative_points_recomputed": N_("累计提高复算"),
    "text_disagrees_with_table": N_("正文与指标表不一致"),
    "new_project_starts_before_plan": N_("新建项目早于规划期"),
    "project_ends_after_plan": N_("项目期限超出规划期"),
    "planned_exceeds_total": N_("计划投资高于总投资"),
    "location_normalised": N_("建设地点的归并"),
    "target_qualifier_differs": N_("目标的限定与正文不一致"),
}
SEVERITY_LABELS = {"info": N_("说明"), "warning": N_("注意")}
ENTITY_LABELS = {"indicators": N_("指标"), "projects": N_("项目")}


def message(check: str, args: dict, lang: str = DEFAULT_LANG) -> str:
    """The note of one flag in ``lang``; ``check`` is the flag's check code (``location_normalised`` says
    by ``args['outside']`` which of its two notes it is)."""
    _ = translator(lang)
    en = lang != DEFAULT_LANG
    if check == "location_normalised":
        check = "location_outside" if args["outside"] else "location_zone"
    values = dict(args)
    if check in ("growth_rate_recomputed", "cumulative_points_recomputed"):
        unit = args.get("unit")
        values.update(stated=as_printed(args["stated"]), verdict=_("一致") if args["ok"] else _("不一致"),
                      diff=f"{args.get('diff', 0):.3f}",
                      computed=f"{args['computed']:.3f}" if check == "growth_rate_recomputed" else f"{args['computed']:.2f}",
                      base=plan_value(None, args["base"], "exact", unit, lang) if en
                      else as_printed(args["base"]),
                      target=plan_value(None, args["target"], "exact", unit, lang) if en
                      else as_printed(args["target"]))
    elif check == "text_disagrees_with_table":
        values.update(metric=args["metric_en"] if en else args["metric_zh"],
                      value=plan_value(args["value_text"], args["value"], "exact", args["unit"], lang),
                      base=plan_value(args["base_text"], args["base"], "exact", args["unit"], lang),
                      estimate=_("（预估值）") if args["estimate"] else "")
    elif check == "target_qualifier_differs":
        table, text = args["table_qualifier"], args["text_qualifier"]
        values.update(target=plan_value(args["target_text"], args["target"], table, args["unit"], lang, with_unit=False),
                      table_kind=_(QUALIFIER_KINDS.get(table, QUALIFIER_KINDS["exact"])),
                      text_kind=_(QUALIFIER_KINDS[text]),
                      # In English the words' value in English (≥ 10 people): the note is the app's own text
                      quote=plan_value(None, args["target"], text, args["unit"], lang) if en else args["quote"])
    elif check == "planned_exceeds_total":
        values.update(planned=number_text(args["planned"]) if en else str(args["planned"]),
                      total=number_text(args["total"]) if en else str(args["total"]))
    elif check in ("location_outside", "location_zone"):
        values.update(location=args["location_en"] if en else args["location"],
                      district=args.get("district_en") if en else args.get("district_zh"))
    return _(MESSAGES[check]).format(**values)
