"""The single district filter every page reads.

The URL (``?district=330381``) is the source of truth, so a filtered view can
be shared by copying the address. The map click, the sidebar select box and
the URL are three ways to set it; all go through :func:`set_district`. The
parameter is declared here and validated by lib/web/view_state.py like every
other: an unknown, oversized or repeated value is dropped with a notice (its own:
it says that the page shows the whole city) and never echoed.
"""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import streamlit as st

from lib.charts.map_chart import CLICK_PARAM
from lib.charts.selection import first_pick
from lib.domain.i18n import DEFAULT_LANG, N_, column
from lib.web import queries, view_state
from lib.web.lang import _, current_lang

QUERY_PARAM = "district"
SELECT_KEY = "district_select"
# The whole city, no filter: the parameter's default (never written to the URL) and the select box's option
# for it (a select box shows None as an empty placeholder).
WHOLE_CITY = ""
MAP_KEY = "district_map"
# Longest valid value is an English name like "Wencheng County"; anything far longer is junk.
MAX_PARAM_LENGTH = 32
BAD_PARAM_NOTICE = N_("链接中的区县参数无法识别，已显示全市数据。可以在地图上或区县筛选中重新选择区县。")


@st.cache_resource(show_spinner=False)
def district_lookup() -> Mapping[str, str]:
    """Every accepted spelling (adcode, 瑞安市, 瑞安, Rui'an City) → adcode (read-only: shared by every session,
    read on every run)."""
    table: dict[str, str] = {}
    for d in queries.districts().itertuples():
        for spelling in (d.adcode, d.name_zh, d.short_zh, d.name_en.lower()):
            table[spelling] = d.adcode
    return MappingProxyType(table)


def canonical_district(raw: str, lookup: dict[str, str] | None = None) -> str | None:
    """The adcode a URL value names (any spelling of :func:`district_lookup`, spaces around it and the case
    of an English name aside); :data:`WHOLE_CITY` for a blank value; None when it names no district."""
    value = raw.strip()
    if not value:
        return WHOLE_CITY
    lookup = district_lookup() if lookup is None else lookup
    return lookup.get(value) or lookup.get(value.lower())


PARAM = view_state.register(view_state.UrlParam(QUERY_PARAM, canonical_district, default=WHOLE_CITY,
                                                max_length=MAX_PARAM_LENGTH, label=N_("区县筛选"),
                                                notice=BAD_PARAM_NOTICE))


@st.cache_resource(show_spinner=False, max_entries=4)
def district_names(lang: str = DEFAULT_LANG) -> Mapping[str, str]:
    """adcode → the district's name in ``lang`` (curated English: data/curated/districts.csv); read-only,
    shared by every session and read several times a run."""
    frame = queries.districts()
    return MappingProxyType(dict(zip(frame["adcode"], frame[column("name", lang)])))


def set_district(adcode: str | None) -> None:
    view_state.set_param(QUERY_PARAM, adcode)


def current_district() -> str | None:
    """The selected adcode, or None for the whole city. Every page reads the filter here."""
    return view_state.get(QUERY_PARAM) or None


def sidebar_control() -> None:
    """The select box (for keyboard and phone users). Called once per run, after the URL was validated
    (lib/web/page.py), before the page; it mirrors the URL."""
    adcode = view_state.mirror(QUERY_PARAM, SELECT_KEY)
    names = district_names(current_lang())
    st.sidebar.selectbox(
        _("区县筛选"), options=[WHOLE_CITY, *names], key=SELECT_KEY, on_change=view_state.widget_changed,
        args=(QUERY_PARAM, SELECT_KEY), format_func=lambda code: _("全市（不筛选）") if code == WHOLE_CITY else names[code],
    )
    if adcode:
        st.sidebar.button(_("清除区县筛选"), on_click=set_district, args=(None,), width="stretch")


def clicked_district(event) -> str | None:
    """The adcode a map selection event names, or None for an empty selection ({} or [])."""
    return first_pick(event, CLICK_PARAM, "adcode")


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
