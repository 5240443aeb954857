"""English everywhere (issue 8): the catalog is complete, no UI text bypasses it, and every page in
English shows no Chinese in its chrome except the plan's own text, marked as the original.

The catalog's ids are extracted from the code exactly as ``make i18n`` does (pybabel, same keywords
and options), so a new ``_()`` without an English text fails here, not in front of a reader.
"""
from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from google.protobuf.message import Message as ProtoMessage
from streamlit.testing.v1 import AppTest

from lib.domain import citations, i18n, units
from lib.web.page import PAGES
from tests.conftest import ROOT, sampled

sys.path.insert(0, str(ROOT / "scripts"))
from find_untranslated import untranslated  # noqa: E402

HAN = re.compile(r"[\u3400-\u9fff]")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
EN = i18n.translator("en")
# What English mode writes before Chinese text it shows on purpose (lib/domain/i18n.py): the plan's own
# text (“Original (Chinese)”, a plan-text column “… (original, Chinese)”) and this project's notes
# that exist in Chinese only.
MARKS = (EN(i18n.ORIGINAL), EN(i18n.CHINESE_ONLY), "original, Chinese")


# ---------------------------------------------------------------- 1. the catalog is complete


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> list:
    """The message ids in the code, extracted with the Makefile's i18n command line."""
    out = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "--no-wrap",
                    "-F", "lib/locale/babel.cfg", "-k", "N_", "--no-location", "--sort-output",
                    "-o", str(out), "app.py", "pages", "lib"], cwd=ROOT, check=True)
    with out.open("rb") as handle:
        return [m for m in read_po(handle) if m.id]


def test_every_ui_text_has_an_english_translation(extracted):
    with i18n.catalog_path("en").open("rb") as handle:
        catalog = read_po(handle, locale="en")
    assert len(extracted) > 400          # the whole UI, not an empty extraction
    problems = []
    plurals = 0
    for message in extracted:
        entry = catalog.get(message.id)
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        # A count meeting a noun (ngettext): "1 project" and "{n} projects"; the one form may leave {n} out.
        forms = entry.string if entry is not None and isinstance(entry.string, tuple) else (
            (entry.string,) if entry is not None else ())
        plurals += isinstance(message.id, tuple)
        if isinstance(message.id, tuple) and not (isinstance(entry.string, tuple) and len(forms) == 2):
            problems.append(f"no plural forms: {msgid!r}")
        elif entry is None or not all(forms):
            problems.append(f"no English: {msgid!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        elif sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(forms[-1])) or \
                not set(PLACEHOLDER.findall(forms[0])) <= set(PLACEHOLDER.findall(msgid)):
            problems.append(f"placeholders differ: {msgid!r} → {forms!r}")
        elif any(HAN.search(form) for form in forms):
            problems.append(f"Chinese left in the English: {forms!r}")
    assert plurals >= 5 and not problems, "\n".join(problems)


def test_a_count_meets_its_noun_in_english():
    """ngettext through the catalog: never "1 projects" (the investment chart's subtitle, the projects page)."""
    n = i18n.plural_translator("en")
    line = "合计 {n} 个项目：“十四五”计划投资 {planned}"
    assert n(line, line, 1).format(n=1, planned="CNY 4.5 bn") == "1 project: planned in the 14th FYP CNY 4.5 bn"
    assert n(line, line, 37).format(n=37, planned="x").startswith("37 projects:")
    assert i18n.plural_translator("zh")(line, line, 1) == line


def test_no_catalog_call_hides_in_an_f_string():
    """pybabel cannot see ``_("…")`` inside an f-string, so such a text would never be translated."""
    hidden = []
    for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "lib").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                hidden += [f"{path.relative_to(ROOT)}:{sub.lineno} {ast.unparse(sub)}" for sub in ast.walk(node)
                           if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name)
                           and sub.func.id in ("_", "N_") and any(isinstance(a, ast.Constant) for a in sub.args)]
    assert not hidden, "\n".join(hidden)


# ---------------------------------------------------------------- 2. no Chinese literal bypasses the catalog


