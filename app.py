"""Entry point: the pages (lib/layout.PAGES), the map first; the view follows the visitor from page to page."""
import streamlit as st

from lib import layout, view_state

page = layout.navigation()
if view_state.carry_view_to(page.url_path):
    st.rerun()  # so the sidebar's page titles are drawn in the view's language too
page.run()
