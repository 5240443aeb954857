"""Quality flags: what a careful reader of the plan would question, computed at build time.

Each flag keeps the numbers and names its note is made of (``message_args``, JSON) beside the note in
Chinese; lib/domain/quality_notes.py writes the note, here in Chinese and on the pages in the view's language.
"""
from __future__ import annotations

import json

from lib.domain.citations import source_columns
from lib.domain.progress import PLAN_BASE_YEAR, PLAN_TARGET_YEAR, cumulative_points, implied_annual_rate
from lib.domain.quality_notes import message
from lib.domain.units import as_printed
from lib.pipeline.values import text_qualifier

# The plan prints rates to two decimals, so a recomputed rate within half a
# hundredth (plus float noise) agrees; 0.01 pp is the documented tolerance.
RATE_TOLERANCE_PP = 0.01


def quality_flags(indicators: list[dict], history: list[dict], projects: list[dict],
                  zones: list[dict] = (), districts: list[dict] = (), groups: list[dict] = ()) -> list[dict]:
    """``zones`` and ``districts`` give the English names a note uses in English; ``groups`` the words
    of 一（五）主要目标 that restate each target (indicator_groups)."""
    flags: list[dict] = []
    zone_en = {z["zone_name"]: z.get("name_en") for z in zones}
    district_en = {d["adcode"]: d.get("name_en") for d in districts}

    def add(check: str, severity: str, table: str, key, args: dict, source: list[dict]) -> None:
        flags.append({"flag_id": f"Q{len(flags) + 1:03d}", "check_code": check, "severity": severity,
                      "entity_table": table, "entity_key": str(key), "message_zh": message(check, args),
                      "message_args": json.dumps(args, ensure_ascii=False, sort_keys=True),
                      **source_columns(*source)})

    by_code = {i["code"]: i for i in indicators}
    for ind in indicators:
        base, target, stated = ind["base_2020"], ind["target_2025"], ind["growth_value"]
        numbers = {"stated": stated, "base": base, "target": target, "unit": ind["unit"]}
        if ind["growth_kind"] == "annual_rate":
            computed = implied_annual_rate(base, target)
            diff = abs(computed - stated)
            ok = diff <= RATE_TOLERANCE_PP + 1e-9
            add("growth_rate_recomputed", "info" if ok else "warning", "indicators", ind["code"],
                {**numbers, "computed": computed, "diff": diff, "ok": ok}, ind["source"])
        elif ind["growth_kind"] == "cumulative_points":
            computed = cumulative_points(base, target)
            ok = abs(computed - stated) <= RATE_TOLERANCE_PP + 1e-9
            add("cumulative_points_recomputed", "info" if ok else "warning", "indicators", ind["code"],
                {**numbers, "computed": computed, "ok": ok}, ind["source"])

    # The table's target against the words that restate it in 一（五）主要目标 (indicator_groups.quote):
    # 顶尖人才 is 10 in the table but “10名以上” in the text — an exact count there, a lower bound here.
    for g in groups:
        ind = by_code[g["code"]]
        in_text = text_qualifier(g["quote"], as_printed(ind["target_2025"]))
        if in_text is not None and in_text != ind["target_qualifier"]:
            add("target_qualifier_differs", "warning", "indicators", ind["code"],
                {"target": ind["target_2025"], "target_text": ind["target_text"], "unit": ind["unit"],
                 "table_qualifier": ind["target_qualifier"], "text_qualifier": in_text, "quote": g["quote"]},
                [*ind["source"], *({**p, "line": g["line"]} for p in g["source"])])

    for h in history:
        ind = by_code.get(h["indicator_code"] or "")
        if ind is None or h["year"] != PLAN_BASE_YEAR or ind["base_2020"] is None:
            continue
        if abs(h["value"] - ind["base_2020"]) > 1e-9:
            add("text_disagrees_with_table", "warning", "indicators", ind["code"],
                {"year": PLAN_BASE_YEAR, "metric_zh": h["metric_zh"], "metric_en": h["metric_en"],
                 "value": h["value"], "value_text": h["value_text"], "unit": ind["unit"],
                 "estimate": bool(h["is_estimate"]) and "预估" not in h["metric_zh"],
                 "base": ind["base_2020"], "base_text": ind["base_text"]},
                [*({**p, "line": h["line"]} for p in h["source"]), *ind["source"]])  # the text's line, then the table

    for p in projects:
        ref, key = p["source"], p["project_no"]
        if p["project_type"] == "新建" and p["start_year"] < PLAN_BASE_YEAR + 1:
            add("new_project_starts_before_plan", "warning", "projects", key, {"start": p["start_year"]}, ref)
        if p["end_year"] > PLAN_TARGET_YEAR:
            add("project_ends_after_plan", "info", "projects", key, {"end": p["end_year"]}, ref)
        if p["planned_investment_wan"] > p["total_investment_wan"]:
            add("planned_exceeds_total", "warning", "projects", key,
                {"planned": p["planned_investment_wan"], "total": p["total_investment_wan"]}, ref)
        if p["location_normalised"]:
            add("location_normalised", "info", "projects", key,
                {"outside": bool(p["outside_wenzhou"]), "location": p["location_text"],
                 "location_en": zone_en.get(p["zone_name"]) or p["location_text"],
                 "district_zh": p["district_name_zh"], "district_en": district_en.get(p["district_adcode"])}, ref)
    return flags
