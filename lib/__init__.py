"""The explorer's code, in layers; each imports only the ones below it (docs/architecture.md, .importlinter).

- ``lib.web``: Streamlit (page set-up, URL state, the district filter, per-page views, cached queries);
- ``lib.files``: files made for download (the meeting brief, chart images, table exports);
- ``lib.charts``: Altair chart builders;
- ``lib.domain``: pure Python and pandas (the plan's figures, units, citations, statuses, SQL text, paths).

``lib.pipeline`` builds the database and the static files; it stands on ``lib.domain`` and nothing run-time
imports it.
"""
