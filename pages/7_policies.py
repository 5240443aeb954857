"""Policies and reforms page: 附件3's policies and 附件4's reforms with their tasks, each with its source."""
from __future__ import annotations

import streamlit as st

from lib.domain import citations
from lib.domain.escaping import escape, original
from lib.domain.i18n import N_, colon, marked, original_column
from lib.web import district_filter, downloads, page, queries, view_state
from lib.web.lang import _, current_lang

district = page.page_setup(N_("政策与改革"))
lang = current_lang()
en = lang == "en"
st.title(_("重大政策与重大改革（附件3、附件4）"))
st.caption(_("政策与改革在规划中面向全市，不分区县。"))
if district:
    st.info(_("所选的区县（{name}）不影响本页：附件3、附件4 没有按区县安排。").format(
        name=district_filter.district_names(lang)[district]))
search_params = {k: v for k, v in view_state.link_params().items() if k not in ("q", "line")}


def _source_link(line: int) -> None:
    st.page_link("pages/8_search.py", label=_("在规划原文中查看"), icon=":material/article:",
                 query_params={**search_params, "line": str(line)})


policies, tasks = queries.policies(), queries.reform_tasks()
policy_tab, reform_tab = st.tabs([_("重大政策（{n} 项）").format(n=len(policies)),
                                  _("重大改革（{n} 项）").format(n=tasks["reform_no"].nunique())])
with policy_tab:
    for row in policies.itertuples():
        with st.expander(f"{row.policy_no}\\. {escape(row.name_en if en else row.name_zh)}"):
            st.markdown("  \n".join(f"**{escape(label)}**{colon(lang)}{escape(value)}" for label, value in (
                (_("“十四五”具体内容"), marked(row.content, lang)), (_("预期目标"), marked(row.expected_goal, lang)),
                (_("出处"), _("{ref}，规划原文第 {line} 行起").format(ref=citations.cite(row.source, lang),
                                                                 line=row.source_line)))))
            _source_link(row.source_line)
    table = policies.assign(source_ref=policies["source"].map(lambda s: citations.cite(s, lang))).drop(
        columns=["source", "name_zh" if en else "name_en"]).rename(columns={
            "policy_no": _("序号"), "name_en" if en else "name_zh": _("政策名称"),
            "content": original_column(_("“十四五”具体内容"), lang), "expected_goal": original_column(_("预期目标"), lang),
            "source_ref": _("出处"), "source_line": _("原文行号")})
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(_("共 {n} 项政策（附件3）。").format(n=len(table)))
    downloads.download_buttons(table, "wenzhou_policies", "policies")
with reform_tab:
    name_column = "name_en" if en else "name_zh"
    for (number, name, _ref, line), group in tasks.groupby(["reform_no", name_column, "reform_ref", "source_line"],
                                                          sort=True):
        with st.expander(f"{number}\\. {escape(name)}"):
            # The tasks are the plan's text: marked as the original in English.
            st.markdown(original("  \n".join(f"（{t.task_no}）{escape(t.task_text)}" for t in group.itertuples()), lang))
            st.caption(_("{ref}，规划原文第 {line} 行起").format(
                ref=escape(citations.cite(group["reform_source"].iloc[0], lang)), line=line))
            _source_link(int(line))
    table = tasks.assign(source_ref=tasks["source"].map(lambda s: citations.cite(s, lang))).drop(
        columns=["reform_ref", "reform_source", "source", "name_zh" if en else "name_en"]).rename(columns={
            "reform_no": _("改革序号"), name_column: _("改革名称"), "task_no": _("任务序号"),
            "task_text": original_column(_("主要任务"), lang), "source_ref": _("出处"), "source_line": _("原文行号")})
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(_("共 {n} 项改革、{m} 项任务（附件4）。").format(n=tasks["reform_no"].nunique(), m=len(tasks)))
    downloads.download_buttons(table, "wenzhou_reform_tasks", "reforms")
