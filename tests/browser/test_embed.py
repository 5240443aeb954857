"""Embedding a view: the download menu gives an <iframe> of exactly the view on screen (Streamlit's
?embed=true plus every parameter of the view), and a page that embeds it shows that view, without the
sidebar, saying where it comes from."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import wait_until_drawn


def _snippet(page: Page, app_url: str, path: str) -> str:
    page.goto(app_url + path)
    wait_until_drawn(page)
    page.get_by_role("button", name=re.compile("下载与嵌入|Downloads & embed")).click()
    code = page.get_by_test_id("stPopoverBody").locator("code").filter(has_text="<iframe")
    expect(code).to_be_visible(timeout=30_000)
    return code.inner_text()


def test_the_embed_snippet_shows_the_same_view_in_another_page(page: Page, app_url, artifacts):
    snippet = _snippet(page, app_url, "/investment?district=330381&chart=timeline&lang=en")
    src = re.search(r'src="([^"]+)"', snippet).group(1).replace("&amp;", "&")
    assert urlsplit(src).path == "/investment"
    assert parse_qs(urlsplit(src).query) == {"district": ["330381"], "chart": ["timeline"], "lang": ["en"],
                                             "embed": ["true"]}
    assert src.startswith(app_url)
    assert re.search(r'<iframe src="[^"]+" title="[^"]+" width="100%" height="\d+"', snippet)

    host = page.context.new_page()
    host.set_content(f"<!doctype html><html><body><h1>A newsroom's article</h1>{snippet}</body></html>")
    frame = host.frame_locator("iframe")
    expect(frame.get_by_role("heading", name="Investment · Rui'an City")).to_be_visible(timeout=60_000)
    # The same tab and chart as the view copied: the project periods of 瑞安市's one project (附件2 第19行).
    expect(frame.get_by_role("tab", name="Period", exact=True)).to_have_attribute("aria-selected", "true")
    expect(frame.locator("[data-testid='stVegaLiteChart'] svg text", has_text="19 Dongxin")).to_be_visible(
        timeout=30_000)
    # The view alone: no sidebar and no button to open it, no download menu; a line says where it is from.
    expect(frame.get_by_test_id("stSidebar")).to_be_hidden()
    expect(frame.get_by_test_id("stExpandSidebarButton")).to_be_hidden()
    expect(frame.get_by_role("button", name="Downloads & embed")).to_have_count(0)
    source = frame.get_by_role("link", name="open the full view in the Wenzhou S&T plan explorer")
    expect(source).to_be_visible()
    full = source.get_attribute("href")
    assert urlsplit(full).path == "/investment" and "embed" not in full and "district=330381" in full
    host.screenshot(path=str(artifacts / "embedded_view.png"), full_page=True)
    host.close()


def test_the_map_view_embeds_with_its_district_and_metric(page: Page, app_url):
    snippet = _snippet(page, app_url, "/?district=330303&metric=project_count")
    src = re.search(r'src="([^"]+)"', snippet).group(1).replace("&amp;", "&")
    assert urlsplit(src).path == "/"
    assert parse_qs(urlsplit(src).query) == {"district": ["330303"], "metric": ["project_count"],
                                             "embed": ["true"]}
