"""Full-text search over the whole plan: matching passages with section and line, opened in context.

Plan text is shown through ``lib.domain.escaping`` (escaped, matches marked with
Streamlit's own syntax), never as HTML.
"""
from __future__ import annotations

import streamlit as st

from lib.domain import citations, plan_search
from lib.domain.escaping import escape, highlight, original
from lib.domain.i18n import N_, marked
from lib.web import downloads, page, queries, search_view, view_state
from lib.web.lang import _, current_lang, ngettext

SEARCH_KEY = "plan_search_q"
SHOWN = 30          # results drawn on the page; the download holds every match

page.page_setup(N_("全文检索"))
lang = current_lang()
st.title(_("规划全文检索"))
st.caption(_("在《温州市科技创新“十四五”规划》全文中查找，含正文、专栏和附件表格。多个词用空格隔开，须全部出现在同一段"
             "（或同一表格单元格）中。行号是规划原文文件的行号。"))

text, line = search_view.search_text(), search_view.plan_line()
words = plan_search.search_words(text, queries.english_terms())
terms = [t for w in words for t in w.alternatives]   # highlighted: the words and the plan's Chinese for them
st.session_state[SEARCH_KEY] = text or ""


def _on_search() -> None:
    view_state.set_param("q", view_state.clean_search_text(st.session_state.get(SEARCH_KEY) or ""))
    view_state.set_param("line", None)


st.text_input(_("搜索词"), key=SEARCH_KEY, on_change=_on_search, max_chars=100,
              placeholder=_("例如：实验室、研发投入、瓯江口 人才、laboratory"), icon=":material/search:")


def _open_passage(number: int | None, label: str, icon: str) -> None:
    """Opens (or, with None, closes) a passage in context on this page: ``?line=`` follows, so the
    address bar holds the passage. A button, since a page link to the page it is on does not rerun it."""
    st.button(label, icon=icon, type="tertiary", key=f"open_line_{number}", on_click=view_state.set_param,
              args=("line", None if number is None else str(number)))


if line is not None:
    context = queries.plan_context(line, radius=5)
    target = context.loc[context["line"] >= line].iloc[0] if (context["line"] >= line).any() else context.iloc[-1]
    with st.container(border=True, key="plan_context"):
        st.subheader(_("原文第 {line} 行").format(line=int(target["line"])))
        st.caption(_("所在章节：{section}（章节取自原文中保留下来的最近标题）").format(
            section=escape(citations.cite(target["source"], lang))))
        def _lines(part) -> str:  # plan text: marked as the original in English
            return original("  \n".join(f"`{row.line}`　{highlight(row.text, terms)}" for row in part.itertuples()), lang)

        before, after = context.loc[context["line"] < target["line"]], context.loc[context["line"] > target["line"]]
        if not before.empty:
            st.markdown(_lines(before))
        with st.container(border=True):
            st.markdown(original(f"**{int(target['line'])}**　{highlight(target['text'], terms)}", lang))
        if not after.empty:
            st.markdown(_lines(after))
        _open_passage(None, _("返回搜索结果") if terms else _("关闭原文"), ":material/arrow_back:")

english = [w for w in words if w.chinese]
if english:  # the plan is Chinese only: say which of its words an English search word was taken to mean
    st.caption(escape(_("规划原文只有中文。英文检索词按本项目的术语表和英文名称对应为：{pairs}。").format(
        pairs=("；" if lang == "zh" else "; ").join(
            _("{word} → {chinese}").format(word=w.word, chinese=marked("、".join(w.chinese), lang)) for w in english))))

if terms:
    found = queries.search_plan(plan_search.groups(words))
    if found.empty:
        st.info(_("规划全文中没有同时包含这些词的段落。可以减少或更换搜索词。"))
    else:
        st.markdown(escape(ngettext("共 {n} 处（按原文顺序）。", "共 {n} 处（按原文顺序）。", len(found)).format(n=len(found)))
                    + (escape(_("这里显示前 {shown} 处，下载文件包含全部。").format(shown=SHOWN)) if len(found) > SHOWN else ""))
        for row in found.head(SHOWN).itertuples():
            with st.container(border=True):
                how = [_("“{word}”：中文原文“{chinese}”").format(word=w.word, chinese=marked("、".join(z), lang)) if z
                       else _("“{word}”：英文原词").format(word=w.word) for w, z in plan_search.matched(row.text, words)]
                st.caption(escape(_("{section} · 第 {line} 行").format(section=citations.cite(row.source, lang),
                                                                     line=row.line)
                                  + ("" if not how else " · " + _("匹配：{how}").format(
                                      how=("；" if lang == "zh" else "; ").join(how)))))
                st.markdown(original(highlight(row.text, terms), lang))
                _open_passage(row.line, _("在上下文中查看"), ":material/article:")
        export = found.assign(section=found["source"].map(lambda s: citations.cite(s, lang))).drop(columns="source").rename(
            columns={"line": _("行号"), "section": _("章节"), "text": _("原文")})
        downloads.download_buttons(export, "wenzhou_plan_search", "plan_search")
elif line is None:
    st.info(_("输入搜索词后按回车。"))
