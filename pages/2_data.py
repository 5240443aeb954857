"""Data page: what the database holds, where each table comes from, and the quality flags."""
from __future__ import annotations

import streamlit as st

from lib import citations, layout, open_catalog, queries, view_state
from lib.i18n import CHINESE_ONLY, N_, _, marked

layout.page_setup(N_("数据与来源"))
lang = view_state.lang()
st.title(_("数据与来源"))
meta = queries.build_meta()
st.caption(_("规划原文：{file}（SHA-256 {sha}…）。每行数据都带有出处（章节或附件与行号）。").format(
    file=meta.get("plan_file"), sha=meta.get("plan_sha256", "")[:12]))
st.subheader(_("各表行数"))
st.dataframe(queries.table_counts().rename(columns={"table_name": _("表"), "rows": _("行数")}), hide_index=True)
st.subheader(_("数据质量提示"))
st.caption(_("构建时自动检查：年均增速复算、正文与指标表不一致（数值，或“以上”等对目标的限定）、新建项目早于规划期、项目期限超出规划期、建设地点的归并。"))
flags = queries.quality_flags()
if lang == "en":  # the checks' messages are written in Chinese only; the check code says what each is
    flags = flags.assign(message_zh=flags["message_zh"].map(lambda m: marked(m, lang, CHINESE_ONLY)),
                         source_ref=flags["source"].map(lambda s: citations.cite(s, lang)))
st.dataframe(flags.drop(columns="source").rename(columns={"flag_id": _("编号"), "check_code": _("检查"), "severity": _("级别"),
                                   "entity_table": _("表"), "entity_key": _("对象"), "message_zh": _("说明"),
                                   "source_ref": _("出处")}), hide_index=True, width="stretch")
st.subheader(_("功能区与区县的对应"))
zones = queries.zones()
if lang == "en":  # English zone names are curated; roles are plan text, reasons and sources Chinese only
    zones = zones.assign(role_zh=zones["role_zh"].map(lambda m: marked(m, lang)),
                         reason=zones["reason"].map(lambda m: marked(m, lang, CHINESE_ONLY)),
                         source_ref=[citations.cite_prose(r, s, lang) for r, s in zip(zones["source_ref"], zones["source"])])
    zones = zones[["name_en", "zone_name", *zones.columns.drop(["name_en", "zone_name"])]]
st.dataframe(zones.drop(columns="source").rename(columns={
    "zone_name": _("功能区（原文）") if lang == "en" else _("功能区"), "name_en": _("英文名称"),
    "district_adcode": _("所属区县代码"), "outside_wenzhou": _("温州市外"), "role_zh": _("定位（专栏7）"),
    "reason": _("理由"), "source_ref": _("依据")}), hide_index=True, width="stretch")

st.subheader(_("下载全部数据"))
package = open_catalog.datapackage()
st.caption(_("构建时生成的静态文件：每张表的 CSV（UTF-8）与 Parquet，整个 DuckDB 数据库，以及描述各表字段、单位与出处的 "
             "Frictionless 数据包说明（datapackage.json）。"))
st.dataframe(open_catalog.tables().rename(columns={"table": _("表"), "rows": _("行数"), "columns": _("列数")}),
             hide_index=True, width="stretch",
             column_config={"csv": st.column_config.LinkColumn("CSV", display_text="CSV"),
                            "parquet": st.column_config.LinkColumn("Parquet", display_text="Parquet")})
with st.container(horizontal=True, gap="small"):
    st.link_button(_("DuckDB 数据库"), open_catalog.url(package["database"]["path"]), icon=":material/database:")
    st.link_button("datapackage.json", open_catalog.url("datapackage.json"), icon=":material/description:")
