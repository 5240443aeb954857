"""Stage 2: the English words a visitor may search the Chinese plan with, and the plan's words for them.

``data/curated/search_terms.csv`` is this project's glossary (reviewed by hand, never translated at
run time): one row per pair of a lower-case English word or phrase and a Chinese term, several rows
for a word with several Chinese terms (technology → 科技, 技术). Each Chinese term must occur in the
plan, so an English search never looks for a word the plan does not use; its first occurrence is the
row's ``source_ref``. The search page
(lib/web/queries.search_terms_for) adds the curated English names of projects, platforms, policies,
reforms, districts and indicators to these.
"""
from __future__ import annotations

import re
from pathlib import Path

from lib.domain.citations import source_columns
from lib.domain.paths import CURATED_DIR
from lib.pipeline import curated
from lib.pipeline.snapshot import PlanFormatError, PlanText

FILE = "search_terms.csv"
COLUMNS = ("term_en", "term_zh")
_ENGLISH = re.compile(r"[a-z0-9&'\- ]+")


def load_search_terms(plan: PlanText, directory: Path = CURATED_DIR) -> list[dict]:
    rows = curated.read_csv(FILE, COLUMNS, COLUMNS, directory)
    text, seen = plan.text, set()
    for number, row in enumerate(rows, start=2):
        where = f"data/curated/{FILE} line {number}"
        if not _ENGLISH.fullmatch(row["term_en"]) or row["term_en"] != " ".join(row["term_en"].split()):
            raise PlanFormatError(where, f"English term must be lower-case words: {row['term_en']!r}")
        if row["term_zh"] not in text:
            raise PlanFormatError(where, f"{row['term_zh']!r} does not occur in the plan")
        first = plan.find_line(row["term_zh"])   # the term's first occurrence: its source in the plan
        headings = plan.headings_for_line(first)
        row.update(source_columns(*headings[:-1], {**headings[-1], "line": first}))
        if (row["term_en"], row["term_zh"]) in seen:
            raise PlanFormatError(where, "pair listed twice")
        seen.add((row["term_en"], row["term_zh"]))
    return rows
