"""The language of the view: ``?lang=`` (declared here), the sidebar's switch, and the catalog calls of the
pages, ``_`` and ``ngettext``, which follow it. Code below the web layer takes ``lang`` as an argument
(lib/domain/i18n.py); ``make i18n`` extracts ``_``, ``ngettext`` and ``N_`` from everywhere.
"""
from __future__ import annotations

import streamlit as st

from lib.domain.i18n import DEFAULT_LANG, LANGS, N_, plural_translator, translator
from lib.web import view_state

LANG_NAMES = {"zh": "中文", "en": "English"}   # each language named in itself
_SWITCH_KEY = "lang_select"


def _canonical(value: str) -> str | None:
    value = value.lower()
    return value if value in LANGS else None


PARAM = view_state.register(view_state.UrlParam("lang", _canonical, default=DEFAULT_LANG, max_length=8,
                                                label=N_("语言")))


def current_lang() -> str:
    return view_state.get(PARAM.name)


def _(message: str) -> str:
    """Translate UI text into the language of the current view (``?lang=``)."""
    return translator(current_lang())(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Catalog text for a count ``n`` in the language of the current view (extracted by ``make i18n``)."""
    return plural_translator(current_lang())(singular, plural, n)


def language_switch() -> None:
    """The sidebar's switch; it mirrors the URL."""
    view_state.mirror(PARAM.name, _SWITCH_KEY)
    st.sidebar.segmented_control(_("语言 / Language"), options=list(LANGS), key=_SWITCH_KEY,
                                 format_func=LANG_NAMES.get, on_change=view_state.widget_changed,
                                 args=(PARAM.name, _SWITCH_KEY))
