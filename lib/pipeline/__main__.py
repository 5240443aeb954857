"""``python -m lib.pipeline [--db PATH]``: build the plan database and print the table counts."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from lib.pipeline.orchestrate import build_database
from lib.pipeline.snapshot import PlanFormatError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=None, help="output path (default: data/build/wenzhou_plan.duckdb)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        path = build_database(args.db)
    except PlanFormatError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        counts = con.execute("SELECT key, value FROM build_meta WHERE key LIKE 'rows.%' ORDER BY key").fetchall()
    print(f"built {path} in {time.perf_counter() - started:.2f} s")
    for key, value in counts:
        print(f"  {key[5:]:<20} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
