"""What every page does first: its set-up (title, CSS, the URL's view validated, the sidebar: district filter,
language, presenter button), and the list of pages that app.py hands to ``st.navigation``."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from lib.domain.i18n import N_
from lib.web import district_filter, embed, heap, lang, phone_menu, presenter, view_state
# Imported for the URL parameters they declare (lib/web/view_state.register): every page validates all of them.
from lib.web import indicator_view, investment_view, map_view, projects_view, scorecard_view, search_view  # noqa: F401
from lib.web.lang import _

# (script, label) in the order a visitor would go: where, how much, what, what was promised,
# did we get there, the rest. app.py hands them to st.navigation; the first is the home page ("/").
PAGES = (
    ("pages/0_map.py", N_("区县地图")),
    ("pages/5_investment.py", N_("投资分析")),
    ("pages/1_projects.py", N_("重大项目")),
    ("pages/6_platforms.py", N_("重大平台")),
    ("pages/3_indicators.py", N_("指标与目标")),
    ("pages/4_scorecard.py", N_("目标完成情况")),
    ("pages/7_policies.py", N_("政策与改革")),
    ("pages/8_search.py", N_("全文检索")),
    ("pages/2_data.py", N_("数据与来源")),
)
APP_CSS = Path(__file__).resolve().parent / "app.css"
# Pages with a file upload box (the scorecard's actual values), whose Streamlit text is put in the view's language.
UPLOAD_PAGES = (N_("目标完成情况"),)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def upload_box_css() -> str:
    """Streamlit writes its upload box in English ("Upload", "1MB per file"); this puts the button and
    the size limit (server.maxUploadSize, the deployment's) in the view's language, from the catalog."""
    limit = _("每个文件不超过 {mb} MB · CSV").format(mb=st.get_option("server.maxUploadSize"))
    button = _("选择文件")
    zone = '[data-testid="stFileUploaderDropzone"]'
    return (f"<style>{zone} button [data-testid=\"stMarkdownContainer\"] p, "
            f"[data-testid=\"stFileUploaderDropzoneInstructions\"] span {{ font-size: 0 !important; }}"
            f"{zone} button [data-testid=\"stMarkdownContainer\"] p::after {{ content: {_css_string(button)}; "
            f"font-size: 0.875rem; }}"
            f"[data-testid=\"stFileUploaderDropzoneInstructions\"] span::after {{ content: {_css_string(limit)}; "
            f"font-size: 0.875rem; }}</style>")


def show_notices() -> None:
    """One warning per parameter whose value the URL check dropped; a notice of its own (the district's, which
    says that the page shows the whole city instead) first."""
    for param in sorted(view_state.pop_notices(), key=lambda p: not p.notice):
        st.warning(view_state.notice_text(param, lang.current_lang()), icon="⚠️")


def navigation():
    """The pages in the sidebar (Streamlit's own list: one message per run, where links drawn by hand
    cost ~1.5 KB a click), titled in the view's language; hidden while presenting."""
    # The nine st.Page objects are kept per session and language: building them (paths resolved, hashes made)
    # cost ~0.3 ms a run. Not shared between sessions: st.navigation marks the page it runs on the object.
    key = f"navigation_pages_{lang.current_lang()}"
    pages = st.session_state.get(key)
    if pages is None:
        pages = st.session_state[key] = [st.Page(script, title=_(label), default=(i == 0))
                                         for i, (script, label) in enumerate(PAGES)]
    return st.navigation(pages, position="hidden" if presenter.presenting() else "sidebar")


def page_setup(title: str) -> str | None:
    """Call first on every page with its catalog title (``N_``); returns the selected district (None = whole city)."""
    heap.freeze_long_lived_heap()
    presenting = presenter.presenting()
    # An emoji icon is drawn locally (a data: SVG); a :material/…: icon is fetched from fonts.gstatic.com.
    site = _("温州科技创新“十四五”规划")
    st.set_page_config(page_title=f"{_(title)} · {site}", page_icon="🗺️",
                       layout="wide", initial_sidebar_state="collapsed" if presenting or st.context.is_embedded else "auto")
    st.html(APP_CSS)  # phone layout and keyboard focus (constant CSS; cached by the browser after the first run)
    if title in UPLOAD_PAGES:
        st.html(upload_box_css())
    view_state.validate_url()
    district_filter.sidebar_control()
    district = district_filter.current_district()
    if presenting:
        show_notices()
        presenter.render(district)  # stops the script: the deck replaces the page
    lang.language_switch()
    view_state.remember_view()
    with st.sidebar:
        st.button(_("演示模式"), icon=":material/slideshow:", on_click=presenter.enter, width="stretch",
                  help=_("大字、无侧栏，一屏一个要点；方向键翻页"))
        st.caption(_("数据：《温州市科技创新“十四五”规划》。复制地址栏即可分享当前视图。"))
    show_notices()
    if st.context.is_embedded:
        embed.embedded_credit()
    else:
        phone_menu.phone_bar(title, district, PAGES)
    return district
