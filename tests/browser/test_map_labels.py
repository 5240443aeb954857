"""The map's district names as drawn in Chromium, at 1400 px and on a 390 px phone, in both languages:
no name overlaps another, and each reads against what is behind it (WCAG AA, 4.5:1 for text).

Measured on the page: each name's bounding box, its fill, and behind points across the box the district
path that contains the point (its fill blended with the white page at its opacity), or the page itself.
"""
from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import Page, expect

from lib.charts.map_chart import contrast
from tests.browser.test_accessibility import wait_until_drawn

# Each name: its box, its colour, and what is behind 15 points across the box (5 × 3, inset from the
# edges by the line's leading), as the colour of the topmost district drawn there (or none: the page).
MEASURE = r"""
() => {
  const path = document.querySelector("path[aria-label*='区县: '], path[aria-label*='District: ']");
  const svg = path.closest('svg');
  const districts = [...svg.querySelectorAll("path[aria-label*='区县: '], path[aria-label*='District: ']")];
  const names = [...svg.querySelectorAll('g.mark-text.role-mark text')];
  const behind = (x, y) => {
    for (const p of districts.slice().reverse()) {
      const local = new DOMPoint(x, y).matrixTransform(p.getScreenCTM().inverse());
      if (p.isPointInFill(local)) {
        const style = getComputedStyle(p);
        return {fill: style.fill, opacity: parseFloat(p.getAttribute('opacity') ?? style.opacity ?? '1')};
      }
    }
    return null;
  };
  return names.map(t => {
    const r = t.getBoundingClientRect();
    const samples = [];
    for (const fx of [0.05, 0.275, 0.5, 0.725, 0.95])
      for (const fy of [0.3, 0.5, 0.7])
        samples.push(behind(r.x + fx * r.width, r.y + fy * r.height));
    return {text: t.textContent, fill: getComputedStyle(t).fill, box: [r.x, r.y, r.width, r.height], samples};
  });
}
"""


def _rgb(css: str) -> tuple[int, ...]:
    return tuple(int(v) for v in re.findall(r"\d+", css)[:3])


def _on_white(fill: str, opacity: float) -> tuple[float, ...]:
    return tuple(opacity * c + (1 - opacity) * 255 for c in _rgb(fill))


def _overlap(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


VIEWS = ["/", "/?district=330381", "/?district=330303", "/?metric=platform_count",
         "/?metric=platform_count&district=330381"]


@pytest.mark.parametrize("width, height", [(1400, 1000), (390, 844)])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_names_do_not_overlap_and_read_against_their_background(browser, app_url, width, height, lang):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  is_mobile=width < 600, has_touch=width < 600)
    try:
        page = context.new_page()
        for view in VIEWS:
            page.goto(app_url + view + ("" if lang == "zh" else ("&" if "?" in view else "?") + "lang=en"))
            wait_until_drawn(page)
            expect(page.locator("g.mark-text.role-mark text").first).to_be_attached(timeout=30_000)
            page.wait_for_timeout(500)
            names = page.evaluate(MEASURE)
            assert len(names) == 12, (view, [n["text"] for n in names])
            for a, b in itertools.combinations(names, 2):
                assert not _overlap(a["box"], b["box"]), f"{view} {width}px {lang}: {a['text']} overlaps {b['text']}"
            for name in names:
                text = _rgb(name["fill"])
                worst = min(contrast(text, _on_white(s["fill"], s["opacity"]) if s else (255, 255, 255))
                            for s in name["samples"])
                assert worst >= 4.5, f"{view} {width}px {lang}: {name['text']} {name['fill']} at {worst:.2f}:1"
            # Names stay inside the chart (none cut at the edge of a phone's screen).
            chart = page.locator("[data-testid='stVegaLiteChart']").first.bounding_box()
            for name in names:
                x, y, w, h = name["box"]
                assert chart["x"] - 1 <= x and x + w <= chart["x"] + chart["width"] + 1, (view, name["text"])
    finally:
        context.close()
