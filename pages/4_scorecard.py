"""Scorecard page: did the closed plan get there? Latest actual value, source and status per indicator."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import district_filter, layout, observation_rows, progress, queries, scorecard, scorecard_view, view_state
from lib.i18n import CHINESE_ONLY, N_, _, marked
from lib.units import plan_number, plan_unit

district = layout.page_setup(N_("目标完成情况"))
lang = view_state.lang()
st.title(_("目标完成情况（2021—2025）"))
if district:
    st.info(_("这些指标都是全市口径，规划没有分解到区县：已选{name}，下面仍是全市数值。").format(
        name=district_filter.district_names(lang)[district]), icon=":material/info:")
st.caption(_("实际值取自公开发布的页面，每个数值注明来源与可信程度（官方发布 / 转述）；找不到的年份留空，不作估计。"
             "口径不同的数值（如研发费用、数字经济核心产业、当年新增数、季度数）单列，不计分。"))

observations = scorecard.combine(queries.observations(), scorecard_view.uploaded_rows())
card = scorecard.scorecard(queries.indicators(), observations, lang)
labels = {s: _(scorecard.STATUS_LABELS[s]) for s in progress.STATUSES}

with st.container(horizontal=True, gap="medium", vertical_alignment="bottom"):
    status = scorecard_view.status_filter()
    st.selectbox(_("按状态筛选"), options=[scorecard_view.ALL, *progress.STATUSES], key=scorecard_view.STATUS_KEY,
                 on_change=scorecard_view.on_status_change,
                 format_func=lambda s: _("全部状态") if s == scorecard_view.ALL else labels[s])
    flagged = scorecard_view.flagged_only()
    st.toggle(_("只看“五倍增五提升”（#）指标"), key=scorecard_view.FLAGGED_KEY,
              on_change=scorecard_view.on_flagged_change)
shown = card[(card["status"] == status) if status else card["status"].notna()]
shown = shown[shown["five_doubling"]] if flagged else shown
missing = _("未找到公开值")
table = pd.DataFrame({
    _("指标"): shown["name"], _("状态"): shown["status_label"],
    _("#"): shown["five_doubling"].map({True: "#", False: ""}), _("最新实际值"): shown["latest_value"].fillna(missing),
    _("年份"): shown["latest_year"].map(lambda y: "" if pd.isna(y) else str(int(y))),
    _("来源等级"): shown["grade"].fillna(""),
    _("2025 年结论"): shown["verdict_2025"], _("单位"): shown["unit"],
    _("2020 年基数"): shown["base_text"], _("2025 年目标"): shown["target_text"],
    _("实际÷要求增速"): shown["ratio"], _("来源"): shown["source"].fillna(""), _("说明"): shown["note"],
    _("网址"): shown["source_url"],
})
counts = card["status"].value_counts()
st.markdown(_("**状态汇总（16 项）**：") + " · ".join(f"{labels[s]} {counts[s]}" for s in progress.STATUSES if s in counts))
st.caption(_("表中 {n} 项。").format(n=len(table)))
st.dataframe(table, hide_index=True, width="stretch", height=36 * len(table) + 40,
             column_config={_("网址"): st.column_config.LinkColumn(display_text=_("打开"))})
layout.download_buttons(table, "wenzhou_scorecard", "scorecard")

with st.expander(_("状态如何判定（方法）"), expanded=False):
    st.markdown(_(
        "采用 Open SDG 的进展度量（sdg-build 的 ProgressMeasure，方法来自加拿大统计局），有目标值时：\n\n"
        "1. 实际年均增速 = (最新实际值 ÷ 2020 年基数)^(1 ÷ 年数) − 1；要求年均增速 = (2025 年目标 ÷ 基数)^(1/5) − 1。\n"
        "2. 比值 = 实际年均增速 ÷ |要求年均增速|（数值越低越好的指标取相反数）。\n"
        "3. 比值 ≥ 0.95：进展显著；0.6—0.95：进展一般；0—0.6：进展有限；< 0：倒退。\n"
        "4. 实际值已达到或超过目标：已达标（优先于第 3 条）；“以上”的目标（下限）达到即算达标；“左右”按目标值本身判断。\n"
        "5. 少于两个数据点（基数为“--”、或只有基年的数）：无法评估，即使唯一的实际值已达到目标（sdg-build 此时记为达标，"
        "本项目从严）；这种情况仍在“2025 年结论”一栏说明是否达到目标。\n"
        "6. 目标等于基数（如 6 → 6以上）时要求增速为 0，比值无定义：未达标即低于应保持的水平，记为倒退。\n"
        "7. 原文写“超过”的实际值按下限计算；口径不同的数值不计分。\n\n"
        "“2025 年结论”只看 2025 年的同口径数值：达到目标为“达成”，否则“未达成”；没有 2025 年数值时不下结论。"
        "“越高越好”的方向记录在 data/curated/indicator_groups.csv（16 项均为越高越好）。"))

related = observations[observations["related_measure"] != ""]
st.subheader(_("口径不同的相关数值（仅供参考，不计分）"))
names = dict(zip(queries.indicators()["code"], queries.indicators()["name_en" if lang == "en" else "name_zh"]))
# The measures, publishers and notes of the curated values are written in Chinese only; quotes are the original.
chinese_only = {"related_measure", "publisher", "note"} if lang == "en" else set()
related = related.assign(**{c: related[c].map(lambda t: marked(t, lang, CHINESE_ONLY)) for c in chinese_only})
st.dataframe(pd.DataFrame({
    _("规划指标"): related["indicator"].map(names), _("年份"): related["year"],
    _("数值"): [plan_number(v, u, lang) for v, u in zip(related["value"], related["unit"])],
    _("单位"): related["unit"].map(lambda u: plan_unit(u, lang)), _("实际口径"): related["related_measure"],
    _("来源等级"): related["grade"].map(lambda g: _(scorecard.GRADE_LABELS.get(g, g))),
    _("来源"): related["publisher"], _("原文"): related["quote"], _("说明"): related["note"]}),
    hide_index=True, width="stretch", column_config={_("年份"): st.column_config.NumberColumn(format="%d")})

st.subheader(_("用自己的实际值试算（只在本次会话中有效）"))
st.caption(_("上传 CSV（UTF-8 或 Excel 另存的 GBK 均可），列名同 data/curated/observations.csv，至少需要 indicator、year、value"
             "（也可用“指标”“年份”“数值”）；indicator 可写代码或中文名称。上传的数值只用于本页的试算，不会写入共享数据。"))
template = pd.DataFrame([{c: "" for c in observation_rows.COLUMNS}]).assign(
    # unit: the plan's own unit word (家), which an uploaded row must repeat
    indicator="hitech_enterprises", year=2025, value=4500, qualifier="exact",
    unit=scorecard_view.indicator_units()["hitech_enterprises"][1], grade="user")
with st.container(horizontal=True, gap="small"):
    st.download_button(_("下载模板 CSV"), data=lambda: template.to_csv(index=False).encode("utf-8-sig"),
                       file_name="observations_template.csv", mime="text/csv", on_click="ignore",
                       icon=":material/download:")
    if scorecard_view.upload_state():
        st.button(_("清除上传的数值"), on_click=scorecard_view.clear_upload, icon=":material/delete:")
st.file_uploader(_("上传实际值 CSV"), type=["csv"], key=scorecard_view.UPLOAD_KEY,
                 on_change=scorecard_view.on_upload, max_upload_size=1)
if scorecard_view.upload_lost():
    st.warning(_("刚才上传的文件已不在服务器上（网站换了一个服务进程），上面的状态已恢复为公开数值。请重新上传。"),
               icon=":material/warning:")
state = scorecard_view.upload_state()
if state:
    checked = state["checked"]
    if checked.file_error:
        st.error(_("文件未被接受：{reason}").format(reason=checked.file_error.text(lang)), icon=":material/error:")
    else:
        st.success(_("接受 {ok} 行，拒绝 {bad} 行；状态已按接受的数值重新计算。").format(
            ok=len(checked.accepted), bad=len(checked.rejected)), icon=":material/check:")
        if checked.accepted:
            st.markdown(_("**接受的行**"))
            st.dataframe(pd.DataFrame(checked.accepted)[["indicator", "year", "value", "qualifier", "unit",
                                                         "related_measure", "grade", "note"]],
                         hide_index=True, width="stretch", key="upload_accepted")
        if checked.rejected:
            st.markdown(_("**拒绝的行**"))
            # A static table (escaped text, never markup), first 50 rejected rows.
            st.table(pd.DataFrame([{_("行号"): r.line, _("原因"): r.reason.text(lang),
                                    _("内容"): " | ".join(f"{k}={v}" for k, v in r.cells.items())}
                                   for r in checked.rejected[:50]]).set_index(_("行号")))
