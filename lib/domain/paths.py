"""Where things live. Build inputs are under data/ and geo/; the database and the static files are build outputs."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
RAW_PLAN_PATH = DATA_DIR / "raw" / "wenzhou_st_plan_2021_2025.txt"
CURATED_DIR = DATA_DIR / "curated"
GEO_DIR = PROJECT_ROOT / "geo"
DISTRICTS_GEOJSON_PATH = GEO_DIR / "wenzhou_districts.geojson"
DISTRICT_LABELS_PATH = GEO_DIR / "district_labels.csv"     # where the map writes each district's name
# The UI text's gettext catalogs (lib/domain/i18n.py; `make i18n` updates them).
LOCALE_DIR = PROJECT_ROOT / "lib" / "locale"
# The database is git-ignored; WENZHOU_DB lets tests and the benchmark use their own copy.
DEFAULT_DB_PATH = DATA_DIR / "build" / "wenzhou_plan.duckdb"

# Files the browser fetches; static/ at the top level links here and Streamlit serves it at app/static/.
STATIC_BUILD_DIR = DATA_DIR / "build" / "static"
STATIC_URL_PREFIX = "app/static/"
# The map: per-district metrics and per-project investments.
DISTRICT_METRICS_FILE = "district_metrics.json"
PROJECT_INVESTMENT_FILE = "project_investment.json"
DISTRICTS_URL = STATIC_URL_PREFIX + DISTRICTS_GEOJSON_PATH.name
DISTRICT_METRICS_URL = STATIC_URL_PREFIX + DISTRICT_METRICS_FILE
PROJECT_INVESTMENT_URL = STATIC_URL_PREFIX + PROJECT_INVESTMENT_FILE
# The selected district's outline: each district's mainland (largest part) without its islands.
DISTRICT_OUTLINES_FILE = "district_outlines.json"
DISTRICT_OUTLINES_URL = STATIC_URL_PREFIX + DISTRICT_OUTLINES_FILE
# Lines from the names written outside the small central and island districts to the districts.
DISTRICT_LEADERS_FILE = "district_leaders.json"
DISTRICT_LEADERS_URL = STATIC_URL_PREFIX + DISTRICT_LEADERS_FILE
# Per indicator: the plan's base and target, the required path (derived), history and actual values.
INDICATOR_SERIES_FILE = "indicator_series.json"
INDICATOR_SERIES_URL = STATIC_URL_PREFIX + INDICATOR_SERIES_FILE
# The investment page: per area (12 districts + outside Wenzhou), per project, per project-year.
INVESTMENT_BY_AREA_FILE = "investment_by_area.json"
PROJECT_CHART_FILE = "project_chart_rows.json"
PROJECT_YEARS_FILE = "project_years.json"
INVESTMENT_BY_AREA_URL = STATIC_URL_PREFIX + INVESTMENT_BY_AREA_FILE
PROJECT_CHART_URL = STATIC_URL_PREFIX + PROJECT_CHART_FILE
PROJECT_YEARS_URL = STATIC_URL_PREFIX + PROJECT_YEARS_FILE

# Open data (the build's stage 5): every table as CSV and Parquet, the database file, datapackage.json;
# served as static files under app/static/open/.
OPEN_DATA_DIR = STATIC_BUILD_DIR / "open"
OPEN_DATA_URL_PREFIX = STATIC_URL_PREFIX + "open/"
DATAPACKAGE_FILE = "datapackage.json"


def database_path() -> Path:
    return Path(os.environ.get("WENZHOU_DB", DEFAULT_DB_PATH))
