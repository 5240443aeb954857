"""Shared fixtures: one real database built by the real pipeline for the whole session."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from lib.pipeline.orchestrate import build_database
from lib.pipeline.tidy import parse_all

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"  # screenshots etc.; git-ignored


@pytest.fixture(scope="session")
def plan_db(tmp_path_factory) -> Path:
    """The database, built by lib.pipeline into a temporary folder; WENZHOU_DB points the app at it."""
    path = build_database(tmp_path_factory.mktemp("db") / "wenzhou_plan.duckdb")
    previous = os.environ.get("WENZHOU_DB")
    os.environ["WENZHOU_DB"] = str(path)
    yield path
    if previous is None:
        os.environ.pop("WENZHOU_DB", None)
    else:
        os.environ["WENZHOU_DB"] = previous


@pytest.fixture(scope="session")
def db(plan_db):
    # Same settings as the app's connection: DuckDB refuses a second connection
    # to one file with a different configuration in the same process.
    from lib.db import open_read_only

    con = open_read_only(plan_db)
    yield con
    con.close()


@pytest.fixture(scope="session")
def tables() -> dict[str, list[dict]]:
    return parse_all()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
