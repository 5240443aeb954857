"""Stage 2 step: English names for the plan's named things, from curated data (never machine-translated).

``data/curated/names_en.csv`` holds one row per project, platform, policy and
reform (keyed by its number), and per sector and project type. Each row repeats
the Chinese name, which must equal the parsed one, so a changed plan stops the
build instead of silently mislabelling; every named row must have its English
name (exact set check). Districts, zones, indicators, goals and history carry
their English names in their own curated files.
"""
from __future__ import annotations

from pathlib import Path

from lib.pipeline import curated
from lib.pipeline.snapshot import PlanFormatError

FILE = "names_en.csv"
# table → key column of the parsed records
NAMED_TABLES = {"projects": "project_no", "platforms": "platform_no", "policies": "policy_no",
                "reforms": "reform_no"}
TERM_KINDS = ("sectors", "project_types")


def load(directory: Path) -> dict[str, dict[str, dict]]:
    rows = curated.read_csv(FILE, ("table", "key", "name_zh", "name_en"), ("table", "key", "name_zh", "name_en"),
                            directory)
    by_table: dict[str, dict[str, dict]] = {}
    for number, row in enumerate(rows, start=2):
        if row["table"] not in (*NAMED_TABLES, *TERM_KINDS):
            raise PlanFormatError(f"data/curated/{FILE} line {number}", f"unknown table {row['table']!r}")
        if row["key"] in by_table.setdefault(row["table"], {}):
            raise PlanFormatError(f"data/curated/{FILE} line {number}", f"duplicate {row['table']} {row['key']}")
        by_table[row["table"]][row["key"]] = row
    return by_table


def attach_english_names(tables: dict[str, list[dict]], directory: Path) -> None:
    """Add ``name_en`` to every named record, and ``sector_en``/``project_type_en`` to projects."""
    names = load(directory)
    for table, key in NAMED_TABLES.items():
        wanted = {str(r[key]) for r in tables[table]}
        have = set(names.get(table, {}))
        if wanted != have:
            raise PlanFormatError(f"data/curated/{FILE}", f"{table}: English names for {sorted(have)}, "
                                                         f"expected exactly {sorted(wanted, key=int)}")
        for record in tables[table]:
            row = names[table][str(record[key])]
            if row["name_zh"] != record["name_zh"]:
                raise PlanFormatError(f"data/curated/{FILE} {table} {record[key]}",
                                      f"Chinese name {row['name_zh']!r} differs from the plan's {record['name_zh']!r}")
            record["name_en"] = row["name_en"]
    for record in tables["projects"]:
        for kind, field in (("sectors", "sector"), ("project_types", "project_type")):
            row = names.get(kind, {}).get(record[field])
            if row is None:
                raise PlanFormatError(f"data/curated/{FILE}", f"no English name for {kind} {record[field]!r}")
            record[f"{field}_en"] = row["name_en"]
