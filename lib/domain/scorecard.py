"""The closed plan's scorecard: per indicator, the value a status may rest on, its evidence grade, the
status (lib/domain/progress.py) and the 2025 verdict, each exactly as strong as its source. Pure pandas, no
Streamlit; the page, the indicator detail, the brief, the presenter and the downloads all read it.

Actual values come from the curated observations (shared) and, for one session, from the user's
upload; an uploaded value for the same indicator, year and measure replaces the curated one in
that session only. Related measures (``related_measure`` filled) are listed, never scored.

The rules, each named where it is applied (lib/domain/evidence.py has the grades):
- Only official and reported values may produce a status or a verdict; a status or verdict resting on
  a reported value is provisional (待官方核实). Unattributed values are unverified leads: listed, never scored.
- A level target is judged on the latest scoreable value (lib/domain/progress.progress); a cumulative-points
  target on the rise since the base (progress_points); an average-annual target on the average over
  every year 2021–2025 (progress_average), and with fewer years there is no verdict (insufficient years).
- The status says which year it rests on; the 2025 verdict looks at 2025 alone.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.domain import evidence, progress
from lib.domain.i18n import CHINESE_ONLY, DEFAULT_LANG, N_, column, marked, translator
from lib.domain.units import number_text, plan_number, plan_unit, plan_value

STATUS_LABELS = {
    progress.TARGET_ACHIEVED: N_("已达标"),
    progress.SUBSTANTIAL: N_("进展显著"),
    progress.MODERATE: N_("进展一般"),
    progress.LIMITED: N_("进展有限"),
    progress.DETERIORATION: N_("倒退"),
    progress.INSUFFICIENT_YEARS: N_("年数不足"),
    progress.NOT_AVAILABLE: N_("无法评估"),
    progress.UNVERIFIED_LEAD: N_("仅有未核实线索"),
    progress.NO_DATA: N_("无公开数值"),
}
# Statuses that are a verdict on progress (they need official or reported evidence).
VERDICT_STATUSES = (progress.TARGET_ACHIEVED, progress.SUBSTANTIAL, progress.MODERATE, progress.LIMITED,
                    progress.DETERIORATION)
PROVISIONAL_TEMPLATE = N_("{status}（待官方核实）")
REASON_LABELS = {
    progress.NO_ACTUAL: N_("未找到公开发布的实际值"),
    progress.NO_BASE: N_("基数为“--”，只有一个数据点"),
    progress.ONE_POINT: N_("实际值只有基年，少于两个数据点"),
    progress.NOT_POSITIVE: N_("数值不为正，无法计算复合增速"),
}
TARGET_KIND_LABELS = {
    progress.LEVEL: N_("到 2025 年达到的水平"),
    progress.CUMULATIVE_POINTS: N_("五年累计提高的百分点"),
    progress.AVERAGE_ANNUAL: N_("2021—2025 年的年均增速"),
}
# The 2025 verdict.
ACHIEVED, NOT_ACHIEVED, NO_VERDICT = "achieved", "not_achieved", "none"
CURATED, UPLOADED = "curated", "upload"
OBSERVATION_COLUMNS = ("indicator", "year", "value", "qualifier", "unit", "related_measure", "grade", "source_url",
                       "source_title", "publisher", "published", "quote", "note")


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
    frame["grade"] = frame["grade"].fillna(evidence.UNATTRIBUTED)
    return frame.sort_values(["indicator", "year"], kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class Assessment:
    """What one indicator's evidence allows: the status, the rows it rests on, the 2025 verdict."""
    progress: progress.Progress
    basis: pd.DataFrame              # the scoreable rows the status rests on (empty when none)
    leads: pd.DataFrame              # unattributed rows: listed, never scored
    verdict: str                     # ACHIEVED, NOT_ACHIEVED or NO_VERDICT
    verdict_rows: pd.DataFrame       # the rows the 2025 verdict rests on

    @property
    def grade(self) -> str | None:
        return evidence.weakest(self.basis["grade"]) if len(self.basis) else None

    @property
    def provisional(self) -> bool:
        """A verdict on progress that rests on a reported value (insufficient years is no verdict)."""
        return (self.progress.status in VERDICT_STATUSES and self.grade is not None
                and evidence.is_provisional(self.grade))

    @property
    def verdict_provisional(self) -> bool:
        return len(self.verdict_rows) > 0 and evidence.is_provisional(evidence.weakest(self.verdict_rows["grade"]))


