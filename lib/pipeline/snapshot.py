"""Stage 1 of the build: the raw snapshot of the plan, read as numbered lines.

The plan is a UTF-8 export of the official .docx. Word's export scatters
``[bookmark: _TocNNN]`` markers through the text; they carry no content, so
they are removed here once and every later stage (and every quote check) works
on the cleaned lines. Line numbers stay those of the raw file, so a reader can
open ``data/raw/`` at the cited line.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from lib.domain.citations import chinese_number, place
from lib.domain.paths import RAW_PLAN_PATH

_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
# Headings that survived the export: 一、… / （一）… / 专栏N：… / 附件N.
_TOP_HEADING = re.compile(r"^\s*([一二三四五六七八九十]+)、(.+)$")
_SUB_HEADING = re.compile(r"^\s*（([一二三四五六七八九十]+)）(.{2,40})$")
_COLUMN_HEADING = re.compile(r"^\s*专栏(\d+)：(.+)$")
_ANNEX_HEADING = re.compile(r"^\s*附件(\d+)\s*$")


class PlanFormatError(ValueError):
    """The plan document does not have the structure the parser relies on.

    The message always names the table (or section), the row and the cell, so
    that whoever edits the source can find the problem without a debugger.
    """

    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}")
        self.where = where


@dataclass(frozen=True)
class PlanText:
    lines: tuple[str, ...]  # cleaned lines; lines[0] is line 1 of the raw file
    sha256: str
    path: Path

    def line(self, number: int) -> str:
        if not 1 <= number <= len(self.lines):  # no negative indexing from the end
            raise IndexError(f"line {number} is outside 1..{len(self.lines)}")
        return self.lines[number - 1]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def find_line(self, needle: str, start: int = 1) -> int:
        """1-based number of the first line at or after ``start`` containing ``needle``."""
        for number in range(start, len(self.lines) + 1):
            if needle in self.lines[number - 1]:
                return number
        raise PlanFormatError("plan", f"expected text not found: {needle!r}")

    def headings_for_line(self, number: int) -> list[dict]:
        """The nearest surviving headings above a line, as places (lib/domain/citations.py): the part or annex,
        then the section or box under it, e.g. ``一、… › （五）主要目标``; ``前言`` before the first.

        Some headings were lost in the export; the nearest surviving one is the
        best locator there is, and the line number makes it exact.
        """
        top = sub = None
        for n in range(1, number + 1):
            s = self.lines[n - 1]
            if m := _ANNEX_HEADING.match(s):
                top, sub = place("annex_heading", annex=int(m.group(1))), None
            elif m := _TOP_HEADING.match(s):
                top, sub = place("part_heading", part=_number(m.group(1)), title=m.group(2).strip()), None
            elif m := _COLUMN_HEADING.match(s):
                sub = place("box_heading", box=int(m.group(1)), title=m.group(2).strip())
            elif m := _SUB_HEADING.match(s):
                sub = place("section_heading", section=_number(m.group(1)), title=m.group(2).strip())
        return [p for p in (top, sub) if p] or [place("preface")]


_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _number(text: str) -> int:
    """一 … 九十九 as the plan numbers its parts and sections."""
    tens, _ten, ones = text.rpartition("十") if "十" in text else ("", "", text)
    value = (_NUMERALS.get(tens, 1) * 10 if _ten else 0) + (_NUMERALS[ones] if ones else 0)
    if chinese_number(value) != text:
        raise PlanFormatError(text, "not a Chinese numeral the plan uses")
    return value


def clean_line(raw: str) -> str:
    return _BOOKMARK.sub("", raw).rstrip("\r")


def load_plan_text(path: Path = RAW_PLAN_PATH) -> PlanText:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlanFormatError(str(path), f"cannot read the plan document ({exc.strerror})") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlanFormatError(str(path), f"not UTF-8 text (byte {exc.start})") from exc
    lines = tuple(clean_line(line) for line in text.split("\n"))
    return PlanText(lines=lines, sha256=hashlib.sha256(data).hexdigest(), path=path)
