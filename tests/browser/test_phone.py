"""A visitor on a phone (390 × 844, touch): the menu at the top of the page chooses a page and a district
without the sidebar, and the map's district view reaches a project's detail in a few taps."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import wait_until_drawn

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def _menu(page: Page):
    """The phone menu: one button in the header row (lib/web/phone_menu.phone_bar)."""
    return page.locator("[class*='st-key-phone_menu'] button").first


def _main_top(page: Page, locator) -> float:
    """Where an element starts, in px from the top of the page (Streamlit scrolls inside stMain)."""
    return locator.evaluate("""e => { const main = document.querySelector('[data-testid="stMain"]');
        return e.getBoundingClientRect().top - main.getBoundingClientRect().top + main.scrollTop; }""")


def _nothing_covers_the_page(page: Page) -> None:
    expect(page.get_by_test_id("stPopoverBody")).to_have_count(0)
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_attribute("aria-expanded") != "true"


def test_a_page_chosen_in_the_menu_is_visible_without_another_tap(phone: Page, app_url):
    phone.goto(f"{app_url}/?district=330381")
    wait_until_drawn(phone)
    # The sidebar's page list is not how a phone moves: the menu in the header row is, and it is in view.
    expect(phone.get_by_test_id("stSidebarNav")).to_be_hidden()
    expect(_menu(phone)).to_be_in_viewport()
    _menu(phone).tap()
    phone.get_by_test_id("stPopoverBody").get_by_role("link", name="投资分析").tap()
    expect(phone).to_have_url(re.compile(r"/investment\?district=330381"), timeout=30_000)
    heading = phone.get_by_role("heading", name="投资分析 · 瑞安市")
    expect(heading).to_be_in_viewport(timeout=30_000)
    wait_until_drawn(phone)
    _nothing_covers_the_page(phone)
    # The district is chosen from the page itself as well: the menu names it and lists the others.
    expect(_menu(phone)).to_contain_text("瑞安市")
    _menu(phone).tap()
    phone.get_by_test_id("stPopoverBody").get_by_role("button", name="龙湾区").tap()
    expect(phone.get_by_role("heading", name="投资分析 · 龙湾区")).to_be_in_viewport(timeout=30_000)
    expect(phone).to_have_url(re.compile(r"[?&]district=330303\b"))
    wait_until_drawn(phone)
    _nothing_covers_the_page(phone)


def test_tap_a_district_then_its_project_card_then_the_detail(phone: Page, app_url, artifacts):
    phone.goto(app_url)
    wait_until_drawn(phone)
    ruian = phone.locator("path[aria-label*='区县: 瑞安市']")
    expect(ruian).to_be_in_viewport(timeout=30_000)   # the map is in the first screen
    ruian.tap()
    expect(phone).to_have_url(re.compile(r"[?&]district=330381\b"), timeout=30_000)
    card = phone.get_by_test_id("stMain").locator("a[href*='project=19']")
    expect(card).to_contain_text("东新科创园", timeout=30_000)
    wait_until_drawn(phone)
    # The card (name, sector, period, planned investment, what is built) starts within two screens.
    assert _main_top(phone, card) + 60 < 2 * PHONE["height"], _main_top(phone, card)
    expect(card).to_contain_text("数字经济 · 2020–2022 · 计划投资 45.00 亿元")
    phone.screenshot(path=str(artifacts / "phone_district.png"), full_page=True)
    card.tap()
    expect(phone).to_have_url(re.compile(r"/projects\?.*project=19"), timeout=30_000)
    detail = phone.locator(".st-key-project_detail")
    expect(detail).to_contain_text("第 19 号项目：东新科创园", timeout=30_000)
    expect(detail).to_be_in_viewport()
    wait_until_drawn(phone)
    _nothing_covers_the_page(phone)