def test_pages_have_no_raw_chinese_literal():
    found = [f"{path.name}:{line} {text!r}" for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
             for line, text in untranslated(path)]
    assert not found, "\n".join(found)


# Chinese literals in lib/ that are data, not UI text: (file, a part of the literal, why it stays).
DATA_LITERALS = [
    ("brief.py", "温州市", "the brief's English title keeps the city's Chinese name beside it, as the original name"),
    ("citations.py", "一二三四五六七八九", "the plan's Chinese numerals, to write part and section numbers as it does"),
    ("citations.py", "十", "the plan's Chinese numerals, to write part and section numbers as it does"),
    *(("citations.py", part, "the words of the plan's references, composed in Chinese as the plan writes them "
                             "(the Chinese view; source_ref); English comes from the catalog")
      for part in ("重大", "附件", "第", "行", "任务", "主要指标表", "专栏", "之后", "标题缺失", "前言")),
    ("indicator_facts.py", "预期性", "the indicator table's 指标属性 values, the keys of their catalog words"),
    ("indicator_facts.py", "约束性", "the indicator table's 指标属性 values, the keys of their catalog words"),
    ("investment.py", "新建", "附件2's stored project type (新建 = new), compared, not shown"),
    ("investment_charts.py", "'新建'", "a Vega comparison with 附件2's stored project type"),
    ("lang.py", "中文", "the language switch names each language in that language"),
    *(("observation_rows.py", header, "column headers a person may type in an uploaded file (input, not UI)")
      for header in ("指标", "年", "值", "限定", "单位", "相关口径", "来源", "网址", "发布", "原文", "引文", "说明",
                     "备注")),
    ("queries.py", "'其他'", "SQL: the stored sector label of projects outside the five industries"),
    ("queries.py", "'温州市外'", "SQL: the Chinese name of the area outside Wenzhou (English from zones.name_en)"),
    ("sql.py", "'其他'", "SQL shared with the build: the stored sector label"),
    ("sql.py", "'温州市外", "SQL shared with the build: the Chinese name of the area outside Wenzhou"),
    ("units.py", "亿元", "the money units per language are chosen in lib/domain/units.py beside their divisors"),
    ("units.py", "万元", "the money units per language are chosen in lib/domain/units.py beside their divisors"),
    *(("units.py", unit, "the plan's unit words as stored in the database: keys of their catalog words")
      for unit in ("件", "家", "个", "项", "支", "位", "名", "人", "次", "条")),
    ("projects_view.py", "新建", "附件2's project types as stored and as written in the URL (?type=新建)"),
    ("projects_view.py", "续建", "附件2's project types as stored and as written in the URL (?type=续建)"),
]


def test_lib_chinese_literals_are_all_known_data():
    unexplained, used = [], set()
    # The run-time layers (lib/domain, charts, files, web); the build's own words (lib/pipeline) are data it stores.
    for path in sorted(p for p in (ROOT / "lib").rglob("*.py") if p.relative_to(ROOT / "lib").parts[0] != "pipeline"):
        for line, text in untranslated(path):
            entries = {e[:2] for e in DATA_LITERALS if e[0] == path.name and e[1] in text}
            if not entries:
                unexplained.append(f"{path.relative_to(ROOT)}:{line} {text!r}")
            used |= entries
    assert not unexplained, "UI text must go through the catalog (or be listed with its reason):\n" + \
        "\n".join(unexplained)
    assert not [e for e in DATA_LITERALS if e[:2] not in used], "allow-list entries that match nothing"


# ---------------------------------------------------------------- data shown in English comes from data/


CITING_TABLES = ("indicators", "indicator_history", "goals", "districts", "projects", "platforms", "policies",
                 "reforms", "reform_tasks", "quality_flags", "indicator_groups", "platform_districts", "plan_lines")


