"""The pipeline run: raw snapshot → tidy tables → DuckDB → static files for the browser → open data.

``python -m lib.pipeline`` (``make run``, ``make db``, the stack and the Docker image) runs
:func:`ensure_database`: a build when the outputs were not made from the inputs as they are now
(:mod:`lib.pipeline.freshness`), nothing otherwise. The app never builds: it opens the file or says
that it is missing (lib/web/db.py).

The same inputs give the same bytes in every output: the build time is not read from the clock but
derived from the inputs (the newest input's date, :meth:`~lib.pipeline.freshness.BuildInputs.newest_date`),
and the database file is written so that nothing random lands in it (lib/pipeline/database.py).
"""
from __future__ import annotations

from pathlib import Path

from lib.domain.paths import CURATED_DIR, OPEN_DATA_DIR, RAW_PLAN_PATH, STATIC_BUILD_DIR, database_path
from lib.pipeline import freshness
from lib.pipeline.database import write_database
from lib.pipeline.open_data import publish_open_data
from lib.pipeline.publish import publish_static
from lib.pipeline.tidy import parse_all


def build_database(db_path: Path | None = None, raw_path: Path = RAW_PLAN_PATH, curated_dir: Path = CURATED_DIR,
                   static_dir: Path = STATIC_BUILD_DIR) -> Path:
    """Build every output from the inputs, whatever is on disk; return the database's path."""
    inputs = freshness.build_inputs(raw_path, curated_dir)
    tables = parse_all(raw_path, curated_dir, inputs)
    static_dir.mkdir(parents=True, exist_ok=True)
    freshness.remove_stamp(static_dir)
    db_path = write_database(tables, db_path or database_path())
    publish_static(db_path, static_dir)
    publish_open_data(db_path, static_dir / OPEN_DATA_DIR.name)
    freshness.write_stamp(static_dir, inputs.sha256())
    return db_path


def ensure_database(db_path: Path | None = None, raw_path: Path = RAW_PLAN_PATH, curated_dir: Path = CURATED_DIR,
                    static_dir: Path = STATIC_BUILD_DIR) -> tuple[Path, list[str]]:
    """Build when the outputs are stale; return the database's path and why it was built (empty: it was not)."""
    db_path = db_path or database_path()
    reasons = freshness.stale_outputs(db_path, static_dir, raw_path=raw_path, curated_dir=curated_dir)
    if reasons:
        build_database(db_path, raw_path, curated_dir, static_dir)
    return db_path, reasons
