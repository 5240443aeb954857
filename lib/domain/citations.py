"""Where a number comes from in the plan, in the language of the view: composed from structured places.

A citation is a list of places (:func:`place`), stored by the build in the ``source`` column of every
table (a DuckDB list of structs: annex, part, section, box, row, line …). This module is the one place
that turns them into words, in both languages: the build writes the Chinese into ``source_ref`` with
:func:`cite` (so the open data reads as before), and the pages call :func:`cite` with the view's
language. Nothing is parsed back from text.

Chinese writes a place as the plan does (``附件2 重大项目 第17行``, ``一（五）主要指标表 第8行``,
headings with their words). English renders its structure from catalog words (``Annex 2 (Major
projects), row 17``); the headings' words are plan text and are left out (the line number that goes
with every reference finds them).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from lib.domain.i18n import CHINESE_ONLY, DEFAULT_LANG, N_, marked, translator

# The fields of one place: the struct of the database's ``source`` column (lib/pipeline/database.py).
FIELDS = {
    "kind": "VARCHAR",       # one of KINDS
    "part": "INTEGER",       # 一、… the plan's part (1 = 一)
    "section": "INTEGER",    # （一） a section of the part
    "box": "INTEGER",        # 专栏N
    "annex": "INTEGER",      # 附件N
    "table": "VARCHAR",      # the annex's table word (重大项目), or None when the reference does not name it
    "row": "INTEGER",        # row of the annex's table or of 主要指标表
    "row_last": "INTEGER",   # the last row of a run of rows (附件2 第22—24行)
    "task": "INTEGER",       # 任务（N） of a 附件4 reform
    "title": "VARCHAR",      # the heading's own words (Chinese only)
    "item": "VARCHAR",       # the entry of a box (专栏7 lists one district per line)
    "after": "BOOLEAN",      # the text stands after this heading (the export lost the heading of its own)
    "missing": "VARCHAR",    # what the lost heading covered (标题缺失；…)
    "note": "VARCHAR",       # a note in brackets (问题和困难段, 一级标题缺失)
    "line": "INTEGER",       # the line of the plan text file, when the reference names it
}
KINDS = ("annex_row", "indicator_row", "box", "section", "part_heading", "section_heading", "box_heading",
         "annex_heading", "preface")
_HEADINGS = {"part_heading", "section_heading", "box_heading", "annex_heading", "preface"}

# The annexes' tables, as the plan names them.
ANNEX_TABLES = {"重大平台": N_("重大平台"), "重大项目": N_("重大项目"), "重大政策": N_("重大政策"),
                "重大改革": N_("重大改革")}

_DIGITS = "一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 … 99 as the plan writes its part and section numbers (一, 十, 十一, 二十三)."""
    tens, ones = divmod(n, 10)
    if not 1 <= n <= 99:
        raise ValueError(f"no Chinese numeral for {n}")
    head = "" if tens == 0 else "十" if tens == 1 else _DIGITS[tens - 1] + "十"
    return head + (_DIGITS[ones - 1] if ones else "")


def place(kind: str, **fields) -> dict:
    """One place of the plan, every field present (None where it does not apply)."""
    if kind not in KINDS or not set(fields) <= set(FIELDS) - {"kind"}:
        raise ValueError(f"not a place: {kind} {sorted(fields)}")
    return {name: fields.get(name) for name in FIELDS} | {"kind": kind}


def _rows(p: Mapping, lang: str) -> str:
    first, last = p["row"], p["row_last"] or p["row"]
    numbers = list(range(first, last + 1))
    if len(numbers) >= 3:  # a run of three or more is a range, as the curated references write it
        return f"{first}{'—' if lang == DEFAULT_LANG else '–'}{last}"
    return ("、" if lang == DEFAULT_LANG else ", ").join(map(str, numbers))


