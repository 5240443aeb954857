"""Files made for download: the one-page meeting brief (Typst), chart images (vl-convert) and table exports
(CSV, Excel). Data in, bytes out; no Streamlit (lib/web gathers the data and offers the buttons)."""
