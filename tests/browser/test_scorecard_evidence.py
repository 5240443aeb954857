"""The scorecard in Chromium, in both languages, at 1400 px and on a phone: each card says how strong its
evidence is. The curated values give unverified leads (× … 仅有未核实线索) and one official status; a value
uploaded as ``reported`` through the real uploader makes a provisional status (◇ 已达标（待官方核实）)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import ROOT

ARTIFACTS = ROOT / "tests" / "artifacts"
WORDS = {
    "zh": {"headline": "16 项指标 · 1 项有 2025 年数值", "lead": "仅有未核实线索", "achieved": "已达标",
           "provisional": "已达标（待官方核实）", "accepted": re.compile("接受 1 行")},
    "en": {"headline": "Indicators: 16 · with a 2025 value: 1", "lead": "Unverified leads only",
           "achieved": "Target achieved", "provisional": "Target achieved (provisional)",
           "accepted": re.compile("Rows accepted: 1")},
}


def _card(page: Page, code: str):
    return page.locator(f".st-key-score_card_{code}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_scorecard_marks_leads_and_provisional_statuses(browser, app_url, tmp_path, lang):
    words = WORDS[lang]
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{app_url}/scorecard" + ("?lang=en" if lang == "en" else ""))
    expect(page.get_by_text(words["headline"])).to_be_visible()
    lead = _card(page, "rd_gdp_share")
    expect(lead).to_contain_text(words["lead"])
    expect(lead).to_contain_text("×")
    expect(lead).not_to_contain_text(words["achieved"])
    expect(_card(page, "high_value_patents_per_10k")).to_contain_text(words["lead"])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"scorecard-{lang}-1400.png"), full_page=True)

    # A reported value for 高新技术企业数量 (target 4400): achieved, but only provisionally.
    upload = tmp_path / "reported.csv"
    upload.write_text("indicator,year,value,grade\nhitech_enterprises,2025,4500,reported\n", encoding="utf-8")
    page.locator("input[type=file]").set_input_files(str(upload))
    expect(page.get_by_text(words["accepted"])).to_be_visible()
    enterprises = _card(page, "hitech_enterprises")
    expect(enterprises).to_contain_text(words["provisional"])
    expect(enterprises).to_contain_text("◇")
    assert "Traceback" not in page.content()
    context.close()


def test_scorecard_cards_fit_a_phone(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.goto(f"{app_url}/scorecard")
    card = _card(page, "hitech_va_share")
    expect(card).to_contain_text("已达标")
    # Name, status, value with its grade and the 2025 verdict, without scrolling sideways.
    box = card.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    for text in ("已达标", "64.7", "官方发布", "2025 年结论", "查看指标详情与路径"):
        expect(card).to_contain_text(text)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "scorecard-zh-390.png"), full_page=True)
    context.close()
