"""Stage 4, indicators: one static file with every point the indicator charts draw.

``indicator_series.json`` holds, per indicator, rows of one ``series``:
``base`` (2020, the table), ``target`` (2025, the table), ``path`` (the required path, derived by
lib/domain/progress.py in the form the indicator's growth calls for), ``band`` (左右 drawn ±5 %),
``floor`` (以上: from the target up), ``history`` (values the text states for 2015/2020, with the
quote) and ``actual`` (published values from data/curated/observations.csv, related measures left
out; each with its evidence ``grade``, drawn by grade: official filled, reported hollow, unattributed as
an unverified lead). The chart specs point at this file and filter by code, so changing the indicator re-sends
a small spec, not the data.

Every row carries its words twice: ``label``/``value_text`` in Chinese and ``label_en``/``value_text_en``
in English (catalog words; amounts in the English money units of lib/domain/units.py), so the English chart
reads other fields of the same file. Quotes stay in Chinese: they are the original.
"""
from __future__ import annotations

import duckdb

from lib.domain import evidence, progress
from lib.domain.i18n import N_, translator
from lib.domain.units import number_text, plan_number, plan_unit, plan_value

_SHARE_TOP_MARGIN = 1.12  # how far the open floor band reaches above the largest value
ACTUAL_LABEL = N_("{year} 年实际值（{grade}）")
LEAD_LABEL = N_("{year} 年未核实线索（{grade}，不计分）")   # an unattributed value is a lead, not an actual


def _rows(con: duckdb.DuckDBPyConnection, query: str) -> list[dict]:
    cur = con.execute(query)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _en(value: float, unit: str) -> str:
    """A number in the plan's ``unit`` as the English chart writes it (money converted)."""
    return plan_value(None, value, "exact", unit, "en")


def _short(value: float, qualifier: str, unit: str) -> str:
    """The small panels' label in English: the number without its unit word (the subtitle names it), % kept."""
    return plan_value(None, value, qualifier, unit, "en", with_unit=unit == "%")


