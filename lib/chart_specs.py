"""Chart specs for the pages, built once per distinct view and shared by all sessions.

Converting an Altair chart to a spec validates it against the Vega-Lite schema
(~25 ms for the map). A page has only a few distinct views (metric × district),
so each spec is built once and then handed to ``st.vega_lite_chart`` as is.
"""
from __future__ import annotations

import streamlit as st

from lib import charts, map_chart


@st.cache_resource(show_spinner=False, max_entries=128)
def map_spec(metric_key: str, district: str | None) -> dict:
    return map_chart.choropleth(metric_key, district).to_dict()


@st.cache_resource(show_spinner=False, max_entries=64)
def investment_spec(district: str | None, district_name: str | None) -> dict:
    return charts.district_investment_bars(district, district_name).to_dict()


# ---------------------------------------------------------------- investment page (issue 7)
from lib import investment_charts  # noqa: E402


@st.cache_resource(show_spinner=False, max_entries=64)
def area_spec(selected: str | None, totals: tuple[str, ...], lang: str) -> dict:
    return investment_charts.area_bars(selected, totals, lang).to_dict()


@st.cache_resource(show_spinner=False, max_entries=256)
def category_spec(field: str, title: str, district: str | None, totals: tuple[str, ...], lang: str) -> dict:
    return investment_charts.category_bars(field, title, district, totals, lang).to_dict()


@st.cache_resource(show_spinner=False, max_entries=64)
def timeline_spec(district: str | None, totals: tuple[str, ...], lang: str) -> dict:
    return investment_charts.timeline(district, totals, lang).to_dict()


@st.cache_resource(show_spinner=False, max_entries=64)
def yearly_spec(district: str | None, totals: tuple[str, ...], lang: str) -> dict:
    return investment_charts.yearly_bars(district, totals, lang).to_dict()
