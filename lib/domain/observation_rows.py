"""Rows of actual (published) indicator values: the one validation shared by the data steward's
command line (``python -m lib.pipeline.observations add FILE``) and the run-time upload on the
scorecard page.

Pure: no Streamlit and no ``lib.pipeline`` import, so build-time and run-time code stay apart;
both sides pass in what they know about the indicators (code → Chinese name and unit).

One CSV layout, :data:`COLUMNS`. A file is read as bytes: UTF-8 (with or without BOM) or, failing
that, GB18030 (a superset of the GBK that Excel writes on Chinese Windows). Each row is checked on
its own and either accepted (typed, canonical) or rejected with the reason; a problem with the
whole file (too big, not text, missing columns) rejects the file with one message. Nothing here
writes anywhere.

``strict=True`` is the curated file's standard (every source field filled, a grade from
:data:`lib.domain.evidence.GRADES`, no unknown columns); uploads need only ``indicator``, ``year`` and ``value``,
and a row without a grade is an unattributed lead (listed, never scored). Numbers are plain decimals in
ASCII digits (thousands commas allowed; no full-width digits, ``_`` or exponents), and a value must be
plausible for its indicator (:func:`implausible`). In uploads, text cells that
begin with ``=``, ``+``, ``-`` or ``@`` are neutralised at once (OWASP CSV injection), so no later
re-export can carry a formula.
"""
from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field

from lib.domain import evidence
from lib.domain.escaping import neutralise_cell
from lib.domain.i18n import Message

COLUMNS = ("indicator", "year", "value", "qualifier", "unit", "related_measure", "grade", "source_url",
           "source_title", "publisher", "published", "quote", "note")
UPLOAD_REQUIRED = ("indicator", "year", "value")
CURATED_REQUIRED = ("indicator", "year", "value", "qualifier", "unit", "grade", "source_url", "source_title",
                    "publisher", "published", "quote")
# Headers a person may type in Chinese (an Excel sheet made by hand) → the column.
HEADER_ALIASES = {
    "指标": "indicator", "指标代码": "indicator", "年份": "year", "年": "year", "数值": "value", "值": "value",
    "限定": "qualifier", "单位": "unit", "相关口径": "related_measure", "来源等级": "grade", "来源网址": "source_url",
    "网址": "source_url", "来源标题": "source_title", "发布者": "publisher", "发布日期": "published",
    "原文": "quote", "引文": "quote", "说明": "note", "备注": "note",
}
YEAR_MIN, YEAR_MAX = 2020, 2030
EXACT, AT_LEAST = "exact", "at_least"
QUALIFIERS = (EXACT, AT_LEAST)
# How far a value may be from its target before it is refused as implausible (1e308 scored 已达标 once).
MAX_TIMES_TARGET = 100


@dataclass(frozen=True)
class IndicatorSpec:
    """What a row is checked against: the indicator's Chinese name, the plan's unit, its 2025 target and
    the kind of target (lib/domain/progress.TARGET_KINDS: an average-annual growth rate may be negative)."""
    name: str
    unit: str
    target: float | None = None
    target_kind: str = "level"
MAX_UPLOAD_BYTES = 200_000
MAX_ROWS = 500
MAX_CELL_CHARS = 2_000


@dataclass(frozen=True)
class Rejected:
    line: int              # line in the file (the header is line 1)
    reason: Message        # why (Chinese; ``reason.text(lang)`` in the view's language); never contains markup
    cells: dict[str, str]  # the row as read (neutralised), for showing beside the reason


