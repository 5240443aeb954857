"""Entry point: the pages (lib/web/page.PAGES), the map first; the view follows the visitor from page to page.

Start it with ``python -m lib.web.serve run app.py`` (make run), not ``streamlit run``: lib/web/serve.py turns
off Streamlit's router for the pages/ folder, which would otherwise answer links to inner pages itself."""
import streamlit as st

from lib.web import page, view_state

chosen = page.navigation()
if view_state.carry_view_to(chosen.url_path):
    st.rerun()  # so the sidebar's page titles are drawn in the view's language too
chosen.run()
