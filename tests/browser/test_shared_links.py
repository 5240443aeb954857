"""The whole view lives in the URL: a copied link, opened in a fresh browser, shows exactly the same view,
on every page; the sidebar's page links carry every parameter of the view.

"The same view" is checked on what a visitor sees: the address after the page settled (nothing dropped
or rewritten), the visible text of the main area, the chart texts (titles, axes, legends) and the values
of the widgets. Two loads of one link in two fresh browser contexts (no shared session) must agree.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from lib.charts import map_chart
from lib.domain.i18n import translator
from lib.web.page import PAGES
from tests.browser.test_accessibility import url_path
from tests.browser.waits import RUN_TIMEOUT_MS, wait_until_drawn

# One link per page with as much of the view as the page has: district, language, map metric, indicator,
# goals search, status filter, project, search text and sector/type filters, the opened passage, the
# investment tab, presenter mode and its screen. 瓯江实验室 is 附件2 第2行 (龙湾区), quoted at line 28.
LINKS = [
    "/?district=330381&metric=project_count&lang=en",
    "/investment?district=330303&chart=timeline",
    "/projects?district=330303&q=实验室&type=新建&project=2",
    "/platforms?district=330324&lang=en",
    "/indicators?indicator=hitech_enterprises",
    "/indicators?goals_q=高新技术企业&district=330302",
    "/scorecard?status=target_achieved&flagged=1",
    "/policies?lang=en",
    "/search?q=瓯江实验室&line=28",
    "/data?district=330383",
    "/?present=1&slide=3&district=330303",
]


def _view(page: Page) -> dict:
    main = page.get_by_test_id("stMain")
    return {
        "query": parse_qs(urlsplit(page.url).query),
        "path": urlsplit(page.url).path,
        "text": main.inner_text(),
        "charts": page.locator("[data-testid='stVegaLiteChart'] svg text").all_inner_texts(),
        "inputs": [i.input_value() for i in page.locator("[data-testid='stMain'] input[type='text'], "
                                                          "[data-testid='stSidebar'] input").all()],
    }


def _open(browser, base: str, link: str) -> dict:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    context.set_default_timeout(RUN_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(base + link)
        wait_until_drawn(page)   # the run finished and every chart drawn
        return _view(page)
    finally:
        context.close()


@pytest.mark.parametrize("link", LINKS)
def test_a_copied_link_reopens_the_same_view(browser, app_url, link):
    first = _open(browser, app_url, link)
    wanted = parse_qs(urlsplit(link).query)
    assert first["query"] == wanted, f"the address changed while loading: {first['query']} vs {wanted}"
    assert first["path"] == urlsplit(link).path
    assert "Traceback" not in first["text"] and first["text"].strip()
    second = _open(browser, app_url, link)
    assert second == first


def test_every_page_in_the_sidebar_keeps_the_whole_view(page: Page, app_url):
    """From a view with district, metric and language, each page opened from the sidebar keeps all
    three (Streamlit's navigation empties the address; lib/web/view_state.carry_view_to puts the view
    back), and coming back to the map restores the metric (it used to be dropped)."""
    view = {"district": ["330381"], "metric": ["project_count"], "lang": ["en"]}
    page.goto(f"{app_url}/?district=330381&metric=project_count&lang=en")
    wait_until_drawn(page)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_test_id("stSidebarNavLink")).to_have_count(len(PAGES))
    for script, _label in PAGES[1:]:
        path = url_path(script)
        nav.locator(f"a[href$='{path}']").click()
        expect(page).to_have_url(re.compile(rf"{re.escape(path)}\?.*district=330381"))
        wait_until_drawn(page)
        assert parse_qs(urlsplit(page.url).query) == view, script
        assert "Traceback" not in page.get_by_test_id("stMain").inner_text()
    nav.get_by_test_id("stSidebarNavLink").first.click()
    expect(page).to_have_url(re.compile(r"/\?.*metric=project_count"))
    wait_until_drawn(page)
    # The map's metric control shows the metric from the link, and the map colours by it.
    expect(page.locator("path[aria-label*='Rui']").first).to_be_visible()
    selected = page.get_by_test_id("stMain").locator("button[data-selected='true']")
    expect(selected).to_have_text(translator("en")(map_chart.METRICS["project_count"].short))
    assert parse_qs(urlsplit(page.url).query) == {"district": ["330381"], "metric": ["project_count"],
                                                  "lang": ["en"]}
