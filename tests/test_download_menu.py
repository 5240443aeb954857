"""The map page's download menu under Streamlit's AppTest: built only while open, one entry per chart shown."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def _run(district: str | None, menu_open: bool) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if district:
        at.query_params["district"] = district
    at.run()
    if menu_open:
        at.session_state["downloads"] = True   # what opening the popover does (on_change="rerun")
        at.run()
    assert not at.exception
    return at


def _labels(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def test_closed_menu_builds_no_download_buttons(plan_db):
    assert _labels(_run("330381", menu_open=False)) == []


def test_open_menu_offers_the_brief_and_every_chart(plan_db):
    at = _run("330381", menu_open=True)
    # Brief (PDF, PNG), then the map and the investment chart (PNG, SVG, PDF each).
    assert _labels(at) == ["PDF", "PNG", "PNG", "SVG", "PDF", "PNG", "SVG", "PDF"]
    assert all(b.proto.deferred_file_id and not b.proto.url for b in at.get("download_button"))  # made on click
    captions = [c.value for c in at.caption]
    assert "区县地图" in captions and "重大项目投资图" in captions
    assert any("SVG 不含字体" in c for c in captions)


def test_district_without_projects_has_no_investment_chart_download(plan_db):
    # 泰顺县: no project in 附件2, so the page draws no investment chart (and offers none).
    at = _run("330329", menu_open=True)
    assert _labels(at) == ["PDF", "PNG", "PNG", "SVG", "PDF"]
    assert "重大项目投资图" not in [c.value for c in at.caption]
