"""Benchmark of the main page against a minimal Streamlit page; run `python -m bench.run`."""
