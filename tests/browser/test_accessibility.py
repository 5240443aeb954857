"""An automated accessibility audit (axe-core in the real browser) over every page, in both languages.

axe-core comes bundled in the pinned ``axe-playwright-python`` package (no download at test time).
The audit runs the WCAG 2.0/2.1 A and AA rules; a serious or critical violation fails the test
unless it is listed in ``EXPLAINED`` with the reason it cannot be fixed from this project.
"""
from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from lib.domain.i18n import LANGS
from lib.web.page import PAGES
from tests.browser.waits import wait_until_drawn

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
# rule id → why it stays (each entry must be justified; none so far).
EXPLAINED: dict[str, str] = {}


def url_path(script: str) -> str:
    """Streamlit's URL for a page script: pages/0_map.py → /, pages/3_indicators.py → /indicators."""
    if script == PAGES[0][0]:
        return "/"
    return "/" + re.sub(r"^\d+_", "", script.split("/")[-1].removesuffix(".py"))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("script", [script for script, _ in PAGES])
def test_no_serious_accessibility_violations(page: Page, app_url, script, lang):
    page.goto(f"{app_url}{url_path(script)}?district=330381" + ("" if lang == "zh" else f"&lang={lang}"))
    wait_until_drawn(page)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                       "resultTypes": ["violations"]})
    blocking = [v for v in results.response["violations"]
                if v["impact"] in BLOCKING_IMPACTS and v["id"] not in EXPLAINED]
    details = "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']} "
                        f"{v['nodes'][0].get('failureSummary', '')[:300]}" for v in blocking)
    assert not blocking, f"{script} lang={lang}:\n{details}"
