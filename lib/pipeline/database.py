"""Stage 3: tidy tables → DuckDB file, written to a temporary file and renamed into place.

The same tables give the same bytes. Two things would otherwise differ from build to build:

- the catalog name, which DuckDB stores in the file and takes from the file name (here a temporary
  name): the file is attached under one fixed name instead (:data:`CATALOG`);
- a random 16-byte database identifier in the file header, which DuckDB generates for storage format
  67 (v1.4.0) and newer (``SingleFileBlockManager::CreateNewDatabase``: ``if (encryption_enabled ||
  version_number >= 67) GenerateDBIdentifier(...)``; it is the salt of an encrypted database). The file
  is written in storage format v1.3.0 (:data:`STORAGE_VERSION`), the newest without it; this DuckDB reads
  and writes it, and so can any DuckDB from 1.3 on, which is kinder to whoever downloads the open-data copy.
  tests/test_pipeline.py builds twice and compares the bytes, so a DuckDB that changes this fails there.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

from lib.domain.citations import FIELDS

CATALOG = "plan"
STORAGE_VERSION = "v1.3.0"

# Where a row comes from in the plan: a list of places (lib/domain/citations.py: annex, part, section, box, row, line …),
# composed into words by lib/domain/citations.cite; source_ref holds the same in Chinese, as the open data's CSV shows it.
SOURCE_TYPE = "STRUCT(" + ", ".join(f'"{name}" {kind}' for name, kind in FIELDS.items()) + ")[]"
SOURCE = ("source", SOURCE_TYPE)

# Column order and types of every table; comments say what a column holds.
SCHEMA: dict[str, list[tuple[str, str]]] = {
    "indicators": [
        ("code", "VARCHAR PRIMARY KEY"), ("row_no", "INTEGER"), ("name_zh", "VARCHAR"), ("name_en", "VARCHAR"),
        ("unit", "VARCHAR"),
        ("base_2020", "DOUBLE"), ("base_qualifier", "VARCHAR"), ("base_text", "VARCHAR"),
        ("target_2025", "DOUBLE"), ("target_qualifier", "VARCHAR"), ("target_text", "VARCHAR"),
        ("growth_kind", "VARCHAR"), ("growth_value", "DOUBLE"), ("growth_text", "VARCHAR"),
        ("is_five_doubling", "BOOLEAN"), ("attribute", "VARCHAR"),
        ("source_ref", "VARCHAR"), ("source_line", "INTEGER"), ("quote", "VARCHAR"),
    ],
    "indicator_history": [
        ("history_id", "VARCHAR PRIMARY KEY"), ("metric_zh", "VARCHAR"), ("metric_en", "VARCHAR"),
        ("indicator_code", "VARCHAR"), ("year", "INTEGER"), ("value", "DOUBLE"), ("value_text", "VARCHAR"),
        ("qualifier", "VARCHAR"),  # at_least when the words say 以上/多/超 (a lower bound), approx for 左右
        ("unit", "VARCHAR"), ("is_estimate", "BOOLEAN"),
        ("source_ref", "VARCHAR"), ("source_line", "INTEGER"), ("quote", "VARCHAR"),
    ],
    "goals": [
        ("goal_id", "VARCHAR PRIMARY KEY"), ("metric_zh", "VARCHAR"), ("metric_en", "VARCHAR"),
        ("value", "DOUBLE"), ("value_text", "VARCHAR"), ("qualifier", "VARCHAR"), ("unit", "VARCHAR"),
        ("kind", "VARCHAR"), ("target_year", "INTEGER"),
        ("source_ref", "VARCHAR"), ("source_line", "INTEGER"), ("quote", "VARCHAR"),
        ("restates", "VARCHAR"),   # goal_id of the first statement of the same target (curated judgement)
    ],
    "districts": [
        ("adcode", "VARCHAR PRIMARY KEY"), ("name_zh", "VARCHAR"), ("short_zh", "VARCHAR"), ("name_en", "VARCHAR"),
        ("kind", "VARCHAR"), ("role_zh", "VARCHAR"), ("positioning_zh", "VARCHAR"),
        ("source_ref", "VARCHAR"), ("source_line", "INTEGER"), ("name_source", "VARCHAR"),
    ],
    "zones": [
        ("zone_name", "VARCHAR PRIMARY KEY"), ("aliases", "VARCHAR"), ("district_adcode", "VARCHAR"),
        ("outside_wenzhou", "BOOLEAN"), ("name_en", "VARCHAR"), ("role_zh", "VARCHAR"), ("positioning_zh", "VARCHAR"),
        ("reason", "VARCHAR"), ("source_ref", "VARCHAR"),
    ],
    "projects": [
        ("project_no", "INTEGER PRIMARY KEY"), ("name_zh", "VARCHAR"), ("project_type", "VARCHAR"),
        ("start_year", "INTEGER"), ("end_year", "INTEGER"), ("period_text", "VARCHAR"),
        ("location_text", "VARCHAR"), ("zone_name", "VARCHAR"), ("district_adcode", "VARCHAR"),
        ("outside_wenzhou", "BOOLEAN"), ("location_normalised", "BOOLEAN"),
        ("content", "VARCHAR"), ("total_investment_wan", "BIGINT"), ("planned_investment_wan", "BIGINT"),
        ("builder", "VARCHAR"), ("sector", "VARCHAR"), ("sector_reason", "VARCHAR"),
        ("source_ref", "VARCHAR"), ("source_line", "INTEGER"),
        ("name_en", "VARCHAR"), ("sector_en", "VARCHAR"), ("project_type_en", "VARCHAR"),
    ],
    "platforms": [
        ("platform_no", "INTEGER PRIMARY KEY"), ("name_zh", "VARCHAR"), ("scope", "VARCHAR"),
        ("focus", "VARCHAR"), ("goal", "VARCHAR"), ("source_ref", "VARCHAR"), ("source_line", "INTEGER"),
        ("name_en", "VARCHAR"),
    ],
    "platform_districts": [
        ("platform_no", "INTEGER"), ("district_adcode", "VARCHAR"), ("matched_terms", "VARCHAR"),
        ("source_ref", "VARCHAR"),
    ],
    "policies": [
        ("policy_no", "INTEGER PRIMARY KEY"), ("name_zh", "VARCHAR"), ("content", "VARCHAR"),
        ("expected_goal", "VARCHAR"), ("source_ref", "VARCHAR"), ("source_line", "INTEGER"),
        ("name_en", "VARCHAR"),
    ],
    "reforms": [
        ("reform_no", "INTEGER PRIMARY KEY"), ("name_zh", "VARCHAR"), ("source_ref", "VARCHAR"),
        ("source_line", "INTEGER"), ("name_en", "VARCHAR"),
    ],
    "reform_tasks": [
        ("reform_no", "INTEGER"), ("task_no", "INTEGER"), ("task_text", "VARCHAR"), ("source_ref", "VARCHAR"),
    ],
    "quality_flags": [
        ("flag_id", "VARCHAR PRIMARY KEY"), ("check_code", "VARCHAR"), ("severity", "VARCHAR"),
        ("entity_table", "VARCHAR"), ("entity_key", "VARCHAR"), ("message_zh", "VARCHAR"),
        ("source_ref", "VARCHAR"),
        ("message_args", "VARCHAR"),   # JSON: what the note is made of (lib/domain/quality_notes.py writes it in either language)
    ],
    "build_meta": [("key", "VARCHAR PRIMARY KEY"), ("value", "VARCHAR")],
    "indicator_groups": [
        ("code", "VARCHAR PRIMARY KEY"), ("group_no", "INTEGER"), ("group_zh", "VARCHAR"), ("group_en", "VARCHAR"),
        ("better", "VARCHAR"), ("target_kind", "VARCHAR"), ("source_ref", "VARCHAR"), ("source_line", "INTEGER"),
        ("quote", "VARCHAR"),
    ],
    # Published actual values (data/curated/observations.csv); is_related rows are another measure, never scored.
    "observations": [
        ("observation_id", "VARCHAR PRIMARY KEY"), ("indicator", "VARCHAR"), ("year", "INTEGER"), ("value", "DOUBLE"),
        ("qualifier", "VARCHAR"), ("unit", "VARCHAR"), ("related_measure", "VARCHAR"), ("is_related", "BOOLEAN"),
        ("grade", "VARCHAR"), ("source_url", "VARCHAR"), ("source_title", "VARCHAR"), ("publisher", "VARCHAR"),
        ("published", "VARCHAR"), ("quote", "VARCHAR"), ("note", "VARCHAR"), ("source_ref", "VARCHAR"),
        ("value_flags", "VARCHAR"),
    ],
    # Every non-blank line of the plan, for full-text search (line = raw-file line number).
    "plan_lines": [
        ("line", "INTEGER PRIMARY KEY"), ("section", "VARCHAR"), ("text", "VARCHAR"), ("source_ref", "VARCHAR"),
    ],
    # This project's glossary for searching the plan in English (data/curated/search_terms.csv).
    "search_terms": [("term_en", "VARCHAR"), ("term_zh", "VARCHAR"), ("source_ref", "VARCHAR")],
}
# Every table whose rows cite the plan ends with their places (observations cite published pages: source_url).
for _table in SCHEMA.keys() - {"build_meta", "observations"}:
    SCHEMA[_table].append(SOURCE)


def write_database(tables: dict[str, list[dict]], db_path: Path) -> Path:
    """Write every table; the file appears at ``db_path`` only when complete."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=db_path.name + ".tmp", dir=db_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB must create the file itself
    try:
        con = duckdb.connect(":memory:")
        try:
            # The path is ours (the build folder), not input; quoted as a SQL string all the same.
            quoted = str(tmp).replace("'", "''")
            con.execute(f"ATTACH '{quoted}' AS {CATALOG} (STORAGE_VERSION '{STORAGE_VERSION}')")
            con.execute(f"USE {CATALOG}")
            for table, columns in SCHEMA.items():
                con.execute(f"CREATE TABLE {table} ({', '.join(f'{c} {t}' for c, t in columns)})")
                names = [c for c, _ in columns]
                frame = pd.DataFrame([{c: row.get(c) for c in names} for row in tables[table]], columns=names)
                con.register("incoming", frame)
                con.execute(f"INSERT INTO {table} SELECT {', '.join(names)} FROM incoming")
                con.unregister("incoming")
            con.execute(f"CHECKPOINT {CATALOG}")
            con.execute("USE memory")
            con.execute(f"DETACH {CATALOG}")
        finally:
            con.close()
        os.replace(tmp, db_path)
    finally:
        for leftover in (tmp, Path(str(tmp) + ".wal")):
            leftover.unlink(missing_ok=True)
    return db_path
