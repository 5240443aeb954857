"""Altair chart builders: plain functions that return charts (or specs) for a language passed in. No Streamlit:
the pages (through lib/web/chart_specs.py) and the file makers (lib/files) draw them."""
