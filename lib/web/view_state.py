"""The whole view lives in the URL, so a copied link reopens it exactly (as datasette does).

Every query parameter the app reads is declared once in :data:`PARAMS` with the
function that turns a raw value into its canonical form (or rejects it).
:func:`validate_url` runs first on every page: a bad value is dropped from the
address bar with a notice that names the parameter, never the value; a
non-canonical one (``?district=瑞安市``) is rewritten to the canonical form.
Page links carry :func:`link_params`, so moving between pages keeps the view.

The district has its own module (``lib/web/district_filter.py``: map click,
sidebar and URL); this module owns every other parameter.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from lib.domain.i18n import DEFAULT_LANG, LANGS, N_

_NOTICES_KEY = "view_state_notices"


@dataclass(frozen=True)
class UrlParam:
    name: str
    canonical: Callable[[str], str | None]   # canonical text, or None when the value is not valid
    default: str | None = None               # meaning of an absent parameter; never written to the URL
    max_length: int = 64                    # longer raw values are rejected before any lookup
    label: str = ""                          # how the notice names the parameter (catalog text)


def _metric(value: str) -> str | None:
    from lib.charts import map_chart

    return value if value in map_chart.METRICS else None


def _lang(value: str) -> str | None:
    value = value.lower()
    return value if value in LANGS else None


def _present(value: str) -> str | None:
    return "1" if value in ("1", "true") else None


def clean_search_text(value: str, max_length: int = 100) -> str | None:
    """Free text for a search box: control characters removed, spaces collapsed, at most
    ``max_length`` characters. It is shown only inside widgets and plain text, never as markup."""
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in value)
    text = " ".join(text.split())[:max_length]
    return text or None


# Page-specific parameters (indicator, project, search text) are added here by the pages that read them.
PARAMS: dict[str, UrlParam] = {
    p.name: p for p in (
        UrlParam("lang", _lang, default=DEFAULT_LANG, max_length=8, label=N_("语言")),
        UrlParam("present", _present, max_length=8, label=N_("演示模式")),
        UrlParam("metric", _metric, default="planned_investment_yi", max_length=32, label=N_("地图指标")),
    )
}


def _notices() -> list[str]:
    return st.session_state.setdefault(_NOTICES_KEY, [])


def _read(param: UrlParam) -> str | None:
    raw = st.query_params.get_all(param.name)
    if not raw:
        return None
    value = None
    if len(raw) == 1 and len(raw[0]) <= param.max_length:  # repeated keys are ambiguous: bad input
        value = param.canonical(raw[0])
    if value is None or value == param.default:
        st.query_params.pop(param.name, None)
        if value is None:
            _notices().append(param.label or param.name)
        return None
    if value != raw[0]:
        st.query_params[param.name] = value
    return value


def validate_url() -> None:
    """Drop bad values and canonicalise the rest, before the page draws anything."""
    for param in PARAMS.values():
        _read(param)


def get(name: str) -> str | None:
    """The canonical value in the URL, or the parameter's default."""
    param = PARAMS[name]
    return _read(param) or param.default


def set_param(name: str, value: str | None) -> None:
    param = PARAMS[name]
    if value is None or value == param.default:
        st.query_params.pop(name, None)
    else:
        st.query_params[name] = value


def pop_notices() -> list[str]:
    """Names (catalog text) of the parameters dropped in this run."""
    return st.session_state.pop(_NOTICES_KEY, [])


def link_params() -> dict[str, str]:
    """Everything in the current view's URL, canonical, for links to other pages."""
    from lib.web import district_filter

    params = {name: value for name in PARAMS if (value := _read(PARAMS[name])) is not None}
    if district := district_filter.current_district():
        params[district_filter.QUERY_PARAM] = district
    return params


# ---------------------------------------------------------------- across pages
_VIEW_KEY = "view_state_last_view"
_PAGE_KEY = "view_state_last_page"


def remember_view() -> None:
    """Keep this run's view for the page the visitor opens next (``carry_view_to``)."""
    st.session_state[_VIEW_KEY] = link_params()