def assess(ind, rows: pd.DataFrame) -> Assessment:
    """The status and 2025 verdict of one indicator (a row of ``queries.indicators()``) from its
    same-measure observations ``rows`` (curated and uploaded, sorted by year)."""
    scoreable = rows[rows["grade"].map(evidence.may_score)]
    leads = rows[~rows["grade"].map(evidence.may_score)]
    base = None if pd.isna(ind.base_2020) else float(ind.base_2020)
    target = float(ind.target_2025)
    kind = getattr(ind, "target_kind", progress.LEVEL) or progress.LEVEL
    empty = rows.iloc[0:0]
    if scoreable.empty:
        status = progress.UNVERIFIED_LEAD if len(leads) else progress.NO_DATA
        return Assessment(progress.Progress(status, reason=None if len(leads) else progress.NO_ACTUAL),
                          empty, leads, NO_VERDICT, empty)
    if kind == progress.AVERAGE_ANNUAL:
        covered = scoreable[scoreable["year"].isin(progress.PLAN_YEARS_COVERED)]
        result = progress.progress_average(dict(zip(covered["year"], covered["value"])), target, ind.better)
        basis = covered
        complete = result.status != progress.INSUFFICIENT_YEARS and len(covered) == len(progress.PLAN_YEARS_COVERED)
        verdict = NO_VERDICT if not complete else (
            ACHIEVED if result.status == progress.TARGET_ACHIEVED else NOT_ACHIEVED)
        return Assessment(result, basis, leads, verdict, covered if complete else empty)
    latest = scoreable.iloc[[-1]]
    value, year = float(latest["value"].iloc[0]), int(latest["year"].iloc[0])
    measure = progress.progress_points if kind == progress.CUMULATIVE_POINTS else progress.progress
    result = measure(base, target, value, year, better=ind.better)
    at_2025 = scoreable[scoreable["year"] == progress.PLAN_TARGET_YEAR]
    if len(at_2025):
        met = progress.target_achieved(float(at_2025["value"].iloc[-1]), target, ind.better)
        return Assessment(result, latest, leads, ACHIEVED if met else NOT_ACHIEVED, at_2025.iloc[[-1]])
    return Assessment(result, latest, leads, NO_VERDICT, empty)


def _value_text(value: float, qualifier: str, unit: str, lang: str) -> str:
    """A published value as the scorecard writes it (a lower bound, 原文“超过”, with ≥)."""
    at_least = "≥ " if qualifier == "at_least" else ""
    if lang == DEFAULT_LANG:
        return f"{at_least}{number_text(value)}"
    return at_least + number_text(plan_number(value, unit, lang))


def status_label(status: str, provisional: bool, lang: str) -> str:
    _ = translator(lang)
    label = _(STATUS_LABELS[status])
    return _(PROVISIONAL_TEMPLATE).format(status=label) if provisional else label


def grade_label(grade: str, lang: str) -> str:
    return translator(lang)(evidence.GRADE_LABELS[grade])


def status_mark(assessment: Assessment) -> str:
    """The shape beside a status: the evidence it rests on (◆ official, ◇ reported, × leads only, — none)."""
    if assessment.grade:
        return evidence.MARKS[assessment.grade]
    return evidence.MARKS[evidence.UNATTRIBUTED] if len(assessment.leads) else evidence.NO_VALUE_MARK


def _source_text(row, lang: str) -> str:
    # Curated publishers are named in Chinese only (data/curated/observations.csv); an upload's as typed.
    text = "，".join(filter(None, (str(row["publisher"] or ""), str(row["published"] or ""))))
    if row["origin"] == UPLOADED:
        _ = translator(lang)
        return text or _("本次上传")
    return marked(text, lang, CHINESE_ONLY)


