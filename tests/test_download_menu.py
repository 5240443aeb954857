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


TABLE_DOWNLOADS = {"下载 CSV", "下载 Excel"}  # the rows of a table (lib/web/downloads.download_buttons), not the menu's


def _labels(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button") if b.proto.label not in TABLE_DOWNLOADS]


BRIEF_NOW = "会议简报 PDF"


def test_closed_menu_leaves_only_the_one_click_brief(plan_db):
    at = _run("330381", menu_open=False)
    assert _labels(at) == [BRIEF_NOW]
    button = at.get("download_button")[0].proto
    assert button.deferred_file_id and not button.url  # the PDF is made on click, not on every rerun


def test_open_menu_offers_the_brief_and_every_chart(plan_db):
    at = _run("330381", menu_open=True)
    # The brief in one click (PDF); in the menu the brief as PNG, then the map and the investment chart.
    assert _labels(at) == [BRIEF_NOW, "PNG", "PNG", "SVG", "PDF", "PNG", "SVG", "PDF"]
    assert all(b.proto.deferred_file_id and not b.proto.url for b in at.get("download_button"))  # made on click
    captions = [c.value for c in at.caption]
    assert "区县地图" in captions and "重大项目投资图" in captions
    assert any("SVG 不含字体" in c for c in captions)


def test_district_without_projects_has_no_investment_chart_download(plan_db):
    # 泰顺县: no project in 附件2, so the page draws no investment chart (and offers none).
    at = _run("330329", menu_open=True)
    assert _labels(at) == [BRIEF_NOW, "PNG", "PNG", "SVG", "PDF"]
    assert "重大项目投资图" not in [c.value for c in at.caption]


def _open_menu(script: str, params: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(params)
    at.switch_page(script)
    at.run()
    at.session_state["downloads"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_investment_page_offers_every_chart_of_the_view(plan_db):
    at = _open_menu("pages/5_investment.py", {"district": "330381"})
    # The brief, its PNG, then five charts (by district, sector, type, periods, by year) in three formats each.
    assert _labels(at) == [BRIEF_NOW, "PNG", *(["PNG", "SVG", "PDF"] * 5)]
    captions = [c.value for c in at.caption]
    for title in ("按区县", "按行业（本项目归类）", "按项目类型（附件2）", "项目期限", "年度分布（派生）"):
        assert title in captions, title


def test_investment_page_of_a_district_without_projects_offers_only_the_district_chart(plan_db):
    at = _open_menu("pages/5_investment.py", {"district": "330329"})
    assert _labels(at) == [BRIEF_NOW, "PNG", "PNG", "SVG", "PDF"]


def test_indicator_pages_offer_their_charts(plan_db):
    at = _open_menu("pages/3_indicators.py", {"indicator": "hitech_enterprises"})
    assert _labels(at) == [BRIEF_NOW, "PNG", "PNG", "SVG", "PDF"]
    assert "高新技术企业数量" in [c.value for c in at.caption]
    overview = _open_menu("pages/3_indicators.py", {})
    # The two ambition charts, then the 16 overview panels.
    assert _labels(overview) == [BRIEF_NOW, "PNG", *(["PNG", "SVG", "PDF"] * (2 + 16))]
    captions = [c.value for c in overview.caption]
    assert "目标有多难：复合年均增速（个数与金额）" in captions and "目标有多难：每年提高的百分点（比重）" in captions
    assert "高新技术企业数量" in captions and "技术（合同）交易总额" in captions


def test_the_menu_offers_an_iframe_of_exactly_this_view(plan_db):
    """Embed: Streamlit's ?embed=true and every parameter of the view; free text (the goals search)
    percent-encoded inside an escaped attribute, so a view never writes markup into the snippet."""
    at = _open_menu("pages/3_indicators.py", {"goals_q": '"><img src=x onerror=alert(1)>', "district": "330381"})
    snippet = next(c.value for c in at.code if "<iframe" in c.value)
    src = snippet.split('src="')[1].split('"')[0]
    assert src.startswith("?")   # under AppTest there is no browser address; a browser gives scheme, host, page
    from urllib.parse import parse_qs

    assert parse_qs(src[1:].replace("&amp;", "&")) == {"goals_q": ['"><img src=x onerror=alert(1)>'],
                                                       "district": ["330381"], "embed": ["true"]}
    assert "<img" not in snippet and snippet.count('"') == 12    # six attributes, nothing else quoted
    assert 'title="温州科技创新“十四五”规划浏览"' in snippet
