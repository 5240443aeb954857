"""View state other than the district (the map metric), kept in the URL like the district."""
from __future__ import annotations

import streamlit as st

from lib import map_chart

METRIC_PARAM = "metric"
METRIC_KEY = "map_metric"


def map_metric() -> str:
    """The metric named in the URL, or the default; the segmented control mirrors it."""
    value = st.query_params.get(METRIC_PARAM)
    key = value if value in map_chart.METRICS else map_chart.DEFAULT_METRIC
    if value is not None and key != value:
        st.query_params.pop(METRIC_PARAM, None)  # unknown metric: show the default, say nothing more
    st.session_state[METRIC_KEY] = key
    return key


def on_metric_change() -> None:
    key = st.session_state.get(METRIC_KEY)
    if key is None or key == map_chart.DEFAULT_METRIC:
        st.query_params.pop(METRIC_PARAM, None)
    elif key in map_chart.METRICS:
        st.query_params[METRIC_PARAM] = key
