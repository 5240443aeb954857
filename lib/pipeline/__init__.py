"""The data pipeline, build time only: one stage per module, as owid/etl keeps one step per file.

- ``snapshot``: stage 1, the raw plan text as numbered lines (bookmarks stripped)
- ``plan_tables``, ``parse_plan``, ``values``, ``places``, ``curated``, ``quality``, ``checks``
  and ``tidy``: stage 2, tidy checked records
- ``database``: stage 3, the DuckDB file (written atomically)
- ``publish``: stage 4, small static files the browser fetches
- ``orchestrate``: the run, and :func:`~lib.pipeline.orchestrate.ensure_database` for the app

Run it with ``python -m lib.pipeline``.
"""
