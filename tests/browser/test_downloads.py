"""As a user in a meeting would: the brief in one click under the map; the menu beside it for the brief as
PNG and the charts."""
from __future__ import annotations

import io

import numpy as np
import pypdf
from PIL import Image
from playwright.sync_api import Page, expect


def _open_page(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("path[aria-label*='区县: 瑞安市']")).to_have_count(1)


def _open_menu(page: Page, url: str):
    _open_page(page, url)
    page.get_by_role("button", name="下载与嵌入").click()
    menu = page.get_by_test_id("stPopoverBody")
    # The menu's buttons are built only once it is open (a rerun): wait for them.
    expect(menu.get_by_role("button", name="PDF")).to_have_count(2)
    return menu


def _download(page: Page, button) -> bytes:
    with page.expect_download() as info:
        button.click()
    return open(info.value.path(), "rb").read()


def test_district_brief_downloads_as_one_a4_page_with_the_name_as_text(page: Page, app_url, artifacts):
    _open_page(page, f"{app_url}/?district=330381")
    pdf = pypdf.PdfReader(io.BytesIO(_download(page, page.get_by_role("button", name="会议简报 PDF"))))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert abs(float(box.width) - 841.89) < 1 and abs(float(box.height) - 595.28) < 1
    assert "瑞安市" in pdf.pages[0].extract_text()

    menu = _open_menu(page, f"{app_url}/?district=330381")
    page.screenshot(path=str(artifacts / "downloads_menu.png"))
    png = Image.open(io.BytesIO(_download(page, menu.get_by_role("button", name="PNG").first))).convert("L")
    assert png.size == (1684, 1191)                                   # A4 landscape at 144 ppi
    title = np.asarray(png)[80:138, 60:250]                           # the district name in the header
    assert (title < 100).sum() > 1_500


def test_map_downloads_as_svg_with_chinese_names(page: Page, app_url):
    menu = _open_menu(page, f"{app_url}/?district=330305")
    svg = _download(page, menu.get_by_role("button", name="SVG").first).decode("utf-8")
    assert svg.count('aria-roledescription="geoshape"') == 12          # data inlined: every district drawn
    assert ">洞头区<" in svg and "Noto Sans CJK SC" in svg


def test_a_downloaded_chart_names_its_source_and_build_date(page: Page, app_url, plan_db):
    """The picture that gets forwarded: below the chart, its title and district, the source in the plan,
    the data's build date, the explorer and the view's address; the same footer in PNG, SVG and PDF."""
    import duckdb

    with duckdb.connect(str(plan_db), read_only=True) as con:
        built = con.execute("SELECT value FROM build_meta WHERE key = 'built_at'").fetchone()[0][:10]
    menu = _open_menu(page, f"{app_url}/?district=330381&metric=project_count")
    svg = _download(page, menu.get_by_role("button", name="SVG").first).decode("utf-8")
    pdf = pypdf.PdfReader(io.BytesIO(_download(page, menu.get_by_role("button", name="PDF").first)))
    text = pdf.pages[0].extract_text()
    for line in ("区县地图 · 瑞安市", "来源：地图：附件2 项目按区县计数（派生）",
                 f"数据构建日期：{built} · 温州科技创新“十四五”规划浏览"):
        assert f">{line}</text>" in svg and line in text, line
    assert f"{app_url}/?metric=project_count&amp;district=330381</text>" in svg
    png = Image.open(io.BytesIO(_download(page, menu.get_by_role("button", name="PNG").nth(1))))
    height = float(svg.split('height="')[1].split('"')[0])
    assert png.size[1] == round(height * 2)                           # the PNG is that SVG, footer included
