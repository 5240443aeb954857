"""The indicators page's view: which indicator is open (``?indicator=``) and the goals' search text
(``?goals_q=``), both declared here; the panel click and select box that change them, and the charts for
it. Run-time glue between lib/web/queries.py and the chart builders in lib/charts/indicator_charts.py; the
page itself only lays things out.
"""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import pandas as pd
import pyarrow as pa
import streamlit as st

from lib.charts import indicator_charts
from lib.charts.selection import first_pick
from lib.domain import evidence, indicator_facts
from lib.domain.citations import cite
from lib.domain.escaping import plain
from lib.domain.i18n import CHINESE_ONLY, DEFAULT_LANG, N_, colon, column, marked, translator
from lib.domain.units import as_printed, plan_number, plan_unit, plan_value
from lib.web import arrow_tables, queries, scorecard_view, view_state

SELECT_KEY = "indicator_select"
NONE = ""   # select-box option for "no indicator open"


@st.cache_resource(show_spinner=False)
def with_2015() -> frozenset[str]:
    history = queries.indicator_history()
    return frozenset(history.loc[history["year"] == 2015, "indicator_code"])


@st.cache_resource(show_spinner=False, max_entries=4)
def text_base_differences(lang: str) -> str:
    """The indicators whose 2020 value in the text differs from the table's base, in words (for captions)."""
    _ = translator(lang)
    history = queries.indicator_history()
    texts = []
    for h in history[history["year"] == 2020].itertuples():
        ind = row(h.indicator_code)
        if pd.notna(ind.base_2020) and abs(h.value - ind.base_2020) > 1e-9:
            texts.append(_("{name}：正文 {text}，表 {base}").format(
                name=getattr(ind, column("name", lang)),
                text=plan_value(h.value_text, h.value, h.qualifier, ind.unit, lang),
                base=plan_value(ind.base_text, ind.base_2020, ind.base_qualifier, ind.unit, lang)))
    return ("；" if lang == DEFAULT_LANG else "; ").join(texts)


@st.cache_resource(show_spinner=False)
def _rows() -> dict:
    """code → the indicator's row, read once per process (st.cache_data would unpickle a copy per call)."""
    return {r.code: r for r in queries.indicators().itertuples()}


def row(code: str):
    return _rows()[code]


@st.cache_resource(show_spinner=False, max_entries=4)
def names(lang: str = DEFAULT_LANG) -> Mapping[str, str]:
    """code → name (Chinese, or the curated English), in the page's order (groups of 一（五）, then table rows).
    Once per language and process, read-only (shared by every session)."""
    return MappingProxyType({code: getattr(r, column("name", lang)) for code, r in _rows().items()})


@st.cache_resource(show_spinner=False)
def _codes_by_name() -> Mapping[str, str]:
    return MappingProxyType({**{code: code for code in names()}, **{name: code for code, name in names().items()}})


def _indicator(value: str) -> str | None:
    """A known indicator code, or its Chinese name (as in the plan's table) → the code."""
    return _codes_by_name().get(value.strip())


INDICATOR = view_state.register(view_state.UrlParam("indicator", _indicator, max_length=48, label=N_("指标")))
GOALS_QUERY = view_state.register(view_state.UrlParam("goals_q", view_state.clean_search_text, max_length=100,
                                                      label=N_("目标搜索")))


@st.cache_resource(show_spinner=False, max_entries=64)
def facts_markdown(code: str, lang: str) -> str:
    """The facts beside the chart and the published values, as inert markdown (built once per view)."""
    _ = translator(lang)
    ind = row(code)
    lines = [f"- **{plain(label)}**{colon(lang)}{plain(text)}"
             for label, text in indicator_facts.facts(ind, queries.indicator_flags(), lang)]
    mine = queries.observations()
    mine = mine[mine["indicator"] == code]
    if mine.empty:
        return "\n".join(lines) + "\n\n" + _("**公开报道的实际值**：未找到公开发布的数值。")
    lines.append("\n" + _("**公开报道的实际值**"))
    for o in mine.itertuples():
        if lang == DEFAULT_LANG:
            value = plain(("≥ " if o.qualifier == "at_least" else "") + f"{as_printed(o.value)} {o.unit}")
        else:
            value = plain(plan_value(None, o.value, o.qualifier, o.unit, lang))
        # The measure's and the publisher's names are written in Chinese only (data/curated/observations.csv).
        related = plain(marked(o.related_measure, lang, CHINESE_ONLY))
        measure = _("{measure}，相关口径，不计分").format(measure=related) if o.is_related else _("同口径")
        grade = f"{evidence.MARKS[o.grade]} {_(evidence.GRADE_LABELS[o.grade])}"
        if not o.is_related and not evidence.may_score(o.grade):
            measure = _("未核实线索，不计分")
        lines.append(_("- {year}：{value}（{measure}；{grade}：{publisher}，{published}）").format(
            year=o.year, value=value, measure=measure, grade=grade,
            publisher=plain(marked(o.publisher, lang, CHINESE_ONLY)), published=plain(o.published)))
        if isinstance(o.value_flags, str) and o.value_flags:
            lines.append("  " + _("⚠ {flags}").format(
                flags="；".join(_(evidence.FLAG_LABELS[f]) for f in o.value_flags.split(","))))
    return "\n".join(lines)


