"""Entry point: page set-up, navigation and the district filter shared by every page."""
from __future__ import annotations

import streamlit as st

from lib import district_filter

st.set_page_config(page_title="温州科技创新“十四五”规划浏览", page_icon=":material/map:", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="区县地图", icon=":material/map:", default=True, url_path="map"),
    st.Page("pages/projects.py", title="重大项目", icon=":material/construction:", url_path="projects"),
    st.Page("pages/data.py", title="数据与来源", icon=":material/table_view:", url_path="data"),
]
navigation = st.navigation(PAGES, position="hidden")

district_filter.sidebar_control()
with st.sidebar:
    st.divider()
    # Links carry the filter so that the whole view state stays in the URL across pages.
    district = district_filter.current_district()
    for page in PAGES:
        st.page_link(page, query_params={district_filter.QUERY_PARAM: district} if district else None)
    st.caption("数据来源：《温州市科技创新“十四五”规划（2021—2025年）》。数字均可追溯到规划原文的章节、附件和行。")

navigation.run()
