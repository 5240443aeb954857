"""The whole view lives in the URL, so a copied link reopens it exactly (as datasette does).

This module is the one owner of the mechanism. A query parameter is declared once, as a :class:`UrlParam`
(its name; the function that turns a raw value into its canonical form or rejects it; its default; the
longest raw value looked at; the words its notice names it by), and registered with :func:`register` by the
module that reads it: the language in lib/web/lang.py, the district in lib/web/district_filter.py, the map's
metric in lib/web/map_view.py, presenter mode in lib/web/presenter.py, the indicators page's in
lib/web/indicator_view.py and so on. This module imports none of them; lib/web/page.py imports them all, so
every parameter is known before a page runs.

:func:`validate_url` runs first on every page: a bad value (one the parameter refuses, one longer than it
allows, or a key given twice) is dropped from the address bar with a notice that names the parameter, never
the value; a non-canonical one (``?district=瑞安市``) is rewritten to the canonical form. Page links carry
:func:`link_params`, so moving between pages keeps the view; :func:`carry_view_to` does the same for
Streamlit's own page list.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from lib.domain.i18n import N_, translator

_NOTICES_KEY = "view_state_notices"
# The notice for a dropped value, unless the parameter has one of its own.
NOTICE = N_("链接中的参数“{name}”无法识别，已忽略。")


@dataclass(frozen=True)
class UrlParam:
    name: str
    canonical: Callable[[str], str | None]   # canonical text, or None when the value is not valid
    default: str | None = None               # meaning of an absent parameter; never written to the URL
    max_length: int = 64                    # longer raw values are rejected before any lookup
    label: str = ""                          # how the notice names the parameter (catalog text)
    notice: str = ""                         # a notice of its own (catalog text) instead of NOTICE


PARAMS: dict[str, UrlParam] = {}
# The order in which every address the explorer writes (page links, embeds, a chart's footer) lists the
# parameters, so those addresses keep one form; a parameter registered but not named here comes last.
LINK_ORDER = ("lang", "present", "metric", "indicator", "goals_q", "status", "flagged", "slide", "project", "q",
              "sector", "type", "line", "chart", "district")


def register(param: UrlParam) -> UrlParam:
    """Declare a parameter the app reads (a module's own, at import). Registering a name again replaces the
    declaration, as Streamlit's reload of a changed module does."""
    PARAMS[param.name] = param
    return param


def _ordered() -> list[UrlParam]:
    rank = {name: i for i, name in enumerate(LINK_ORDER)}
    return sorted(PARAMS.values(), key=lambda p: rank.get(p.name, len(rank)))


# ---------------------------------------------------------------- canonical forms several parameters share


def clean_search_text(value: str, max_length: int = 100) -> str | None:
    """Free text for a search box: control characters removed, spaces collapsed, at most
    ``max_length`` characters. It is shown only inside widgets and plain text, never as markup."""
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in value)
    text = " ".join(text.split())[:max_length]
    return text or None


def switched_on(value: str) -> str | None:
    """A switch (``?present=1``, ``?flagged=true``): on is written ``1``; anything else is not valid."""
    return "1" if value in ("1", "true") else None


# ---------------------------------------------------------------- reading and writing the address


def _notices() -> list[str]:
    return st.session_state.setdefault(_NOTICES_KEY, [])


def _this_run() -> dict[str, str | None]:
    """The values read in this run, by name. A run reads the language ~90 times (every ``_``) and the
    rest of the view several times; each ``st.query_params`` read takes the session state's lock, so each
    parameter is read once a run. Keyed on the run's cursor table, which Streamlit makes anew for every run
    (``ScriptRunContext.reset``); every write below forgets what it changes."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return {}
    memo = getattr(ctx, "_view_state_run", None)
    if memo is None or memo[0] is not ctx.cursors:
        memo = (ctx.cursors, {})
        ctx._view_state_run = memo
    return memo[1]


def _read(param: UrlParam) -> str | None:
    memo = _this_run()
    if param.name in memo:
        return memo[param.name]
    memo[param.name] = value = _read_url(param)
    return value


def _read_url(param: UrlParam) -> str | None:
    raw = st.query_params.get_all(param.name)
    if not raw:
        return None
    value = None
    if len(raw) == 1 and len(raw[0]) <= param.max_length:  # repeated keys are ambiguous: bad input
        value = param.canonical(raw[0])
    if value is None or value == param.default:
        st.query_params.pop(param.name, None)
        if value is None:
            _notices().append(param.name)
        return None
    if value != raw[0]:
        st.query_params[param.name] = value
    return value


def validate_url() -> None:
    """Drop bad values and canonicalise the rest, before the page draws anything."""
    for param in _ordered():
        _read(param)


def get(name: str) -> str | None:
    """The canonical value in the URL, or the parameter's default."""
    param = PARAMS[name]
    return _read(param) or param.default


def set_param(name: str, value: str | None) -> None:
    param = PARAMS[name]
    _this_run().pop(name, None)
    if value is None or value == param.default:
        st.query_params.pop(name, None)
    else:
        st.query_params[name] = value


def mirror(name: str, key: str) -> str | None:
    """The parameter's value (as :func:`get`), also put into the widget ``key`` that shows it, "" for none (a
    widget's state must be set before the widget is created in the run; the URL is the source of truth)."""
    value = get(name)
    # Only when they differ: a value written here is sent with the widget on this run (Streamlit marks it
    # set), so a widget the visitor just changed, whose value is the URL's already, would be sent in full
    # again instead of as a reference (the indicator select box: ~0.9 KB a change).
    if st.session_state.get(key) != (value or ""):
        st.session_state[key] = value or ""
    return value


def widget_changed(name: str, key: str) -> None:
    """A widget's ``on_change``: its value into the URL (none: the parameter's default)."""
    set_param(name, st.session_state.get(key) or None)


def pop_notices() -> list[UrlParam]:
    """The parameters whose values were dropped in this run."""
    return [PARAMS[name] for name in st.session_state.pop(_NOTICES_KEY, []) if name in PARAMS]


def notice_text(param: UrlParam, lang: str) -> str:
    """What the page says when ``param``'s value was dropped: its own notice, or the common one naming it."""
    _ = translator(lang)
    return _(param.notice) if param.notice else _(NOTICE).format(name=_(param.label or param.name))


def link_params() -> dict[str, str]:
    """Everything in the current view's URL, canonical, for links to other pages."""
    return {param.name: value for param in _ordered() if (value := _read(param)) is not None}


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
    _this_run().clear()
    return True