def indicator_series(con: duckdb.DuckDBPyConnection) -> list[dict]:
    _ = translator("en")
    indicators = _rows(con, "SELECT * FROM indicators ORDER BY row_no")
    history = _rows(con, "SELECT * FROM indicator_history WHERE indicator_code IS NOT NULL ORDER BY year")
    actuals = _rows(con, "SELECT * FROM observations WHERE NOT is_related ORDER BY year")
    out: list[dict] = []
    for ind in indicators:
        code, unit = ind["code"], ind["unit"]
        base, target = ind["base_2020"], ind["target_2025"]
        rows: list[dict] = []
        table_quote = f"{ind['source_ref']}：{ind['quote']}"
        if base is not None:
            rows.append({"series": "base", "year": progress.PLAN_BASE_YEAR, "value": base,
                         "qualifier": ind["base_qualifier"], "label": "2020 年基数（主要指标表）",
                         "label_en": _("2020 年基数（主要指标表）"),
                         "value_text": f"{ind['base_text']} {unit}",
                         "value_text_en": plan_value(None, base, ind["base_qualifier"], unit, "en"),
                         "short_en": _short(base, ind["base_qualifier"], unit), "quote": table_quote})
        rows.append({"series": "target", "year": progress.PLAN_TARGET_YEAR, "value": target,
                     "qualifier": ind["target_qualifier"], "label": "2025 年目标（主要指标表）",
                     "label_en": _("2025 年目标（主要指标表）"), "value_text": f"{ind['target_text']} {unit}",
                     "value_text_en": plan_value(None, target, ind["target_qualifier"], unit, "en"),
                     "short_en": _short(target, ind["target_qualifier"], unit), "quote": table_quote})
        kind = progress.path_kind(ind["growth_kind"], unit, base, target)
        for year, value in progress.required_path(base, target, kind) or []:
            rows.append({"series": "path", "year": year, "value": value, "path_kind": kind,
                         "label": "规划要求的路径（派生）", "label_en": _("规划要求的路径（派生）"),
                         "value_text": f"{number_text(value)} {unit}", "value_text_en": _en(value, unit)})
        for qualifier, year, value in ((ind["base_qualifier"], progress.PLAN_BASE_YEAR, base),
                                       (ind["target_qualifier"], progress.PLAN_TARGET_YEAR, target)):
            if qualifier == "approx" and value is not None:
                lo, hi = progress.approx_band(value)
                rows.append({"series": "band", "year": year, "value": value, "lo": lo, "hi": hi,
                             "label": "“左右”：示意 ±5%", "label_en": _("“左右”：示意 ±5%"),
                             "value_text": f"{number_text(lo)}—{number_text(hi)} {unit}",
                             "value_text_en": f"{number_text(plan_number(lo, unit, 'en'))}–{_en(hi, unit)}"})
        for h in (h for h in history if h["indicator_code"] == code):
            differs = h["year"] == progress.PLAN_BASE_YEAR and base is not None and abs(h["value"] - base) > 1e-9
            note = ("；与表列基数 {b} 不一致".format(b=number_text(base)) if differs else "")
            note_en = _("；与表列基数 {base} 不一致").format(base=_en(base, unit)) if differs else ""
            # A lower bound in the words (以上, 多) stays one: 10亿元以上, ≥ CNY 1 bn.
            written = h["value_text"] + ("以上" if h["qualifier"] == "at_least"
                                         and not h["value_text"].endswith(("以上", "多")) else "")
            rows.append({"series": "history", "year": h["year"], "value": h["value"], "qualifier": h["qualifier"],
                         "label": f"{h['year']} 年（正文{'，预估值' if h['is_estimate'] else ''}{note}）",
                         "label_en": (_("{year} 年（正文，预估值{note}）") if h["is_estimate"] else
                                      _("{year} 年（正文{note}）")).format(year=h["year"], note=note_en),
                         "value_text_en": plan_value(None, h["value"], h["qualifier"], h["unit"], "en") + (
                             (_("（正文，预估）") if h["is_estimate"] else _("（正文）")) if differs else ""),
                         "value_text": f"{written} {h['unit']}" + ("（正文{}）".format("，预估" if h["is_estimate"] else "")
                                                                  if differs else ""), "disagrees": differs,
                         # the base point already says the same 2020 value
                         "labelled": h["year"] != progress.PLAN_BASE_YEAR or differs,
                         "quote": f"{h['source_ref']}（line {h['source_line']}）：{h['quote']}"})
        for a in (a for a in actuals if a["indicator"] == code):
            floor = a["qualifier"] == "at_least"
            grade = a["grade"]
            flags = [f for f in (a["value_flags"] or "").split(",") if f]
            template = ACTUAL_LABEL if evidence.may_score(grade) else LEAD_LABEL
            rows.append({"series": "actual", "year": a["year"], "value": a["value"], "qualifier": a["qualifier"],
                         "grade": grade, "mark": evidence.MARKS[grade],
                         "label": template.format(year=a["year"], grade=evidence.GRADE_LABELS[grade]),
                         "label_en": _(template).format(year=a["year"], grade=_(evidence.GRADE_LABELS[grade])),
                         "value_text": f"{'超过 ' if floor else ''}{number_text(a['value'])} {a['unit']}",
                         "value_text_en": plan_value(None, a["value"], a["qualifier"], a["unit"], "en"),
                         "flags": "；".join(evidence.FLAG_LABELS[f] for f in flags),
                         "flags_en": "; ".join(_(evidence.FLAG_LABELS[f]) for f in flags),
                         "quote": f"{a['publisher']}，{a['published']}：{a['quote']}"})
        top = max(r.get("hi") or r["value"] for r in rows) * _SHARE_TOP_MARGIN
        if ind["target_qualifier"] == "at_least":
            rows.append({"series": "floor", "year": progress.PLAN_TARGET_YEAR, "value": target, "lo": target,
                         "hi": top, "label": "“以上”：目标是下限", "label_en": _("“以上”：目标是下限"),
                         "value_text": f"≥ {ind['target_text']} {unit}",
                         "value_text_en": plan_value(None, target, "at_least", unit, "en")})
        out += [{"code": code, **r} for r in rows]
    return out
