"""As a user would, in Chromium: city → district → one project; search the plan in Chinese; take rows away.

Expectations come from 附件2 read by hand (tests/annex2_by_hand.py) and from the plan text.
"""
from __future__ import annotations

import io
import re

import pandas as pd
from playwright.sync_api import Page, expect

from tests.annex2_by_hand import RAW_PLAN, annex2
from tests.browser.waits import click_when_ready, wait_for_run

PROJECTS = annex2()


def _bar(page: Page, text: str):
    return page.locator(f"path[aria-label*='{text}']").first


def _sidebar_select(page: Page):
    return page.get_by_test_id("stSidebar").get_by_role("combobox", name="区县筛选")


def test_district_bar_then_timeline_bar_opens_the_project(page: Page, app_url, artifacts):
    page.goto(f"{app_url}/investment")
    expect(page.get_by_role("heading", name="投资分析")).to_be_visible()
    _bar(page, "区县: 洞头区").wait_for()
    page.screenshot(path=str(artifacts / "investment_city.png"), full_page=True)

    # A bar of the district chart sets the one district filter: URL, sidebar, title, totals.
    click_when_ready(_bar(page, "区县: 洞头区"))
    expect(page).to_have_url(re.compile(r"[?&]district=330305\b"))
    expect(page.get_by_role("heading", name="投资分析 · 洞头区")).to_be_visible()
    expect(_sidebar_select(page)).to_have_value("洞头区")
    dongtou = [p for p in PROJECTS if p.district == "330305"]
    planned = sum(p.planned_wan for p in dongtou) / 10000
    expect(page.get_by_test_id("stMetric").filter(has_text="“十四五”计划投资")).to_contain_text(f"{planned:,.2f} 亿元")

    # The timeline tab, then a project's bar: the projects page opens on that project.
    page.get_by_role("tab", name="项目期限").click()
    expect(page).to_have_url(re.compile(r"[?&]chart=timeline\b"))
    p16 = next(p for p in dongtou if p.no == 16)
    bar = _bar(page, f"项目: {p16.name}")
    bar.wait_for()
    expect(page.locator("text", has_text="“新建”，2020年起")).to_have_count(1)    # the plan's own irregularity
    page.screenshot(path=str(artifacts / "investment_timeline_dongtou.png"), full_page=True)
    click_when_ready(bar)
    expect(page).to_have_url(re.compile(r"/projects\?.*project=16\b"))
    expect(page).to_have_url(re.compile(r"[?&]district=330305\b"))
    detail = page.locator(".st-key-project_detail")
    expect(detail.get_by_role("heading", name=f"第 16 号项目：{p16.name}")).to_be_visible()
    expect(detail).to_contain_text(p16.builder)
    expect(detail).to_contain_text(p16.content[:20])
    expect(detail).to_contain_text("附件2 重大项目 第16行")
    page.screenshot(path=str(artifacts / "project_16.png"), full_page=True)


def test_selecting_a_table_row_opens_the_project(page: Page, app_url):
    page.goto(f"{app_url}/projects?district=330304")
    grid = page.get_by_test_id("stDataFrame")
    expect(grid).to_be_visible()
    ouhai = [p for p in PROJECTS if p.district == "330304"]
    # The grid draws on a canvas; its accessible copy (a hidden table) holds the rows once they are drawn.
    wait_for_run(page)
    expect(grid.locator("tr", has_text=ouhai[2].name)).to_have_count(1)
    box = grid.bounding_box()
    # The grid is a canvas: the selection checkbox of row 3 sits in the first column, rows are 35 px high.
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 35 * 2 + 17)
    expect(page).to_have_url(re.compile(rf"[?&]project={ouhai[2].no}\b"))
    expect(page.get_by_role("heading", name=f"第 {ouhai[2].no} 号项目：{ouhai[2].name}")).to_be_visible()


