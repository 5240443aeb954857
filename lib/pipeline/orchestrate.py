"""The pipeline run: raw snapshot → tidy tables → DuckDB → static files for the browser.

``python -m lib.pipeline`` runs it; the app calls :func:`ensure_database`
(one function) when the database is missing or older than its inputs.
Nothing else at run time imports the pipeline.
"""
from __future__ import annotations

from pathlib import Path

from lib.paths import (CURATED_DIR, DISTRICT_LABELS_PATH, DISTRICTS_GEOJSON_PATH, RAW_PLAN_PATH, STATIC_BUILD_DIR,
                       database_path)
from lib.pipeline.database import write_database
from lib.pipeline.publish import STATIC_FILES, publish_static
from lib.pipeline.tidy import parse_all
from lib.pipeline.open_data import publish_open_data
from lib.paths import DATAPACKAGE_FILE, OPEN_DATA_DIR

_PIPELINE_CODE_DIR = Path(__file__).resolve().parent


def build_database(db_path: Path | None = None, raw_path: Path = RAW_PLAN_PATH,
                   curated_dir: Path = CURATED_DIR) -> Path:
    db_path = write_database(parse_all(raw_path, curated_dir), db_path or database_path())
    publish_static(db_path)
    publish_open_data(db_path)
    return db_path


def _inputs(raw_path: Path, curated_dir: Path) -> list[Path]:
    # The build code, plus the run-time modules it uses (rate math, paths).
    shared = [_PIPELINE_CODE_DIR.parent / name for name in ("progress.py", "paths.py", "sql.py")]
    shared += [_PIPELINE_CODE_DIR.parent / name for name in ("observation_rows.py", "exports.py", "i18n.py")]
    return [raw_path, *sorted(curated_dir.glob("*.csv")), *sorted(_PIPELINE_CODE_DIR.glob("*.py")), *shared,
            DISTRICTS_GEOJSON_PATH, DISTRICT_LABELS_PATH]


def database_is_stale(db_path: Path | None = None, raw_path: Path = RAW_PLAN_PATH,
                      curated_dir: Path = CURATED_DIR) -> bool:
    db_path = db_path or database_path()
    if not db_path.exists() or not all((STATIC_BUILD_DIR / name).exists() for name in STATIC_FILES):
        return True
    if not (OPEN_DATA_DIR / DATAPACKAGE_FILE).exists():
        return True
    built = db_path.stat().st_mtime
    return any(p.stat().st_mtime > built for p in _inputs(raw_path, curated_dir))


def ensure_database(db_path: Path | None = None) -> Path:
    """Build the database when it is missing or older than its inputs; return its path."""
    db_path = db_path or database_path()
    if database_is_stale(db_path):
        build_database(db_path)
    return db_path
