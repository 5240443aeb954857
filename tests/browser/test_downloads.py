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
    page.get_by_role("button", name="更多下载（PNG、SVG）").click()
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
