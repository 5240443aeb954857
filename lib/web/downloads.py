"""What a page offers to take away: a table's rows as CSV and Excel, and the download menu (the meeting brief,
every chart of the page as PNG, SVG and PDF with its footer, the view to embed). Every file is made only when
its button is clicked (lib/files makes them)."""
from __future__ import annotations

import functools
from urllib.parse import urlencode

import streamlit as st

from lib.domain.i18n import N_
from lib.files import chart_export, exports
from lib.web import briefs, queries, view_state
from lib.web.embed import EXPLORER_NAME, embed_snippet, page_address
from lib.web.lang import _

SVG_FONT_NOTE = N_("PNG 与 PDF 自带中文字体，随处可用；SVG 不含字体，需在装有中文字体（如 Noto Sans CJK SC）的电脑上打开。")


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
        briefs.brief_button(district, district_name, "pdf", _("会议简报 PDF"), f"{key}_brief_now", primary=True)
        menu = st.popover(_("下载与嵌入"), on_change="rerun", key=key, icon=":material/download:")
    with menu:
        if menu.open:
            st.caption(_("会议简报（一页 A4 横版：地图、关键数字、重点项目、规划定位、全市指标）"))
            briefs.brief_button(district, district_name, "png", "PNG", f"{key}_brief_png")  # PDF: the button beside
            for i, (spec, file_stem, title, source) in enumerate(charts() if callable(charts) else charts):
                chart_downloads(spec, file_stem, f"{key}_chart{i}", title, chart_footer(title, district_name, source))
            st.caption(_(SVG_FONT_NOTE))
            st.caption(_("嵌入此视图（复制到网页中；图表、筛选与语言同当前视图）"))
            st.code(embed_snippet(), language="html", wrap_lines=True)


def chart_footer(title: str, district_name: str | None, source: str) -> tuple:
    """The footer a downloaded chart carries (lib/files/chart_export): title and district, source, the data's
    build date, the explorer's name and the view's address, in the view's language."""
    built = str(queries.build_meta().get("built_at") or "")[:10] or "—"
    view = urlencode(view_state.link_params())
    address = f"{page_address(st.context.url)}?{view}" if st.context.url else ""
    return chart_export.footer_lines(title, district_name or _("全市（不筛选）"), _("来源：{source}").format(source=source),
                                     _("数据构建日期：{date}").format(date=built), _(EXPLORER_NAME),
                                     address.rstrip("?"))


def chart_downloads(spec_or_chart, file_stem: str, key: str, title: str, footer: tuple = ()) -> None:
    """PNG, SVG and PDF of a chart as drawn (lib/files/chart_export: on the server, CJK font named, cached), with
    ``footer`` below it, each made only when its button is clicked."""
    st.caption(title)
    with st.container(horizontal=True, gap="small"):
        for fmt in chart_export.FORMATS:
            st.download_button(fmt.upper(), data=functools.partial(chart_export.convert, spec_or_chart, fmt,
                                                                   footer=footer),
                               file_name=f"{file_stem}.{fmt}", mime=chart_export.FORMATS[fmt], on_click="ignore",
                               key=f"{key}_{fmt}")