def _zh(p: Mapping) -> str:
    kind, title = p["kind"], p["title"] or ""
    part = chinese_number(p["part"]) if p["part"] else ""
    section = f"（{chinese_number(p['section'])}）" if p["section"] else ""
    if kind == "annex_row":
        text = f"附件{p['annex']}" + (f" {p['table']}" if p["table"] else "") + f" 第{_rows(p, DEFAULT_LANG)}行"
        text += (f" 任务（{p['task']}）" if p["task"] else "") + (f" {title}" if title else "")
    elif kind == "indicator_row":
        text = f"{part}{section}主要指标表 第{p['row']}行"
    elif kind == "box":
        text = f"专栏{p['box']}" + (f" {title}" if title else "") + (f" · {p['item']}" if p["item"] else "")
    elif kind == "section":
        text = f"{part}{section}{title}" + ("之后" if p["after"] or p["missing"] else "")
        text += (f"（标题缺失；{p['missing']}）" if p["missing"] else "") + (f"（{p['note']}）" if p["note"] else "")
    elif kind == "part_heading":
        text = f"{part}、{title}"
    elif kind == "section_heading":
        text = f"{section}{title}"
    elif kind == "box_heading":
        text = f"专栏{p['box']}：{title}"
    elif kind == "annex_heading":
        text = f"附件{p['annex']}"
    else:
        text = "前言"
    return text + (f"（line {p['line']}）" if p["line"] else "")


def _en(p: Mapping, _) -> str:
    kind = p["kind"]
    fields = {"annex": p["annex"], "row": p["row"], "task": p["task"], "box": p["box"], "part": p["part"],
              "section": p["section"]}
    if kind == "annex_row":
        if p["table"]:
            words = ANNEX_TABLES[p["table"]]  # a variable: the extractor would take the key for a message id
            fields["table"] = _(words)
            template = N_("附件{annex}（{table}）第 {row} 行，任务（{task}）") if p["task"] else \
                N_("附件{annex}（{table}）第 {row} 行")
        else:
            template, fields["rows"] = N_("附件{annex} 第 {rows} 行"), _rows(p, "en")
    elif kind == "indicator_row":
        template = N_("主要指标表 第 {row} 行")
    elif kind == "box":
        # Only 专栏7 (市县协同创新推进计划) has entries: one line per district.
        template = N_("专栏{box}（市县协同创新推进计划）") if p["item"] else N_("专栏{box}")
    elif kind == "section" and not p["part"]:
        template = N_("第（{section}）节（原文缺上级标题）")
    elif kind == "section":
        template = N_("第{part}部分（{section}）之后（原文缺标题）") if p["missing"] else \
            N_("第{part}部分（{section}）之后") if p["after"] else N_("第{part}部分（{section}）")
    elif kind == "part_heading":
        template = N_("第{part}部分")
    elif kind == "section_heading":
        template = N_("（{section}）")
    elif kind == "box_heading":
        template = N_("专栏{box}")
    elif kind == "annex_heading":
        template = N_("附件{annex}")
    else:
        template = N_("前言")
    return _(template).format(**fields) + (f" (line {p['line']})" if p["line"] else "")


def places(source) -> list[Mapping]:
    """The places of a ``source`` value as the database returns it (a list or array of structs, or null)."""
    if source is None:
        return []
    try:
        return list(source)
    except TypeError:   # NULL as pandas holds it (NA, NaN)
        return []


def cite(source: Iterable[Mapping] | None, lang: str) -> str:
    """The places in ``lang``: ``附件2 重大项目 第17行`` / ``Annex 2 (Major projects), row 17``. A heading
    under a heading joins with ``›`` (``二、… › 专栏1：…`` / ``Part 2 › Box 1``), other places with ``；``."""
    parts = places(source)
    if not parts:
        return ""
    if lang == DEFAULT_LANG:
        words, separator = [_zh(p) for p in parts], "；"
    else:
        _ = translator(lang)
        words, separator = [_en(p, _) for p in parts], "; "
    text = words[0]
    for before, p, word in zip(parts, parts[1:], words[1:]):
        path = before["kind"] in _HEADINGS and p["kind"] in _HEADINGS
        text += (" › " if path else separator) + word
    return text


def source_columns(*cited: Mapping) -> dict:
    """A row's ``source`` (the places) and ``source_ref`` (them in Chinese, for the open data), as the build
    stores them."""
    return {"source": list(cited), "source_ref": cite(cited, DEFAULT_LANG)}


def cite_prose(prose: str | None, source: Iterable[Mapping] | None, lang: str) -> str:
    """A note on where something comes from, written as prose (a zone's ``source``: plan places and
    administrative facts): the prose in Chinese; in English the plan places it names (``source``), or,
    where it cites more than the plan, the prose as written, marked Chinese-only."""
    if not prose or lang == DEFAULT_LANG:
        return prose or ""
    return cite(source, lang) if places(source) else marked(prose, lang, CHINESE_ONLY)
