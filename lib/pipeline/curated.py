"""Curated facts that no parser can produce, as small reviewable CSV files in data/curated/.

Every file is checked on load: exact columns, no empty required cell, and
where a row quotes the plan, the quote must stand verbatim at the cited line.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

from lib.domain import citations
from lib.domain.paths import CURATED_DIR
from lib.pipeline.snapshot import PlanFormatError, PlanText
from lib.pipeline.values import APPROX, AT_LEAST, EXACT, text_qualifier


def read_csv(name: str, columns: tuple[str, ...], required: tuple[str, ...] = (),
             directory: Path = CURATED_DIR) -> list[dict]:
    path = directory / name
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != columns:
                raise PlanFormatError(f"data/curated/{name}", f"columns are {reader.fieldnames}, expected {list(columns)}")
            rows = list(reader)
    except OSError as exc:
        raise PlanFormatError(f"data/curated/{name}", f"cannot read ({exc.strerror})") from exc
    for number, row in enumerate(rows, start=2):
        for column in required:
            if not (row.get(column) or "").strip():
                raise PlanFormatError(f"data/curated/{name} line {number}", f"column {column!r} is empty")
    return rows


def as_bool(text: str, where: str) -> bool:
    if text in ("true", "false"):
        return text == "true"
    raise PlanFormatError(where, f"expected true or false, found {text!r}")


# Qualifiers the words around a number can show; others (top_rank, range, at_most) are read by hand.
WORD_QUALIFIERS = (EXACT, AT_LEAST, APPROX)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# A few targets are written in words (前三, 首位, 三个百亿, 最多查一次).
_WORD_NUMBERS = {"首位": 1.0, "一": 1.0, "两": 2.0, "三": 3.0, "百亿": 100.0}


def verify_quoted_rows(plan: PlanText, name: str, rows: list[dict], key: str) -> None:
    """Each row's quote must stand at its cited line, and its value as written inside the quote."""
    for row in rows:
        where = f"data/curated/{name} {row[key]}"
        try:
            line = int(row["line"])
            plan_line = plan.line(line)
        except (ValueError, IndexError) as exc:
            raise PlanFormatError(where, f"bad line number {row['line']!r}") from exc
        if row["quote"] not in plan_line:
            raise PlanFormatError(where, f"quote not found at line {line}: {row['quote']!r}")
        if row["value_text"] not in row["quote"]:
            raise PlanFormatError(where, f"value {row['value_text']!r} is not in the quote")
        numbers = [float(n) for n in _NUMBER.findall(row["value_text"])]
        if not numbers and row["value_text"] in _WORD_NUMBERS:
            numbers = [_WORD_NUMBERS[row["value_text"]]]
        if not numbers or float(row["value"]) != numbers[0]:
            raise PlanFormatError(where, f"value {row['value']} does not match the text {row['value_text']!r}")
        # A lower bound or an approximation in the words (10亿元以上, 超3700, 3.0%左右) must be recorded,
        # and an exact value must not hide one.
        if row.get("qualifier") in WORD_QUALIFIERS:
            said = text_qualifier(row["quote"], row["value_text"])
            if said is not None and said != row["qualifier"]:
                raise PlanFormatError(where, f"qualifier {row['qualifier']!r}, but the quote says {said!r} "
                                             f"({row['quote']!r})")


# A reference to the plan in a curated file: one place in the columns ref_kind, ref_part, … (the fields of
# lib/domain/citations.FIELDS), never a label to be parsed. Numbers are plain integers (part 3, not 三).
_REF_INTEGERS = ("part", "section", "box", "annex", "row", "row_last", "line")
# The columns of a single place, as goals.csv, indicator_history.csv and indicator_groups.csv have them.
REF_COLUMNS = ("ref_kind", "ref_part", "ref_section", "ref_box", "ref_annex", "ref_row", "ref_title", "ref_missing",
               "ref_note")


def read_place(row: dict, where: str) -> dict:
    """The place a curated row cites, from its ``ref_*`` columns; a bad cell stops the build naming it."""
    fields = {}
    for name, text in row.items():
        if not name.startswith("ref_") or name == "ref_kind" or not (text or "").strip():
            continue
        key = name[4:]
        if key in _REF_INTEGERS:
            if not re.fullmatch(r"[1-9]\d*", text):
                raise PlanFormatError(where, f"{name} must be a whole number, found {text!r}")
            fields[key] = int(text)
        elif key == "after":
            fields[key] = as_bool(text, where)
        else:
            fields[key] = text
    try:
        return citations.place(row.get("ref_kind") or "", **fields)
    except ValueError as exc:
        raise PlanFormatError(where, f"ref_kind must be one of {citations.KINDS}, with its fields") from exc
