"""Pages from the sidebar keep the view: lib/web/view_state.carry_view_to, as app.py calls it before each page.

Streamlit's navigation empties the address when a visitor changes page. AppTest's ``switch_page`` runs a
page without the router, so the router's call is reproduced here with the real session state and query
parameters; the browser test (tests/browser/test_shared_links.py) clicks the real sidebar.
"""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

VIEW = {"district": "330381", "metric": "project_count", "lang": "en"}


def _router():
    """app.py's order: carry the view to the page (rerun if it changed), then the page remembers its view."""
    import streamlit as st

    from lib.web import page, view_state  # noqa: F401  (page: every module that declares a URL parameter)

    if view_state.carry_view_to(st.session_state["test_page"]):
        st.session_state["test_reruns"] = st.session_state.get("test_reruns", 0) + 1
        st.rerun()
    view_state.remember_view()
    st.write(st.session_state["test_page"])


def _at() -> AppTest:
    return AppTest.from_function(_router, default_timeout=60)


def _visit(at: AppTest, page: str, params: dict | None) -> dict[str, str]:
    """Open ``page`` with ``params`` in the address (None: from the sidebar, which empties it)."""
    at.query_params.clear()
    at.query_params.update(params or {})
    at.session_state["test_page"] = page
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return {k: v if isinstance(v, str) else v[-1] for k, v in at.query_params.items()}


def test_a_page_opened_from_the_sidebar_gets_the_last_pages_view(plan_db):
    at = _at()
    assert _visit(at, "", VIEW) == VIEW
    for page in ("investment", "indicators", "scorecard", ""):
        assert _visit(at, page, None) == VIEW, page
    assert at.session_state["test_reruns"] == 4  # one rerun per change of page, none on the first


def test_what_the_visitor_cleared_on_the_same_page_stays_cleared(plan_db):
    at = _at()
    _visit(at, "", {"district": "330381"})
    assert _visit(at, "", None) == {}  # the map clicked again or 全市 chosen: not undone
    assert _visit(at, "investment", None) == {}  # and the next page starts from the city too


def test_a_link_with_its_own_view_wins_over_the_last_page(plan_db):
    at = _at()
    _visit(at, "", {"district": "330381", "metric": "project_count"})
    assert _visit(at, "investment", {"district": "330303"}) == {"district": "330303"}


def test_the_first_page_of_a_session_is_taken_as_it_is(plan_db):
    at = _at()
    assert _visit(at, "investment", None) == {}
    assert "test_reruns" not in at.session_state


def test_bad_values_are_not_carried(plan_db):
    at = _at()
    _visit(at, "", {"district": "999999", "metric": "<script>", "lang": "en"})
    assert _visit(at, "investment", None) == {"lang": "en"}
