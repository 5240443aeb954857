"""As a user would: open the indicators overview, click a panel, read the path; share the link;
upload actual values on the scorecard and see the status change; upload a bad file and see why."""
from __future__ import annotations

import hashlib
import re

from playwright.sync_api import Page, expect

from tests.browser.waits import click_when_ready

HITECH = "高新技术企业数量"


def _chart_text(page: Page, text: str):
    return page.locator("[data-testid=stVegaLiteChart] svg text", has_text=text)


def _panel(page: Page, name: str):
    return page.locator(f"[data-testid=stVegaLiteChart] [aria-label*='指标: {name}']").first


def _detail_title(page: Page, name: str):
    return page.locator("g.role-title text", has_text=name)


def test_open_an_indicator_from_the_overview_and_share_it(page: Page, app_url, artifacts):
    page.goto(f"{app_url}/indicators")
    expect(_panel(page, HITECH)).to_have_count(1)
    page.screenshot(path=str(artifacts / "indicators_overview.png"), full_page=True)

    # Once the page's run has finished and the panel's chart listens: a click before that was lost on a
    # loaded machine (the mark is drawn while the script still runs and before Vega's listeners exist).
    click_when_ready(_panel(page, HITECH))
    expect(page).to_have_url(re.compile(r"[?&]indicator=hitech_enterprises\b"))

    def shows_the_path() -> None:
        # The path 2404 → 4400 at the table's 12.85 % a year (主要指标表 第9行), and the 2015 value
        # 618 from 一（一）现实基础 (line 6), drawn on the same chart.
        expect(page.get_by_role("combobox", name="选择指标")).to_have_value(HITECH)
        expect(_chart_text(page, "复利增长的路径")).to_contain_text("12.85%")
        expect(_chart_text(page, "2404 家").first).to_be_visible()
        expect(_chart_text(page, "4400 家").first).to_be_visible()
        expect(_chart_text(page, "618 家")).to_be_visible()
        expect(page.get_by_text("由基数2404与目标4400推算为12.851%")).to_be_visible()

    shows_the_path()
    page.screenshot(path=str(artifacts / "indicators_hitech.png"), full_page=True)
    link = page.url
    page.goto("about:blank")
    page.goto(link)   # a copied link reopens the same view
    shows_the_path()


def test_select_box_path_and_qualifiers(page: Page, app_url):
    page.goto(f"{app_url}/indicators?indicator=hitech_va_share")
    # 62以上 is a floor: an open band marked ▲ 以上, not a point.
    expect(_chart_text(page, "▲ 以上")).to_be_visible()
    page.goto(f"{app_url}/indicators?indicator=top_talent")
    expect(_chart_text(page, "不画从零开始的路径")).to_be_visible()


def _summary(page: Page):
    return page.get_by_test_id("stCaptionContainer").filter(has_text="按来源等级计的状态")


def test_upload_changes_a_status_and_a_bad_file_shows_its_rejected_rows(page: Page, app_url, plan_db, tmp_path):
    before = hashlib.sha256(plan_db.read_bytes()).hexdigest()
    page.goto(f"{app_url}/scorecard")
    # Curated values (data/curated/observations.csv): one official status (高新技术产业增加值占比, 2021), one
    # reported year of an average target, four indicators with unattributed leads only, ten without a value.
    expect(_summary(page)).to_contain_text("已达标：官方 1 · 待官方核实 0 ｜ 年数不足 1 ｜ 仅有未核实线索 4 ｜ 无公开数值 10")

    good = tmp_path / "mine.csv"
    good.write_text("indicator,year,value,grade\nhitech_enterprises,2025,4500,official\n", encoding="utf-8")
    page.locator("input[type=file]").set_input_files(str(good))
    expect(page.get_by_text(re.compile("接受 1 行.*拒绝 0 行"))).to_be_visible()
    expect(_summary(page)).to_contain_text("已达标：官方 2 · 待官方核实 0 ｜ 年数不足 1 ｜ 仅有未核实线索 3")

    bad = tmp_path / "bad.csv"
    bad.write_bytes("指标,年份,数值,说明\n高新技术企业数量,2019,4500,\n不存在的指标,2025,1,\n科技型中小企业数量,2025,很多,\n"
                    "科技型中小企业数量,2025,16500,\n<img src=x onerror=alert(1)>,2025,1,\n"
                    "科技型中小企业数量,2024,１２３,\n"
                    "高新技术企业数量,2024,abc,[点我](http://example.invalid) ![图](http://127.0.0.1:9/x.png) "
                    "$x^2$ :red[红字]\n".encode("gbk"))
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.locator("input[type=file]").set_input_files(str(bad))
    expect(page.get_by_text(re.compile("接受 1 行.*拒绝 6 行"))).to_be_visible()
    # The rejected rows are a data grid: cell text is drawn as text, never read as Markdown or HTML.
    assert page.get_by_test_id("stTable").count() == 0
    grid = page.get_by_test_id("stDataFrame").filter(has_text="原因").last
    expect(grid).to_be_visible()
    assert page.locator("img[src='x'], img[src*='127.0.0.1:9'], a[href*='example.invalid'], .katex").count() == 0
    assert not dialogs
    assert "Traceback" not in page.content()
    assert hashlib.sha256(plan_db.read_bytes()).hexdigest() == before
