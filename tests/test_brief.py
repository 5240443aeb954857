"""The meeting brief (lib/files/brief.py + lib/files/brief_template.typ): real Typst renders of the real database.

Expected names and figures are read off the plan text: district names and roles from 专栏7
(lines 249–260), projects and investments from 附件2 (the plan totals 7,612,343 / 5,875,598 万元
are the sums over its 37 rows, also used in tests/test_charts.py), indicators from 主要指标表.
"""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

pypdf = pytest.importorskip("pypdf")
# Typst sets the brief in Noto Sans CJK: without the font the layout, the text and the fonts differ.
pytestmark = pytest.mark.system("fonts-noto-cjk")

from lib.files import brief  # noqa: E402
from lib.web import briefs, queries  # noqa: E402
from lib.pipeline import freshness  # noqa: E402
from tests.conftest import sampled  # noqa: E402

# 专栏7 市县协同创新推进计划: the twelve county-level districts, by adcode.
DISTRICT_NAMES = {
    "330302": "鹿城区", "330303": "龙湾区", "330304": "瓯海区", "330305": "洞头区", "330324": "永嘉县",
    "330326": "平阳县", "330327": "苍南县", "330328": "文成县", "330329": "泰顺县", "330381": "瑞安市",
    "330382": "乐清市", "330383": "龙港市",
}
A4_LANDSCAPE = (841.89, 595.28)   # 297 × 210 mm in points
HOSTILE = '#set page(height: 1cm) $x^2$ ] [ \\ " * _ <lab> @ref // /* `raw` #panic("boom")'


