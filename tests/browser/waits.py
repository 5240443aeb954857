"""Waiting for the page, not for the clock: a browser test acts once the app's script run has finished and
the charts it acts on can take input. A fixed sleep is too short on a loaded machine and wasted on an
idle one (a panel click that landed before the chart listened was lost on a loaded 2-core machine).

Three signals from Streamlit's own frontend:

* ``data-test-script-state`` on ``stApp`` is ``notRunning`` once the server reports the run finished
  (``running`` / ``rerunRequested`` while it goes on);
* an element whose code is still loading shows a ``stSkeleton`` placeholder (a fresh browser context loads
  the metric, chart and table code after the run has finished: the page is not drawn yet);
* a Vega chart's toolbar offers "Download as PNG" only once its Vega view is built and its selection
  listeners are attached (``isViewReady`` in Streamlit's ArrowVegaLiteChart); before that a click on a
  drawn mark is not passed on to the app.
"""
from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

RUN_TIMEOUT_MS = 90_000   # a first run of a page on a loaded 2-core machine has taken 30 s
CHART = "[data-testid='stVegaLiteChart']"
# The toolbar of a chart sits in the nearest frame around it; its PNG button stands for "the view is ready".
NEAREST_FRAME = "xpath=ancestor::*[@data-testid='stFullScreenFrame'][1]"
VIEW_READY = "button[aria-label='Download as PNG']"


def wait_for_run(page: Page) -> None:
    """Until the app's script run has finished and every element it sent is rendered."""
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning",
                                                           timeout=RUN_TIMEOUT_MS)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=RUN_TIMEOUT_MS)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=RUN_TIMEOUT_MS)


def wait_for_chart(chart_part: Locator) -> None:
    """Until the Vega view that draws ``chart_part`` (a mark, or the chart itself) takes input."""
    expect(chart_part.locator(NEAREST_FRAME).locator(VIEW_READY)).to_have_count(1, timeout=RUN_TIMEOUT_MS)


def wait_until_drawn(page: Page) -> None:
    """Until the run has finished and every chart on screen is drawn and takes input."""
    expect(page.get_by_test_id("stMain")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    wait_for_run(page)
    charts = page.locator(f"{CHART}:visible")
    for i in range(charts.count()):
        wait_for_chart(charts.nth(i))


def click_when_ready(mark: Locator) -> None:
    """Click a chart mark once the run has finished and its chart listens (the click becomes a selection)."""
    wait_for_run(mark.page)
    wait_for_chart(mark)
    mark.click()
