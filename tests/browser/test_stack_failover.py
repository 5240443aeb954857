"""Through the one-machine stack in Chromium: when the process holding a tab's session dies, the tab
reconnects to a living process by itself, and an upload it had made (kept only in the dead process's
memory) is said to be lost and asked for again, instead of silently vanishing.

A reconnected tab keeps showing its last page until its next interaction reruns it on the new process;
that run is where the upload is found missing (the browser still names the file, the process has none)."""
from __future__ import annotations

import re
import signal

import pytest

from playwright.sync_api import Page, expect

from deploy.stack import ROUTE_COOKIE
from tests.stack_fixtures import fresh_stack  # noqa: F401  (fixture)

pytestmark = [pytest.mark.stack, pytest.mark.browser]
LOST = "刚才上传的文件已不在服务器上"
ACCEPTED = re.compile("接受 1 行.*拒绝 0 行")


def _upload(page: Page, path) -> None:
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))
    expect(page.get_by_text(ACCEPTED)).to_be_visible(timeout=60_000)


def test_an_upload_lost_in_a_failover_is_said_and_asked_for_again(page: Page, fresh_stack, tmp_path, artifacts):
    s = fresh_stack
    values = tmp_path / "values.csv"
    values.write_text("indicator,year,value\nhitech_enterprises,2025,4500\n", encoding="utf-8")
    page.goto(f"http://127.0.0.1:{s.port}/scorecard")
    _upload(page, values)
    expect(page.get_by_text(LOST)).to_have_count(0)

    route = next(c["value"] for c in page.context.cookies() if c["name"] == ROUTE_COOKIE)
    index = next(b["index"] for b in s.backends() if b["cookie"] == route)
    s.kill_backend(index, signal.SIGKILL)

    # The tab reconnects (to the other process, or to the restarted one); its next click says what happened.
    flagged_only = page.get_by_text("只看“五倍增五提升”（#）指标")
    for _ in range(10):  # a click while the tab is still reconnecting is not sent: click again
        flagged_only.click()
        try:
            expect(page.get_by_text(LOST)).to_be_visible(timeout=10_000)
            break
        except AssertionError:
            continue
    expect(page.get_by_text(LOST)).to_be_visible()
    page.get_by_text(LOST).scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "scorecard_upload_lost.png"))
    expect(page.get_by_text(ACCEPTED)).to_have_count(0)
    # Uploading again works on whichever process now holds the session, and the notice goes. (Another file
    # name: Streamlit's file input keeps its last value, so the very same file chosen again fires no change,
    # failover or not; a drop, or any other file, does.)
    again = tmp_path / "values-again.csv"
    again.write_bytes(values.read_bytes())
    _upload(page, again)
    expect(page.get_by_text(LOST)).to_have_count(0)
