"""The open data the build published (lib/pipeline/open_data.py), as the data page lists it.

Read from the build's datapackage.json, so the list follows the database's tables; the files themselves
are static (app/static/open/…), sent as they are.
"""
from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from lib.domain.paths import DATAPACKAGE_FILE, OPEN_DATA_DIR, OPEN_DATA_URL_PREFIX


@st.cache_data(show_spinner=False)
def datapackage() -> dict:
    return json.loads((OPEN_DATA_DIR / DATAPACKAGE_FILE).read_text(encoding="utf-8"))


def url(relative_path: str) -> str:
    return OPEN_DATA_URL_PREFIX + relative_path


@st.cache_data(show_spinner=False)
def tables() -> pd.DataFrame:
    """One row per table: name, rows, columns, CSV and Parquet links."""
    return pd.DataFrame([{"table": r["title"], "rows": r.get("rows"), "columns": len(r["schema"]["fields"]),
                          "csv": url(r["path"]), "parquet": url(r["parquet"])}
                         for r in datapackage()["resources"]])
