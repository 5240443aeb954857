"""The one-page meeting brief (A4 landscape, PDF or PNG) for a district or the whole city.

What it shows: the map with the district highlighted, the key figures (projects,
investment and its share of the city, platforms), the top projects, the district's
positioning from 专栏7 (for the city: every district's role), and the city's main
indicators with whatever status the caller supplies. Footer: the plan as source and
the date the data was built.

How: Typst (the PyPI ``typst`` package, no network, fonts from the system) lays out
``brief_template.typ``. All text reaches the template as one JSON string in
``sys.inputs`` and is inserted as text, never parsed as markup, so plan text with
``#``, ``$``, ``*`` or ``]`` prints as written. The map is the app's own choropleth,
exported to SVG by :mod:`lib.files.chart_export`.

Data in, bytes out: :func:`compose` takes the figures, :func:`render` makes the file.
The web layer gathers the data through its cached queries and keeps each file per
(district, language, format, data build) for the whole process (lib/web/briefs.py).
"""
from __future__ import annotations

import functools
import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import pandas as pd

from lib.charts import map_chart
from lib.domain import evidence, scorecard
from lib.domain.citations import cite
from lib.domain.i18n import DEFAULT_LANG, N_, translator
from lib.domain.units import money_divisor, money_unit, plan_unit, plan_value
from lib.files import chart_export

TEMPLATE = Path(__file__).resolve().parent / "brief_template.typ"
FONT = chart_export.CJK_FONT           # Debian fonts-noto-cjk (scripts/install_system_deps.sh)
FORMATS = {"pdf": "application/pdf", "png": "image/png"}
PNG_PPI = 144                          # 1684 × 1191 px: sharp on a projector, small enough to send
MAP_METRIC = map_chart.DEFAULT_METRIC
MAP_WIDTH, MAP_HEIGHT = 380, 400       # px in the exported SVG; scaled to the map column
PLAN_TITLE = N_("《温州市科技创新“十四五”规划》")


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator as the brief shows it. ``status`` is the caller's label (e.g. from the
    progress assessment); None means "not assessed" and is shown as such, never guessed."""
    code: str
    name: str
    unit: str
    base: str                  # 2020 value as the plan writes it, e.g. "2.2左右"
    target: str                # 2025 target as the plan writes it, e.g. "62以上"
    latest: str | None = None  # latest actual, with its year, as text
    status: str | None = None


def indicator_rows(targets: pd.DataFrame, lang: str = DEFAULT_LANG) -> list[IndicatorRow]:
    """Rows from the indicators table (base and target only: no actuals, no status)."""
    if lang == DEFAULT_LANG:
        return [IndicatorRow(code=r["code"], name=r["name_zh"], unit=r["unit"], base=_plan_value(r["base_text"]),
                             target=_plan_value(r["target_text"])) for r in targets.to_dict("records")]
    # English: curated names; values from the numbers with the qualifier in words, money converted.
    return [IndicatorRow(code=r["code"], name=r["name_en"] or r["name_zh"], unit=plan_unit(r["unit"], lang),
                         base=plan_value(None, r["base_2020"], r["base_qualifier"], r["unit"], lang, with_unit=False),
                         target=plan_value(None, r["target_2025"], r["target_qualifier"], r["unit"], lang,
                                           with_unit=False))
            for r in targets.to_dict("records")]


def _plan_value(text: str | None) -> str:
    return "—" if text is None or text.strip() in ("", "--", "-") else text.strip()


def _money(wan: float, lang: str) -> str:
    """An amount in the language's money unit (亿元 / CNY bn), the number only."""
    return f"{wan / money_divisor(lang):,.2f}"


