"""What every page shares: page config, the sidebar district filter and links that keep the URL state."""
from __future__ import annotations

import streamlit as st

from lib import district_filter

# (script, label); links are drawn by hand so they carry ?district= (Streamlit's own nav would drop it).
PAGES = (
    ("app.py", "区县地图", ":material/map:"),
    ("pages/1_projects.py", "重大项目", ":material/construction:"),
    ("pages/2_data.py", "数据与来源", ":material/table_view:"),
)


def page_setup(title: str) -> str | None:
    """Call first on every page; returns the selected district (None = whole city)."""
    st.set_page_config(page_title=f"{title} · 温州科技创新“十四五”规划", page_icon=":material/map:",
                       layout="wide")
    district_filter.sidebar_control()
    district = district_filter.current_district()
    with st.sidebar:
        st.divider()
        for script, label, icon in PAGES:
            st.page_link(script, label=label, icon=icon,
                         query_params={district_filter.QUERY_PARAM: district} if district else None)
        st.caption("数据来源：《温州市科技创新“十四五”规划（2021—2025年）》。数字均可追溯到规划原文的章节、附件和行。")
    district_filter.show_notice()
    return district