def _flags_text(row, ind, lang: str) -> str:
    _ = translator(lang)
    base = None if pd.isna(ind.base_2020) else float(ind.base_2020)
    flags = evidence.value_flags(float(row["value"]), row["grade"], base, float(ind.target_2025))
    return "；".join(_(evidence.FLAG_LABELS[f]) for f in flags)


def _leads_text(leads: pd.DataFrame, unit: str, lang: str) -> str:
    _ = translator(lang)
    return "；".join(_("{year}：{value}（{publisher}）").format(
        year=int(r["year"]), value=_value_text(float(r["value"]), r["qualifier"], unit, lang),
        publisher=marked(str(r["publisher"] or ""), lang, CHINESE_ONLY) if r["origin"] != UPLOADED
        else _("本次上传")) for _i, r in leads.iterrows())


def _basis_text(assessment: Assessment, ind, lang: str) -> str:
    """Which values the status rests on, in words."""
    _ = translator(lang)
    result, basis = assessment.progress, assessment.basis
    if result.status == progress.INSUFFICIENT_YEARS:
        years = "、".join(str(y) for y in result.years) if lang == DEFAULT_LANG else ", ".join(map(str, result.years))
        return _("年均目标需要 2021—2025 年每年的数值，只有 {n} 年（{years}）：不下结论").format(
            n=len(result.years), years=years)
    if basis.empty:
        return ""
    grade = _(evidence.GRADE_LABELS[assessment.grade])
    if getattr(ind, "target_kind", progress.LEVEL) == progress.AVERAGE_ANNUAL:
        return _("按 2021—2025 年 5 年的年均增速 {rate}%（{grade}）").format(
            rate=number_text(result.observed_rate), grade=grade)
    return _("按 {year} 年数值（{grade}）").format(year=int(basis["year"].iloc[-1]), grade=grade)


def _verdict_text(assessment: Assessment, ind, rows: pd.DataFrame, lang: str) -> str:
    _ = translator(lang)
    if assessment.verdict == NO_VERDICT:
        if getattr(ind, "target_kind", progress.LEVEL) == progress.AVERAGE_ANNUAL:
            return _("不下结论（年均目标需要 2021—2025 年每年的数值）")
        if (rows["year"] == progress.PLAN_TARGET_YEAR).any():
            return _("不下结论（2025 年只有未核实线索）")
        return _("无 2025 年数值")
    label = _("达成") if assessment.verdict == ACHIEVED else _("未达成")
    return _(PROVISIONAL_TEMPLATE).format(status=label) if assessment.verdict_provisional else label


