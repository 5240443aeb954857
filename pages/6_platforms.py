"""Platforms page: 附件1's 12 major platforms; the district filter keeps those whose text names the district
(with the words that linked them) and always shows the city-wide ones (naming no district)."""
from __future__ import annotations

import streamlit as st

from lib.domain import citations
from lib.domain.escaping import escape
from lib.domain.i18n import N_, colon, marked, original_column
from lib.web import district_filter, downloads, page, queries, view_state
from lib.web.lang import _, current_lang

district = page.page_setup(N_("重大平台"))
lang = current_lang()
en = lang == "en"
names = district_filter.district_names(lang)
st.title(_("重大平台（附件1）") + (f" · {names[district]}" if district else ""))
st.caption(_("附件1 列出 12 个重大平台。平台与区县的对应是本项目从平台文字中识别出的区县名和功能区名（派生），"
             "不是规划原文的归属；没有点名任何区县的平台是全市性的，按区县筛选时也始终显示。"))

frame = queries.platform_list(district)
search_params = {k: v for k, v in view_state.link_params().items() if k not in ("q", "line")}


def _text(value) -> str | None:
    """A text cell, or None where the query gave no value (NaN, which is truthy, on city-wide platforms)."""
    return value if isinstance(value, str) and value else None


def _platform(row) -> None:
    label = f"{row.platform_no}\\. {escape(row.name_en if en else row.name_zh)}"
    terms = _text(row.matched_terms) if district else None  # the plan's own words that name the district
    if terms:
        label += _("（点名：{terms}）").format(terms=escape(marked(terms, lang)))
    with st.expander(label, expanded=False):
        fields = [(_("规划范围（发展载体）"), marked(row.scope, lang)), (_("发展重点及工作举措"), marked(row.focus, lang)),
                  (_("发展目标"), marked(row.goal, lang))]
        if terms:
            fields.append((_("点名{district}的用语").format(district=names[district]), marked(terms, lang)))
        fields.append((_("文字中点名的区县（派生）"), _text(row.districts_named_en if en else row.districts_named)
                       or _("未点名任何区县：全市性平台")))
        fields.append((_("出处"), _("{ref}，规划原文第 {line} 行起").format(ref=citations.cite(row.source, lang),
                                                                       line=row.source_line)))
        st.markdown("  \n".join(f"**{escape(label)}**{colon(lang)}{escape(value)}" for label, value in fields))
        st.page_link("pages/8_search.py", label=_("在规划原文中查看"), icon=":material/article:",
                     query_params={**search_params, "line": str(row.source_line)})


named, city_wide = frame.loc[~frame["city_wide"]], frame.loc[frame["city_wide"]]
if district:
    st.subheader(_("点名{district}的平台（{n} 个）").format(district=names[district], n=len(named)))
    if named.empty:
        st.info(_("附件1 的平台文字中没有点名{district}或其境内的功能区。下面的全市性平台同样适用于该区县。").format(
            district=names[district]))
    for row in named.itertuples():
        _platform(row)
    st.subheader(_("全市性平台（未点名区县，{n} 个）").format(n=len(city_wide)))
    for row in city_wide.itertuples():
        _platform(row)
else:
    st.subheader(_("全部 {n} 个平台").format(n=len(frame)))
    for row in frame.itertuples():
        _platform(row)

st.subheader(_("平台一览"))
table = frame.assign(linked=frame["districts_named_en" if en else "districts_named"].fillna(_("全市性（未点名区县）")),
                     source_ref=frame["source"].map(lambda s: citations.cite(s, lang)))
plan_text = [original_column(label, lang) for label in (_("规划范围（发展载体）"), _("发展重点及工作举措"), _("发展目标"))]
table = table.drop(columns="name_zh" if en else "name_en").rename(columns={
    "platform_no": _("序号"), "name_en" if en else "name_zh": _("平台名称"), "linked": _("文字中点名的区县（派生）"),
    **dict(zip(("scope", "focus", "goal"), plan_text)), "source_ref": _("出处")})
shown = [_("序号"), _("平台名称"), _("文字中点名的区县（派生）"), _("出处")]
st.dataframe(table[shown], hide_index=True, width="stretch", height=38 + 35 * len(table))
st.caption(_("共 {n} 个平台（点名该区县 {named} 个，全市性 {city} 个）。下载文件是这些行，另含规划范围、发展重点、发展目标三列。").format(
    n=len(frame), named=len(named), city=len(city_wide)) if district else
    _("共 {n} 个平台。下载文件是这些行，另含规划范围、发展重点、发展目标三列。").format(n=len(frame)))
downloads.download_buttons(table[[*shown[:2], *plan_text, shown[2], shown[3]]], "wenzhou_platforms", "platforms")
