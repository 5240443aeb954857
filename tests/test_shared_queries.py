"""The query results every session shares (lib/web/queries.shared: one object per argument for the whole
process) stay as the database has them, whatever a page does with the copy it was handed.

A page that changed the shared object itself would change every later visitor's page: these tests change
what they get in the ways pages do (a cell, a new or replaced column, a dropped column, a dict's value, a list
inside a dict) and check that the next call returns what the database says; then run every page in both
languages, with and without a district, and check that every shared result is still the database's."""
from __future__ import annotations

import copy
from types import MappingProxyType

import numpy as np
import pandas as pd
import pytest

from lib.web import district_filter, queries
from lib.web.page import PAGES
from tests.test_app_pages import _run

# Calls whose results the pages use, with arguments (a district, the whole city, one project).
CALLS = [
    ("districts", ()), ("district_metrics", ()), ("projects", ("330303",)), ("projects", (None,)),
    ("outside_projects", ()), ("plan_totals", ()), ("platforms", ("330381",)), ("indicators", ()),
    ("indicator_history", ()), ("goals", ()), ("observations", ()), ("investment_by_area", ()),
    ("project_chart_rows", (None,)), ("project_chart_rows", ("330303",)), ("planned_by_year", (None,)),
    ("project_table", ("330303", None, None, None)),
    ("project_detail", (10,)), ("platform_list", (None,)), ("sector_reasons", (None,)),
    ("project_sectors", ()), ("project_term_names", ()), ("build_meta", ()),
]


def _fresh(name: str, args: tuple):
    """The value as the database has it now, bypassing the shared cache."""
    return getattr(queries, name).__wrapped__(*args)


def _snapshot(value):
    """A copy to compare with later (a read-only mapping as a dict)."""
    return copy.deepcopy(dict(value) if isinstance(value, MappingProxyType) else value)


def _plain(value):
    """Arrays (a list column of DuckDB comes as one) as lists, so values compare with ==."""
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _same(a, b) -> bool:
    if isinstance(a, pd.DataFrame):
        return isinstance(b, pd.DataFrame) and a.equals(b) and list(a.columns) == list(b.columns)
    if isinstance(a, (dict, MappingProxyType)):
        return isinstance(b, (dict, MappingProxyType)) and a.keys() == b.keys() and all(_plain(a[k]) == _plain(b[k]) for k in a)
    return a == b


def test_changing_a_frame_one_was_handed_leaves_the_shared_one_alone(plan_db):
    got = queries.projects("330303")
    assert len(got) > 1
    got.iloc[0, got.columns.get_loc("name_zh")] = "改过的名字"
    got.loc[got.index[1], "planned_investment_wan"] = -1
    got["sector"] = "changed"
    got["new_column"] = 1
    del got["source"]
    assert _same(queries.projects("330303"), _fresh("projects", ("330303",)))


def test_changing_a_dict_one_was_handed_leaves_the_shared_one_alone(plan_db):
    totals = queries.plan_totals()
    totals["project_count"] = 0
    detail = queries.project_detail(10)
    flags = detail["flags"]
    assert flags is not None and len(flags) > 0, "project 10 carries a quality flag (its period runs past 2025)"
    flags[0] = ["made_up", "{}"]
    detail["name_zh"] = "改过的名字"
    with pytest.raises(TypeError):   # read on every run: handed out read-only, not copied
        district_filter.district_names("zh")["330303"] = "改过的名字"
    assert queries.plan_totals() == _fresh("plan_totals", ())
    assert _same(queries.project_detail(10), _fresh("project_detail", (10,)))
    assert district_filter.district_names("zh")["330303"] == "龙湾区"


@pytest.mark.slow
def test_every_page_leaves_the_shared_results_as_the_database_has_them(plan_db):
    before = {(name, args): _snapshot(getattr(queries, name)(*args)) for name, args in CALLS}
    for script, _label in PAGES:
        for params in ({}, {"district": "330303", "lang": "en"}):
            at = _run(script, **params)
            assert not at.exception, (script, params)
    changed = [f"{name}{args}" for (name, args), value in before.items()
               if not _same(getattr(queries, name)(*args), value) or not _same(value, _fresh(name, args))]
    assert not changed, "shared results changed by a page: " + ", ".join(changed)