def _pdf_text(data: bytes) -> tuple[int, object, str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return len(reader.pages), reader.pages[0].mediabox, reader.pages[0].extract_text()


def _pdf_fonts(data: bytes) -> set[str]:
    fonts = pypdf.PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"]
    return {str(fonts[name].get_object()["/BaseFont"]).split("+")[-1] for name in fonts}


def _squash(text: str) -> str:
    """PDF text extraction puts spaces and line breaks where lines wrap; compare without them."""
    return "".join(text.split())


def _content(district: str | None, lang: str = "zh", **frames):
    data = {
        "metrics": queries.district_metrics(), "districts": queries.districts(), "totals": queries.plan_totals(),
        "projects": queries.projects(district), "platforms": queries.platforms(district),
        "indicators": briefs.indicator_rows(lang), "meta": queries.build_meta(),
    }
    data.update(frames)
    return brief.compose(district, lang, data["metrics"], data["districts"], data["totals"], data["projects"],
                         data["platforms"], data["indicators"], data["meta"])


# A Typst render each: make check renders the city and one district, make test every district.
@pytest.mark.parametrize("district", sampled([None, *DISTRICT_NAMES], {None, "330381"}))
def test_brief_pdf_is_one_a4_landscape_page_with_the_name_as_text(plan_db, district):
    pages, box, text = _pdf_text(briefs.make_brief(district, "zh", "pdf"))
    assert pages == 1
    assert float(box.width) == pytest.approx(A4_LANDSCAPE[0], abs=1)
    assert float(box.height) == pytest.approx(A4_LANDSCAPE[1], abs=1)
    assert (DISTRICT_NAMES[district] if district else "温州市") in text     # selectable text, not pixels
    # The footer: the plan as source and the data's date, the day its newest input last changed.
    built = freshness.build_inputs().newest_date().date().isoformat()
    assert "《温州市科技创新“十四五”规划》" in _squash(text)
    assert f"数据构建日期：{built}" in _squash(text)


def test_brief_pdf_embeds_the_named_cjk_font(plan_db):
    """Typst would silently fall back to another font; the brief names Noto Sans CJK SC and embeds it."""
    fonts = _pdf_fonts(briefs.make_brief("330381", "zh", "pdf"))
    assert fonts == {"NotoSansCJKsc-Regular-Identity-H", "NotoSansCJKsc-Bold-Identity-H"}


def test_district_brief_figures_come_from_the_plan(plan_db):
    """瑞安市: one project in 附件2 (row 19, 东新科创园: 总投资 500000, 计划投资 450000 万元), 3 platforms."""
    text = _squash(_pdf_text(briefs.make_brief("330381", "zh", "pdf"))[2])
    assert "东新科创园" in text and "附件2重大项目第19行" in text
    assert "45.00亿元" in text and "50.00亿元" in text
    # Of the 36 projects in Wenzhou (附件2 less row 17, the enclave in 嘉定: 100000 / 100000 万元).
    assert f"占全市{100 * 450_000 / 5_775_598:.1f}%" in text              # 7.8%
    assert f"占全市{100 * 500_000 / 7_512_343:.1f}%" in text              # 6.7%
    assert "占全市=区县合计÷温州市内36个项目合计（不含市外的科技飞地项目；派生）" in text
    assert "高端智能汽车关键零部件创新生态示范区" in text                     # 专栏7, line 253
    assert "专栏7市县协同创新推进计划·瑞安市，第253行" in text


def test_city_brief_lists_the_largest_projects_and_every_district_role(plan_db):
    text = _squash(_pdf_text(briefs.make_brief(None, "zh", "pdf"))[2])
    # 附件2 第2行 瓯江实验室: 计划投资 680000 万元, the largest of the 37.
    assert "瓯江实验室" in text and "68.00" in text
    assert "587.56" in text and "761.23" in text                         # the 附件2 totals in 亿元
    for role in ("全球眼健康科创引领高地", "温州西南（浙南闽北）生态产业集聚区", "国家级高新技术产业集聚区"):
        assert role in text


def test_indicators_show_plan_base_target_and_the_scorecard_status(plan_db):
    text = _squash(_pdf_text(briefs.make_brief(None, "zh", "pdf"))[2])
    # 主要指标表 第1行: R&D经费占地区生产总值的比重 2.2左右 → 3.0左右; 第11行 顶尖人才 has no 2020 value.
    assert "R&D经费占地区生产总值的比重" in text and "2.2左右" in text and "3.0左右" in text
    rows = {r.code: r for r in briefs.indicator_rows("zh")}
    assert rows["top_talent"].base == "—"
    # data/curated/observations.csv: 高新技术产业增加值占比 64.7 % in 2021 (english.wenzhou.gov.cn, official)
    # ≥ the floor 62以上 → achieved, with its year and grade; the 73 % of 2024/2025 are unattributed leads.
    assert rows["hitech_va_share"].latest == "64.7（2021，官方）"
    assert rows["hitech_va_share"].status == "◆ 已达标"
    # An unsigned article's 3 % (= the target): a lead, never a result.
    assert rows["rd_gdp_share"].latest == "3（2024，未核实）" and rows["rd_gdp_share"].status == "× 仅有未核实线索"
    # One reported year of a five-year average target.
    assert rows["hitech_investment_growth"].status == "◇ 年数不足"
    assert rows["top_talent"].latest is None and rows["top_talent"].status == "— 无公开数值"
    assert "64.7（2021，官方）" in text and "暂无评估" not in text
    for code in ("rd_gdp_share", "high_value_patents_per_10k", "hitech_investment_growth"):
        assert "已达标" not in rows[code].status
    # The footnote: what the marks mean, and the statuses counted by grade.
    assert "◆官方发布·◇媒体转述（待官方核实）" in text
    assert "已达标：官方1·待官方核实0" in text


def test_english_brief_says_provisional_and_unverified(plan_db):
    text = _squash(_pdf_text(briefs.make_brief(None, "en", "pdf"))[2])
    rows = {r.code: r for r in briefs.indicator_rows("en")}
    assert rows["rd_gdp_share"].status == "× Unverified leads only"
    assert rows["hitech_va_share"].status == "◆ Target achieved"
    assert "◆official·◇reported(provisional)·×unverifiedlead(notscored)" in text


def test_indicator_status_given_by_the_caller_is_shown(plan_db):
    rows = briefs.indicator_rows("zh")
    rows[0] = brief.IndicatorRow(**{**rows[0].__dict__, "latest": "2.9（2024）", "status": "接近目标"})
    content = _content("330381", indicators=rows)
    text = _squash(_pdf_text(brief.render(content, brief.map_svg("330381"), "pdf"))[2])
    assert "2.9（2024）" in text and "接近目标" in text
    assert "暂无评估" not in text                                      # every row carries a status


def _title_crop(png: bytes) -> np.ndarray:
    """The district name in the header (30 pt at 144 ppi, below the top margin and the kicker line)."""
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"))[80:138, 60:250]


def test_brief_png_draws_the_chinese_glyphs(plan_db):
    """Same page, two names of the same length: missing glyphs would be identical boxes (tofu)."""
    content = _content("330381")
    svg = brief.map_svg("330381")
    first = _title_crop(brief.render({**content, "title": "瑞安市"}, svg, "png"))
    second = _title_crop(brief.render({**content, "title": "乐清市"}, svg, "png"))
    assert (first < 100).sum() > 1_500 and (second < 100).sum() > 1_500   # ink: big bold glyphs
    assert (first != second).sum() > 1_500
    image = Image.open(io.BytesIO(briefs.make_brief("330381", "zh", "png")))
    assert image.size == (round(297 / 25.4 * brief.PNG_PPI), round(210 / 25.4 * brief.PNG_PPI))


def test_brief_png_shows_the_highlighted_map(plan_db):
    rgb = np.asarray(Image.open(io.BytesIO(briefs.make_brief("330381", "zh", "png"))).convert("RGB")).astype(int)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    assert ((b - r > 25) & (b > 150)).sum() > 50_000                    # district fills (and the blue type)
    assert ((r > 180) & (g < 80) & (b < 80)).sum() > 500                # 瑞安市's red outline


def test_hostile_text_prints_literally_and_cannot_inject(plan_db):
    """Names and plan text with Typst syntax are data: printed as written, one page, nothing run."""
    metrics = queries.district_metrics().copy()
    districts = queries.districts().copy()
    projects = queries.projects("330381").copy()
    platforms = queries.platforms("330381").copy()
    metrics.loc[metrics["adcode"] == "330381", ["name_zh", "role_zh"]] = [HOSTILE[:30], HOSTILE[:40]]
    districts.loc[districts["adcode"] == "330381", "positioning_zh"] = HOSTILE
    projects["name_zh"] = HOSTILE[:48]
    platforms["name_zh"] = '#image("/etc/passwd")'
    content = _content("330381", metrics=metrics, districts=districts, projects=projects, platforms=platforms)
    pages, box, text = _pdf_text(brief.render(content, brief.map_svg("330381"), "pdf"))
    assert pages == 1 and float(box.height) == pytest.approx(A4_LANDSCAPE[1], abs=1)
    squashed = _squash(text)
    assert _squash(HOSTILE) in squashed                                  # the positioning text, verbatim
    assert _squash('#panic("boom")') in squashed and _squash('#image("/etc/passwd")') in squashed
    assert "$x^2$" in squashed and "<lab>" in squashed and "`raw`" in squashed


def test_overlong_text_is_capped_and_still_one_page(plan_db):
    districts = queries.districts().copy()
    districts.loc[districts["adcode"] == "330303", "positioning_zh"] = "长" * 5_000
    projects = queries.projects("330303").copy()
    projects["name_zh"] = "名称很长的项目" * 30
    content = _content("330303", districts=districts, projects=projects)
    assert len(content["positioning"]["text"]) == brief.LIMITS["positioning"]
    pages, _, text = _pdf_text(brief.render(content, brief.map_svg("330303"), "pdf"))
    assert pages == 1
    assert "共15个项目，此处列出" in _squash(text)                      # fewer listed, and the page says so


def test_a_page_that_cannot_fit_is_refused_not_split(plan_db):
    rows = [brief.IndicatorRow(code=f"c{i}", name="指标" * 55, unit="%", base="1", target="2") for i in range(60)]
    with pytest.raises(brief.BriefLayoutError):
        brief.render(_content(None, indicators=rows), brief.map_svg(None), "pdf")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("district", [None, *DISTRICT_NAMES])
def test_real_text_is_never_capped(plan_db, district, lang):
    content = _content(district, lang)
    strings = [content["role"], content["positioning"]["text"], content["platforms"]["names"],
               *(r["name"] for r in content["projects"]["rows"]), *(r["name"] for r in content["indicators"]["rows"]),
               *(r["role"] for r in content["positioning"]["roles"])]
    assert not any(s.endswith("…") for s in strings)


def test_english_brief_uses_curated_english_names(plan_db):
    pages, _, text = _pdf_text(briefs.make_brief("330303", "en", "pdf"))
    assert pages == 1
    assert "Longwan District" in text                                    # data/curated district name
    assert "R&D expenditure as share of GDP" in _pdf_text(briefs.make_brief(None, "en", "pdf"))[2]


def test_briefs_are_cached_per_view(plan_db):
    assert briefs.make_brief("330305", "zh", "pdf") is briefs.make_brief("330305", "zh", "pdf")
    assert briefs.make_brief("330305", "en", "pdf") is not briefs.make_brief("330305", "zh", "pdf")


def test_file_names():
    assert brief.file_name("瑞安市", "zh", "pdf") == "会议简报-瑞安市.pdf"
    assert brief.file_name(None, "zh", "png") == "会议简报-全市.png"
    assert brief.file_name("Rui'an City", "en", "pdf").endswith("-Ruian_City.pdf")
