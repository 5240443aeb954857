"""The one place that opens the plan database at run time.

One read-only DuckDB connection per process, cached; every query takes its
own ``cursor()``, because a DuckDB connection must not be shared between the
threads Streamlit runs sessions on. The connection cannot read other files or
change its own settings (``enable_external_access=false``,
``lock_configuration=true``), so even a query bug cannot reach beyond the file.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import streamlit as st

from lib.paths import database_is_prebuilt, database_path


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(
        str(path),
        read_only=True,
        config={"enable_external_access": False, "lock_configuration": True},
    )


# Shown once per process, before any page has read its language (the text is fixed at import): both languages.
@st.cache_resource(show_spinner="正在准备规划数据库… Preparing the plan database…")
def _connection(path_text: str) -> duckdb.DuckDBPyConnection:
    # Build-time code is reached only here, once per process: it rebuilds the
    # database when it is missing or older than its inputs, and otherwise returns.
    # A deployment that ships the file prebuilt skips it (and the pipeline's imports).
    if database_is_prebuilt():
        return open_read_only(Path(path_text))
    from lib.pipeline.orchestrate import ensure_database

    return open_read_only(ensure_database(Path(path_text)))


def cursor() -> duckdb.DuckDBPyConnection:
    return _connection(str(database_path())).cursor()
