"""Scorecard page: did the closed plan get there? One card per indicator with its status exactly as strong as
its evidence; the table below is the data view and the download."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.domain import evidence, observation_rows, progress, scorecard
from lib.domain.escaping import plain
from lib.domain.i18n import CHINESE_ONLY, N_, marked
from lib.domain.units import plan_number, plan_unit
from lib.web import district_filter, downloads, page, queries, scorecard_view, view_state
from lib.web.lang import _, current_lang

district = page.page_setup(N_("目标完成情况"))
lang = current_lang()
st.title(_("目标完成情况（2021—2025）"))
card = scorecard_view.card(lang)
# The question people come with, answered as strongly as the evidence allows.
st.markdown(f"**{plain(scorecard.headline(card, lang))}**")
st.caption(plain(_("按来源等级计的状态：")) + plain(scorecard.summary(card, lang)))
if district:
    st.info(_("这些指标都是全市口径，规划没有分解到区县：已选{name}，下面仍是全市数值。").format(
        name=district_filter.district_names(lang)[district]), icon=":material/info:")
st.caption(_("实际值取自公开发布的页面，每个数值注明来源等级：◆ 官方发布（政府网站上的统计公报、政府工作报告或部门网页）；"
             "◇ 媒体转述（具名媒体转述具名官方来源，据此得出的状态标“待官方核实”）；× 未注明来源（自媒体、聚合页等，"
             "只列为未核实线索，不计分）。找不到的年份留空，不作估计；口径不同的数值单列，不计分。"))

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
st.caption(_("显示 {n} 项。").format(n=len(shown)))

# One card per indicator: name, status with its mark, the value it rests on with its grade, the 2025
# verdict, a link to the indicator's detail. Two to a row on a wide screen, one on a phone.
detail_params = {k: v for k, v in view_state.link_params().items() if k in ("lang", district_filter.QUERY_PARAM)}
for i, row in enumerate(shown.to_dict("records")):
    if i % 2 == 0:
        columns = st.columns(2, gap="small")
    with columns[i % 2].container(border=True, key=f"score_card_{row['code']}"):
        st.markdown(scorecard_view.card_markdown(row, lang))
        st.page_link("pages/3_indicators.py", label=_("查看指标详情与路径"), icon=":material/show_chart:",
                     query_params={**detail_params, "indicator": row["code"]})

with st.expander(_("数据表与下载"), expanded=False):
    table = pd.DataFrame({
        _("指标"): shown["name"], _("#"): shown["five_doubling"].map({True: "#", False: ""}),
        _("标记"): shown["mark"], _("状态"): shown["status_label"], _("状态依据"): shown["basis"],
        _("数值"): shown["latest_value"].fillna(""),
        _("年份"): shown["latest_year"].map(lambda y: "" if pd.isna(y) else str(int(y))),
        _("来源等级"): shown["grade"].fillna(""), _("数值提示"): shown["value_flags"],
        _("未核实线索（不计分）"): shown["leads"], _("2025 年结论"): shown["verdict_2025"],
        _("目标类型"): shown["target_kind_label"], _("单位"): shown["unit"],
        _("2020 年基数"): shown["base_text"], _("2025 年目标"): shown["target_text"],
        _("实际÷要求"): shown["ratio"], _("来源"): shown["source"].fillna(""), _("说明"): shown["note"],
        _("网址"): shown["source_url"].fillna(""),
    })
    st.dataframe(table, hide_index=True, width="stretch", height=36 * len(table) + 40,
                 column_config={_("网址"): st.column_config.LinkColumn(display_text=_("打开"))})
    downloads.download_buttons(table, "wenzhou_scorecard", "scorecard")

with st.expander(_("状态如何判定（方法）"), expanded=False):
    st.markdown(_(
        "**来源等级**（每个数值单独评定，规则见 data/README.md）：官方发布 = 政府网站上的统计公报、政府工作报告或部门网页；"
        "媒体转述 = 具名新闻媒体转述具名的官方来源；未注明来源 = 不注明出处的网文、自媒体、聚合转载页。"
        "只有官方发布与媒体转述的数值可以得出状态；依据媒体转述得出的状态与结论标“待官方核实”；未注明来源的数值只列为未核实线索，不计分。"
        "非官方来源的数值若与规划的 2025 年目标或 2020 年基数完全相同，另加提示：可能是把规划数当成了实际值。\n\n"
        "**进展度量**采用 Open SDG 的方法（sdg-build 的 ProgressMeasure，方法来自加拿大统计局），有目标值时：\n\n"
        "1. 实际年均增速 = (最新可计分值 ÷ 2020 年基数)^(1 ÷ 年数) − 1；要求年均增速 = (2025 年目标 ÷ 基数)^(1/5) − 1。\n"
        "2. 比值 = 实际年均增速 ÷ |要求年均增速|（数值越低越好的指标取相反数）。\n"
        "3. 比值 ≥ 0.95：进展显著；0.6—0.95：进展一般；0—0.6：进展有限；< 0：倒退。\n"
        "4. 实际值已达到或超过目标：已达标（优先于第 3 条），并写明依据的是哪一年的数值；“以上”的目标（下限）达到即算达标；"
        "“左右”按目标值本身判断。\n"
        "5. 少于两个数据点（基数为“--”、或只有基年的数）：无法评估，即使唯一的实际值已达到目标（sdg-build 此时记为达标，本项目从严）。\n"
        "6. 目标等于基数（如 6 → 6以上）时要求增速为 0，比值无定义：未达标即低于应保持的水平，记为倒退。\n"
        "7. 原文写“超过”的实际值按下限计算；口径不同的数值不计分。\n\n"
        "**目标类型**：五年累计提高的百分点（表中的 [0.22]、[3]）按累计数判断：实际提高的百分点与要求提高的百分点按已过年数比较，"
        "达到累计数即达标。年均增速目标（高新技术产业投资年均增速 12% 以上）需要 2021—2025 年每年的增速，取复合平均"
        "（(1+g₁)…(1+g₅))^(1/5) − 1 与目标比较；年数不足时状态为“年数不足”，不下结论——一年的高增速不能代表五年的平均。\n\n"
        "**2025 年结论**只看 2025 年的可计分数值（年均目标看 2021—2025 年的平均）：达到目标为“达成”，否则“未达成”；"
        "依据媒体转述的结论标“待官方核实”；没有可计分的数值时不下结论。"
        "“越高越好”的方向与目标类型记录在 data/curated/indicator_groups.csv（16 项均为越高越好）。"))

observations = scorecard.combine(queries.observations(), scorecard_view.uploaded_rows())
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
    _("来源等级"): related["grade"].map(lambda g: f"{evidence.MARKS[g]} {_(evidence.GRADE_LABELS[g])}"),
    _("来源"): related["publisher"].fillna(""), _("原文"): related["quote"].fillna(""),
    _("说明"): related["note"].fillna("")}),
    hide_index=True, width="stretch", column_config={_("年份"): st.column_config.NumberColumn(format="%d")})

st.subheader(_("用自己的实际值试算（只在本次会话中有效）"))
st.caption(_("上传 CSV（UTF-8 或 Excel 另存的 GBK 均可；文件不超过 1 MB、{rows} 行），列名同 data/curated/observations.csv，"
             "至少需要 indicator、year、value（也可用“指标”“年份”“数值”）；indicator 可写代码或中文名称。"
             "grade 一列写来源等级：official（官方发布）、reported（媒体转述）或 unattributed（未注明来源）；"
             "不写时按未注明来源处理，只列为线索、不计分。上传的数值只用于本页的试算，不会写入共享数据。").format(
    rows=observation_rows.MAX_ROWS))
template = pd.DataFrame([{c: "" for c in observation_rows.COLUMNS}]).assign(
    # unit: the plan's own unit word (家), which an uploaded row must repeat
    indicator="hitech_enterprises", year=2025, value=4500, qualifier="exact",
    # grade left empty: the template's value is an example, not a published figure, so it must not score
    unit=scorecard_view.indicator_specs()["hitech_enterprises"].unit)
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
        leads = sum(1 for r in checked.accepted if not evidence.may_score(r["grade"]))
        st.success(_("接受 {ok} 行（其中 {leads} 行未注明来源等级或注明为 unattributed，只列为线索、不计分），拒绝 {bad} 行；"
                     "状态已按接受的数值重新计算。").format(ok=len(checked.accepted), leads=leads,
                                                        bad=len(checked.rejected)), icon=":material/check:")
        if checked.accepted:
            st.markdown(_("**接受的行**"))
            st.dataframe(pd.DataFrame(checked.accepted)[["indicator", "year", "value", "qualifier", "unit",
                                                         "related_measure", "grade", "note"]],
                         hide_index=True, width="stretch", key="upload_accepted")
        if checked.rejected:
            st.markdown(_("**拒绝的行**"))
            # The data grid shows cell text as text: a visitor's Markdown (links, images, maths) stays inert.
            st.dataframe(pd.DataFrame([{_("行号"): r.line, _("原因"): r.reason.text(lang),
                                        _("内容"): " | ".join(f"{k}={v}" for k, v in r.cells.items())}
                                       for r in checked.rejected[:50]]),
                         hide_index=True, width="stretch", key="upload_rejected")
