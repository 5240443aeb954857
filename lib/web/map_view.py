"""The map page's view: which metric the map shows (``?metric=``, declared here); the segmented control
mirrors it."""
from __future__ import annotations

from lib.charts import map_chart
from lib.domain.i18n import N_
from lib.web import view_state

METRIC_KEY = "map_metric"


def _canonical(value: str) -> str | None:
    return value if value in map_chart.METRICS else None


PARAM = view_state.register(view_state.UrlParam("metric", _canonical, default=map_chart.DEFAULT_METRIC,
                                                max_length=32, label=N_("地图指标")))


def map_metric() -> str:
    """The metric named in the URL, or the default; the segmented control mirrors it."""
    return view_state.mirror(PARAM.name, METRIC_KEY)


def on_metric_change() -> None:
    view_state.widget_changed(PARAM.name, METRIC_KEY)
