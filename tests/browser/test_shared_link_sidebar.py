"""A shared link to any page, opened directly in a fresh browser, shows the explorer's own sidebar: exactly
the page titles of lib/web/page.PAGES in the view's language, in that order — never Streamlit's list made
from the pages/ file names (lower-case English stems and an extra "app", issue 18).

That list came from a new server process: Streamlit routes by the pages/ files beside the entry script
until a run reaches app.py's st.navigation in that process (lib/web/serve.py), so whoever opened an inner
page first after a start got it. So each width gets a server of its own, and each round opens the inner
pages before the map; test_shared_links.py's server has long since served "/".

Time: a load in a fresh context costs Chromium ~1.5–2.5 s of CPU (Streamlit's frontend, parsed anew per
context), the server ~0.2 s; 108 loads are most of this module's run time.
"""
from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, expect

from lib.domain.i18n import LANGS, translator
from lib.web.page import PAGES
from tests.browser.conftest import serve_app
from tests.browser.test_accessibility import url_path

# A view for each page, as a copied link carries it (the project and indicator links from the issue).
VIEWS = {
    "pages/0_map.py": "district=330381&metric=project_count",
    "pages/5_investment.py": "district=330303&chart=timeline",
    "pages/1_projects.py": "project=10",
    "pages/6_platforms.py": "district=330324",
    "pages/3_indicators.py": "indicator=hitech_enterprises",
    "pages/4_scorecard.py": "status=target_achieved&flagged=1",
    "pages/7_policies.py": "district=330302",
    "pages/8_search.py": "q=" + quote("实验室"),
    "pages/2_data.py": "district=330383",
}
ROUNDS = 3
AT_ONCE = 3  # contexts loading at the same time: the machine has two cores
HEIGHTS = {1400: 1000, 390: 844}
SETTLED = ("() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'"
           " && document.querySelectorAll('[data-testid=stSidebarNavLink]').length > 0")


def _links(round_no: int) -> list[tuple[str, str]]:
    """(link, language) for every page in both languages; the view parameters are there in alternate
    rounds, for Chinese and English in turn, so three rounds hold every page × language × with/without.
    The map ("/") comes last: the first links a fresh server gets are to inner pages."""
    links = []
    for script, _label in (*PAGES[1:], PAGES[0]):
        for lang in LANGS:
            params = [VIEWS[script]] if (round_no + LANGS.index(lang)) % 2 == 0 else []
            if lang != "zh":
                params.append(f"lang={lang}")
            links.append((url_path(script) + ("?" + "&".join(params) if params else ""), lang))
    return links


def _sidebar_titles(page: Page, width: int) -> list[str]:
    """The page titles in the sidebar once the app's run has finished. On a phone (< 640 px) the sidebar's
    list is hidden (lib/web/app.css) and the phone menu is the list a visitor sees: it is opened and must
    show the same titles, and the hidden sidebar list must hold them too (it returns on rotation)."""
    page.wait_for_function(SETTLED, polling=100, timeout=60_000)
    links = page.get_by_test_id("stSidebarNavLink")
    if width >= 640:
        expect(links.first).to_be_visible()
        return links.all_inner_texts()
    expect(links.first).to_be_hidden()
    hidden = [text.strip() for text in links.all_text_contents()]
    page.locator("[class*='st-key-phone_menu'] button").first.click()
    menu = page.get_by_test_id("stPopoverBody").get_by_test_id("stPageLink")
    expect(menu).to_have_count(len(PAGES))   # the menu's content runs when it opens: wait for all of it
    expect(menu.first).to_be_in_viewport()
    shown = [text.strip() for text in menu.all_inner_texts()]
    return shown if shown == hidden else [f"phone menu {shown} ≠ sidebar {hidden}"]


def _open_all(browser: Browser, base: str, links: list[tuple[str, str]], width: int) -> dict[str, list[str]]:
    """Each link in a fresh context (no cookie, no session), up to AT_ONCE loading at the same time."""
    titles, loading, waiting = {}, [], list(links)
    while waiting or loading:
        while waiting and len(loading) < AT_ONCE:
            link, _lang = waiting.pop(0)
            context = browser.new_context(viewport={"width": width, "height": HEIGHTS[width]}, locale="zh-CN",
                                          is_mobile=width < 600, has_touch=width < 600)
            page = context.new_page()
            page.goto(base + link, wait_until="commit")
            loading.append((link, context, page))
        link, context, page = loading.pop(0)
        try:
            titles[link] = _sidebar_titles(page, width)
        finally:
            context.close()
    return titles


@pytest.mark.parametrize("width", list(HEIGHTS))
def test_a_shared_link_opens_with_the_explorers_page_titles(browser, plan_db, width):
    expected = {lang: [translator(lang)(label) for _script, label in PAGES] for lang in LANGS}
    file_names = {"app"} | {url_path(script).strip("/") or "map" for script, _label in PAGES}
    wrong = []
    with serve_app(plan_db) as base:
        for round_no in range(ROUNDS):
            links = _links(round_no)
            titles = _open_all(browser, base, links, width)
            wrong += [f"round {round_no + 1} {link}: {titles[link]}" for link, lang in links
                      if titles[link] != expected[lang] or file_names & set(titles[link])]
    assert not wrong, "sidebar not the explorer's page titles:\n" + "\n".join(wrong)