@dataclass
class Checked:
    accepted: list[dict] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    file_error: Message | None = None   # the whole file was refused (then both lists are empty)
    encoding: str | None = None


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with; ValueError when it is no text file."""
    if b"\x00" in data:
        raise ValueError("binary")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise ValueError("encoding") from exc


def _header_name(cell: str) -> str:
    name = cell.strip().strip("\ufeff").strip()
    return HEADER_ALIASES.get(name, name.lower())


_YEAR = re.compile(r"[0-9]{4}(?:\.0+)?")
# ASCII digits only (Python's int/float would take full-width ２０２４, 1_000 and 1e308), optional sign,
# thousands separated by commas (ASCII or full-width) or not at all, optional decimals.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,3}(?:[,，][0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")


def parse_year(text: str) -> int | None:
    s = text.strip()
    return int(float(s)) if _YEAR.fullmatch(s) else None


def parse_number(text: str) -> float | None:
    s = text.strip()
    if not _DECIMAL.fullmatch(s):
        return None
    value = float(s.replace(",", "").replace("，", ""))
    return value if math.isfinite(value) else None


def implausible(value: float, spec: IndicatorSpec) -> Message | None:
    """Why ``value`` (in the plan's unit) cannot be the indicator's, or None.

    A share (%) lies between 0 and 100; a growth rate (the average-annual target) cannot fall below
    −100 %; a count or amount is not negative; and nothing is taken beyond 100 times the target."""
    _ = Message
    growth = spec.target_kind == "average_annual"
    if growth and value <= -100:
        return _("增速不能低于或等于 −100%。")
    if spec.unit == "%" and not growth and not 0 <= value <= 100:
        return _("比重应在 0 到 100 之间（单位 %）。")
    if not growth and value < 0:
        return _("数量、金额或比值不能为负数。")
    if spec.target and abs(value) > MAX_TIMES_TARGET * abs(spec.target):
        return _("数值超过 2025 年目标的 {times} 倍，不可信；请检查单位与小数点。", times=MAX_TIMES_TARGET)
    return None


def key_of(row: dict) -> tuple[str, int, str]:
    """What makes two rows duplicates: the same indicator, year and measure."""
    return row["indicator"], row["year"], row.get("related_measure") or ""


def check_rows(data: bytes, indicators: dict[str, IndicatorSpec], *, strict: bool = False,
               existing: frozenset[tuple[str, int, str]] = frozenset()) -> Checked:
    """Validate a CSV file given as bytes.

    ``indicators`` maps code → :class:`IndicatorSpec`; a row may name its indicator by code or Chinese name.
    ``existing`` holds keys already recorded (a steward's file must not repeat the curated rows).
    Reasons are :class:`~lib.domain.i18n.Message` (catalog ids), shown later in the view's language.
    """
    _ = Message
    result = Checked()
    read = read_table(data, strict)
    if isinstance(read, Message):
        result.file_error = read
        return result
    header, rows, result.encoding = read
    by_name = {spec.name: code for code, spec in indicators.items()}
    seen = set(existing)
    for number, raw in enumerate(rows, start=2):
        cells = {name: (raw[i] if i < len(raw) else "").strip() for i, name in enumerate(header) if name in COLUMNS}
        row = parse_row(raw, header, cells, indicators, by_name, strict)
        if isinstance(row, dict) and key_of(row) in seen:
            row = _("重复：同一指标、年份和口径已有数值。")
        if isinstance(row, Message):
            result.rejected.append(Rejected(number, row, {k: str(neutralise_cell(v)) for k, v in cells.items()}))
            continue
        seen.add(key_of(row))
        result.accepted.append(row if strict else {k: neutralise_cell(v) for k, v in row.items()})
    return result


def read_table(data: bytes, strict: bool) -> tuple[list[str], list[list[str]], str] | Message:
    """The checks of the file as a whole: its size, encoding and CSV form, its header (the columns it must
    have, no column twice, in a curated file no unknown one) and its number of rows. The header (canonical
    column names), the non-blank rows after it and the encoding; or why the file is refused."""
    _ = Message
    if len(data) > MAX_UPLOAD_BYTES:
        return _("文件过大：{size:,} 字节，上限 {limit:,} 字节。", size=len(data), limit=MAX_UPLOAD_BYTES)
    try:
        text, encoding = decode(data)
    except ValueError:
        return _("无法读取：不是 UTF-8 或 GBK 编码的 CSV 文本文件。")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return _("无法读取：CSV 格式有误（引号未闭合等）。")
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        return _("文件是空的。")
    header = [_header_name(c) for c in rows[0]]
    required = CURATED_REQUIRED if strict else UPLOAD_REQUIRED
    missing = [c for c in required if c not in header]
    if missing:
        return _("缺少列：{columns}（需要的列：{required}）。", columns=missing, required=list(required))
    if len(set(header)) != len(header):
        return _("表头有重复的列名。")
    unknown = [c for c in header if c not in COLUMNS]
    if strict and unknown:
        return _("未知的列：{columns}。", columns=unknown)
    if len(rows) - 1 > MAX_ROWS:
        return _("行数过多：{n} 行，上限 {limit} 行。", n=len(rows) - 1, limit=MAX_ROWS)
    return header, rows[1:], encoding


def parse_row(raw: list[str], header: list[str], cells: dict[str, str], indicators: dict[str, IndicatorSpec],
              by_name: dict[str, str], strict: bool) -> dict | Message:
    """One row (``raw`` as read, ``cells`` by column, stripped) typed and canonical, or the first reason it is
    refused: its shape, the indicator, year, value and qualifier, the unit, a plausible value
    (:func:`implausible`), the grade and, in a curated file, every source field."""
    _ = Message
    if len(raw) > len(header):
        return _("这一行的单元格比表头多。")
    if any(len(v) > MAX_CELL_CHARS for v in cells.values()):
        return _("有单元格超过 {limit} 个字符。", limit=MAX_CELL_CHARS)
    code = cells.get("indicator", "")
    code = code if code in indicators else by_name.get(code, "")
    if not code:
        return _("未知指标（应为 16 项主要指标的代码或中文名称）。")
    year = parse_year(cells.get("year", ""))
    if year is None:
        return _("年份不是整数年。")
    if not YEAR_MIN <= year <= YEAR_MAX:
        return _("年份超出范围（{lo}—{hi}）。", lo=YEAR_MIN, hi=YEAR_MAX)
    value = parse_number(cells.get("value", ""))
    if value is None:
        return _("数值不是数字：请写普通的十进制数（半角数字，可带千位逗号；不接受全角数字、下划线或科学计数法）。")
    qualifier = cells.get("qualifier") or EXACT
    if qualifier not in QUALIFIERS:
        return _("“限定”应为 exact（确数）或 at_least（下限，如“超过”）。")
    related = cells.get("related_measure", "")
    spec = indicators[code]
    unit = cells.get("unit") or ("" if strict else spec.unit)
    if not related and unit != spec.unit:
        return _("单位与规划指标不一致（应为 {unit}）；口径不同的数值请在“相关口径”一列写明。", unit=spec.unit)
    if unit == spec.unit and (why := implausible(value, spec)):
        return why
    grade = (cells.get("grade") or ("" if strict else evidence.UNATTRIBUTED)).lower()
    if grade not in evidence.GRADES:
        return _("来源等级应为 official（官方发布）、reported（媒体转述官方来源）或 unattributed（未注明来源）。")
    if strict and (empty := [c for c in CURATED_REQUIRED if not cells.get(c)]):
        return _("必填的列为空：{columns}。", columns=empty)
    row = {c: cells.get(c, "") for c in COLUMNS}
    row.update(indicator=code, year=year, value=value, qualifier=qualifier, unit=unit, grade=grade,
               related_measure=related)
    return row
