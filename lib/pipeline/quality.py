"""Quality flags: what a careful reader of the plan would question, computed at build time."""
from __future__ import annotations

from lib.citations import source_columns
from lib.pipeline.values import text_qualifier
from lib.progress import PLAN_BASE_YEAR, PLAN_TARGET_YEAR, cumulative_points, implied_annual_rate

# The plan prints rates to two decimals, so a recomputed rate within half a
# hundredth (plus float noise) agrees; 0.01 pp is the documented tolerance.
RATE_TOLERANCE_PP = 0.01


def _fmt(x: float) -> str:
    return f"{x:g}"


def quality_flags(indicators: list[dict], history: list[dict], projects: list[dict],
                  groups: list[dict] = ()) -> list[dict]:
    flags: list[dict] = []

    def add(check: str, severity: str, table: str, key, message: str, source: list[dict]) -> None:
        flags.append({"flag_id": f"Q{len(flags) + 1:03d}", "check_code": check, "severity": severity,
                      "entity_table": table, "entity_key": str(key), "message_zh": message,
                      **source_columns(*source)})

    by_code = {i["code"]: i for i in indicators}
    for ind in indicators:
        base, target, stated = ind["base_2020"], ind["target_2025"], ind["growth_value"]
        if ind["growth_kind"] == "annual_rate":
            computed = implied_annual_rate(base, target)
            diff = abs(computed - stated)
            ok = diff <= RATE_TOLERANCE_PP + 1e-9
            add("growth_rate_recomputed", "info" if ok else "warning", "indicators", ind["code"],
                f"表列年均增长{_fmt(stated)}%；由基数{_fmt(base)}与目标{_fmt(target)}推算为{computed:.3f}%"
                f"（相差{diff:.3f}个百分点，{'一致' if ok else '不一致'}）", ind["source"])
        elif ind["growth_kind"] == "cumulative_points":
            computed = cumulative_points(base, target)
            ok = abs(computed - stated) <= RATE_TOLERANCE_PP + 1e-9
            add("cumulative_points_recomputed", "info" if ok else "warning", "indicators", ind["code"],
                f"表列五年累计提高{_fmt(stated)}个百分点；目标{_fmt(target)}减基数{_fmt(base)}为{computed:.2f}"
                f"（{'一致' if ok else '不一致'}）", ind["source"])

    # The table's target against the words that restate it in 一（五）主要目标 (indicator_groups.quote):
    # 顶尖人才 is 10 in the table but “10名以上” in the text — an exact count there, a lower bound here.
    for g in groups:
        ind = by_code[g["code"]]
        in_text = text_qualifier(g["quote"], _fmt(ind["target_2025"]))
        if in_text is not None and in_text != ind["target_qualifier"]:
            words = {"exact": "确数", "at_least": "下限", "approx": "约数"}
            add("target_qualifier_differs", "warning", "indicators", ind["code"],
                f"主要指标表的2025年目标为{ind['target_text']}（{words.get(ind['target_qualifier'], '未给出')}），"
                f"{g['source_ref']}写作“{g['quote']}”（{words[in_text]}）：两处对目标的限定不同；"
                f"本站按表列数值作图和比较", [*ind["source"], *({**p, "line": g["line"]} for p in g["source"])])

    for h in history:
        ind = by_code.get(h["indicator_code"] or "")
        if ind is None or h["year"] != PLAN_BASE_YEAR or ind["base_2020"] is None:
            continue
        if abs(h["value"] - ind["base_2020"]) > 1e-9:
            estimate = "（预估值）" if h["is_estimate"] and "预估" not in h["metric_zh"] else ""
            add("text_disagrees_with_table", "warning", "indicators", ind["code"],
                f"正文写{PLAN_BASE_YEAR}年{h['metric_zh']}为{h['value_text']}{h['unit']}{estimate}，"
                f"主要指标表基数为{ind['base_text']}{ind['unit']}",
                [*({**p, "line": h["line"]} for p in h["source"]), *ind["source"]])  # the text's line, then the table

    for p in projects:
        ref, key = p["source"], p["project_no"]
        if p["project_type"] == "新建" and p["start_year"] < PLAN_BASE_YEAR + 1:
            add("new_project_starts_before_plan", "warning", "projects", key,
                f"“新建”项目的期限始于{p['start_year']}年，早于规划期（2021—2025年）", ref)
        if p["end_year"] > PLAN_TARGET_YEAR:
            add("project_ends_after_plan", "info", "projects", key,
                f"项目期限至{p['end_year']}年，超出规划期；“十四五”计划投资为总投资的一部分", ref)
        if p["planned_investment_wan"] > p["total_investment_wan"]:
            add("planned_exceeds_total", "warning", "projects", key,
                f"“十四五”计划投资{p['planned_investment_wan']}万元高于总投资{p['total_investment_wan']}万元", ref)
        if p["location_normalised"]:
            if p["outside_wenzhou"]:
                message = f"建设地点“{p['location_text']}”在温州市外（科技飞地）：保留并标为市外，不归入任何区县"
            else:
                message = (f"建设地点“{p['location_text']}”是功能区或片区，不是区县名；"
                           f"归入{p['district_name_zh']}（理由见 zones 表）")
            add("location_normalised", "info", "projects", key, message, ref)
    return flags