def test_every_plan_reference_reads_in_english(db):
    """Every place the pages cite is stored structured (``source``) and composed by lib/domain/citations.py: in
    English without Chinese, in Chinese exactly as the build stored it for the open data (``source_ref``)."""
    composed = 0
    for table in CITING_TABLES:
        for ref, source in db.execute(f"SELECT source_ref, source FROM {table}").fetchall():
            english = citations.cite(source, "en")
            assert english and not HAN.search(english), (table, ref, english)
            if table != "plan_lines":   # a line of the plan: source is its headings, source_ref adds the line
                assert citations.cite(source, "zh") == ref, (table, ref)
            composed += 1
    assert composed > 1000
    # By hand, from the plan: 附件2 第17行 is the Jiading enclave; 一（五）'s indicator table row 8 is 数字经济增加值.
    project, indicator = (db.execute(q).fetchone()[0] for q in (
        "SELECT source FROM projects WHERE name_zh = '温州（嘉定）科创园二期建设项目'",
        "SELECT source FROM indicators WHERE name_zh = '数字经济增加值'"))
    assert [(p["annex"], p["table"], p["row"]) for p in project] == [(2, "重大项目", 17)]
    assert citations.cite(project, "en") == "Annex 2 (Major projects), row 17"
    assert citations.cite(project, "zh") == "附件2 重大项目 第17行"
    assert [(p["part"], p["section"], p["row"]) for p in indicator] == [(1, 5, 8)]
    assert citations.cite(indicator, "en") == "Headline indicator table, row 8"
    assert citations.cite(indicator, "zh") == "一（五）主要指标表 第8行"
    # A text passage that disagrees with the table cites both: the passage at its line, then the table row.
    flag = db.execute("SELECT source FROM quality_flags WHERE check_code = 'text_disagrees_with_table' "
                      "AND entity_key = 'hitech_investment_growth'").fetchone()[0]
    assert citations.cite(flag, "zh") == "一（一）现实基础（line 7）；一（五）主要指标表 第14行"
    assert citations.cite(flag, "en") == "Part 1 (1) (line 7); Headline indicator table, row 14"
    assert "re" not in vars(citations)   # a composer: nothing is read back from text


def test_zone_sources_in_english_name_plan_places_or_say_they_are_chinese(db):
    """A zone's source is a note (data/curated/zones.csv): in English, the plan places it names
    (data/curated/zone_sources.csv), or, where it also cites administrative facts, the note marked."""
    rows = dict((name, (ref, source)) for name, ref, source in
                db.execute("SELECT zone_name, source_ref, source FROM zones").fetchall())
    assert citations.cite_prose(*rows["温州高教园区"], "en") == "Box 3 (line 182); Annex 2, row 22–24"
    assert citations.cite_prose(*rows["浙南科技城"], "en") == "Box 7 (line 250); Annex 2, row 2, 3"
    assert citations.cite_prose(*rows["温州高教园区"], "zh") == "专栏3 瓯海 (line 182); 附件2 第22—24行"
    marked = citations.cite_prose(*rows["三垟湿地"], "en")
    assert marked.startswith(EN(i18n.CHINESE_ONLY)) and "行政区划：瓯海区三垟街道" in marked
    for name, (ref, source) in rows.items():
        english = citations.cite_prose(ref, source, "en")
        assert not HAN.search(english) or english.startswith(EN(i18n.CHINESE_ONLY)), name


def test_every_unit_of_the_plan_has_english(db):
    used = set()
    for table in ("indicators", "goals", "indicator_history", "observations"):
        used |= {r[0] for r in db.execute(f"SELECT DISTINCT unit FROM {table}").fetchall()}
    assert used <= set(units.PLAN_UNITS)
    assert not [u for u in used if HAN.search(units.plan_unit(u, "en"))]
    # 数字经济增加值 (主要指标表 第8行): 3250 亿元 in 2020 = CNY 325 bn; 全社会劳动生产率 12 万元/人 = CNY 0.12 million.
    assert units.plan_value("3250", 3250, "exact", "亿元", "en") == "CNY 325 bn"
    assert units.plan_value("12", 12, "exact", "万元/人", "en") == "CNY 0.12 million per person"
    assert units.plan_value("3.0左右", 3.0, "approx", "%", "en") == "about 3%"
    assert units.plan_value("62以上", 62, "at_least", "%", "en") == "≥ 62%"
    assert units.plan_value("62以上", 62, "at_least", "%", "zh") == "62以上%"


# ---------------------------------------------------------------- 3. every page in English