def scorecard(indicators: pd.DataFrame, observations: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """One row per indicator (plan order): base, target, the value the status rests on with its source and
    grade, the status and its mark, the unverified leads, the 2025 verdict."""
    _ = translator(lang)
    scored = observations[observations["related_measure"].fillna("") == ""]
    related = observations[observations["related_measure"].fillna("") != ""]
    rows = []
    for ind in indicators.sort_values("row_no").itertuples():
        mine = scored[scored["indicator"] == ind.code]
        assessment = assess(ind, mine)
        result = assessment.progress
        # The value shown: the one the status rests on, else the latest lead.
        shown = assessment.basis.iloc[-1] if len(assessment.basis) else (
            assessment.leads.iloc[-1] if len(assessment.leads) else None)
        notes = []
        if result.reason:
            notes.append(_(REASON_LABELS[result.reason]))
        if shown is not None and shown["qualifier"] == "at_least" and result.status != progress.TARGET_ACHIEVED \
                and evidence.may_score(shown["grade"]):
            notes.append(_("实际值是下限（原文“超过”），状态按下限计"))
        n_related = int((related["indicator"] == ind.code).sum())
        if n_related:
            notes.append(_("另有 {n} 个相关口径数值（不计分）").format(n=n_related))
        en = lang != DEFAULT_LANG
        base = None if pd.isna(ind.base_2020) else float(ind.base_2020)
        kind = getattr(ind, "target_kind", progress.LEVEL) or progress.LEVEL
        rows.append({
            "code": ind.code, "name_zh": ind.name_zh, "name": getattr(ind, column("name", lang)),
            "five_doubling": bool(ind.is_five_doubling), "unit": plan_unit(ind.unit, lang),
            # As printed in Chinese (2.2左右, --); in English from the number, money converted.
            "base_text": plan_value(None, base, ind.base_qualifier, ind.unit, lang, with_unit=False) if en
            else ind.base_text,
            "target_text": plan_value(None, ind.target_2025, ind.target_qualifier, ind.unit, lang, with_unit=False)
            if en else ind.target_text,
            "target_kind": kind, "target_kind_label": _(TARGET_KIND_LABELS[kind]),
            "status": result.status, "provisional": assessment.provisional,
            "status_label": status_label(result.status, assessment.provisional, lang),
            "mark": status_mark(assessment), "basis": _basis_text(assessment, ind, lang),
            "latest_year": None if shown is None else int(shown["year"]),
            "latest_value": None if shown is None else _value_text(float(shown["value"]), shown["qualifier"],
                                                                    ind.unit, lang),
            "grade_code": None if shown is None else shown["grade"],
            "grade": None if shown is None else grade_label(shown.grade, lang),
            "value_flags": "" if shown is None else _flags_text(shown, ind, lang),
            "source": None if shown is None else _source_text(shown, lang),
            "source_url": None if shown is None else (shown["source_url"] or None),
            "origin": None if shown is None else shown["origin"],
            "leads": _leads_text(assessment.leads, ind.unit, lang),
            "ratio": None if result.ratio is None else round(result.ratio, 3),
            "observed_rate": None if result.observed_rate is None else round(result.observed_rate, 2),
            "required_rate": None if result.required_rate is None else round(result.required_rate, 2),
            "verdict": assessment.verdict, "verdict_provisional": assessment.verdict_provisional,
            "verdict_2025": _verdict_text(assessment, ind, mine, lang),
            "has_2025_value": bool((mine["year"] == progress.PLAN_TARGET_YEAR).any()),
            "note": "；".join(notes),
        })
    return pd.DataFrame(rows)


def status_counts(card: pd.DataFrame) -> dict[str, dict[str, int]]:
    """status → {"official" | "reported" | "none": count}: a verdict on progress counted by the grade it
    rests on (official, or reported = provisional); other statuses are no verdict ("none")."""
    out: dict[str, dict[str, int]] = {}
    for status, provisional in zip(card["status"], card["provisional"]):
        key = "none" if status not in VERDICT_STATUSES else (evidence.REPORTED if provisional else evidence.OFFICIAL)
        out.setdefault(status, {}).setdefault(key, 0)
        out[status][key] += 1
    return out


def headline(card: pd.DataFrame, lang: str) -> str:
    """The first line of the scorecard: the question people come with, answered as strongly as the evidence
    allows (how many indicators have a 2025 value, how many official verdicts)."""
    _ = translator(lang)
    verdicts = card["verdict"] != NO_VERDICT
    return _("{total} 项指标 · {with_2025} 项有 2025 年数值（其中可下结论 {scoreable} 项）· "
             "2025 年结论：官方来源 {official} 项，待官方核实 {provisional} 项").format(
        total=len(card), with_2025=int(card["has_2025_value"].sum()), scoreable=int(verdicts.sum()),
        official=int((verdicts & ~card["verdict_provisional"]).sum()),
        provisional=int((verdicts & card["verdict_provisional"]).sum()))


def summary(card: pd.DataFrame, lang: str) -> str:
    """Statuses counted by the grade they rest on, e.g. "已达标：官方 1 · 待官方核实 0"."""
    _ = translator(lang)
    counts = status_counts(card)
    parts = []
    for status in progress.STATUSES:
        if status not in counts:
            continue
        by_grade = counts[status]
        label = _(STATUS_LABELS[status])
        if "none" in by_grade:
            parts.append(_("{status} {n}").format(status=label, n=by_grade["none"]))
        else:
            parts.append(_("{status}：官方 {official} · 待官方核实 {reported}").format(
                status=label, official=by_grade.get(evidence.OFFICIAL, 0), reported=by_grade.get(evidence.REPORTED, 0)))
    return " ｜ ".join(parts) if lang == DEFAULT_LANG else " | ".join(parts)
