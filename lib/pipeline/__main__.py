"""``python -m lib.pipeline [--db PATH] [--force] [--inputs]``: build the plan database when its inputs changed.

Up to date (the outputs were built from the inputs as they are now, lib/pipeline/freshness.py): says so
and returns at once. Otherwise builds and prints the table counts. ``--force`` builds in any case;
``--inputs`` prints every input with its hash, and the library versions, as JSON.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb

from lib.domain.paths import database_path
from lib.pipeline import freshness
from lib.pipeline.snapshot import PlanFormatError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=None, help="output path (default: data/build/wenzhou_plan.duckdb)")
    parser.add_argument("--force", action="store_true", help="build even when the outputs are up to date")
    parser.add_argument("--inputs", action="store_true", help="print the build's inputs and their hashes, then stop")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    db_path = args.db or database_path()
    inputs = freshness.build_inputs()
    if args.inputs:
        print(freshness.describe(inputs))
        return 0
    reasons = ["--force"] if args.force else freshness.stale_outputs(db_path, inputs_sha256=inputs.sha256())
    if not reasons:
        print(f"up to date: {db_path} (inputs sha256 {inputs.sha256()[:12]}), checked in "
              f"{time.perf_counter() - started:.2f} s")
        return 0
    print("building: " + "; ".join(reasons))
    # Lazy: the build stack (pandas, geopandas, DuckDB's writer, the catalog code) is imported only to build;
    # the up-to-date answer above needs none of it.
    from lib.pipeline.orchestrate import build_database

    try:
        path = build_database(db_path)
    except PlanFormatError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    with duckdb.connect(str(path), read_only=True) as con:
        counts = con.execute("SELECT key, value FROM build_meta WHERE key LIKE 'rows.%' ORDER BY key").fetchall()
    print(f"built {path} in {time.perf_counter() - started:.2f} s")
    for key, value in counts:
        print(f"  {key[5:]:<20} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
