"""Presenter mode and the keyboard, as a presenter and a keyboard user would: a shared link opens the deck,
the arrow keys move through it, the district stays; the map page's filter works with no mouse at all."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.waits import wait_until_drawn


def _heading(page: Page):
    return page.get_by_test_id("stMain").get_by_role("heading", level=1)


def test_a_shared_presenter_link_advances_with_the_arrow_keys(page: Page, app_url, artifacts):
    page.goto(f"{app_url}/?present=1&district=330381")
    wait_until_drawn(page)
    expect(_heading(page)).to_have_text("瑞安市 · 地图")
    expect(page.locator("path[aria-label*='瑞安市']").first).to_be_visible()
    expect(page.get_by_test_id("stSidebar")).not_to_be_visible()  # no app chrome while presenting
    page.screenshot(path=str(artifacts / "presenter_slide1.png"))

    for number, title in ((2, "瑞安市 · 关键数字"), (3, "瑞安市 · 重点项目"), (4, "温州市 · 全市指标")):
        page.keyboard.press("ArrowRight")
        expect(page).to_have_url(re.compile(rf"[?&]slide={number}\b"), timeout=30_000)
        expect(_heading(page)).to_have_text(title, timeout=30_000)
    page.keyboard.press("ArrowRight")  # the last screen stays the last
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(r"[?&]slide=3\b"))
    expect(_heading(page)).to_have_text("瑞安市 · 重点项目")
    assert parse_qs(urlsplit(page.url).query) == {"present": ["1"], "slide": ["3"], "district": ["330381"]}

    # The link as it stands reopens the same screen.
    copied = page.url
    page.goto(copied)
    expect(_heading(page)).to_have_text("瑞安市 · 重点项目")

    page.get_by_role("button", name="退出演示").click()
    expect(page).not_to_have_url(re.compile(r"present="))
    expect(page).to_have_url(re.compile(r"[?&]district=330381\b"))
    expect(page.get_by_test_id("stSidebar")).to_be_visible()


def test_the_district_filter_works_from_the_keyboard_with_a_visible_focus(page: Page, app_url):
    page.goto(app_url)
    wait_until_drawn(page)
    select = page.get_by_test_id("stSidebar").get_by_role("combobox", name="区县筛选")
    for _ in range(60):  # Tab through the page until the district filter has the focus
        page.keyboard.press("Tab")
        if select.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("the district filter cannot be reached with Tab")
    # lib/web/app.css: a 3 px ring on whatever the keyboard has focused
    focus = select.evaluate("el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }")
    assert focus == ["solid", "3px"], f"no visible focus ring: {focus}"
    page.keyboard.type("瑞安")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]district=330381\b"), timeout=30_000)
    # The map outlines the chosen district (its mainland: lib/map_chart) and shows its projects beside it.
    expect(page.locator("[data-testid='stVegaLiteChart'] path[stroke='#d62728']")).to_have_count(1, timeout=30_000)
    expect(page.get_by_test_id("stMain").locator("a[href*='project=19']")).to_be_visible(timeout=30_000)


@pytest.mark.parametrize("width, height", [(1400, 900), (1920, 1080)])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_16_indicators_fit_one_screen(browser, app_url, width, height, lang):
    """All 16 indicators and their source on one screen, no scrolling, in either language (one table of
    16 showed 13 rows in Chinese and 7 in English at 1400 × 900); titled for the city."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(f"{app_url}/?present=1&slide=4&district=330382" + ("&lang=en" if lang == "en" else ""))
        wait_until_drawn(page)
        expect(_heading(page)).to_have_text("温州市 · 全市指标" if lang == "zh" else "Wenzhou · City indicators",
                                            timeout=30_000)
        rows = page.locator("[data-testid='stTable'] tbody tr")
        expect(rows).to_have_count(16, timeout=30_000)
        page.wait_for_timeout(500)
        bottoms = page.get_by_test_id("stMain").locator("[data-testid='stElementContainer']").evaluate_all(
            "els => els.filter(e => e.getBoundingClientRect().height > 0).map(e => e.getBoundingClientRect().bottom)")
        assert max(bottoms) <= height, f"{width}×{height} {lang}: content ends at {max(bottoms):.0f} px"
        for row in rows.all():
            assert row.is_visible() and row.bounding_box()["y"] + row.bounding_box()["height"] <= height
    finally:
        context.close()