def test_search_the_plan_in_chinese_and_open_a_passage(page: Page, app_url, artifacts):
    page.goto(f"{app_url}/search")
    box = page.get_by_role("textbox", name="搜索词")
    expect(box).to_be_visible()
    box.fill("瓯江实验室 国家实验室")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=%E7%93%AF"))
    # Lines of the plan holding both words, counted from the text itself.
    lines = [n for n, t in enumerate(RAW_PLAN.read_text(encoding="utf-8").split("\n"), start=1)
             if "瓯江实验室" in t and "国家实验室" in t]
    expect(page.get_by_text(f"共 {len(lines)} 处（按原文顺序）。")).to_be_visible()
    marks = page.locator(".stMarkdownColoredBackground", has_text="国家实验室")
    expect(marks.first).to_be_visible()
    page.screenshot(path=str(artifacts / "search_results.png"), full_page=True)

    page.get_by_role("button", name="在上下文中查看").first.click()
    expect(page).to_have_url(re.compile(rf"[?&]line={lines[0]}\b"))
    context = page.locator(".st-key-plan_context")
    expect(context.get_by_role("heading", name=f"原文第 {lines[0]} 行")).to_be_visible()
    expect(context.locator(".stMarkdownColoredBackground", has_text="瓯江实验室").first).to_be_visible()
    page.screenshot(path=str(artifacts / "search_context.png"), full_page=True)


def test_hostile_search_text_stays_text(page: Page, app_url):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{app_url}/search?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E%20%5Bx%5D(javascript%3Aalert(2))")
    expect(page.get_by_text("规划全文中没有同时包含这些词的段落")).to_be_visible()
    assert page.locator("img[src='x']").count() == 0 and not dialogs
    assert page.locator("a[href^='javascript']").count() == 0


def test_csv_download_holds_exactly_the_filtered_rows(page: Page, app_url, tmp_path):
    page.goto(f"{app_url}/projects?district=330305")
    button = page.get_by_role("button", name="下载 CSV")
    expect(button).to_be_visible()
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "wenzhou_projects.csv"
    path = tmp_path / "projects.csv"
    download.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")                      # UTF-8 BOM: Excel and WPS read Chinese right
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    dongtou = [p for p in PROJECTS if p.district == "330305"]
    assert frame["序号"].tolist() == [p.no for p in dongtou]
    assert frame["项目名称"].tolist() == [p.name for p in dongtou]
    assert int(frame["总投资（万元）"].sum()) == sum(p.total_wan for p in dongtou)
    assert int(frame["“十四五”计划投资（万元）"].sum()) == sum(p.planned_wan for p in dongtou)
    assert frame["建设内容和规模"].tolist() == [p.content for p in dongtou]
    assert set(frame["所属区县"]) == {"洞头区"}


def _download(page: Page, button) -> tuple[str, bytes]:
    with page.expect_download(timeout=30_000) as info:
        button.click()
    return info.value.suggested_filename, open(info.value.path(), "rb").read()


def test_yearly_spread_files_carry_the_even_spread_assumption(page: Page, app_url):
    """The chart says the years are an even spread; so must the CSV and the Excel file taken away."""
    import openpyxl

    page.goto(f"{app_url}/investment?chart=yearly&district=330381")
    page.get_by_text("数据表").click()
    name, data = _download(page, page.get_by_role("button", name="下载 CSV"))
    assert name == "wenzhou_investment_by_year.csv"
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    ruian = [p for p in PROJECTS if p.district == "330381"]
    years = sorted({y for p in ruian for y in range(max(p.start, 2021), min(p.end, 2025) + 1)})
    assert frame["年份"].tolist() == years
    assert frame["说明"].str.contains("不是规划的年度安排").all() and frame["说明"].str.contains("平均分摊").all()
    assert round(frame.iloc[:, 1].sum()) == sum(p.planned_wan for p in ruian)     # 万元, the years add up

    name, data = _download(page, page.get_by_role("button", name="下载 Excel"))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert name == "wenzhou_investment_by_year.xlsx" and book.sheetnames == ["data", "说明"]
    notes = [r[0] for r in book["说明"].iter_rows(min_row=2, values_only=True)]
    assert "平均分摊" in notes[0] and "附件2" in notes[1] and "瑞安市" in notes[2]
    assert all("平均分摊" in r[-1] for r in book["data"].iter_rows(min_row=2, values_only=True))

    page.goto(f"{app_url}/investment?chart=yearly&lang=en")
    page.get_by_text("Data table").click()
    _name, data = _download(page, page.get_by_role("button", name="Download CSV"))
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert frame["Note"].str.contains("spread evenly").all() and frame["Note"].str.contains("Derived").all()