def _share(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def _date(meta: dict) -> str:
    return str(meta.get("built_at") or "")[:10] or "—"


def _capped(text: str | None, limit: int) -> str:
    """A guard for one page, not an editor: real plan text is far below every limit (tested)."""
    text = "" if text is None else str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Longest real values: district role 19 characters, positioning 145, project name 23 (English 112),
# English indicator name 88, all platform names of the city joined 136 (English 484).
LIMITS = {"role": 40, "positioning": 260, "project": 130, "indicator": 110, "platforms": 560, "short": 24}


def _figures(district: str | None, row: pd.Series | None, totals: dict, projects: pd.DataFrame, _,
             lang: str) -> list[dict]:
    if district:
        counts = (int(row["project_count"]), row["planned_investment_wan"], row["total_investment_wan"],
                  int(row["platform_count"]))
        notes = (_("附件2，按建设地点归入"),
                 _("占全市 {share}").format(share=_share(counts[1], totals["city_planned_investment_wan"])),
                 _("占全市 {share}").format(share=_share(counts[2], totals["city_total_investment_wan"])),
                 _("附件1 点名该区县的平台"))
    else:
        counts = (totals["project_count"], totals["planned_investment_wan"], totals["total_investment_wan"],
                  totals["platform_count"])
        notes = (_("附件2 全部项目（含市外 {n} 个）").format(n=int(projects["outside_wenzhou"].sum())),
                 _("附件2 合计"), _("附件2 合计"), _("附件1"))
    count_unit = _("个") if lang == DEFAULT_LANG else ""   # Chinese counts take 个; English ones no unit
    return [
        {"label": _("重大项目"), "value": f"{counts[0]:,}", "unit": count_unit, "note": notes[0]},
        {"label": _("“十四五”计划投资"), "value": _money(counts[1], lang), "unit": money_unit(lang), "note": notes[1],
         "strong": bool(district)},
        {"label": _("项目总投资"), "value": _money(counts[2], lang), "unit": money_unit(lang), "note": notes[2],
         "strong": bool(district)},
        {"label": _("涉及重大平台") if district else _("重大平台"), "value": f"{counts[3]:,}", "unit": count_unit,
         "note": notes[3]},
    ]


def _positioning(district: str | None, metrics: pd.DataFrame, districts: pd.DataFrame, lang: str, _) -> dict:
    english = lang != DEFAULT_LANG
    original = _("原文为中文") if english else ""
    if district:
        d = districts.set_index("adcode").loc[district]
        return {"heading": _("规划定位（专栏7 原文）"), "original_note": original, "roles": [],
                "text": _capped(d["positioning_zh"], LIMITS["positioning"]),
                "source": _("{ref}，第 {line} 行").format(ref=cite(d["source"], lang), line=int(d["source_line"]))}
    # Roles are the plan's words (专栏7): in English they stay in Chinese, under the "original" note.
    roles = [{"name": _capped(r["name_en"] if english else r["name_zh"], LIMITS["short"]),
              "role": _capped(r["role_zh"], LIMITS["role"])} for r in metrics.to_dict("records")]
    return {"heading": _("各区县定位（专栏7）"), "original_note": original, "roles": roles, "text": "",
            "source": _("专栏7 市县协同创新推进计划")}


def _project_rows(projects: pd.DataFrame, place_names: dict[str, str], limit: int, lang: str) -> list[dict]:
    """The view's largest projects by 十四五 planned investment (then total, then plan order)."""
    top = projects.sort_values(["planned_investment_wan", "total_investment_wan", "project_no"],
                               ascending=[False, False, True]).head(limit)
    rows = []
    for p in top.to_dict("records"):
        # Outside Wenzhou the place is the plan's location (上海市嘉定区); English has no name for it but the zone's.
        place = place_names.get(p["district_adcode"]) if p["district_adcode"] else \
            (p["location_text"] if lang == DEFAULT_LANG else None)
        rows.append({
            "name": _capped(p["name_zh"] if lang == DEFAULT_LANG else p["name_en"], LIMITS["project"]),
            "detail": " · ".join(str(x) for x in (_capped(place, LIMITS["short"]) if place else "",
                                                  f"{p['start_year']}–{p['end_year']}", cite(p["source"], lang))
                                 if x),
            "planned": _money(p["planned_investment_wan"], lang),
            "total": _money(p["total_investment_wan"], lang),
        })
    return rows


def compose(district: str | None, lang: str, metrics: pd.DataFrame, districts: pd.DataFrame, totals: dict,
            projects: pd.DataFrame, platforms: pd.DataFrame, indicators: list[IndicatorRow], meta: dict,
            indicator_note: str = "") -> dict:
    """Everything the template prints, as plain JSON-able data (UI words translated for ``lang``).

    ``metrics``: per-district figures (lib/web/queries.district_metrics); ``districts``: names and
    sources (``queries.districts``); ``totals``: the whole plan (``queries.plan_totals``);
    ``projects`` and ``platforms``: the view's (``queries.projects``/``queries.platforms``);
    ``indicators``: the rows to list, with whatever status they carry (:func:`rows_with_status`);
    ``indicator_note``: the footnote under them (what the marks mean, statuses counted by grade:
    :func:`indicator_note`); ``meta``: ``queries.build_meta``.
    """
    _ = translator(lang)
    english = lang != DEFAULT_LANG
    place_names = dict(zip(metrics["adcode"], metrics["name_en" if english else "name_zh"]))
    row = metrics.set_index("adcode").loc[district] if district else None
    if district:
        title, title_alt = (row["name_en"], row["name_zh"]) if english else (row["name_zh"], row["name_en"])
        role = _capped(row["role_zh"], LIMITS["role"])  # the plan's words; marked as the original in English
    else:
        title, title_alt, role = _("温州市"), ("温州市" if english else ""), _("全市 12 个县级行政区")
    assessed = any(i.status for i in indicators)
    return {
        "lang": lang,
        "font": FONT,
        "density": 0,
        # map column (% of the width), indicators column (× the middle one): English names are longer
        "body_columns": [30, 1.1] if not english else [20, 1.6],
        "document_title": _("会议简报 · {name}").format(name=title),
        "kicker": _("温州市科技创新“十四五”规划 · 会议简报"),
        "title": title,
        "title_alt": title_alt,
        "role_label": (_("专栏7 定位（原文）") if english else _("专栏7 定位")) if district else "",
        "role": role,
        "figures": _figures(district, row, totals, projects, _, lang),
        "map_caption": _("地图：“十四五”计划投资（{unit}），附件2 按区县求和（派生）").format(unit=money_unit(lang)) + (
            _("；红框为{name}").format(name=place_names[district]) if district else ""),
        "positioning": _positioning(district, metrics, districts, lang, _),
        "platforms": {
            "heading": _("涉及的重大平台（附件1）") if district else _("重大平台（附件1）"),
            "names": _capped((", " if english else "、").join(platforms["name_en" if english else "name_zh"]),
                             LIMITS["platforms"]),
            "empty": _("附件1 的平台文字没有点名该区县。"),
        },
        "projects": {
            "heading": _("重点项目"),
            "columns": [_("项目"), _("计划投资"), _("总投资")],
            "unit_note": _("按“十四五”计划投资排序，单位：{unit}").format(unit=money_unit(lang)),
            "rows": _project_rows(projects, place_names, FIT_ATTEMPTS[0][1], lang),
            "count": len(projects),
            "omitted": "",
            "omitted_template": _("共 {n} 个项目，此处列出 {shown} 个；全部项目见“重大项目”页。"),
            "empty": _("附件2 重大项目表中没有列出该区县的项目。"),
        },
        "indicators": {
            "heading": _("全市主要指标"),
            "source": _("一（五）主要指标表"),
            "columns": [_("指标（单位）"), _("2020 基期"), _("2025 目标"), _("最新值 / 状态")],
            "rows": [{**asdict(i), "name": _capped(i.name, LIMITS["indicator"]), "latest": i.latest or "",
                      "status": i.status or _("暂无评估")} for i in indicators],
            "note": indicator_note if assessed else _("未接入实际值：状态暂无评估。"),
        },
        "footer": {
            "source": _("资料来源：{plan}（主要指标表、专栏7、附件1、附件2）。区县项目与投资按附件2 建设地点归入区县后合计；"
                        "占全市 = 区县合计 ÷ 温州市内 {n} 个项目合计（不含市外的科技飞地项目；派生）。"
                        "1 亿元 = 10 000 万元。").format(plan=_(PLAN_TITLE), n=totals["city_project_count"]),
            "built": _("数据构建日期：{date}").format(date=_date(meta)),
        },
    }


@functools.cache
def _fonts():
    """The system fonts, scanned once per process (~50 ms), shared by every compile."""
    import typst  # only when a brief is made: the page processes need not load Typst

    return typst.Fonts(include_system_fonts=True, include_embedded_fonts=True)


class BriefLayoutError(RuntimeError):
    """The content does not fit one page even with the tightest type and no project list."""


# Tried in order until the body fits: (type density 0–2, projects listed at most).
FIT_ATTEMPTS = ((0, 5), (1, 5), (1, 4), (2, 4), (2, 3), (2, 2), (2, 1), (2, 0))


def _compile(content: dict, map_svg: str, fmt: str, ppi: float) -> bytes:
    import typst

    inputs = {"data": json.dumps(content, ensure_ascii=False), "map_svg": map_svg}
    return typst.compile(str(TEMPLATE), root=str(TEMPLATE.parent), font_paths=_fonts(), format=fmt,
                         ppi=ppi if fmt == "png" else None, sys_inputs=inputs)


def render(content: dict, map_svg: str, fmt: str, ppi: float = PNG_PPI) -> bytes:
    """The brief as PDF or PNG bytes. ``content`` from :func:`compose`; ``map_svg`` an SVG document.

    The template refuses a body column taller than the page has room for; then the type is
    set tighter and fewer projects are listed (the note says how many more there are), so
    the brief is always one page and nothing in it is cut off.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown brief format {fmt!r}")
    rows = content["projects"]["rows"]
    for density, listed in FIT_ATTEMPTS:
        shown = rows[:listed]
        attempt = {**content, "density": density,
                   "projects": {**content["projects"], "rows": shown,
                                "omitted": content["projects"]["omitted_template"].format(
                                    n=content["projects"]["count"], shown=len(shown))
                                if content["projects"]["count"] > len(shown) else ""}}
        try:
            return _compile(attempt, map_svg, fmt, ppi)
        except Exception as error:  # typst.TypstError; Typst is imported lazily
            if type(error).__name__ != "TypstError":
                raise
            if "brief-overflow" not in str(error):
                raise
    raise BriefLayoutError("brief content does not fit one page")


def map_svg(district: str | None, lang: str = DEFAULT_LANG) -> str:
    """The app's choropleth with ``district`` outlined, as SVG (cached by lib.files.chart_export)."""
    chart = map_chart.choropleth(MAP_METRIC, district, height=MAP_HEIGHT, lang=lang).properties(width=MAP_WIDTH)
    return chart_export.convert(chart, "svg").decode("utf-8")


def rows_with_status(targets: pd.DataFrame, card: pd.DataFrame, lang: str = DEFAULT_LANG) -> list[IndicatorRow]:
    """The indicator rows the brief lists: base and target (``targets``, the indicators table), and the latest
    published actual with its status from ``card`` (lib/domain/scorecard.scorecard of the curated observations:
    the brief is shared by every session, so one visitor's upload never appears in it)."""
    _ = translator(lang)
    card = card.set_index("code")
    rows = []
    for row in indicator_rows(targets.sort_values("row_no"), lang):
        entry = card.loc[row.code]
        # The source's grade goes with every value, and its mark with the status (lib/domain/evidence.py):
        # an unattributed value is shown as an unverified lead, never as a result.
        grade = None if pd.isna(entry["latest_value"]) else evidence.GRADE_SHORT[entry["grade_code"]]
        latest = None if grade is None else _("{value}（{year}，{grade}）").format(
            value=entry["latest_value"], year=int(entry["latest_year"]), grade=_(grade))
        rows.append(replace(row, latest=latest, status=f"{entry['mark']} {entry['status_label']}"))
    return rows


def indicator_note(card: pd.DataFrame, lang: str) -> str:
    """The indicator column's footnote: what the marks mean and the statuses of ``card`` counted by grade."""
    _ = translator(lang)
    legend = _("◆ 官方发布 · ◇ 媒体转述（待官方核实）· × 未核实线索（不计分）· — 无公开数值")
    return f"{legend}。{scorecard.summary(card, lang)}" if lang == DEFAULT_LANG \
        else f"{legend}. {scorecard.summary(card, lang)}"


def file_name(district_name: str | None, lang: str, fmt: str) -> str:
    """Download name, e.g. ``会议简报-瑞安市.pdf``; ``district_name`` None for the whole city."""
    _ = translator(lang)
    place = district_name or _("全市")
    stem = _("会议简报-{place}").format(place=place)
    return f"{stem}.{fmt}".replace(" ", "_").replace("'", "")
