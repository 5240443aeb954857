"""Open data: every table of the database as CSV and Parquet, the database file and a Frictionless
datapackage.json, made by the build (lib/pipeline/open_data.py), listed on the data page, served as
static files."""
from __future__ import annotations

import csv
import hashlib
import json

import duckdb
import pytest
from frictionless import validate
from streamlit.testing.v1 import AppTest

from bench.stack import http_get
from lib.domain.paths import DATAPACKAGE_FILE, OPEN_DATA_DIR, RAW_PLAN_PATH
from tests.conftest import ROOT
from tests.stack_fixtures import stack  # noqa: F401  (fixture)


@pytest.fixture(scope="module")
def package(plan_db) -> dict:
    return json.loads((OPEN_DATA_DIR / DATAPACKAGE_FILE).read_text(encoding="utf-8"))


def _db_tables(db) -> list[str]:
    return sorted(r[0] for r in db.execute("SELECT table_name FROM information_schema.tables "
                                           "WHERE table_schema = 'main'").fetchall())


def test_frictionless_validates_the_package(plan_db):
    report = validate(str(OPEN_DATA_DIR / DATAPACKAGE_FILE))
    assert report.valid, report.flatten(["title", "type", "note"])[:10]
    assert report.stats["tasks"] >= 13  # one per table (the 13 of the schema at least)


def test_every_table_is_published_with_its_rows(package, db):
    tables = _db_tables(db)
    assert sorted(r["title"] for r in package["resources"]) == tables
    for resource in package["resources"]:
        table = resource["title"]
        expected = db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
        with open(OPEN_DATA_DIR / resource["path"], newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        columns = [r[0] for r in db.execute(f'DESCRIBE "{table}"').fetchall()]
        assert rows[0] == columns and len(rows) - 1 == expected == resource["rows"], table
        assert [f["name"] for f in resource["schema"]["fields"]] == columns
        with duckdb.connect() as con:  # a fresh in-memory connection that may read files
            parquet_rows = con.execute("SELECT COUNT(*) FROM read_parquet(?)",
                                       [str(OPEN_DATA_DIR / resource["parquet"])]).fetchone()[0]
        assert parquet_rows == expected, table


def test_known_counts_from_the_plan(package):
    """Counts read off the plan by hand: 16 indicators in 主要指标表, 37 projects in 附件2, 12 platforms in
    附件1, 12 county-level districts."""
    rows = {r["title"]: r["rows"] for r in package["resources"]}
    assert rows["indicators"] == 16 and rows["projects"] == 37
    assert rows["platforms"] == 12 and rows["districts"] == 12


def test_units_and_provenance_are_described(package):
    resources = {r["title"]: r for r in package["resources"]}
    fields = {f["name"]: f for f in resources["projects"]["schema"]["fields"]}
    assert fields["total_investment_wan"]["unit"].startswith("万元")
    assert fields["planned_investment_wan"]["unit"].startswith("万元")
    assert fields["total_investment_wan"]["type"] == "integer"
    assert "section or annex" in fields["source_ref"]["description"]
    assert resources["projects"]["schema"]["primaryKey"] == ["project_no"]
    for r in package["resources"]:
        names = {f["name"] for f in r["schema"]["fields"]}
        if "source_ref" in names:
            assert "source_ref" in r["description"]
    source = package["sources"][0]
    assert source["path"] == "data/raw/" + RAW_PLAN_PATH.name
    assert source["sha256"] == hashlib.sha256(RAW_PLAN_PATH.read_bytes()).hexdigest()


def test_database_copy_is_the_database(package, db):
    copy = OPEN_DATA_DIR / package["database"]["path"]
    assert package["database"]["hash"] == "sha256:" + hashlib.sha256(copy.read_bytes()).hexdigest()
    with duckdb.connect(str(copy), read_only=True) as con:
        assert _db_tables(con) == _db_tables(db)


def test_data_page_links_every_table(plan_db, package):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/2_data.py")
    at.run()
    assert not at.exception
    links = {e.proto.label: e.proto.url for e in at.get("link_button")}
    assert links["DuckDB 数据库"] == "app/static/open/wenzhou_plan.duckdb"
    assert links["datapackage.json"] == "app/static/open/datapackage.json"
    listing = at.dataframe[-1].value.set_index("表")
    for r in package["resources"]:
        assert listing.loc[r["title"], "csv"] == f"app/static/open/csv/{r['title']}.csv"
        assert listing.loc[r["title"], "parquet"] == f"app/static/open/parquet/{r['title']}.parquet"


@pytest.mark.stack
def test_files_are_served_statically_through_the_stack(stack, package):
    status, headers, body = http_get(stack.port, "/app/static/open/datapackage.json")
    assert status == 200 and json.loads(body)["name"] == package["name"]
    status, headers, body = http_get(stack.port, "/app/static/open/csv/projects.csv")
    assert status == 200 and headers["content-type"][0].startswith("text/csv")
    assert body.decode("utf-8").splitlines()[0].startswith("project_no,")
    status, headers, body = http_get(stack.port, "/app/static/open/wenzhou_plan.duckdb")
    assert status == 200 and headers["content-type"] == ["application/octet-stream"]
    assert hashlib.sha256(body).hexdigest() == package["database"]["hash"].split(":")[1]


def test_each_table_says_what_is_the_plans_what_is_curated_and_what_is_outside(package, db):
    from lib.pipeline.open_data import CURATED, OUTSIDE, PLAN, TABLE_DESCRIPTIONS

    assert set(TABLE_DESCRIPTIONS) == set(_db_tables(db))      # a new table must be described
    resources = {r["title"]: r for r in package["resources"]}
    assert all(resources[t]["description"].startswith(TABLE_DESCRIPTIONS[t]) for t in resources)
    # Parsed tables name their curated columns; judgement tables say they are judgement; observations are outside.
    assert resources["projects"]["description"].startswith(PLAN) and CURATED + "sector" in resources["projects"]["description"]
    assert resources["zones"]["description"].startswith(CURATED)
    assert resources["indicator_groups"]["description"].startswith(CURATED)
    assert "restates" in resources["goals"]["description"]
    observations = resources["observations"]
    assert observations["description"].startswith(OUTSIDE) and "grade" in observations["description"]
    assert PLAN not in observations["description"]
    fields = {f["name"]: f["description"] for f in observations["schema"]["fields"] if "description" in f}
    assert "not the plan" in fields["quote"] and "data/README.md" in fields["grade"]
    assert "the plan's own words" in {f["name"]: f.get("description", "") for f in
                                      resources["goals"]["schema"]["fields"]}["quote"].lower()
    assert "curated judgement" in package["description"] and "outside sources" in package["description"]
