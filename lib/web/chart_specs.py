"""Chart specs for the pages, built once per distinct view and shared by all sessions.

Converting an Altair chart to a spec validates it against the Vega-Lite schema
(~25 ms for the map). A page has only a few distinct views (metric × district),
so each spec is built once and then handed to ``st.vega_lite_chart`` as is.
"""
from __future__ import annotations

import streamlit as st

from lib.charts import investment_bars, investment_charts, map_chart
from lib.web import indicator_view


def _lean(spec: dict) -> dict:
    """What the browser does not need, left out of the specs sent on every district change (~250 bytes
    on the map page, near its 10 KB budget; ~120 bytes a spec on the investment page): ``$schema`` (the
    browser reads a spec with marks or layers as Vega-Lite) and Altair's default view size (these charts set
    their height and stretch to the page; a downloaded chart gets its width in lib/files/chart_export)."""
    spec.pop("$schema", None)
    view = spec.get("config", {}).get("view", {})
    view.pop("continuousWidth", None)
    view.pop("continuousHeight", None)
    if spec.get("config") == {"view": {}}:
        del spec["config"]
    return spec


@st.cache_resource(show_spinner=False, max_entries=128)
def map_spec(metric_key: str, district: str | None, lang: str = "zh", large: bool = False) -> dict:
    return _lean(map_chart.choropleth(metric_key, district, lang=lang, large=large,
                                      height=720 if large else 560).to_dict())


@st.cache_resource(show_spinner=False, max_entries=64)
def investment_spec(district: str | None, district_name: str | None, lang: str = "zh") -> dict:
    return _lean(investment_bars.district_investment_bars(district, district_name, lang).to_dict())


@st.cache_resource(show_spinner=False, max_entries=64)
def indicator_panel_spec(code: str, lang: str) -> dict:
    return indicator_view.panel_chart(code, lang).to_dict()


@st.cache_resource(show_spinner=False, max_entries=64)
def indicator_detail_spec(code: str, lang: str) -> dict:
    spec = indicator_view.detail_chart(code, lang).to_dict()
    spec.pop("config", None)  # Altair's default view size only; the page sets width and height
    return spec


@st.cache_resource(show_spinner=False, max_entries=8)
def ambition_specs(lang: str) -> dict[str, dict]:
    return indicator_view.ambition_charts(lang)


@st.cache_resource(show_spinner=False, max_entries=64)
def area_spec(selected: str | None, totals: tuple[str, ...], lang: str) -> dict:
    return _lean(investment_charts.area_bars(selected, totals, lang).to_dict())


@st.cache_resource(show_spinner=False, max_entries=256)
def category_spec(field: str, title: str, district: str | None, totals: tuple[str, ...], lang: str) -> dict:
    return _lean(investment_charts.category_bars(field, title, district, totals, lang).to_dict())


@st.cache_resource(show_spinner=False, max_entries=64)
def timeline_spec(district: str | None, totals: tuple[str, ...], lang: str) -> dict:
    return _lean(investment_charts.timeline(district, totals, lang).to_dict())


@st.cache_resource(show_spinner=False, max_entries=64)
def yearly_spec(district: str | None, totals: tuple[str, ...], lang: str) -> dict:
    return _lean(investment_charts.yearly_bars(district, totals, lang).to_dict())
