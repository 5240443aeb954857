"""The data pipeline, build time only: one stage per module, as owid/etl keeps one step per file.

- ``snapshot``: stage 1, the raw plan text as numbered lines (bookmarks stripped)
- ``plan_tables``, ``parse_plan``, ``values``, ``places``, ``curated``, ``quality``, ``checks``
  and ``tidy``: stage 2, tidy checked records
- ``database``: stage 3, the DuckDB file (written atomically)
- ``publish``: stage 4, small static files the browser fetches
- ``open_data``: stage 5, every table as CSV and Parquet, the database copy, datapackage.json
- ``orchestrate``: the run; ``freshness``: what the build reads, its hash, and whether the outputs are
  up to date (``python -m lib.pipeline`` builds only then; the app never builds)

Run it with ``python -m lib.pipeline``.
"""
