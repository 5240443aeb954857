"""What every page shares: page config, the URL's view state, the sidebar filter and links that keep the view."""
from __future__ import annotations

import gc

import pandas as pd
import streamlit as st

from lib import district_filter, exports, view_state
from lib.i18n import LANGS, N_, _

# (script, label); links are drawn by hand so they carry the whole view (Streamlit's own nav would drop it).
PAGES = (
    ("app.py", N_("区县地图")),
    ("pages/1_projects.py", N_("重大项目")),
    ("pages/2_data.py", N_("数据与来源")),
)
LANG_NAMES = {"zh": "中文", "en": "English"}
_LANG_KEY = "lang_select"


@st.cache_resource(show_spinner=False)
def _freeze_long_lived_heap() -> bool:
    """Streamlit runs a full garbage collection after every rerun (runner.postScriptGC).
    With pandas, Altair and DuckDB loaded that scans ~130k objects, ~50 ms per click.
    Once per process, after the imports, move what exists into the permanent
    generation; objects made per rerun are still collected as usual."""
    gc.freeze()
    return True


def _on_lang_change() -> None:
    view_state.set_param("lang", st.session_state.get(_LANG_KEY))


def _language_switch() -> None:
    st.session_state[_LANG_KEY] = view_state.lang()
    st.sidebar.segmented_control(_("语言 / Language"), options=list(LANGS), key=_LANG_KEY,
                                 format_func=LANG_NAMES.get, on_change=_on_lang_change)


def show_notices() -> None:
    for name in view_state.pop_notices():
        st.warning(_("链接中的参数“{name}”无法识别，已忽略。").format(name=_(name)), icon="⚠️")


def page_setup(title: str) -> str | None:
    """Call first on every page with its catalog title (``N_``); returns the selected district (None = whole city)."""
    _freeze_long_lived_heap()
    st.set_page_config(page_title=f"{_(title)} · {_('温州科技创新“十四五”规划')}", page_icon=":material/map:",
                       layout="wide")
    view_state.validate_url()
    district_filter.sidebar_control()
    district = district_filter.current_district()
    _language_switch()
    links = view_state.link_params()
    with st.sidebar:
        st.divider()
        for script, label in PAGES:
            st.page_link(script, label=_(label), query_params=links or None)
        st.caption(_("数据：《温州市科技创新“十四五”规划》。复制地址栏即可分享当前视图。"))
    district_filter.show_notice()
    show_notices()
    return district


def download_buttons(frame: pd.DataFrame, file_stem: str, key: str) -> None:
    """CSV and Excel downloads of exactly ``frame`` (the rows on screen), made only when clicked.

    The bytes are produced by the callable on click (deferred), so a rerun sends
    two small buttons, not the file; ``on_click="ignore"`` keeps the page as it is.
    """
    with st.container(horizontal=True, gap="small"):
        st.download_button(_("下载 CSV"), data=lambda: exports.to_csv_bytes(frame), file_name=f"{file_stem}.csv",
                           mime=exports.CSV_MIME, on_click="ignore", key=f"{key}_csv", icon=":material/download:")
        st.download_button(_("下载 Excel"), data=lambda: exports.to_xlsx_bytes(frame),
                           file_name=f"{file_stem}.xlsx", mime=exports.XLSX_MIME, on_click="ignore",
                           key=f"{key}_xlsx", icon=":material/download:")


# Pages added for investment, the plan's annexes and search (issue 7).
PAGES += (
    ("pages/5_investment.py", N_("投资分析")),
    ("pages/6_platforms.py", N_("重大平台")),
    ("pages/7_policies.py", N_("政策与改革")),
    ("pages/8_search.py", N_("全文检索")),
)
