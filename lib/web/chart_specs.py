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


# Channels whose field is nominal unless an aggregate, bin, time unit or scale type says otherwise (Vega-Lite's
# default type); x and y are left alone.
_NOMINAL_BY_DEFAULT = ("color", "strokeDash", "text", "tooltip")


def _untyped_nominal(spec: dict) -> dict:
    """``"type": "nominal"`` left out where Vega-Lite infers it (Altair writes it on every field it is given a
    type for; ~20 bytes each, 8 in an indicator's detail chart). The chart draws the same
    (tests/test_indicator_pages.py renders both)."""
    for channel in _NOMINAL_BY_DEFAULT:
        defs = spec.get("encoding", {}).get(channel)
        for field_def in defs if isinstance(defs, list) else [defs]:
            if (isinstance(field_def, dict) and field_def.get("type") == "nominal" and "field" in field_def
                    and not {"aggregate", "bin", "timeUnit"} & field_def.keys()
                    and "type" not in (field_def.get("scale") or {})):
                del field_def["type"]
    for layer in spec.get("layer", []):
        _untyped_nominal(layer)
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
    """Sent on every change of indicator, so as small as it draws the same: no ``$schema``, no Altair default view
    size (the page sets width and height), no type Vega-Lite infers."""
    spec = _lean(indicator_view.detail_chart(code, lang).to_dict())
    spec.pop("config", None)
    return _untyped_nominal(spec)


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
