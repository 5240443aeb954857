"""Through the one-machine stack (HAProxy) in Chromium: every page renders under the Content-Security-Policy with no
violation (Vega charts and the map included), and the map is drawn."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lib.web.page import PAGES
from tests.stack_fixtures import stack  # noqa: F401  (fixture)

pytestmark = [pytest.mark.stack, pytest.mark.browser]

# Collected in the page itself: every securitypolicyviolation event, from the first script on.
_RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '')));
"""


def _url_path(script: str) -> str:
    """Streamlit's URL for a page script: the main script is '/', pages/N_name.py is '/name'."""
    return "/" if script == PAGES[0][0] else "/" + re.sub(r"^\d+_", "", Path(script).stem)


def _wait_until_done(page: Page) -> None:
    page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
    for _ in range(3):
        page.wait_for_timeout(500)
        # (a locator, not wait_for_function: a string function is eval, which the CSP rightly refuses)
        expect(page.locator("[data-testid='stStatusWidget']")).to_have_count(0, timeout=60_000)


@pytest.mark.parametrize("script", [script for script, _ in PAGES])
def test_page_renders_under_the_csp(page: Page, stack, script):
    page.add_init_script(_RECORD_VIOLATIONS)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    response = page.goto(f"http://127.0.0.1:{stack.port}{_url_path(script)}?district=330381")
    assert response.status == 200 and "default-src 'self'" in response.headers["content-security-policy"]
    _wait_until_done(page)
    if script == PAGES[0][0]:
        expect(page.locator("path[aria-label*='区县: 瑞安市']")).to_have_count(1, timeout=30_000)
    # Every Vega chart on the page has drawn marks.
    charts = page.locator(".vega-embed")
    for i in range(charts.count()):
        expect(charts.nth(i).locator("svg g.mark-rect, svg g.mark-shape, svg g.mark-text, svg path").first
               ).to_be_attached(timeout=30_000)
    assert page.evaluate("window.__cspViolations") == []
    assert not [text for text in console if "Content Security Policy" in text]
