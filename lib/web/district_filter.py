"""The single district filter every page reads.

The URL (``?district=330381``) is the source of truth, so a filtered view can
be shared by copying the address. The map click, the sidebar select box and
the URL are three ways to set it; all go through :func:`set_district`.
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from lib.web import queries
from lib.domain.i18n import DEFAULT_LANG, N_, _, column, current_lang
from lib.charts.map_chart import CLICK_PARAM

QUERY_PARAM = "district"
SELECT_KEY = "district_select"
# Option value for "no filter": a select box shows None as an empty placeholder.
WHOLE_CITY = ""
MAP_KEY = "district_map"
_NOTICE_KEY = "district_notice"
# Longest valid value is an English name like "Wencheng County"; anything far longer is junk.
MAX_PARAM_LENGTH = 32
# Catalog text, kept untranslated in the session and translated when shown (the language may change).
BAD_PARAM_NOTICE = N_("链接中的区县参数无法识别，已显示全市数据。可以在地图上或区县筛选中重新选择区县。")


@dataclass(frozen=True)
class DistrictChoice:
    adcode: str | None
    notice: str | None = None


@st.cache_data(show_spinner=False)
def district_lookup() -> dict[str, str]:
    """Every accepted spelling (adcode, 瑞安市, 瑞安, Rui'an City) → adcode."""
    table: dict[str, str] = {}
    for d in queries.districts().itertuples():
        for spelling in (d.adcode, d.name_zh, d.short_zh, d.name_en.lower()):
            table[spelling] = d.adcode
    return table


def parse_district(raw: str | None, lookup: dict[str, str]) -> DistrictChoice:
    """Interpret a URL value. Unknown or oversized values give a notice, never an error;
    the value itself is never echoed back."""
    if raw is None or raw.strip() == "":
        return DistrictChoice(None)
    value = raw.strip()
    if len(value) > MAX_PARAM_LENGTH:
        return DistrictChoice(None, BAD_PARAM_NOTICE)
    adcode = lookup.get(value) or lookup.get(value.lower())
    return DistrictChoice(adcode, None if adcode else BAD_PARAM_NOTICE)


@st.cache_data(show_spinner=False)
def district_names(lang: str = DEFAULT_LANG) -> dict[str, str]:
    """adcode → the district's name in ``lang`` (curated English: data/curated/districts.csv)."""
    frame = queries.districts()
    return dict(zip(frame["adcode"], frame[column("name", lang)]))


def set_district(adcode: str | None) -> None:
    if adcode:
        st.query_params[QUERY_PARAM] = adcode
    else:
        st.query_params.pop(QUERY_PARAM, None)


def _choice_from_url() -> DistrictChoice:
    raw = st.query_params.get_all(QUERY_PARAM)
    if len(raw) > 1:  # ?district=a&district=b is ambiguous: treat it as bad input
        return DistrictChoice(None, BAD_PARAM_NOTICE)
    return parse_district(raw[0] if raw else None, district_lookup())


def current_district() -> str | None:
    """The selected adcode, or None for the whole city. Every page reads the filter here."""
    return _choice_from_url().adcode


def show_notice() -> None:
    notice = st.session_state.pop(_NOTICE_KEY, None)
    if notice:
        st.warning(_(notice), icon="⚠️")


def _on_select_box() -> None:
    set_district(st.session_state[SELECT_KEY] or None)


def sidebar_control() -> None:
    """The select box (for keyboard and phone users). Called once per run, before the page."""
    choice = _choice_from_url()
    if choice.notice:
        st.session_state[_NOTICE_KEY] = choice.notice
        set_district(None)  # drop the bad value so the address bar shows the real view
    # The select box mirrors the URL; it must be set before the widget is created in this run.
    st.session_state[SELECT_KEY] = choice.adcode or WHOLE_CITY
    names = district_names(current_lang())
    st.sidebar.selectbox(
        _("区县筛选"), options=[WHOLE_CITY, *names], key=SELECT_KEY, on_change=_on_select_box,
        format_func=lambda code: _("全市（不筛选）") if code == WHOLE_CITY else names[code],
    )
    if choice.adcode:
        st.sidebar.button(_("清除区县筛选"), on_click=set_district, args=(None,), width="stretch")


def clicked_district(event) -> str | None:
    """The adcode a map selection event names, or None for an empty selection ({} or [])."""
    try:
        picks = event["selection"][CLICK_PARAM]
    except (KeyError, TypeError):
        return None
    if isinstance(picks, list) and picks and isinstance(picks[0], dict):
        return picks[0].get("adcode")
    return None


def map_key(district: str | None) -> str:
    """Widget key of the map for the current filter.

    A new key per filter value gives a fresh chart with an empty click
    selection, so clicking the selected district again is a new event (which
    clears the filter) instead of a repeat that the chart would swallow.
    """
    return f"{MAP_KEY}_{district or 'all'}"


def on_map_click(key: str) -> None:
    """Clicking a district selects it; clicking the selected district again clears the filter."""
    clicked = clicked_district(st.session_state.get(key))
    if clicked not in district_names():
        return  # empty selection (e.g. after the chart redraws) or a value that is no district
    current = st.query_params.get(QUERY_PARAM)
    set_district(None if clicked == current else clicked)
