"""The search words (``?q=``: the projects page's search and the plan's full-text search) and the passage of
the plan opened in context (``?line=``), declared here."""
from __future__ import annotations

from lib.domain.i18n import N_
from lib.web import queries, view_state


def _line(value: str) -> str | None:
    value = value.strip()
    return str(int(value)) if value.isascii() and value.isdigit() and 1 <= int(value) <= queries.plan_line_count() \
        else None


QUERY = view_state.register(view_state.UrlParam("q", view_state.clean_search_text, max_length=200,
                                                label=N_("搜索词")))
LINE = view_state.register(view_state.UrlParam("line", _line, max_length=8, label=N_("原文行号")))


def search_text() -> str | None:
    return view_state.get(QUERY.name)


def plan_line() -> int | None:
    value = view_state.get(LINE.name)
    return int(value) if value else None
