"""English in a real browser: a shared ?lang=en link opens in English, the sidebar switch changes the
language of the page in place, and moving between pages keeps it."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.waits import wait_until_drawn

HAN = re.compile(r"[\u3400-\u9fff]")


def _sidebar(page: Page):
    return page.get_by_test_id("stSidebar")


def _headings_without_chinese(page: Page) -> None:
    headings = page.get_by_test_id("stMain").locator("h1, h2, h3").all_inner_texts()
    assert headings and not [h for h in headings if HAN.search(h)], headings
    links = _sidebar(page).get_by_test_id("stSidebarNavLink").all_inner_texts()
    assert len(links) == 9 and not [t for t in links if HAN.search(t)], links


def test_a_shared_english_link_opens_in_english_and_the_switch_changes_it(page: Page, app_url, artifacts):
    page.goto(f"{app_url}/?lang=en&district=330381")
    wait_until_drawn(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Wenzhou S&T Plan 2021–2025 · District map")
    # The map names the districts in English (its tooltips: data/curated/districts.csv).
    expect(page.locator("path[aria-label*=\"District: Rui'an City\"]")).to_have_count(1)
    _headings_without_chinese(page)
    page.screenshot(path=str(artifacts / "english_map.png"), full_page=True)

    # The language switch is a segmented control: one radio button per language.
    _sidebar(page).get_by_role("radio", name="中文").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("温州市科技创新“十四五”规划 · 区县地图")
    expect(page).not_to_have_url(re.compile(r"lang="))               # Chinese is the default: not written
    expect(page).to_have_url(re.compile(r"[?&]district=330381\b"))  # the rest of the view stays
    expect(page.locator("path[aria-label*='区县: 瑞安市']")).to_have_count(1)

    _sidebar(page).get_by_role("radio", name="English").click()
    expect(page).to_have_url(re.compile(r"[?&]lang=en\b"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Wenzhou S&T Plan 2021–2025 · District map")


def test_sidebar_links_keep_english(page: Page, app_url):
    page.goto(f"{app_url}/?lang=en&district=330303")
    wait_until_drawn(page)
    _sidebar(page).get_by_test_id("stSidebarNavLink").filter(has_text="Investment").click()
    expect(page).to_have_url(re.compile(r"/investment\?.*lang=en"))
    expect(page).to_have_url(re.compile(r"[?&]district=330303\b"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Investment · Longwan District")
    wait_until_drawn(page)
    _headings_without_chinese(page)

    _sidebar(page).get_by_test_id("stSidebarNavLink").filter(has_text="Indicators and goals").click()
    expect(page).to_have_url(re.compile(r"/indicators\?.*lang=en"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Headline indicators and goals of the 14th FYP")
    wait_until_drawn(page)
    _headings_without_chinese(page)


def test_a_project_opens_in_english_with_the_plan_text_marked(page: Page, app_url):
    page.goto(f"{app_url}/projects?lang=en&project=2")
    wait_until_drawn(page)
    detail = page.get_by_test_id("stVerticalBlock").filter(has=page.get_by_role("heading", name="Project 2"))
    expect(page.get_by_role("heading", name="Project 2: Oujiang Laboratory")).to_be_visible()
    # 附件2 第2行's 建设内容 is shown as printed, after its mark.
    expect(detail.get_by_text(re.compile(r"Content and scale: Original \(Chinese\): 安排2万平方米")).first).to_be_visible()
    _headings_without_chinese(page)


def test_the_upload_box_speaks_the_pages_language(page: Page, app_url):
    """Streamlit writes "Upload" and "1MB per file" in its upload box; the scorecard's box says it in the
    page's language, with the deployment's limit (server.maxUploadSize, 1 MB)."""
    shown = ("e => [e.querySelector('button [data-testid=stMarkdownContainer] p'), "
             "e.querySelector('[data-testid=stFileUploaderDropzoneInstructions] span')]"
             ".map(x => getComputedStyle(x, '::after').content)")
    for lang, button, limit in (("zh", "选择文件", "每个文件不超过 1 MB · CSV"),
                                ("en", "Choose a file", "1 MB per file at most · CSV")):
        page.goto(f"{app_url}/scorecard" + ("?lang=en" if lang == "en" else ""))
        zone = page.get_by_test_id("stFileUploaderDropzone")
        expect(zone).to_be_visible(timeout=30_000)
        wait_until_drawn(page)
        assert zone.evaluate(shown) == [f'"{button}"', f'"{limit}"'], lang
        # Streamlit's own English is still in the page but takes no room (font size 0).
        assert zone.locator("[data-testid=stFileUploaderDropzoneInstructions] span").evaluate(
            "e => getComputedStyle(e).fontSize") == "0px"
