"""The indicators page's view: which indicator is open (``?indicator=``), the panel click and
select box that change it, and the charts for it. Run-time glue between lib/queries.py and the
chart builders in lib/indicator_charts.py; the page itself only lays things out.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import indicator_charts, indicator_facts, queries, view_state
from lib.i18n import translator

SELECT_KEY = "indicator_select"
NONE = ""   # select-box option for "no indicator open"


@st.cache_data(show_spinner=False)
def with_2015() -> frozenset[str]:
    history = queries.indicator_history()
    return frozenset(history.loc[history["year"] == 2015, "indicator_code"])


def row(code: str):
    frame = queries.indicators()
    return next(frame[frame["code"] == code].itertuples())


def panel_subtitle(ind) -> str:
    return f"{ind.unit} · {ind.base_text} → {ind.target_text}"


def panel_chart(code: str, is_open: bool, lang: str):
    ind = row(code)
    return indicator_charts.panel(code, ind.name_zh, bool(ind.is_five_doubling), panel_subtitle(ind), is_open,
                                  code in with_2015(), lang=lang)


def detail_chart(code: str, lang: str):
    ind = row(code)
    _ = translator(lang)
    subtitle = [_("单位：{unit}").format(unit=ind.unit),
                *indicator_charts.wrap(indicator_facts.path_caption(ind, lang), 34)]
    return indicator_charts.detail(code, ind.name_zh, bool(ind.is_five_doubling), subtitle, ind.unit,
                                   code in with_2015(), has_base=not pd.isna(ind.base_2020), lang=lang)


def ambition_frame(lang: str) -> pd.DataFrame:
    return indicator_facts.ambition(queries.indicators(), queries.indicator_history(), lang)


def ambition_charts(lang: str) -> dict[str, dict]:
    frame = ambition_frame(lang)
    return {kind: indicator_charts.ambition_bars(frame, kind, lang).to_dict() for kind in frame["kind"].unique()}


# ---------------------------------------------------------------- the open indicator


def current() -> str | None:
    """The open indicator (canonical code) from the URL; the select box mirrors it."""
    code = view_state.get("indicator")
    st.session_state[SELECT_KEY] = code or NONE
    return code


def on_select() -> None:
    view_state.set_param("indicator", st.session_state.get(SELECT_KEY) or None)


def panel_key(code: str, is_open: bool) -> str:
    """A panel's widget key. The open panel gets its own key, so once another indicator is opened
    it comes back as a fresh chart whose click is a new event (as the map does per district)."""
    return f"indicator_panel_{code}{'_open' if is_open else ''}"


def picked(event) -> str | None:
    try:
        picks = event["selection"][indicator_charts.PANEL_PICK]
    except (KeyError, TypeError):
        return None
    if isinstance(picks, list) and picks and isinstance(picks[0], dict):
        return picks[0].get("code")
    return None


def on_panel_click(key: str) -> None:
    code = picked(st.session_state.get(key))
    if code in set(queries.indicators()["code"]):
        view_state.set_param("indicator", code)


_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>$~")


def plain(text: str) -> str:
    """Plan or source text made inert for st.markdown: every markdown character escaped."""
    return "".join(f"\\{ch}" if ch in _MARKDOWN_SPECIAL else ch for ch in str(text))


def goals_frame(query: str | None, lang: str) -> pd.DataFrame:
    """The 125 quantified goals in plan order, grouped by section, filtered by the search text."""
    _ = translator(lang)
    frame = queries.goals()
    if query:
        needle = query.lower()
        hay = (frame["metric_zh"] + "\n" + frame["quote"] + "\n" + frame["source_ref"] + "\n"
               + frame["metric_en"].str.lower())
        frame = frame[hay.str.lower().str.contains(needle, regex=False)]
    return frame.assign(target=frame["value_text"] + frame["unit"].fillna(""))[
        ["source_ref", "metric_zh", "target", "target_year", "quote", "source_line"]].rename(columns={
            "source_ref": _("章节"), "metric_zh": _("目标"), "target": _("目标值"), "target_year": _("年份"),
            "quote": _("原文"), "source_line": _("行号")})
