"""What the indicator page says beside its charts, as plain data: the facts of one indicator and
the ambition comparison (2015–2020 achieved vs 2020–2025 required). Pure, no Streamlit."""
from __future__ import annotations

import json

import pandas as pd

from lib.domain import progress, quality_notes
from lib.domain.citations import cite
from lib.domain.i18n import DEFAULT_LANG, N_, column, marked, translator
from lib.domain.units import number_text, plan_number, plan_unit, plan_value

# The indicator table's 指标属性 column (a value in the data, translated when shown).
ATTRIBUTES = {"预期性": N_("预期性"), "约束性": N_("约束性")}


def path_caption(ind, lang: str = "zh") -> str:
    """One sentence that says how the dashed path is drawn and why."""
    _ = translator(lang)
    base = None if pd.isna(ind.base_2020) else float(ind.base_2020)
    kind = progress.path_kind(ind.growth_kind, ind.unit, base, float(ind.target_2025))
    if kind == progress.PATH_COMPOUND and ind.growth_kind == "annual_rate":
        return _("虚线：按表列年均增长 {rate}% 复利增长的路径（派生）。").format(rate=number_text(ind.growth_value))
    if kind == progress.PATH_LINEAR and ind.growth_kind == "cumulative_points":
        return _("虚线：五年累计提高 {pts} 个百分点，每年 {step} 个百分点的直线路径（派生）。").format(
            pts=number_text(ind.growth_value), step=number_text(ind.growth_value / progress.PLAN_YEARS))
    if kind == progress.PATH_LINEAR:
        return _("虚线：表中未给增速；比重（%）按百分点直线提高，每年 {step} 个百分点（派生）。").format(
            step=number_text((float(ind.target_2025) - base) / progress.PLAN_YEARS))
    if kind == progress.PATH_COMPOUND:
        return _("虚线：表中未给增速；总量按复利增长，年均 {rate}%（派生）。").format(
            rate=number_text(progress.implied_annual_rate(base, float(ind.target_2025))))
    if kind == progress.PATH_HOLD:
        return _("虚线：目标为“{target}”，即保持不低于基数 {base}（派生）。").format(
            target=plan_value(ind.target_text, ind.target_2025, ind.target_qualifier, None, lang),
            base=number_text(plan_number(base, ind.unit, lang)))
    return _("2020 年基数为“--”（规划未给出）：只标出 2025 年目标，不画从零开始的路径。")


def facts(ind, flags: pd.DataFrame, lang: str = "zh") -> list[tuple[str, str]]:
    """(label, text) pairs for one indicator: unit, base, target, stated and recomputed growth, # flag, source."""
    _ = translator(lang)
    qualifier = {"approx": _("（“左右”：约数）"), "at_least": _("（“以上”：下限）"), "none": _("（“--”：未给出）")}
    base = plan_value(ind.base_text, ind.base_2020, ind.base_qualifier, ind.unit, lang, with_unit=False)
    target = plan_value(ind.target_text, ind.target_2025, ind.target_qualifier, ind.unit, lang, with_unit=False)
    if lang == DEFAULT_LANG:  # as printed: 2.2左右, --
        base, target = ind.base_text, ind.target_text
    rows = [
        (_("单位"), plan_unit(ind.unit, lang)),
        (_("2020 年基数"), f"{base}{qualifier.get(ind.base_qualifier, '')}"),
        (_("2025 年目标"), f"{target}{qualifier.get(ind.target_qualifier, '')}"),
        (_("表列增长"), {"annual_rate": _("年均 {v}%"), "cumulative_points": _("五年累计提高 {v} 个百分点")}
         .get(ind.growth_kind, _("未给出（--）")).format(v=number_text(ind.growth_value) if pd.notna(ind.growth_value) else "")),
    ]
    mine = flags[(flags["code"] == ind.code)
                 & flags["check_code"].isin(["growth_rate_recomputed", "cumulative_points_recomputed"])]
    if len(mine):
        rows.append((_("复算"), quality_notes.message(mine.iloc[0]["check_code"], json.loads(mine.iloc[0]["message_args"]),
                                                    lang)))
    elif pd.notna(ind.base_2020) and ind.base_2020 > 0:
        rate = progress.implied_annual_rate(float(ind.base_2020), float(ind.target_2025))
        rows.append((_("复算"), _("由基数与目标推算年均 {rate}%（表中未列增长，无从比对）").format(rate=f"{rate:.2f}")))
    for check, label in (("text_disagrees_with_table", _("正文与表不一致")),
                         ("target_qualifier_differs", _("目标的限定与正文不一致"))):
        for args in flags[(flags["code"] == ind.code) & (flags["check_code"] == check)]["message_args"]:
            rows.append((label, quality_notes.message(check, json.loads(args), lang)))
    rows += [
        (_("“五倍增五提升”"), _("是（表中标 #）") if ind.is_five_doubling else _("否")),
        (_("指标属性"), _(ATTRIBUTES[ind.attribute]) if ind.attribute in ATTRIBUTES else ind.attribute),
        (_("出处"), f"{cite(ind.source, lang)}（line {ind.source_line}）" if lang == DEFAULT_LANG
         else f"{cite(ind.source, lang)} (line {ind.source_line})"),
        (_("原文"), ind.quote),
        (_("一（五）中的表述"), f"{ind.group_zh}：{ind.group_quote}（{ind.group_ref}，line {ind.group_line}）"
         if lang == DEFAULT_LANG else f"{ind.group_en}: {marked(ind.group_quote, lang)} "
                                      f"({cite(ind.group_source, lang)}, line {ind.group_line})"),
    ]
    return rows