def _views() -> list[tuple[str, dict]]:
    views = []
    for script, _label in PAGES:
        views += [(script, {}), (script, {"district": "330381"})]
    views += [
        ("pages/3_indicators.py", {"indicator": "hitech_enterprises"}),
        ("pages/3_indicators.py", {"indicator": "digital_economy_va", "district": "330303"}),
        ("pages/1_projects.py", {"project": "17"}),                       # the enclave outside Wenzhou
        ("pages/1_projects.py", {"project": "2", "district": "330303"}),  # a project in a functional zone
        ("pages/8_search.py", {"q": "科技"}),
        ("pages/8_search.py", {"q": "laboratory talent"}),
        ("pages/8_search.py", {"q": "科技", "line": "250"}),
        *(("pages/5_investment.py", {"chart": chart, "district": d}) for chart in ("category", "timeline", "yearly")
          for d in ("", "330303")),
        *(("pages/0_map.py", {"present": "1", "slide": s, "district": "330381"}) for s in ("1", "2", "3", "4")),
        ("pages/0_map.py", {"present": "1", "slide": "4"}),
    ]
    return views


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _strings(message: ProtoMessage, path: str = ""):
    for field, value in message.ListFields():
        name = f"{path}.{field.name}" if path else field.name
        for item in (value if hasattr(value, "__len__") and not isinstance(value, (str, bytes)) else [value]):
            if isinstance(item, ProtoMessage):
                yield from _strings(item, name)
            elif isinstance(item, str):
                yield name, item


def _unmarked(text: str) -> list[str]:
    """Lines of ``text`` with Chinese that no mark announces. Chinese is allowed after a mark on the
    same line, or anywhere in a block whose first line is the mark alone (several lines of plan text)."""
    lines = text.split("\n")
    first = re.sub(r"[*_\\ ]", "", lines[0])
    if any(first == re.sub(r"[\\ ]", "", m) for m in MARKS):
        return []
    bad = []
    for line in lines:
        plain = line.replace("\\", "")
        cut = min((plain.find(m) for m in MARKS if m in plain), default=len(plain))
        if HAN.search(plain[:cut]):
            bad.append(line[:120])
    return bad


# Chinese the English pages show on purpose, by element and field.
LANGUAGE_SWITCH = "中文"   # the sidebar's language switch names Chinese in Chinese (lib/web/lang.LANG_NAMES)
SKIPPED_FIELDS = {"id", "form_id", "value", "default", "raw_value"}   # internal ids, the visitor's own input
FREE_TEXT = {"markdown", "caption", "info", "warning", "error", "success", "alert"}


def _spec_problems(spec: dict) -> list[str]:
    """Chinese in a chart's titles, subtitles, axis and legend titles, tooltip titles, mark texts, or in the
    literal strings of its expressions (legend entries are built there); comparisons with stored data values
    (``datum.project_type == '新建'``) are data."""
    problems = []

    def visit(node, key=""):
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("title", "subtitle", "text") and isinstance(v, (str, list)):
                    texts = [v] if isinstance(v, str) else [t for t in v if isinstance(t, str)]
                    problems.extend(f"{k}: {t}" for t in texts if HAN.search(t))
                elif k in ("calculate", "filter", "test") and isinstance(v, str):
                    literals = re.findall(r"(==\s*|!=\s*)?'([^']*)'", v)
                    problems.extend(f"{k}: {lit}" for op, lit in literals if not op and HAN.search(lit))
                else:
                    visit(v, k)
        elif isinstance(node, list):
            for item in node:
                visit(item, key)

    visit({k: v for k, v in spec.items() if k not in ("data", "datasets")})
    return problems


VIEWS = _views()
# make check: the whole-city views (every page, the detail views, the investment tabs); make test: all.
CITY_VIEWS = [(script, params) for script, params in VIEWS if not params.get("district")]


@pytest.mark.parametrize("script, params", sampled(
    VIEWS, CITY_VIEWS, ids=[f"{s.split('/')[-1]}-{'&'.join(f'{k}={v}' for k, v in p.items()) or 'city'}"
                            for s, p in VIEWS]))
