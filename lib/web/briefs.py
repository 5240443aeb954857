"""The meeting brief of a view (lib/files/brief.py lays it out): its data gathered through the cached queries,
each file made once per (district, language, format, data build) per process, and its download button. The
presenter shows the same content (lib/web/presenter.py), so what is said in the room and what is handed out
agree."""
from __future__ import annotations

import functools
import threading

import streamlit as st

from lib.files import brief
from lib.web import queries, scorecard_view
from lib.web.lang import current_lang


def indicator_rows(lang: str) -> list[brief.IndicatorRow]:
    """The 16 city indicators with their latest published value and status (curated values only)."""
    return brief.rows_with_status(queries.indicators(), scorecard_view.curated_card(lang), lang)


def content(district: str | None, lang: str) -> dict:
    """Everything the brief (and the presenter) says about the view (lib/files/brief.compose)."""
    return brief.compose(district, lang, queries.district_metrics(), queries.districts(), queries.plan_totals(),
                         queries.projects(district), queries.platforms(district), indicator_rows(lang),
                         queries.build_meta(), brief.indicator_note(scorecard_view.curated_card(lang), lang))


_lock = threading.Lock()


@functools.lru_cache(maxsize=64)
def _cached(district: str | None, lang: str, fmt: str, build: tuple) -> bytes:
    return brief.render(content(district, lang), brief.map_svg(district, lang), fmt)


def make_brief(district: str | None, lang: str, fmt: str) -> bytes:
    """The brief file for a view, made once per (district, language, format, data build) per process."""
    meta = queries.build_meta()
    build = (meta.get("plan_sha256"), meta.get("built_at"))
    with _lock:
        return _cached(district, lang, fmt, build)


def brief_button(district: str | None, district_name: str | None, fmt: str, label: str, key: str,
                 primary: bool = False) -> None:
    """The one-page meeting brief of the current view as ``fmt``, made (or taken from the process cache)
    only when clicked."""
    lang = current_lang()
    st.download_button(label, data=functools.partial(make_brief, district, lang, fmt),
                       file_name=brief.file_name(district_name, lang, fmt), mime=brief.FORMATS[fmt],
                       on_click="ignore", key=key, icon=":material/description:",
                       type="primary" if primary else "secondary")
