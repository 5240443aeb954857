"""What every page shares: page config, the sidebar district filter and links that keep the URL state."""
from __future__ import annotations

import gc

import streamlit as st

from lib import district_filter

# (script, label); links are drawn by hand so they carry ?district= (Streamlit's own nav would drop it).
PAGES = (
    ("app.py", "区县地图"),
    ("pages/1_projects.py", "重大项目"),
    ("pages/2_data.py", "数据与来源"),
)


@st.cache_resource(show_spinner=False)
def _freeze_long_lived_heap() -> bool:
    """Streamlit runs a full garbage collection after every rerun (runner.postScriptGC).
    With pandas, Altair and DuckDB loaded that scans ~130k objects, ~50 ms per click.
    Once per process, after the imports, move what exists into the permanent
    generation; objects made per rerun are still collected as usual."""
    gc.freeze()
    return True


def page_setup(title: str) -> str | None:
    """Call first on every page; returns the selected district (None = whole city)."""
    _freeze_long_lived_heap()
    st.set_page_config(page_title=f"{title} · 温州科技创新“十四五”规划", page_icon=":material/map:",
                       layout="wide")
    district_filter.sidebar_control()
    district = district_filter.current_district()
    with st.sidebar:
        st.divider()
        for script, label in PAGES:
            st.page_link(script, label=label,
                         query_params={district_filter.QUERY_PARAM: district} if district else None)
        st.caption("数据：《温州市科技创新“十四五”规划》。复制地址栏即可分享当前视图。")
    district_filter.show_notice()
    return district
