"""The closed plan's scorecard: per indicator, the latest actual value, its source and the status
(lib/progress.py, the Open SDG progress measure). Pure pandas, no Streamlit.

Actual values come from the curated observations (shared) and, for one session, from the user's
upload; an uploaded value for the same indicator, year and measure replaces the curated one in
that session only. Related measures (``related_measure`` filled) are listed, never scored.
"""
from __future__ import annotations

import pandas as pd

from lib import progress
from lib.i18n import CHINESE_ONLY, DEFAULT_LANG, N_, column, marked, translator
from lib.units import number_text, plan_number, plan_unit, plan_value

STATUS_LABELS = {
    progress.TARGET_ACHIEVED: N_("已达标"),
    progress.SUBSTANTIAL: N_("进展显著"),
    progress.MODERATE: N_("进展一般"),
    progress.LIMITED: N_("进展有限"),
    progress.DETERIORATION: N_("倒退"),
    progress.NOT_AVAILABLE: N_("无法评估"),
}
REASON_LABELS = {
    progress.NO_ACTUAL: N_("未找到公开发布的实际值"),
    progress.NO_BASE: N_("基数为“--”，只有一个数据点"),
    progress.ONE_POINT: N_("实际值只有基年，少于两个数据点"),
    progress.NOT_POSITIVE: N_("数值不为正，无法计算复合增速"),
}
GRADE_LABELS = {"official": N_("官方发布"), "secondary": N_("转述（非官方）"), "user": N_("本次上传")}
GRADE_SHORT = {"official": N_("官方"), "secondary": N_("转述"), "user": N_("上传")}  # where space is tight
GRADE_SHORT_LABELS = {"official": N_("官方发布"), "secondary": N_("转述"), "user": N_("本次上传")}
CURATED, UPLOADED = "curated", "upload"
OBSERVATION_COLUMNS = ("indicator", "year", "value", "qualifier", "unit", "related_measure", "grade", "source_url",
                       "source_title", "publisher", "published", "quote", "note")


def _fmt(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def combine(curated: pd.DataFrame, uploaded: list[dict] | None) -> pd.DataFrame:
    """Curated rows plus this session's uploaded rows (an upload replaces the same key)."""
    frame = curated.reindex(columns=OBSERVATION_COLUMNS).assign(origin=CURATED)
    frame["related_measure"] = frame["related_measure"].fillna("")
    if uploaded:
        extra = pd.DataFrame(uploaded).reindex(columns=OBSERVATION_COLUMNS).assign(origin=UPLOADED)
        extra["related_measure"] = extra["related_measure"].fillna("")
        keys = set(zip(extra["indicator"], extra["year"], extra["related_measure"]))
        keep = [k not in keys for k in zip(frame["indicator"], frame["year"], frame["related_measure"])]
        frame = pd.concat([frame[keep], extra], ignore_index=True)
    frame["year"] = frame["year"].astype(int)
    frame["value"] = frame["value"].astype(float)
    return frame.sort_values(["indicator", "year"], kind="stable").reset_index(drop=True)


def scorecard(indicators: pd.DataFrame, observations: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """One row per indicator (plan order): base, target, latest actual with its source, status, 2025 verdict."""
    _ = translator(lang)
    scored = observations[observations["related_measure"].fillna("") == ""]
    related = observations[observations["related_measure"].fillna("") != ""]
    rows = []
    for ind in indicators.sort_values("row_no").itertuples():
        mine = scored[scored["indicator"] == ind.code]
        latest = mine.iloc[-1] if len(mine) else None
        base = None if pd.isna(ind.base_2020) else float(ind.base_2020)
        result = progress.progress(base, float(ind.target_2025),
                                   None if latest is None else float(latest["value"]),
                                   None if latest is None else int(latest["year"]), better=ind.better)
        notes = []
        if result.reason:
            notes.append(_(REASON_LABELS[result.reason]))
        if latest is not None and latest["qualifier"] == "at_least" and result.status != progress.TARGET_ACHIEVED:
            notes.append(_("实际值是下限（原文“超过”），状态按下限计"))
        n_related = int((related["indicator"] == ind.code).sum())
        if n_related:
            notes.append(_("另有 {n} 个相关口径数值（不计分）").format(n=n_related))
        at_2025 = mine[mine["year"] == progress.PLAN_TARGET_YEAR]
        if len(at_2025):
            met = progress.target_achieved(float(at_2025.iloc[-1]["value"]), float(ind.target_2025), ind.better)
            verdict = _("达成") if met else _("未达成")
        else:
            verdict = _("无 2025 年数值")
        en = lang != DEFAULT_LANG
        rows.append({
            "code": ind.code, "name_zh": ind.name_zh, "name": getattr(ind, column("name", lang)),
            "five_doubling": bool(ind.is_five_doubling), "unit": plan_unit(ind.unit, lang),
            # As printed in Chinese (2.2左右, --); in English from the number, money converted.
            "base_text": plan_value(None, base, ind.base_qualifier, ind.unit, lang, with_unit=False) if en
            else ind.base_text,
            "target_text": plan_value(None, ind.target_2025, ind.target_qualifier, ind.unit, lang, with_unit=False)
            if en else ind.target_text,
            "latest_year": None if latest is None else int(latest["year"]),
            "latest_value": None if latest is None else
            ("≥ " if latest["qualifier"] == "at_least" else "")
            + (number_text(plan_number(float(latest["value"]), ind.unit, lang)) if en else _fmt(float(latest["value"]))),
            "grade": None if latest is None else _(GRADE_LABELS.get(latest["grade"], latest["grade"])),
            "grade_code": None if latest is None else latest["grade"],
            # Curated publishers are named in Chinese only (data/curated/observations.csv); an upload's as typed.
            "source": None if latest is None else
            (lambda text: text if latest["origin"] == UPLOADED else marked(text, lang, CHINESE_ONLY))(
                "，".join(filter(None, (str(latest["publisher"] or ""), str(latest["published"] or "")))))
            or _("本次上传"),
            "source_url": None if latest is None else (latest["source_url"] or None),
            "origin": None if latest is None else latest["origin"],
            "status": result.status, "status_label": _(STATUS_LABELS[result.status]),
            "ratio": None if result.ratio is None else round(result.ratio, 3),
            "observed_rate": None if result.observed_rate is None else round(result.observed_rate, 2),
            "required_rate": None if result.required_rate is None else round(result.required_rate, 2),
            "verdict_2025": verdict, "note": "；".join(notes),
        })
    return pd.DataFrame(rows)