def test_english_pages_show_no_chinese_chrome(plan_db, script, params):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params.update({"lang": "en", **{k: v for k, v in params.items() if v}})
    if script != "app.py":
        at.switch_page(script)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    problems = []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if not isinstance(proto, ProtoMessage):
            continue
        kind = getattr(node, "type", "")
        for field, text in _strings(proto):
            if field == "spec":   # JSON, sent with Chinese \u-escaped: read it first
                problems += [f"chart {p}" for p in _spec_problems(json.loads(text))]
                continue
            if field.split(".")[-1] in SKIPPED_FIELDS or not HAN.search(text):
                continue
            if kind == "button_group" and field == "options.content" and text == LANGUAGE_SWITCH:
                continue
            elif (kind in FREE_TEXT and field == "body") or (kind in ("expander", "page_link")
                                                             and field.endswith("label")):
                problems += [f"{kind}: {line}" for line in _unmarked(text)]
            elif field == "columns":      # a dataframe's column configuration: names only
                problems += [f"{kind} column config: {k}" for k in json.loads(text) if HAN.search(k)]
            else:
                problems.append(f"{kind}.{field}: {text[:120]}")
    for frame in at.dataframe:
        problems += [f"dataframe column: {c}" for c in frame.value.columns if HAN.search(str(c))]
    for table in at.table:
        problems += [f"table column: {c}" for c in table.value.columns if HAN.search(str(c))]
    assert not problems, "\n".join(problems)


def test_english_pages_say_it_in_english(plan_db):
    """Not only free of Chinese: the English texts of the catalog and the data are there."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params.update({"lang": "en", "district": "330381"})
    at.run()
    metrics = {m.label: m.value for m in at.metric}
    # 附件2 第19行 东新科创园 is 瑞安市's one project: 总投资 500000 万元 = CNY 5.00 bn, 计划 450000 = CNY 4.50 bn.
    assert metrics == {"Rui'an City · Major projects": "1", "Planned, 14th FYP": "CNY 4.50 bn",
                       "Total investment": "CNY 5.00 bn", "Major platforms involved": "3"}
    assert at.title[0].value == "Wenzhou S&T Plan 2021–2025 · District map"
    assert at.subheader[0].value == "Rui'an City"
    assert any(m.value.startswith("**Role in the plan**: Original (Chinese): 高端智能汽车") for m in at.markdown)


def test_a_missing_value_is_shown_as_nothing_not_as_nan():
    """pandas gives NaN for a NULL text cell (a city-wide platform's matched words): never "nan" on a page."""
    from lib.domain.i18n import marked

    assert marked(float("nan"), "en") == marked(None, "en") == marked(float("nan"), "zh") == ""
    assert marked("瑞安", "en").endswith(": 瑞安") and marked("瑞安", "zh") == "瑞安"


def test_the_builds_notes_are_written_in_either_language(db):
    """The data-quality notes the build writes (quality_flags) are the app's own text: the stored Chinese is
    what lib/quality_notes writes from the stored numbers and names, and its English has no Chinese left
    (no "Chinese only" mark on the app's own words)."""
    from lib.domain import quality_notes

    rows = db.execute("SELECT check_code, message_zh, message_args FROM quality_flags ORDER BY flag_id").fetchall()
    assert len(rows) == 32   # 30, and the two talent targets qualified differently in the text
    for check, stored, args in rows:
        assert quality_notes.message(check, json.loads(args), "zh") == stored
        english = quality_notes.message(check, json.loads(args), "en")
        assert not HAN.search(english), english
        assert EN(quality_notes.CHECK_LABELS[check]) and not HAN.search(EN(quality_notes.CHECK_LABELS[check]))
    # By hand from 主要指标表 第11行: 2404 → 4400 high-tech enterprises, stated 12.85 % a year.
    hitech = next(json.loads(a) for c, m, a in rows if c == "growth_rate_recomputed" and "2404" in m)
    assert quality_notes.message("growth_rate_recomputed", hitech, "en") == (
        "The table states 12.85% a year; from the base 2,404 organisations and the target 4,400 organisations it works "
        "out at 12.851% (0.001 percentage points apart: consistent)")
