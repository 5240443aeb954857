"""As a user would: click a district on the map, see the page follow; open a shared link."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.waits import click_when_ready


def _wait_for_map(page: Page) -> None:
    expect(page.locator("path[aria-label*='区县: 瑞安市']")).to_have_count(1)


def _district_path(page: Page, name: str):
    return page.locator(f"path[aria-label*='区县: {name}']").first


def _sidebar_select(page: Page):
    return page.get_by_test_id("stSidebar").get_by_role("combobox", name="区县筛选")


def _chart_title(page: Page, text: str):
    return page.locator("g.role-title text", has_text=text)


def _project_card(page: Page, name: str):
    """A district's project on the map page: a link to its detail on the projects page."""
    return page.get_by_test_id("stMain").locator("a[href*='project=']", has_text=name)


def test_click_district_filters_other_chart_and_url(page: Page, app_url, artifacts):
    page.goto(app_url)
    _wait_for_map(page)
    expect(_chart_title(page, "各区县重大项目投资")).to_be_visible()
    page.screenshot(path=str(artifacts / "map_city.png"), full_page=True)

    click_when_ready(_district_path(page, "瑞安市"))
    expect(page).to_have_url(re.compile(r"[?&]district=330381\b"), timeout=30_000)
    # Beside the map, the district's story: its role and its projects (附件2 第19行 东新科创园).
    expect(_project_card(page, "东新科创园")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("高端智能汽车关键零部件创新生态示范区").first).to_be_visible()
    # The block about the project outside Wenzhou belongs to the city view only.
    expect(page.get_by_text("温州市外的项目")).to_have_count(0)
    expect(_sidebar_select(page)).to_have_value("瑞安市")
    page.screenshot(path=str(artifacts / "map_ruian.png"), full_page=True)

    # Another district, then the same one again clears the filter.
    _wait_for_map(page)
    click_when_ready(_district_path(page, "洞头区"))
    expect(page).to_have_url(re.compile(r"[?&]district=330305\b"), timeout=30_000)
    expect(_project_card(page, "中国温州安全（应急）产业园")).to_be_visible(timeout=30_000)
    _wait_for_map(page)
    click_when_ready(_district_path(page, "洞头区"))
    expect(page).not_to_have_url(re.compile(r"district="), timeout=30_000)
    expect(_chart_title(page, "各区县重大项目投资")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("温州市外的项目")).to_be_visible()
    expect(_sidebar_select(page)).to_have_value("全市（不筛选）")


def test_sidebar_select_filters_map_and_chart(page: Page, app_url):
    """The keyboard/phone path: pick a district in the sidebar; map, chart and URL follow."""
    page.goto(app_url)
    _wait_for_map(page)
    expect(_sidebar_select(page)).to_have_value("全市（不筛选）")
    _sidebar_select(page).click()
    page.get_by_role("option", name="龙港市").click()
    expect(page).to_have_url(re.compile(r"[?&]district=330383\b"), timeout=30_000)
    expect(page.get_by_role("heading", name="龙港市（Longgang City）")).to_be_visible(timeout=30_000)
    # The map marks the chosen district (a red outline round its mainland) without a click on it.
    expect(page.locator("[data-testid='stVegaLiteChart'] path[stroke='#d62728']")).to_have_count(1, timeout=30_000)


def test_direct_link_to_another_page_keeps_the_filter(page: Page, app_url):
    page.goto(f"{app_url}/projects?district=330305")
    expect(page.get_by_role("heading", name="重大项目（附件2） · 洞头区")).to_be_visible()
    expect(_sidebar_select(page)).to_have_value("洞头区")
    # The sidebar links carry the filter back to the map.
    page.get_by_test_id("stSidebar").get_by_role("link", name="区县地图").click()
    expect(page).to_have_url(re.compile(r"[?&]district=330305\b"), timeout=30_000)
    expect(page.get_by_role("heading", name="洞头区（Dongtou District）")).to_be_visible(timeout=30_000)


def test_shared_link_opens_the_same_filtered_view(page: Page, app_url, artifacts):
    page.goto(f"{app_url}/?district=330381")
    _wait_for_map(page)
    expect(_project_card(page, "东新科创园")).to_be_visible(timeout=30_000)
    expect(_sidebar_select(page)).to_have_value("瑞安市")
    # The Chinese name works as well and lands on the canonical adcode.
    page.goto(f"{app_url}/?district=瑞安市")
    expect(_project_card(page, "东新科创园")).to_be_visible(timeout=30_000)


def test_hostile_link_shows_notice_not_markup(page: Page, app_url, artifacts):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{app_url}/?district=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    expect(page.get_by_text("链接中的区县参数无法识别")).to_be_visible()
    expect(_chart_title(page, "各区县重大项目投资")).to_be_visible()
    assert page.locator("img[src='x']").count() == 0 and not dialogs
    assert "Traceback" not in page.content()
    page.screenshot(path=str(artifacts / "map_bad_link.png"), full_page=True)