def ambition(indicators: pd.DataFrame, history: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Per indicator with a 2015 value: the pace achieved 2015→2020 and the pace required 2020→2025.

    Counts and amounts in compound % a year; shares (unit %) in percentage points a year.
    """
    _ = translator(lang)
    rows = []
    for ind in indicators.sort_values("row_no").itertuples():
        rows_ = history[history["indicator_code"] == ind.code].set_index("year")
        mine, texts = rows_["value"], rows_["value_text"]
        if 2015 not in mine.index or pd.isna(ind.base_2020):
            continue
        start, end = float(mine[2015]), float(mine.get(progress.PLAN_BASE_YEAR, ind.base_2020))
        kind, achieved = progress.pace(start, end, 5, ind.unit)
        _kind, required = progress.pace(float(ind.base_2020), float(ind.target_2025), progress.PLAN_YEARS, ind.unit)
        measure = _("年均增速（%）") if kind == progress.RATE else _("年均提高（百分点）")
        unit_word = "%" if kind == progress.RATE else _(" 个百分点")
        floor = _("（目标为下限）") if ind.target_qualifier == "at_least" else ""
        if lang == DEFAULT_LANG:  # values as printed
            s, e, b, t = texts[2015], texts.get(progress.PLAN_BASE_YEAR, ind.base_text), ind.base_text, ind.target_text
        else:
            s, e = (plan_value(None, v, "exact", ind.unit, lang) for v in (start, end))
            b = plan_value(None, ind.base_2020, ind.base_qualifier, ind.unit, lang)
            t = plan_value(None, ind.target_2025, ind.target_qualifier, ind.unit, lang)
        name = getattr(ind, column("name", lang))
        text = _("{name}：2015—2020 年实际每年 {a}{u}（{s} → {e}），2020—2025 年规划要求每年 {r}{u}{floor}"
                 "（{b} → {t}），为前五年的 {x:.2f} 倍。").format(
            name=name, a=f"{achieved:.2f}", r=f"{required:.2f}", u=unit_word, s=s, e=e,
            b=b, t=t, x=required / achieved if achieved else float("nan"), floor=floor)
        for period, value in ((_("2015—2020 实际"), achieved), (_("2020—2025 要求"), required)):
            rows.append({"code": ind.code, "name_zh": ind.name_zh, "name": name, "kind": kind, "measure": measure,
                         "period": period, "value": round(value, 2), "text": text})
    return pd.DataFrame(rows)