def _status_markdown(row, lang: str) -> str:
    _ = translator(lang)
    progress_label, verdict_label = _("完成情况"), _("2025 年结论")
    return (f"{plain(progress_label)}{colon(lang)}{scorecard_view.status_markdown(row, lang)}  \n"
            f"{plain(verdict_label)}{colon(lang)}{plain(row['verdict_2025'])}")


@st.cache_resource(show_spinner=False, max_entries=64)
def _curated_status_markdown(code: str, lang: str) -> str:
    card = scorecard_view.curated_card(lang)
    return _status_markdown(card[card["code"] == code].iloc[0], lang)


def status_markdown(code: str, lang: str) -> str:
    """The indicator's status and 2025 verdict as on the scorecard, as inert markdown: with this session's
    upload recomputed; without one (nearly every visit) the curated scorecard's line, made once per view."""
    if scorecard_view.uploaded_rows():
        card = scorecard_view.card(lang)
        return _status_markdown(card[card["code"] == code].iloc[0], lang)
    return _curated_status_markdown(code, lang)


def panel_subtitle(ind, lang: str = DEFAULT_LANG) -> str:
    if lang == DEFAULT_LANG:
        return f"{ind.unit} · {ind.base_text} → {ind.target_text}"
    base = plan_value(None, ind.base_2020, ind.base_qualifier, ind.unit, lang, with_unit=False)
    target = plan_value(None, ind.target_2025, ind.target_qualifier, ind.unit, lang, with_unit=False)
    return f"{plan_unit(ind.unit, lang)} · {base} → {target}"


def panel_chart(code: str, lang: str):
    ind = row(code)
    return indicator_charts.panel(code, getattr(ind, column("name", lang)), bool(ind.is_five_doubling),
                                  panel_subtitle(ind, lang), code in with_2015(), lang=lang)


def detail_chart(code: str, lang: str):
    ind = row(code)
    subtitle = indicator_charts.wrap(indicator_facts.path_caption(ind, lang), 34, lang)
    return indicator_charts.detail(code, getattr(ind, column("name", lang)), bool(ind.is_five_doubling), subtitle,
                                   plan_unit(ind.unit, lang), code in with_2015(), has_base=not pd.isna(ind.base_2020),
                                   lang=lang, scale_by=plan_number(1.0, ind.unit, lang))


def ambition_frame(lang: str) -> pd.DataFrame:
    return indicator_facts.ambition(queries.indicators(), queries.indicator_history(), lang)


@st.cache_resource(show_spinner=False, max_entries=4)
def ambition_markdown(lang: str) -> str:
    """The ambition comparison in words, one bullet per sentence (inert markdown), once per language."""
    return "\n".join(f"- {plain(t)}" for t in ambition_frame(lang)["text"].unique())


