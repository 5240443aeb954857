"""Stage 5: the open data — every table as CSV and Parquet, the database file, and a Frictionless
``datapackage.json`` describing them — written next to the other static files, so the data page links to
files the server sends as they are (nothing is made per request).

The table list comes from the database itself, so a table added to ``SCHEMA`` is published without a change
here. Column descriptions and units come from :data:`COLUMN_NOTES` by column name (the naming is shared
across tables: ``*_wan`` is 万元, ``source_ref`` is the provenance, …); a column not named there still gets
its name and type.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb

from lib.domain.paths import DATAPACKAGE_FILE, OPEN_DATA_DIR, RAW_PLAN_PATH, PROJECT_ROOT
from lib.pipeline.atomic import replacing, write_atomically
from lib.pipeline.database import SCHEMA

PACKAGE_NAME = "wenzhou-st-plan-2021-2025"
DATABASE_FILE = "wenzhou_plan.duckdb"

# DuckDB type → Frictionless Table Schema type.
_TYPES = {"VARCHAR": "string", "INTEGER": "integer", "BIGINT": "integer", "SMALLINT": "integer",
          "TINYINT": "integer", "HUGEINT": "integer", "DOUBLE": "number", "FLOAT": "number", "DECIMAL": "number",
          "BOOLEAN": "boolean", "DATE": "date", "TIMESTAMP": "datetime"}

# By column name: (description, unit or None). Units are stated, as the app states them.
COLUMN_NOTES: dict[str, tuple[str, str | None]] = {
    "source_ref": ("Where the row comes from in the plan: section or annex and row (e.g. 附件2 重大项目 第17行)", None),
    "source": ("The same places as source_ref, structured: a list of objects with kind, annex, table, part, section, "
               "box, row, row_last, task, title, item, after, missing, note, line (each present when it applies; "
               "JSON in the CSV files)", None),
    "source_line": ("Line number in the plan text file (data/raw/wenzhou_st_plan_2021_2025.txt) the row was read "
                    "from", None),
    "quote": ("The plan's own words for this value, verified verbatim at source_line during the build", None),
    "total_investment_wan": ("Total investment of the project, as in 附件2", "万元 (10,000 yuan)"),
    "planned_investment_wan": ("Investment planned within the 14th Five-Year period (十四五计划投资), as in 附件2",
                               "万元 (10,000 yuan)"),
    "unit": ("Unit of the row's values, as the plan states it", None),
    "base_2020": ("Value in the base year 2020, in the row's unit", "see column unit"),
    "target_2025": ("Target for 2025, in the row's unit", "see column unit"),
    "value": ("The value, in the row's unit", "see column unit"),
    "growth_value": ("Stated growth (percent per year or percentage points, see growth_kind)", "see growth_kind"),
    "adcode": ("Administrative division code (county level) of the district", None),
    "district_adcode": ("Administrative division code of the district the row belongs to", None),
    "name_zh": ("Name in Chinese, as in the plan", None),
    "name_en": ("Name in English (this project's rendering, not the plan's)", None),
    "sector": ("This project's classification of the project into the plan's strategic industries (not the "
               "plan's own)", None),
    "is_estimate": ("True when the plan gives the value as an estimate (预计)", None),
    "restates": ("goals only: the goal_id of the first statement of the same target when this row states it "
                 "again (this project's judgement, see data/README.md); empty for a first statement", None),
    "qualifier": ("How the words qualify the value: exact; at_least (以上, 多 or 超: a lower bound); approx (左右); "
                  "goals also top_rank (进入前…), range (1-2) and at_most", None),
    "grade": ("Evidence grade of the value's source; the scale is explained in data/README.md", None),
    "outside_wenzhou": ("True for the science enclave outside Wenzhou (never put on the map)", None),
    "grade": ("Evidence grade of the value's source: official (a government publication on a government site), "
              "reported (a named news outlet quoting a named official source; statuses resting on it are "
              "provisional) or unattributed (no source named, self-media, aggregator: an unverified lead, never "
              "scored); the rule is in data/README.md", None),
    "value_flags": ("Quality flags of the value: equals_target / equals_base when a value that is not official "
                    "equals the plan's own 2025 target or 2020 base exactly", None),
    "target_kind": ("How the target is judged: level (reach by 2025), cumulative_points (five-year rise in points, "
                    "the table's [..]) or average_annual (average growth over 2021-2025)", None),
}


# Per table: what is the plan's (parsed from the plan text), what is this project's curated judgement
# (data/curated/, each row with its reason or source) and what comes from outside sources. A table not
# named here gets only the generic provenance sentence; tests/test_open_data.py requires every table here.
PLAN = "From the plan: "
CURATED = "Curated (this project's judgement, data/curated/, not the plan's): "
OUTSIDE = "From outside sources (not the plan): "
TABLE_DESCRIPTIONS: dict[str, str] = {
    "indicators": PLAN + "the 16 rows of 主要指标表 as parsed from the plan text (name_zh, unit, 2020 base, 2025 target, "
                  "stated growth, the # mark, attribute). " + CURATED + "code and name_en.",
    "indicator_history": PLAN + "past values stated in the plan's text (mostly 一（一）现实基础), each with its quote, "
                         "verified verbatim at source_line. " + CURATED + "which passages are recorded, metric_zh/"
                         "metric_en, the link to a headline indicator (indicator_code) and the qualifier (checked "
                         "against the quote's words).",
    "goals": PLAN + "the quantified targets stated in the prose, boxes (专栏) and annexes, each with its quote, verified "
             "verbatim at source_line. " + CURATED + "metric_zh/metric_en, kind, and restates (a row that states an "
             "earlier goal again names it; 125 statements, 95 distinct targets; see data/README.md).",
    "districts": OUTSIDE + "Wenzhou's 12 county-level divisions: adcode and names from GB/T 2260 (name_source). "
                 + PLAN + "role and positioning (专栏7, source_ref and source_line). " + CURATED + "name_en.",
    "zones": CURATED + "the functional zones the plan names as project locations or in platform texts, and the "
             "district that contains each administratively, with the reason and its source (source_ref: the plan's "
             "section and line, or administrative division records). " + PLAN + "role and positioning where 专栏7 "
             "names the zone.",
    "projects": PLAN + "the 37 rows of 附件2 重大项目 as parsed from the plan text (name, type, period, location as "
                "written, content, investments in 万元, builder). " + CURATED + "sector (a classification into the "
                "plan's five strategic emerging industries, with sector_reason), zone_name and district_adcode "
                "(functional zones assigned through the zones table), English names.",
    "platforms": PLAN + "the 12 rows of 附件1 重大平台 as parsed from the plan text. " + CURATED + "name_en.",
    "platform_districts": "Derived (not stated by the plan): the districts a platform's text names, found by matching "
                          "district and zone names (matched_terms) in the 附件1 row.",
    "policies": PLAN + "the 5 rows of 附件3 重大政策 as parsed from the plan text. " + CURATED + "name_en.",
    "reforms": PLAN + "the 11 rows of 附件4 重大改革 as parsed from the plan text. " + CURATED + "name_en.",
    "reform_tasks": PLAN + "the numbered tasks （1）（2）… of each 附件4 row, as parsed from the plan text.",
    "indicator_groups": CURATED + "the paragraph of 一（五）主要目标 that restates each of the 16 indicators (the "
                        "table itself has no groups), with its quote verified verbatim at source_line, group_en, "
                        "better (the direction the plan wants, read from the text) and target_kind (how the target "
                        "is judged: a level, a cumulative rise in points, or an average over 2021-2025).",
    "observations": OUTSIDE + "published actual values of the 16 indicators after 2020, one row per value, each with "
                    "the page it stands on (source_url, source_title, publisher, published), the source's own words "
                    "(quote) and an evidence grade (column grade, see data/README.md). A row with related_measure "
                    "measures something else than the plan's indicator and is never scored. Curated: which values "
                    "are kept and the note on each.",
    "quality_flags": "Derived at build time: what a careful reader would question, computed from the plan's own "
                     "numbers (growth recomputed from base and target, text against table and how it qualifies a "
                     "target, project periods) and from "
                     "this project's assignments (locations normalised to districts).",
    "build_meta": "About this build: the plan file and its SHA-256, the build time and the row count of every table.",
    "plan_lines": PLAN + "every non-blank line of the plan text with its section, for full-text search.",
    "search_terms": CURATED + "this project's glossary for searching the plan in English: an English word (term_en) "
                    "and a Chinese term the plan uses for it (term_zh), checked to occur in the plan; source_ref is "
                    "where the term first stands.",
}
# Columns whose meaning differs in one table from the shared one in COLUMN_NOTES.
TABLE_COLUMN_NOTES: dict[tuple[str, str], tuple[str, str | None]] = {
    ("observations", "quote"): ("The source's own words for the value (not the plan's text)", None),
    ("observations", "source_ref"): ("The address of the page the value stands on (as source_url)", None),
    ("observations", "value"): ("The value as the source states it, in the row's unit", "see column unit"),
    ("zones", "source_ref"): ("Where the assignment comes from: the plan's section and line, or administrative "
                              "division records", None),
    ("districts", "name_source"): ("Where the code and names come from (GB/T 2260)", None),
}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' "
        "ORDER BY table_name").fetchall()]


def _primary_key(table: str) -> list[str]:
    return [name for name, decl in SCHEMA.get(table, []) if "PRIMARY KEY" in decl.upper()]


def _is_list(duck_type: str) -> bool:
    return duck_type.endswith("[]")


def _csv_column(name: str, duck_type: str) -> str:
    """A column as the CSV file holds it: a list (of structs) as compact JSON, fields that do not apply left out."""
    quoted = '"' + name.replace('"', '""') + '"'
    if _is_list(duck_type):
        return f"to_json(list_transform({quoted}, lambda s: json_merge_patch('{{}}', to_json(s)))) AS {quoted}"
    return quoted


def _field(table: str, name: str, duck_type: str) -> dict:
    base = duck_type.split("(")[0].upper()
    field: dict = {"name": name, "type": "array" if _is_list(duck_type) else _TYPES.get(base, "string")}
    if note := TABLE_COLUMN_NOTES.get((table, name)) or COLUMN_NOTES.get(name):
        description, unit = note
        field["description"] = description
        if unit:
            field["unit"] = unit  # a custom property: Table Schema has no unit field of its own
    elif name.endswith("_wan"):
        field["unit"] = "万元 (10,000 yuan)"
    elif name.endswith("_yi"):
        field["unit"] = "亿元 (100,000,000 yuan)"
    return field


def publish_open_data(db_path: Path, out_dir: Path = OPEN_DATA_DIR) -> Path:
    """Write csv/<table>.csv, parquet/<table>.parquet, the database copy and datapackage.json; return its path."""
    for sub in ("csv", "parquet"):
        (out_dir / sub).mkdir(parents=True, exist_ok=True)
    resources = []
    with duckdb.connect(str(db_path), read_only=True) as con:
        meta = dict(con.execute("SELECT key, value FROM build_meta").fetchall())
        for table in table_names(con):
            columns = con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                  "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
                                  [table]).fetchall()
            csv_path, parquet_path = out_dir / "csv" / f"{table}.csv", out_dir / "parquet" / f"{table}.parquet"
            # Table and column names come from the database's own catalog, quoted as identifiers.
            csv_columns = ", ".join(_csv_column(name, duck_type) for name, duck_type in columns)
            for path, select, options in ((csv_path, csv_columns, "FORMAT csv, HEADER true"),
                                          (parquet_path, "*", "FORMAT parquet")):
                with replacing(path) as tmp:
                    con.execute(f"COPY (SELECT {select} FROM \"{table}\") TO '{tmp}' ({options})")
            rows = con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            schema: dict = {"fields": [_field(table, name, duck_type) for name, duck_type in columns]}
            if key := _primary_key(table):
                schema["primaryKey"] = key
            resource = {
                "name": table.replace("_", "-"),
                "title": table,
                "path": f"csv/{table}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": csv_path.stat().st_size,
                "hash": f"sha256:{sha256_of(csv_path)}",
                "schema": schema,
                "rows": rows,  # custom: row count
                "parquet": f"parquet/{table}.parquet",  # custom: the same table as Parquet
            }
            provenance = ""
            if any(name == "source_ref" for name, _ in columns):
                provenance = ("Every row carries source_ref (where it comes from)"
                              + (" and source_line (line in the plan text file)"
                                 if any(n == "source_line" for n, _ in columns) else "")
                              + ("; source holds the same places, structured"
                                 if any(n == "source" for n, _ in columns) else "") + ".")
            description = " ".join(filter(None, (TABLE_DESCRIPTIONS.get(table), provenance)))
            if description:
                resource["description"] = description
            resources.append(resource)
    database_copy = out_dir / DATABASE_FILE
    with replacing(database_copy) as tmp:
        shutil.copyfile(db_path, tmp)
    package = {
        "name": PACKAGE_NAME,
        "title": "温州市科技创新“十四五”规划 (2021–2025) · tables of the Wenzhou S&T plan explorer",
        "description": ("The plan's tables and text, parsed from the plan text (data/raw), with this project's "
                        "curated judgement (English names, the zones and their districts, project sectors, "
                        "indicator groups, restated goals) and published actual values from outside sources "
                        "(observations, each with its source and evidence grade). Each table's description says "
                        "which of its columns are the plan's, which are curated and which come from outside; rows "
                        "carry their provenance (source_ref, source_line). Investments are in 万元 as in 附件2. "
                        "The same tables as Parquet and the whole DuckDB database are listed under 'parquet' and "
                        "'database'."),
        "sources": [{"title": "温州市科技创新“十四五”规划 (plan text snapshot)",
                     "path": meta.get("plan_file") or str(RAW_PLAN_PATH.relative_to(PROJECT_ROOT)),
                     "sha256": meta.get("plan_sha256", "")}],
        "database": {"path": DATABASE_FILE, "format": "duckdb", "hash": f"sha256:{sha256_of(database_copy)}"},
        "resources": resources,
    }
    target = out_dir / DATAPACKAGE_FILE
    write_atomically(target, json.dumps(package, ensure_ascii=False, indent=1).encode("utf-8"))
    return target
