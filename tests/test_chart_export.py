"""Chart exports (lib/files/chart_export.py): real vl-convert renders, checked on the pixels, not just on a file existing."""
from __future__ import annotations

import io
import json
import os

import altair as alt
import numpy as np
import pandas as pd
import pytest
import vl_convert as vlc
from PIL import Image

from lib.charts import investment_bars, map_chart
from lib.files import chart_export
from lib.domain.paths import DISTRICT_METRICS_URL, STATIC_URL_PREFIX
from tests.conftest import sampled


def _gray(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"))


def _rgb(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def _titled_chart(title: str) -> alt.Chart:
    return (alt.Chart(pd.DataFrame({"x": [1, 2]}), title=alt.Title(title, fontSize=24))
            .mark_bar().encode(x="x:Q").properties(width=200, height=40))


@pytest.mark.system("fonts-noto-cjk")
def test_chinese_title_glyphs_are_drawn_in_png():
    """Two titles of the same length: missing glyphs would draw identical boxes (tofu), real glyphs differ."""
    first, second = (_gray(chart_export.convert(_titled_chart(t), "png")) for t in ("瑞安市重大项目", "乐清市科技平台"))
    assert first.shape == second.shape
    title_band = slice(0, 35 * chart_export.PNG_SCALE)      # 24 px title at the top, scaled
    a, b = first[title_band], second[title_band]
    assert (a < 128).sum() > 500 and (b < 128).sum() > 500   # ink, not a blank band
    assert (a != b).sum() > 1000                              # different glyphs, not the same boxes


def test_svg_keeps_chinese_text_and_names_the_cjk_font():
    svg = chart_export.convert(_titled_chart("瑞安市重大项目"), "svg").decode("utf-8")
    assert ">瑞安市重大项目<" in svg
    assert chart_export.CJK_FONT in svg


@pytest.mark.system("fonts-noto-cjk")
def test_pdf_embeds_the_text_as_text():
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(chart_export.convert(_titled_chart("瑞安市重大项目"), "pdf")))
    assert len(reader.pages) == 1
    assert "瑞安市重大项目" in reader.pages[0].extract_text()


def _map_pixels(png: bytes) -> tuple[int, int]:
    """(district-blue pixels, red highlight pixels) in the map area (the legend below is left out)."""
    rgb = _rgb(png)
    area = rgb[: int(rgb.shape[0] * 0.85)]
    r, g, b = area[..., 0], area[..., 1], area[..., 2]
    blue = (b - r > 25) & (b > 150)                                  # the "blues" scheme fills
    red = (r > 180) & (g < 80) & (b < 80)                            # #d62728, the selected district's outline
    return int(blue.sum()), int(red.sum())


def test_map_with_url_data_exports_a_filled_map(plan_db):
    """The page's own spec (data at app/static/…) exports with every district filled and 瑞安市 outlined."""
    spec = map_chart.choropleth("planned_investment_yi", "330381").to_dict()
    blue, red = _map_pixels(chart_export.convert(spec, "png"))
    assert blue > 100_000
    assert red > 1_000
    svg = chart_export.convert(spec, "svg").decode("utf-8")
    assert svg.count('aria-roledescription="geoshape"') == 12
    for name in ("瑞安市", "泰顺县", "洞头区"):                      # the label layer, from district_metrics.json
        assert f">{name}<" in svg


def test_url_data_is_never_fetched(plan_db):
    """Why the exporter inlines: vl-convert resolves ``app/static/…`` against a web address of its own
    (the Vega datasets site) and, offline, draws an empty chart. With ``allowed_base_urls=[]`` it refuses."""
    spec = map_chart.choropleth("planned_investment_yi", "330381").to_dict()
    with pytest.raises(ValueError, match="not allowed"):
        vlc.vegalite_to_png(spec, allowed_base_urls=[])


def test_investment_chart_exports_every_district_bar(plan_db):
    svg = chart_export.convert(investment_bars.district_investment_bars(None, None), "svg").decode("utf-8")
    assert len([seg for seg in svg.split("<path") if "亿元: " in seg]) == 24   # 12 districts × 2 kinds


def test_export_leaves_the_shared_page_spec_unchanged(plan_db):
    spec = map_chart.choropleth("project_count", None).to_dict()
    before = json.dumps(spec, sort_keys=True)
    inlined = chart_export.export_spec(spec)
    assert json.dumps(spec, sort_keys=True) == before
    assert "url" not in json.dumps(inlined) and inlined["config"]["font"] == chart_export.CJK_FONT
    assert len(inlined["layer"][0]["data"]["values"]) == 12           # GeoJSON features, "property" applied


def test_conversions_are_cached_per_spec_and_format(plan_db):
    spec = investment_bars.district_investment_bars("330305", "洞头区").to_dict()
    assert chart_export.convert(spec, "png") is chart_export.convert(json.loads(json.dumps(spec)), "png")
    assert chart_export.convert(spec, "svg") is not chart_export.convert(spec, "png")


@pytest.mark.parametrize("url", [
    STATIC_URL_PREFIX + "../wenzhou_plan.duckdb",        # the database next to the static folder
    STATIC_URL_PREFIX + "../../../../etc/passwd",
    STATIC_URL_PREFIX,                                   # the folder itself
    STATIC_URL_PREFIX + "missing.json",
    "/etc/passwd",
    "file:///etc/passwd",
    "https://example.com/data.json",
    "data/build/static/district_metrics.json",           # a real file, but not by its served URL
])
def test_only_published_static_files_can_be_inlined(plan_db, url):
    spec = alt.Chart(alt.UrlData(url)).mark_point().encode(x="x:Q").to_dict()
    with pytest.raises(chart_export.ChartExportError):
        chart_export.convert(spec, "svg")
    lookup = map_chart.choropleth("project_count", None).to_dict()
    lookup["layer"][0]["transform"][1]["from"]["data"]["url"] = url    # a URL nested in a lookup is checked too
    with pytest.raises(chart_export.ChartExportError):
        chart_export.export_spec(lookup)


def test_a_symlink_out_of_the_static_folder_is_refused(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (tmp_path / "secret.json").write_text("[]", encoding="utf-8")
    os.symlink(tmp_path / "secret.json", static / "link.json")
    with pytest.raises(chart_export.ChartExportError):
        chart_export.static_file(STATIC_URL_PREFIX + "link.json", static)


def test_a_rebuilt_static_file_gives_a_new_export(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    data_file = static / "district_metrics.json"
    chart = alt.Chart(alt.UrlData(DISTRICT_METRICS_URL)).mark_text().encode(text="name_zh:N")
    data_file.write_text(json.dumps([{"name_zh": "瑞安市"}], ensure_ascii=False), encoding="utf-8")
    first = chart_export.convert(chart, "svg", static_dir=static).decode("utf-8")
    data_file.write_text(json.dumps([{"name_zh": "乐清市"}], ensure_ascii=False), encoding="utf-8")
    os.utime(data_file, ns=(data_file.stat().st_atime_ns, data_file.stat().st_mtime_ns + 1_000_000_000))
    second = chart_export.convert(chart, "svg", static_dir=static).decode("utf-8")
    assert ">瑞安市<" in first and ">乐清市<" in second



def _page_specs() -> dict[str, dict]:
    """Each chart the investment and indicator pages offer for download, as the pages build it."""
    from lib.web import chart_specs
    from lib.charts.investment_charts import totals_line

    totals = totals_line(1, 1, 1, "zh")
    return {
        "by-district": chart_specs.area_spec("330381", totals, "zh"),
        "by-sector": chart_specs.category_spec("sector", "按行业（本项目归类）", "330381", totals, "zh"),
        "by-type": chart_specs.category_spec("project_type", "按项目类型（附件2）", None, totals, "zh"),
        "periods": chart_specs.timeline_spec("330381", totals, "zh"),
        "by-year": chart_specs.yearly_spec(None, totals, "zh"),
        "indicator": chart_specs.indicator_detail_spec("hitech_enterprises", "zh"),
        **{f"ambition-{k}": v for k, v in chart_specs.ambition_specs("zh").items()},
        "panel": chart_specs.indicator_panel_spec("tech_contract_value", "zh"),
    }


# Chinese each chart must carry in its SVG (from its inlined data or its titles).
PAGE_CHART_TEXT = {"by-district": "瑞安市", "by-sector": "按行业", "by-type": "续建", "periods": "东新科创园",
                   "by-year": "2023", "indicator": "高新技术企业数量", "ambition-rate": "高新技术企业",
                   "ambition-points": "年均提高（百分点）", "panel": "技术（合同）交易总额"}


# A vl-convert export each: make check exports a bar chart, the timeline and the indicator path; make test all.
@pytest.mark.parametrize("name", sampled(list(PAGE_CHART_TEXT), {"by-district", "periods", "indicator"}))
def test_every_page_chart_exports_with_its_data_and_chinese_text(plan_db, name):
    spec = _page_specs()[name]
    svg = chart_export.convert(spec, "svg").decode("utf-8")
    assert PAGE_CHART_TEXT[name] in svg and chart_export.CJK_FONT in svg
    assert svg.count("<path") > 5, "marks drawn from the inlined data"
    ink = _gray(chart_export.convert(spec, "png"))
    assert (ink < 128).sum() > 2_000  # text and marks on the rendered image, not a blank page


FOOTER = chart_export.footer_lines("区县地图", "瑞安市", "来源：地图：附件2“十四五”计划投资按区县求和（派生）",
                                   "数据构建日期：2026-11-30", "温州科技创新“十四五”规划浏览",
                                   "https://example.org/?district=330381")


def test_every_format_carries_the_footer_below_the_chart(plan_db):
    """A forwarded image says what it is and where it comes from: title and district, the source in the
    plan, the build date and the explorer, as text in SVG and PDF and drawn in the PNG below the chart."""
    spec = map_chart.choropleth("planned_investment_yi", "330381").to_dict()
    svg = chart_export.convert(spec, "svg", footer=FOOTER).decode("utf-8")
    for line in ("区县地图 · 瑞安市", "来源：地图：附件2“十四五”计划投资按区县求和（派生）",
                 "数据构建日期：2026-11-30 · 温州科技创新“十四五”规划浏览", "https://example.org/?district=330381"):
        assert f">{line}</text>" in svg, line
    bare = chart_export.convert(spec, "svg").decode("utf-8")
    height = float(bare.split('height="')[1].split('"')[0])
    total = float(svg.split('height="')[1].split('"')[0])
    assert total == height + 2 * chart_export.FOOTER_PAD + 4 * chart_export.FOOTER_LEADING
    pypdf = pytest.importorskip("pypdf")
    text = pypdf.PdfReader(io.BytesIO(chart_export.convert(spec, "pdf", footer=FOOTER))).pages[0].extract_text()
    assert "来源：地图：附件2“十四五”计划投资按区县求和（派生）" in text and "2026-11-30" in text
    assert "瑞安市" in text                        # the chart's own text stays text too
    png = _gray(chart_export.convert(spec, "png", footer=FOOTER))
    assert png.shape[0] == round(total * chart_export.PNG_SCALE)
    band = png[round(height * chart_export.PNG_SCALE):]       # the footer, below the chart
    assert (band < 128).sum() > 2_000                          # its four lines are drawn


def test_a_long_footer_wraps_inside_the_width_and_markup_stays_text():
    chart = _titled_chart("x")
    source = "Annex 2 (Major projects), summed by the district of each project's location (derived); " * 3
    svg = chart_export.convert(chart, "svg", footer=("<b>Title</b> & more", source)).decode("utf-8")
    width = float(svg.split('width="')[1].split('"')[0])
    import re

    lines = re.findall(r'<text x="10" y="[\d.]+" font-size="11" font-weight="\w+">([^<]*)</text>', svg)
    assert lines[0] == "&lt;b&gt;Title&lt;/b&gt; &amp; more" and len(lines) > 2
    from html import unescape

    assert all(chart_export._text_width(unescape(line), chart_export.FOOTER_SIZE) <= width - 2 * chart_export.FOOTER_PAD
               for line in lines)
    assert unescape(" ".join(lines[1:])).split() == source.split()       # every word, in order


def test_labels_are_printed_in_full(plan_db):
    """The page cuts long axis labels to keep the chart in its column; a file prints them whole:
    the enclave's English name was "Jiading District, Shanghai (science e…"."""
    from lib.web import chart_specs
    from lib.charts.investment_charts import totals_line

    spec = chart_specs.area_spec(None, totals_line(1, 1, 1, "en"), "en")
    assert "labelLimit" in json.dumps(spec)
    svg = chart_export.convert(spec, "svg").decode("utf-8")
    assert ">Jiading District, Shanghai (science enclave)<" in svg and "…<" not in svg
