"""Where a number comes from in the plan (``附件2 重大项目 第17行``), in the language of the view.

Chinese shows the build's source references as they are. English renders their structure — annex,
row, task, part and section numbers, boxes (专栏), the indicator table — from catalog words; the
section titles themselves are plan text and are left out (the line number that goes with every
reference finds them). Deterministic patterns over references the build writes, never a translation
service; a reference no pattern knows is returned as it is, and tests/test_i18n.py checks that every
reference in the database is known.
"""
from __future__ import annotations

import re

from lib.i18n import CHINESE_ONLY, DEFAULT_LANG, N_, marked, translator

_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def chinese_number(text: str) -> int:
    """一 … 十九 (the plan's part and section numbers) → an int."""
    if text.startswith("十"):
        return 10 + (_NUMERALS[text[1:]] if len(text) > 1 else 0)
    if "十" in text:
        tens, _sep, ones = text.partition("十")
        return _NUMERALS[tens] * 10 + (_NUMERALS[ones] if ones else 0)
    return _NUMERALS[text]


# The annexes' tables: the word after 附件N in a reference (data as the build writes it).
ANNEX_TABLES = {"重大平台": N_("重大平台"), "重大项目": N_("重大项目"), "重大政策": N_("重大政策"),
                "重大改革": N_("重大改革")}
_N = "[一二三四五六七八九十]+"
_PATTERNS = (  # (regex over the Chinese reference, catalog template); named groups fill the template
    (re.compile(r"附件(?P<annex>\d+) (?P<table>重大(?:平台|项目|政策|改革)) 第(?P<row>\d+)行 任务（(?P<task>\d+)）"),
     N_("附件{annex}（{table}）第 {row} 行，任务（{task}）")),
    (re.compile(r"附件(?P<annex>\d+) (?P<table>重大(?:平台|项目|政策|改革)) 第(?P<row>\d+)行"),
     N_("附件{annex}（{table}）第 {row} 行")),
    (re.compile(r"附件(?P<annex>\d+) 第(?P<rows>[\d—、]+)行.*"), N_("附件{annex} 第 {rows} 行")),
    (re.compile(rf"(?:(?P<part>{_N})（(?P<section>{_N})）)?主要指标表 第(?P<row>\d+)行"),
     N_("主要指标表 第 {row} 行")),
    (re.compile(r"专栏(?P<box>\d+) 市县协同创新推进计划 · .+"), N_("专栏{box}（市县协同创新推进计划）")),
    (re.compile(rf"(?P<part>{_N})（(?P<section>{_N})）.*之后.*标题缺失.*"), N_("第{part}部分（{section}）之后（原文缺标题）")),
    (re.compile(rf"(?P<part>{_N})（(?P<section>{_N})）.*之后.*"), N_("第{part}部分（{section}）之后")),
    (re.compile(rf"（(?P<section>{_N})）.*一级标题缺失.*|（(?P<section2>{_N})）.*之后.*标题缺失.*"),
     N_("第（{section}）节（原文缺上级标题）")),
    (re.compile(rf"(?P<part>{_N})（(?P<section>{_N})）.*"), N_("第{part}部分（{section}）")),
    (re.compile(rf"（(?P<section>{_N})）.*"), N_("（{section}）")),
    (re.compile(r"专栏(?P<box>\d+)(?:[ ：].*)?"), N_("专栏{box}")),
    (re.compile(r"附件(?P<annex>\d+)"), N_("附件{annex}")),
    (re.compile(r"前言"), N_("前言")),
    (re.compile(rf"(?P<part>{_N})、.*"), N_("第{part}部分")),
)
_LINE = re.compile(r"\s*[（(]line (?P<line>\d+)[）)]$")


def _one(ref: str, _) -> str:
    line = _LINE.search(ref)
    core = ref[:line.start()] if line else ref
    suffix = f" (line {line['line']})" if line else ""
    for pattern, template in _PATTERNS:
        match = pattern.fullmatch(core.strip())
        if match:
            fields = {k: v for k, v in match.groupdict().items() if v is not None}
            if "section2" in fields:
                fields["section"] = fields.pop("section2")
            for key in ("part", "section"):
                if key in fields:
                    fields[key] = str(chinese_number(fields[key]))
            if "table" in fields:
                table = ANNEX_TABLES[fields["table"]]
                fields["table"] = _(table)
            if "rows" in fields:
                fields["rows"] = fields["rows"].replace("—", "–").replace("、", ", ")
            return _(template).format(**fields) + suffix
    return ref


def known(ref: str) -> bool:
    """Whether every part of ``ref`` has a pattern (so its English has no Chinese left)."""
    return all(any(p.fullmatch(_LINE.sub("", part).strip()) for p, _t in _PATTERNS) for part in _parts(ref))


def _parts(ref: str) -> list[str]:
    """The references joined in ``ref`` (by ``；``, ``; `` or a section path's `` › ``), not splitting
    inside brackets (``之后（标题缺失；实验室体系）`` is one)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(ref):
        depth += 1 if ch in "（(" else -1 if ch in "）)" else 0
        if depth == 0 and (ref.startswith("；", i) or ref.startswith("; ", i) or ref.startswith(" › ", i)):
            parts.append(ref[start:i])
            start = i + (1 if ref[i] == "；" else 2 if ref[i] == ";" else 3)
    parts.append(ref[start:])
    return [p.strip() for p in parts if p.strip()]


def cite(ref: str | None, lang: str) -> str:
    """``ref`` in ``lang``: unchanged in Chinese; in English its structure in words, e.g.
    ``附件2 重大项目 第17行`` → ``Annex 2 (major projects), row 17``; a section path
    ``二、… › 专栏1：…`` → ``Part 2 › Box 1``."""
    if not ref or lang == DEFAULT_LANG:
        return ref or ""
    _ = translator(lang)
    separator = " › " if " › " in ref else "; "
    return separator.join(_one(part, _) for part in _parts(ref))


def cite_any(ref: str | None, lang: str) -> str:
    """Like :func:`cite`; a reference that is not the plan's (``行政区划：瓯海区三垟街道``, a zone's
    administrative source) has no English and is shown as written, marked Chinese-only."""
    if not ref or lang == DEFAULT_LANG or known(ref):
        return cite(ref, lang)
    return marked(ref, lang, CHINESE_ONLY)
