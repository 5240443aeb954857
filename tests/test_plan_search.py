"""Full-text search: the plan's lines in the database, the SQL search, and plan text shown safely in markdown."""
from __future__ import annotations

import re

import pytest

from lib.domain import escaping, plan_search
from lib.web import queries
from lib.pipeline import checks
from lib.pipeline.plan_passages import plan_lines
from lib.pipeline.snapshot import PlanFormatError, load_plan_text
from tests.annex2_by_hand import RAW_PLAN


def _raw_lines() -> list[str]:
    return RAW_PLAN.read_text(encoding="utf-8").split("\n")


def _clean_lines() -> list[str]:
    """The raw lines without Word's bookmark markers (they carry no text)."""
    return [re.sub(r"\[bookmark: [^\]]*\]", "", t) for t in _raw_lines()]


def test_every_non_blank_line_is_in_the_database(db):
    # Counted here straight from the file (Word bookmarks removed, they carry no text).
    expected = {n: re.sub(r"\[bookmark: [^\]]*\]", "", t).strip() for n, t in enumerate(_raw_lines(), start=1)}
    expected = {n: t for n, t in expected.items() if t}
    assert len(expected) == checks.EXPECTED_PLAN_LINES == 762
    stored = dict(db.execute("SELECT line, text FROM plan_lines ORDER BY line").fetchall())
    assert stored == expected
    assert db.execute("SELECT value FROM build_meta WHERE key = 'rows.plan_lines'").fetchone()[0] == "762"


def test_lines_carry_their_section(db):
    section = dict(db.execute("SELECT line, section FROM plan_lines").fetchall())
    assert section[1] == "前言"
    assert section[371] == "附件2" and section[398] == "附件2"        # 瓯江实验室, 附件2 row 2
    assert section[779] == "附件3"
    # Line 25 is the heading "（五）主要目标" (behind Word bookmarks in the raw file).
    assert _raw_lines()[24].endswith("（五）主要目标")
    assert section[26] == "一、开启高水平创新型城市建设新征程 › （五）主要目标"


def test_line_count_check_is_exact():
    rows = plan_lines(load_plan_text())
    checks.check_plan_lines(rows)
    with pytest.raises(PlanFormatError, match="761 non-blank lines, expected 762"):
        checks.check_plan_lines(rows[:-1])
    with pytest.raises(PlanFormatError, match="unique and ascending"):
        checks.check_plan_lines([rows[1], rows[0], *rows[2:]])


def _search(text: str):
    """As the search page runs it: words (with the plan's Chinese for English ones), then the SQL."""
    return queries.search_plan(plan_search.groups(plan_search.search_words(text, queries.english_terms())))


def test_search_finds_chinese_text_with_all_words(plan_db):
    # Lines of the raw file that contain both words, found here with plain string tests.
    expected = [n for n, t in enumerate(_raw_lines(), start=1) if "人才" in t and "引进" in t]
    found = _search("人才 引进")
    assert found["line"].tolist() == expected and len(expected) == 17
    assert _search("瓯江实验室")["line"].tolist() == \
        [n for n, t in enumerate(_raw_lines(), start=1) if "瓯江实验室" in t]
    assert _search("KPI")["line"].tolist() == _search("kpi")["line"].tolist() != []
    assert _search("根本不存在的词").empty


def test_an_english_search_finds_the_plans_chinese_words(plan_db):
    """The plan is Chinese only: "laboratory" finds every line about 实验室 (counted here in the raw file),
    through the project's glossary; a curated English name finds its Chinese name; plurals too."""
    lines = lambda word: [n for n, t in enumerate(_raw_lines(), start=1) if word in t]   # noqa: E731
    assert _search("laboratory")["line"].tolist() == lines("实验室") and len(lines("实验室")) == 12
    assert _search("Laboratories")["line"].tolist() == lines("实验室")
    # 附件2 第2行's English name, and the goals whose English names it (G115, G116: at line 402, its content).
    oujiang = plan_search.search_words("Oujiang Laboratory", queries.english_terms())
    assert len(oujiang) == 1 and oujiang[0].chinese[0] == "瓯江实验室"
    assert _search("Oujiang Laboratory")["line"].tolist() == sorted(set(lines("瓯江实验室")) | {402})
    words = plan_search.search_words("laboratory talent", queries.english_terms())
    assert [w.word for w in words] == ["laboratory", "talent"] and words[1].chinese[0] == "人才"   # glossary first
    assert _search("laboratory talent")["line"].tolist() == [n for n in lines("实验室") if n in lines("人才")]
    # Which language matched, for each line: the Chinese words that stand there.
    first = _search("laboratory").iloc[0]
    assert plan_search.matched(first["text"], plan_search.search_words("laboratory", queries.english_terms())) \
        == [(plan_search.SearchWord("laboratory", words[0].chinese), tuple(
            z for z in words[0].chinese if z in first["text"]))]
    assert _search("quantum").empty                                               # unknown: searched as written


