"""What a click on a chart chose. Streamlit hands back a chart's point selection (the chart builders name it:
map_chart.CLICK_PARAM, indicator_charts.PANEL_PICK, investment_charts.PROJECT_PICK) as
``{"selection": {param: [{field: value, …}]}}``; an empty selection is ``{}`` or ``[]``, and the event may be
missing altogether."""
from __future__ import annotations


def first_pick(event, param: str, field: str):
    """``field`` of the first point the selection ``param`` holds, or None when it holds none."""
    try:
        picks = event["selection"][param]
    except (KeyError, TypeError):
        return None
    if isinstance(picks, list) and picks and isinstance(picks[0], dict):
        return picks[0].get(field)
    return None
