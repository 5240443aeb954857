"""Hostile query parameters on every page: a normal page with a notice, no exception, no input echoed.

Pages come from ``lib/web/page.PAGES`` and parameters from ``view_state.PARAMS`` (every parameter, the district
included, as the modules that read them declared it), so pages and parameters added later are covered without a
change here. The hostile values are written by hand: none
of them is a district, a language, a metric or any other valid value (they are unknown codes, SQL and
script text, 10 KB strings, control and bidi characters, mixed scripts). Free-text parameters (a search
box) may accept such text as a search — they must still show it only as plain text — so the notice is
required exactly where the parameter's own validation rejects the value.

One AppTest run sets every parameter at once (each must then be named in its own notice), which keeps the
run count at pages × values.
"""
from __future__ import annotations

import urllib.parse

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import local_script_runner

from lib.web import view_state
from lib.web.page import PAGES   # imports every module that declares a parameter
from tests.conftest import ROOT, sampled

HOSTILE = {
    "unknown code": "999999",
    "city code": "330300",                       # Wenzhou itself, not one of its districts
    "sql": "330381' OR '1'='1",
    "sql drop": "'; DROP TABLE projects; --",
    "script": "<script>alert('x')</script>",
    "img onerror": '"><img src=x onerror=alert(1)>',
    "markdown link": "[点我](javascript:alert(1))",
    "10 KB": "A" * 10_240,
    "10 KB CJK": "瑞" * 10_240,
    "control chars": "330381\x00\x1b[31m\r\nSet-Cookie: x=1",
    "bidi override": "\u202e183033\u202c",
    "mixed scripts": "瑞安Ruiаn市\u200dملف🙂",  # Cyrillic а, zero-width joiner, Arabic, emoji
    "decoded bad escapes": "%zz%E4%B8\ufffd(",  # what a browser's %zz / cut-off UTF-8 turn into
    "spaces": "   ",
}

# Query strings with escapes that do not decode (sent raw, as an address bar may send them).
RAW_QUERIES = ["district=%zz&metric=%E4%B8&lang=%", "district=%C3%28&present=%FF%FE&metric=%00",
               "district=330381%00&lang=zh%0D%0ASet-Cookie:x"]

# make check tries every page and parameter with a sample of the values (SQL, markup, an oversized value) and
# one raw query string; make test with all of them (the rest take most of this module's two minutes).
FAST_VALUES = {"sql", "img onerror", "10 KB"}
FAST_RAW_QUERIES = RAW_QUERIES[:1]

PARAM_NAMES = list(view_state.PARAMS)


def _notice_for(name: str) -> str:
    return view_state.notice_text(view_state.PARAMS[name], "zh")


def _rejected(name: str, value: str | list[str]) -> bool:
    """Must the page show a notice for this value? Repeated keys and oversized values always;
    otherwise when the parameter's validation refuses it (a blank district is the whole city, not refused)."""
    if isinstance(value, list):
        return True
    param = view_state.PARAMS[name]
    return len(value) > param.max_length or param.canonical(value) is None


def _texts(at: AppTest) -> list[str]:
    out = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "warning", "info", "error", "success",
                 "text", "code", "latex", "exception", "toast"):
        out += [str(getattr(e, "value", "")) for e in getattr(at, kind, [])]
    return out


def _run(script: str, params: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(params)
    if script != "app.py":
        at.switch_page(script)
    return at.run()


def _assert_normal_page(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "the page drew no title"
    assert not any(e.proto.allow_html for e in at.markdown if "<" in e.value and "script" in e.value.lower())


# Streamlit ignores a whole query string over 512 KiB (before the app sees it); keep each run under it.
QUERY_BYTES_PER_RUN = 400_000


def _groups(value: str) -> list[list[str]]:
    """The parameters in as few runs as fit under the query-string limit (one run for short values)."""
    size = len(urllib.parse.quote(value)) + 16
    per_run = max(1, QUERY_BYTES_PER_RUN // size)
    return [PARAM_NAMES[i:i + per_run] for i in range(0, len(PARAM_NAMES), per_run)]


@pytest.mark.parametrize("label", sampled(list(HOSTILE), FAST_VALUES))
@pytest.mark.parametrize("script", [s for s, _ in PAGES])
def test_hostile_value_in_every_parameter(plan_db, script, label):
    value = HOSTILE[label]
    for names in _groups(value):
        at = _run(script, {name: value for name in names})
        _assert_normal_page(at)
        warnings = [w.value for w in at.warning]
        for name in names:
            if _rejected(name, value):
                assert _notice_for(name) in warnings, (name, warnings)
                assert at.query_params.get(name) in (None, ""), f"{name} kept a rejected value in the address"
        shown = "\n".join(_texts(at))
        if value.strip():
            assert value not in shown and value.strip() not in shown
        assert "<script" not in shown and "onerror" not in shown and "javascript:" not in shown


@pytest.mark.parametrize("script", [s for s, _ in PAGES])
def test_repeated_keys_in_every_parameter(plan_db, script):
    at = _run(script, {name: ["330381", "330302"] for name in PARAM_NAMES})
    _assert_normal_page(at)
    warnings = [w.value for w in at.warning]
    for name in PARAM_NAMES:
        assert _notice_for(name) in warnings, (name, warnings)


@pytest.mark.parametrize("raw", sampled(RAW_QUERIES, FAST_RAW_QUERIES))
@pytest.mark.parametrize("script", [s for s, _ in PAGES])
def test_escapes_that_do_not_decode(plan_db, monkeypatch, script, raw):
    # AppTest encodes its query_params; send this query string as the browser would, unencoded, through
    # Streamlit's own parsing.
    monkeypatch.setattr(local_script_runner.parse, "urlencode", lambda *args, **kwargs: raw)
    at = _run(script, {"district": "placeholder"})
    _assert_normal_page(at)
    assert at.warning, "a bad value must be named in a notice"
    shown = "\n".join(_texts(at))
    assert "%zz" not in shown and "Set-Cookie" not in shown and "\x00" not in shown