def carry_view_to(page: str) -> bool:
    """Streamlit's page navigation empties the URL, so a page opened from the sidebar gets the view
    the previous page had (district, language, map metric …). A link or address with parameters of
    its own is taken as it is, and so is the first page of a session.
    True when the URL was filled in: the caller reruns so that the whole run sees it."""
    previous = st.session_state.get(_PAGE_KEY)
    st.session_state[_PAGE_KEY] = page
    view = st.session_state.get(_VIEW_KEY)
    if previous is None or previous == page or not view or len(st.query_params):
        return False
    st.query_params.from_dict(view)
    return True


# ---------------------------------------------------------------- named accessors


def lang() -> str:
    return get("lang")


def presenting() -> bool:
    return get("present") == "1"


METRIC_KEY = "map_metric"


def map_metric() -> str:
    """The metric named in the URL, or the default; the segmented control mirrors it."""
    key = get("metric")
    st.session_state[METRIC_KEY] = key
    return key


def on_metric_change() -> None:
    set_param("metric", st.session_state.get(METRIC_KEY))


# ---------------------------------------------------------------- indicators and scorecard pages


def _indicator(value: str) -> str | None:
    """A known indicator code, or its Chinese name (as in the plan's table) → the code."""
    from lib.web import indicator_view

    lookup = {**{code: code for code in indicator_view.names()},
              **{name: code for code, name in indicator_view.names().items()}}
    return lookup.get(value.strip())


def _score_status(value: str) -> str | None:
    from lib.domain import progress

    return value if value in progress.STATUSES else None


PARAMS.update({p.name: p for p in (
    UrlParam("indicator", _indicator, max_length=48, label=N_("指标")),
    UrlParam("goals_q", clean_search_text, max_length=100, label=N_("目标搜索")),
    UrlParam("status", _score_status, max_length=32, label=N_("完成状态")),
    UrlParam("flagged", _present, max_length=8, label=N_("只看“五倍增五提升”指标")),
)})


# ---------------------------------------------------------------- presenter mode (lib/web/presenter.py)


def _slide(value: str) -> str | None:
    return value if value in ("1", "2", "3", "4") else None


PARAMS.update({p.name: p for p in (
    UrlParam("slide", _slide, default="1", max_length=4, label=N_("演示页码")),
)})


# ---------------------------------------------------------------- projects, search (issue 7)


def _project(value: str) -> str | None:
    from lib.web import queries

    value = value.strip()
    return str(int(value)) if value.isascii() and value.isdigit() and int(value) in queries.project_numbers() else None


def _sector(value: str) -> str | None:
    from lib.web import queries

    return value if value in queries.project_sectors() else None


PROJECT_TYPES = ("新建", "续建")   # 附件2's 项目类型 column: new, continued


def _project_type(value: str) -> str | None:
    return value if value in PROJECT_TYPES else None


def _line(value: str) -> str | None:
    from lib.web import queries

    value = value.strip()
    return str(int(value)) if value.isascii() and value.isdigit() and 1 <= int(value) <= queries.plan_line_count() \
        else None


def _investment_view(value: str) -> str | None:
    from lib.domain import investment

    return value if value in investment.VIEWS else None


PARAMS.update({p.name: p for p in (
    UrlParam("project", _project, max_length=8, label=N_("项目")),
    UrlParam("q", clean_search_text, max_length=200, label=N_("搜索词")),
    UrlParam("sector", _sector, max_length=16, label=N_("行业")),
    UrlParam("type", _project_type, max_length=8, label=N_("项目类型")),
    UrlParam("line", _line, max_length=8, label=N_("原文行号")),
    UrlParam("chart", _investment_view, default="area", max_length=16, label=N_("图表")),
)})


def project() -> int | None:
    value = get("project")
    return int(value) if value else None


def search_text() -> str | None:
    return get("q")


def plan_line() -> int | None:
    value = get("line")
    return int(value) if value else None