@st.cache_resource(show_spinner=False, max_entries=4)
def panel_groups(lang: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(group heading as inert markdown, its indicator codes) in the page's order, once per language."""
    indicators = queries.indicators()
    return tuple((f"**{plain(group[column('group', lang)].iloc[0])}**", tuple(group["code"]))
                 for _no, group in indicators.groupby("group_no", sort=True))


def ambition_charts(lang: str) -> dict[str, dict]:
    frame = ambition_frame(lang)
    return {kind: indicator_charts.ambition_bars(frame, kind, lang).to_dict() for kind in frame["kind"].unique()}


def current() -> str | None:
    """The open indicator (canonical code) from the URL; the select box mirrors it."""
    return view_state.mirror(INDICATOR.name, SELECT_KEY)


def on_select() -> None:
    view_state.widget_changed(INDICATOR.name, SELECT_KEY)


def panel_key(code: str) -> str:
    """A panel's widget key. Panels are drawn only while no indicator is open, so each comes back
    as a fresh chart (empty selection) and every click on it is a new event."""
    return f"indicator_panel_{code}"


def picked(event) -> str | None:
    """The indicator a panel click names, or None for an empty selection."""
    return first_pick(event, indicator_charts.PANEL_PICK, "code")


def on_panel_click(key: str) -> None:
    code = picked(st.session_state.get(key))
    if code in _rows():
        view_state.set_param(INDICATOR.name, code)


def close() -> None:
    view_state.set_param(INDICATOR.name, None)


def goals_query() -> str | None:
    return view_state.get(GOALS_QUERY.name)


def set_goals_query(text: str) -> None:
    view_state.set_param(GOALS_QUERY.name, view_state.clean_search_text(text))


def goal_counts() -> tuple[int, int]:
    """(distinct targets, restatements) among the plan's quantified goals."""
    restates = queries.goals()["restates"]
    return int(restates.isna().sum()), int(restates.notna().sum())


def _same_target(frame: pd.DataFrame, lang: str) -> list[str]:
    """Per goal, the other statements of the same target: the first one for a restatement, the
    restatements for a first statement (curated in goals.csv ``restates``)."""
    _ = translator(lang)

    def where(goal) -> str:
        return _("{section}（第 {line} 行）").format(section=cite(goal.source, lang), line=goal.source_line)

    by_id = {g.goal_id: g for g in frame.itertuples()}
    again: dict[str, list] = {}
    for g in frame.itertuples():
        if isinstance(g.restates, str):
            again.setdefault(g.restates, []).append(g)
    separator = "；" if lang == DEFAULT_LANG else "; "
    texts = []
    for g in frame.itertuples():
        if isinstance(g.restates, str):
            texts.append(_("重述，首见于 {where}").format(where=where(by_id[g.restates])))
        elif g.goal_id in again:
            texts.append(_("另见 {where}").format(where=separator.join(where(o) for o in again[g.goal_id])))
        else:
            texts.append("")
    return texts


@st.cache_resource(show_spinner=False, max_entries=256)
def goals_table(query: str | None, lang: str) -> tuple[pa.Table, int, int]:
    """:func:`goals_frame` handed to the page ready for ``st.dataframe`` (an Arrow table: no conversion per
    run), with its row count and restatements; once per search text and language (bounded: free text)."""
    frame, restated = goals_frame(query, lang)
    return arrow_tables.for_display(frame), len(frame), restated


def goals_frame(query: str | None, lang: str) -> tuple[pd.DataFrame, int]:
    """The quantified goals in plan order, filtered by the search text, and how many of the rows shown
    restate an earlier goal. A target the plan states in two places keeps both rows, each naming the
    other's section and line."""
    _ = translator(lang)
    frame = queries.goals()
    frame = frame.assign(same_target=_same_target(frame, lang))
    if query:
        needle = query.lower()
        hay = (frame["metric_zh"] + "\n" + frame["quote"] + "\n" + frame["source_ref"] + "\n"
               + frame["metric_en"].str.lower())
        frame = frame[hay.str.lower().str.contains(needle, regex=False)]
    if lang == DEFAULT_LANG:
        target = frame["value_text"] + frame["unit"].fillna("")
    else:  # from the number (百亿 → CNY 10 bn), the qualifier in words; the quote stays the original
        target = [plan_value(None, v, q, u, lang) for v, q, u in zip(frame["value"], frame["qualifier"], frame["unit"])]
    frame = frame.assign(target=target, source_ref=frame["source"].map(lambda s: cite(s, lang)))
    restated = int(frame["restates"].notna().sum())
    return frame[["source_ref", column("metric", lang), "target", "target_year", "same_target", "quote",
                  "source_line"]].rename(
        columns={"source_ref": _("章节"), column("metric", lang): _("目标"), "target": _("目标值"),
                 "target_year": _("年份"), "same_target": _("同一目标的其他表述"), "quote": _("原文"),
                 "source_line": _("行号")}), restated
