"""What every page shares: page config, the URL's view state, the sidebar filter and links that keep the view."""
from __future__ import annotations

import functools
import gc
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pandas as pd
import streamlit as st

from lib.files import brief, chart_export, exports
from lib.web import district_filter, queries, view_state
from lib.domain.i18n import LANGS, N_, _

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
LANG_NAMES = {"zh": "中文", "en": "English"}
# What this explorer is called where its views travel without it: embeds, downloaded images.
EXPLORER_NAME = N_("温州科技创新“十四五”规划浏览")
APP_CSS = Path(__file__).resolve().parent / "app.css"
# An embedded view (Streamlit's ?embed=true) is the view alone: no sidebar and no way to open it.
EMBED_CSS = ("<style>[data-testid='stSidebar'], [data-testid='stExpandSidebarButton'] "
             "{ display: none !important; }</style>")
_LANG_KEY = "lang_select"


@st.cache_resource(show_spinner=False)
def _freeze_long_lived_heap() -> bool:
    """Streamlit runs a full garbage collection after every rerun (runner.postScriptGC).
    With pandas, Altair and DuckDB loaded that scans ~130k objects, ~50 ms per click.
    Once per process, after the imports, move what exists into the permanent
    generation; objects made per rerun are still collected as usual."""
    gc.freeze()
    return True


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


def _on_lang_change() -> None:
    view_state.set_param("lang", st.session_state.get(_LANG_KEY))


def _language_switch() -> None:
    st.session_state[_LANG_KEY] = view_state.lang()
    st.sidebar.segmented_control(_("语言 / Language"), options=list(LANGS), key=_LANG_KEY,
                                 format_func=LANG_NAMES.get, on_change=_on_lang_change)


def _enter_presenter() -> None:
    from lib.web import presenter

    presenter.enter()


def show_notices() -> None:
    for name in view_state.pop_notices():
        st.warning(_("链接中的参数“{name}”无法识别，已忽略。").format(name=_(name)), icon="⚠️")


def navigation():
    """The pages in the sidebar (Streamlit's own list: one message per run, where links drawn by hand
    cost ~1.5 KB a click), titled in the view's language; hidden while presenting."""
    pages = [st.Page(script, title=_(label), default=(i == 0)) for i, (script, label) in enumerate(PAGES)]
    return st.navigation(pages, position="hidden" if view_state.presenting() else "sidebar")


def page_setup(title: str) -> str | None:
    """Call first on every page with its catalog title (``N_``); returns the selected district (None = whole city)."""
    _freeze_long_lived_heap()
    presenting = view_state.presenting()
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
        from lib.web import presenter

        district_filter.show_notice()
        show_notices()
        presenter.render(district)  # stops the script: the deck replaces the page
    _language_switch()
    view_state.remember_view()
    with st.sidebar:
        st.button(_("演示模式"), icon=":material/slideshow:", on_click=_enter_presenter, width="stretch",
                  help=_("大字、无侧栏，一屏一个要点；方向键翻页"))
        st.caption(_("数据：《温州市科技创新“十四五”规划》。复制地址栏即可分享当前视图。"))
    district_filter.show_notice()
    show_notices()
    if st.context.is_embedded:
        _embedded_credit()
    else:
        phone_bar(title, district)
    return district


def _embedded_credit() -> None:
    """In an iframe elsewhere, the view says where it comes from and opens in full (a new tab)."""
    full = f"{_page_address(st.context.url)}?{urlencode(view_state.link_params())}"
    st.html(EMBED_CSS)
    st.caption(_("来源：《温州市科技创新“十四五”规划》 · [在{explorer}中打开完整视图]({url})").format(
        explorer=_(EXPLORER_NAME), url=full))


PHONE_MENU_KEY = "phone_menu"


