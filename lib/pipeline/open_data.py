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
import os
import shutil
from pathlib import Path

import duckdb

from lib.paths import DATAPACKAGE_FILE, OPEN_DATA_DIR, RAW_PLAN_PATH, PROJECT_ROOT
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


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


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


def _field(name: str, duck_type: str) -> dict:
    base = duck_type.split("(")[0].upper()
    field: dict = {"name": name, "type": _TYPES.get(base, "string")}
    if name in COLUMN_NOTES:
        description, unit = COLUMN_NOTES[name]
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
            # Table names come from the database's own catalog, quoted as identifiers.
            for path, options in ((csv_path, "FORMAT csv, HEADER true"), (parquet_path, "FORMAT parquet")):
                tmp = path.with_name(path.name + ".tmp")
                con.execute(f"COPY (SELECT * FROM \"{table}\") TO '{tmp}' ({options})")
                os.chmod(tmp, 0o644)
                os.replace(tmp, path)
            rows = con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            schema: dict = {"fields": [_field(name, duck_type) for name, duck_type in columns]}
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
            if any(name == "source_ref" for name, _ in columns):
                resource["description"] = ("Every row carries source_ref (section or annex and row of the plan)"
                                           + (" and source_line (line in the plan text file)"
                                              if any(n == "source_line" for n, _ in columns) else "") + ".")
            resources.append(resource)
    database_copy = out_dir / DATABASE_FILE
    tmp = database_copy.with_name(database_copy.name + ".tmp")
    shutil.copyfile(db_path, tmp)
    os.chmod(tmp, 0o644)
    os.replace(tmp, database_copy)
    package = {
        "name": PACKAGE_NAME,
        "title": "温州市科技创新“十四五”规划 (2021–2025) · tables of the Wenzhou S&T plan explorer",
        "description": ("Tables parsed from the plan text, with the row-level provenance (source_ref, source_line). "
                        "Investments are in 万元 as in 附件2. The same tables as Parquet and the whole DuckDB "
                        "database are listed under 'parquet' and 'database'."),
        "sources": [{"title": "温州市科技创新“十四五”规划 (plan text snapshot)",
                     "path": meta.get("plan_file") or str(RAW_PLAN_PATH.relative_to(PROJECT_ROOT)),
                     "sha256": meta.get("plan_sha256", "")}],
        "database": {"path": DATABASE_FILE, "format": "duckdb", "hash": f"sha256:{sha256_of(database_copy)}"},
        "resources": resources,
    }
    target = out_dir / DATAPACKAGE_FILE
    _write_atomically(target, json.dumps(package, ensure_ascii=False, indent=1).encode("utf-8"))
    return target
