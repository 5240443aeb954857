"""The Streamlit layer: page set-up, the URL's view state, the district filter, the language of the view,
per-page views, chart specs built once per view, the cached queries over the one read-only connection, the
download menus and the server's start. Pages (pages/*.py) are thin and call into here."""
