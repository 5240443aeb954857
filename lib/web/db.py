"""The one place that opens the plan database at run time.

It never builds it: ``make run`` (``python -m lib.pipeline``) does, before the server starts, and so do the
stack, the Docker image and the tests' fixtures. A missing file is said in the page, with what to run.

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

from lib.domain.paths import database_path
from lib.web.lang import _


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(
        str(path),
        read_only=True,
        config={"enable_external_access": False, "lock_configuration": True},
    )


@st.cache_resource(show_spinner=False)
def _connection(path_text: str) -> duckdb.DuckDBPyConnection:
    return open_read_only(Path(path_text))


def cursor() -> duckdb.DuckDBPyConnection:
    path = database_path()
    if not path.exists():
        # Stops this run of the page with the message, not a traceback; the next run after a build goes on.
        st.error(_("规划数据库尚未构建。请在项目目录运行 make run（或 python -m lib.pipeline），然后重新载入本页。"))
        st.stop()
    return _connection(str(path)).cursor()