def test_every_glossary_word_is_the_plans(db):
    """data/curated/search_terms.csv: each Chinese term occurs in the plan (the build refuses it otherwise)."""
    text = "\n".join(_clean_lines())
    rows = db.execute("SELECT term_en, term_zh FROM search_terms").fetchall()
    assert len(rows) > 80 and all(zh in text for _en, zh in rows)
    assert ("laboratory", "实验室") in rows


def test_search_input_is_data_not_sql(plan_db):
    for hostile in ("' OR 1=1 --", "%", "_", "'); DROP TABLE plan_lines; --", "\\"):
        words = hostile.lower().split()
        expected = [n for n, t in enumerate(_clean_lines(), start=1) if t.strip() and all(w in t.lower() for w in words)]
        assert _search(hostile)["line"].tolist() == expected
    assert queries.plan_line_count() == max(n for n, t in enumerate(_raw_lines(), start=1) if t.strip())


def test_context_is_the_surrounding_lines(plan_db):
    context = queries.plan_context(398, radius=3)
    # 398 is 瓯江实验室 (附件2 row 2); the three non-blank lines on each side, blank line 396 skipped.
    assert context["line"].tolist() == [394, 395, 397, 398, 399, 400, 401]
    assert context.set_index("line").loc[398, "text"] == "瓯江实验室"
    assert queries.plan_context(1, radius=2)["line"].tolist() == [1, 2, 3]


@pytest.mark.parametrize("text", [
    "1.高能级平台 # 标题 + - [链接](http://x) $x^2$ <b>粗</b> <script>alert(1)</script> :smile: :red[红] *斜* _下_ ~删~ | `代码` 100% A&B",
    "\t    缩进会变成代码块",
    "结尾反斜杠\\",
])
def test_escaped_text_has_no_markup_left(text):
    out = escaping.escape(text)
    # Every ASCII punctuation character is escaped, so nothing can open a link, a tag, maths or a directive.
    punctuation = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
    i = 0
    while i < len(out):
        if out[i] == "\\":
            assert out[i + 1] in punctuation
            i += 2
        else:
            assert out[i] not in punctuation, out[i:]
            i += 1
    assert not out.startswith((" ", "\t"))
    assert re.sub(r"\\(.)", r"\1", out) == " ".join(text.split())    # nothing lost but the escapes


def test_highlight_marks_every_match_and_escapes_the_rest():
    out = escaping.highlight("引进人才，人才[链接](x)与 KPI 和 kpi", ["人才", "kpi"])
    assert out == ("引进:orange-background[**人才**]，:orange-background[**人才**]\\[链接\\]\\(x\\)与 "
                   ":orange-background[**KPI**] 和 :orange-background[**kpi**]")
    assert escaping.highlight("a]b", ["]"]) == "a:orange-background[**\\]**]b"
    assert escaping.match_spans("人才人才", ["人才", "才人"]) == [(0, 4)]
    assert escaping.highlight("没有匹配", ["x"]) == "没有匹配"


def test_the_search_page_in_english_says_which_words_matched(plan_db):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"lang": "en", "q": "laboratory"})
    at.switch_page("pages/8_search.py").run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert any(c.startswith("The plan exists only in Chinese") and "laboratory → Original \\(Chinese\\)\\: 实验室"
               in c for c in captions), captions
    assert any(m.value.startswith("12 passages") or m.value.startswith("12 ") for m in at.markdown)
    matched = [c for c in captions if "matched “laboratory” as Original \\(Chinese\\)\\: 实验室" in c]
    assert len(matched) == 12