def phone_bar(title: str, district: str | None) -> None:
    """Under 640 px (lib/web/app.css shows it only there, in the header row, and hides the sidebar's page
    list): one menu with the pages, the district and the language, at the top of the page itself, so a
    phone never needs the sidebar, which covers the page until it is closed by hand. Its content runs only
    while it is open (one small block per run); its key changes with the view, so a choice closes it."""
    lang = view_state.lang()
    names = district_filter.district_names(lang)
    on_map = title == PAGES[0][1]   # on the map the map itself chooses the district (tap again: whole city)
    label = _(title) if on_map or not district else f"{_(title)} · {names[district]}"
    menu = st.popover(label, icon=":material/menu:", on_change="rerun", key=f"{PHONE_MENU_KEY}_{lang}_{district}")
    with menu:
        if not menu.open:
            return
        view = view_state.link_params()
        for script, page_label in PAGES:
            st.page_link(script, label=_(page_label), query_params=view, disabled=page_label == title)
        other = "en" if lang == "zh" else "zh"
        st.button(LANG_NAMES[other], icon=":material/translate:", key="phone_lang", on_click=view_state.set_param,
                  args=("lang", other))
        if not on_map:
            st.caption(_("区县筛选"))
            with st.container(horizontal=True, gap="small"):
                for code in (district_filter.WHOLE_CITY, *names):
                    st.button(names[code] if code else _("全市（不筛选）"), key=f"phone_pick_{code or 'all'}",
                              on_click=district_filter.set_district, args=(code or None,),
                              disabled=(code or None) == district)


def download_buttons(frame, file_stem: str, key: str, notes: tuple[str, ...] = ()) -> None:
    """CSV and Excel downloads of exactly ``frame`` (the rows on screen; or a function that makes them,
    called only on a click), made only when clicked.

    The bytes are produced by the callable on click (deferred), so a rerun sends
    two small buttons, not the file; ``on_click="ignore"`` keeps the page as it is.
    ``notes`` (an assumption the figures rest on, their source) go into the files themselves: the first
    as a column 说明 on every row of both files, all of them on a sheet 说明 of the Excel file.
    """
    note_column = _("说明")  # in the page's language now: the files are made later, outside the script run

    def rows():
        table = frame() if callable(frame) else frame
        return table.assign(**{note_column: notes[0]}) if notes else table

    with st.container(horizontal=True, gap="small"):
        st.download_button(_("下载 CSV"), data=lambda: exports.to_csv_bytes(rows()), file_name=f"{file_stem}.csv",
                           mime=exports.CSV_MIME, on_click="ignore", key=f"{key}_csv", icon=":material/download:")
        st.download_button(_("下载 Excel"), data=lambda: exports.to_xlsx_bytes(rows(), notes=notes,
                                                                              notes_sheet=note_column),
                           file_name=f"{file_stem}.xlsx", mime=exports.XLSX_MIME, on_click="ignore",
                           key=f"{key}_xlsx", icon=":material/download:")


def exact_amount_column(lang: str):
    """Column format of the plan's exact amounts: whole 万元, or CNY million with two decimals."""
    return st.column_config.NumberColumn(format="%,.2f" if lang == "en" else "localized")


SVG_FONT_NOTE = N_("PNG 与 PDF 自带中文字体，随处可用；SVG 不含字体，需在装有中文字体（如 Noto Sans CJK SC）的电脑上打开。")


def download_menu(district: str | None, district_name: str | None, charts, key: str = "downloads") -> None:
    """The meeting brief of the view in one click (PDF), beside one lazy popover with the brief as PNG,
    downloads of the page's charts (``charts``: ``(spec, file_stem, title, source)`` each, ``source``
    where the numbers come from in the plan; or a function returning them, called only while the menu is
    open) and the view to embed.

    Closed, the popover sends only its button (~230 bytes, about what a single download button
    costs: nine buttons would break the 10 KB per click budget); its content runs only while
    it is open, and each file is made only when its button is clicked.
    """
    if st.context.is_embedded:
        return  # an embedded view shows the view; its downloads are one click away in the explorer
    with st.container(horizontal=True, gap="small"):
        _brief_button(district, district_name, "pdf", _("会议简报 PDF"), f"{key}_brief_now", primary=True)
        menu = st.popover(_("下载与嵌入"), on_change="rerun", key=key, icon=":material/download:")
    with menu:
        if menu.open:
            st.caption(_("会议简报（一页 A4 横版：地图、关键数字、重点项目、规划定位、全市指标）"))
            _brief_button(district, district_name, "png", "PNG", f"{key}_brief_png")  # PDF: the button beside
            for i, (spec, file_stem, title, source) in enumerate(charts() if callable(charts) else charts):
                chart_downloads(spec, file_stem, f"{key}_chart{i}", title, chart_footer(title, district_name, source))
            st.caption(_(SVG_FONT_NOTE))
            st.caption(_("嵌入此视图（复制到网页中；图表、筛选与语言同当前视图）"))
            st.code(embed_snippet(), language="html", wrap_lines=True)


EMBED_HEIGHT = 720


def embed_url(base: str | None = None, view: dict[str, str] | None = None) -> str:
    """This view's address for an iframe: the page, every parameter of the view, and Streamlit's
    ``embed=true`` (no toolbar, no sidebar, no padding). ``base`` is the page's address as the visitor's
    browser sees it (scheme, host, page path); without one (no browser) the path alone."""
    query = urlencode({**(view_state.link_params() if view is None else view), "embed": "true"})
    return f"{_page_address(st.context.url if base is None else base)}?{query}"


def _page_address(base: str | None) -> str:
    """The page's address without a query, with its path (the home page's is ``/``)."""
    if not base:
        return ""
    return base if urlsplit(base).path else base + "/"


def embed_snippet(base: str | None = None, view: dict[str, str] | None = None) -> str:
    """An ``<iframe>`` of this exact view (lib/view_state: the whole view is in the address)."""
    from html import escape

    title = escape(_(EXPLORER_NAME), quote=True)
    return (f'<iframe src="{escape(embed_url(base, view), quote=True)}" title="{title}" width="100%" '
            f'height="{EMBED_HEIGHT}" style="border:0" loading="lazy"></iframe>')


def chart_footer(title: str, district_name: str | None, source: str) -> tuple:
    """The footer a downloaded chart carries (lib/chart_export): title and district, source, the data's
    build date, the explorer's name and the view's address, in the view's language."""
    built = str(queries.build_meta().get("built_at") or "")[:10] or "—"
    view = urlencode(view_state.link_params())
    address = f"{_page_address(st.context.url)}?{view}" if st.context.url else ""
    return chart_export.footer_lines(title, district_name or _("全市（不筛选）"), _("来源：{source}").format(source=source),
                                     _("数据构建日期：{date}").format(date=built), _(EXPLORER_NAME),
                                     address.rstrip("?"))


def chart_downloads(spec_or_chart, file_stem: str, key: str, title: str, footer: tuple = ()) -> None:
    """PNG, SVG and PDF of a chart as drawn (lib/chart_export: on the server, CJK font named, cached), with
    ``footer`` below it, each made only when its button is clicked."""
    st.caption(title)
    with st.container(horizontal=True, gap="small"):
        for fmt in chart_export.FORMATS:
            st.download_button(fmt.upper(), data=functools.partial(chart_export.convert, spec_or_chart, fmt,
                                                                   footer=footer),
                               file_name=f"{file_stem}.{fmt}", mime=chart_export.FORMATS[fmt], on_click="ignore",
                               key=f"{key}_{fmt}")


def _brief_button(district: str | None, district_name: str | None, fmt: str, label: str, key: str,
                  primary: bool = False) -> None:
    """The one-page meeting brief of the current view (lib/brief) as ``fmt``, made (or taken from the
    process cache) only when clicked."""
    lang = view_state.lang()
    st.download_button(label, data=functools.partial(brief.make_brief, district, lang, fmt),
                       file_name=brief.file_name(district_name, lang, fmt), mime=brief.FORMATS[fmt],
                       on_click="ignore", key=key, icon=":material/description:",
                       type="primary" if primary else "secondary")
