"""Data page: what the database holds, where each table comes from, and the quality flags."""
from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from lib.domain import citations, quality_notes
from lib.domain.i18n import CHINESE_ONLY, N_, marked
from lib.web import indicator_view, open_catalog, page, queries
from lib.web.lang import _, current_lang

page.page_setup(N_("数据与来源"))
lang = current_lang()
st.title(_("数据与来源"))
meta = queries.build_meta()
st.caption(_("规划原文：《温州市科技创新“十四五”规划》全文（SHA-256 {sha}…，构建于 {date}）。每行数据都带有出处（章节或附件与行号）。").format(
    sha=meta.get("plan_sha256", "")[:12], date=str(meta.get("built_at") or "")[:10]))
st.subheader(_("各表行数"))
st.dataframe(queries.table_counts().rename(columns={"table_name": _("表"), "rows": _("行数")}), hide_index=True)
st.subheader(_("数据质量提示"))
st.caption(_("构建时自动检查：年均增速复算、正文与指标表不一致（数值，或“以上”等对目标的限定）、新建项目早于规划期、项目期限超出规划期、建设地点的归并。"))
flags = queries.quality_flags()
subjects = {**{("indicators", code): name for code, name in indicator_view.names(lang).items()},
            **{("projects", str(r.project_no)): _("第 {no} 号项目：{name}").format(
                no=r.project_no, name=r.name_en if lang == "en" else r.name_zh) for r in queries.projects().itertuples()}}
# What each note is and says, in the view's language (lib/domain/quality_notes.py): never a check's code or a level's.
st.dataframe(pd.DataFrame({
    _("编号"): flags["flag_id"],
    _("检查"): [_(quality_notes.CHECK_LABELS[c]) for c in flags["check_code"]],
    _("级别"): [_(quality_notes.SEVERITY_LABELS[v]) for v in flags["severity"]],
    _("对象"): [subjects.get((t, k), k) for t, k in zip(flags["entity_table"], flags["entity_key"])],
    _("说明"): [quality_notes.message(c, json.loads(a), lang) for c, a in zip(flags["check_code"], flags["message_args"])],
    _("出处"): flags["source"].map(lambda s: citations.cite(s, lang)),
}), hide_index=True, width="stretch")
st.subheader(_("功能区与区县的对应"))
zones = queries.zones()
district_names = dict(zip(queries.districts()["adcode"], queries.districts()["name_en" if lang == "en" else "name_zh"]))
# The district by name (the outside-Wenzhou zone has none); a missing role is a dash, never "None".
zones = zones.assign(district_adcode=zones["district_adcode"].map(district_names).fillna("—"),
                     role_zh=zones["role_zh"].map(lambda m: marked(m, lang) or "—"))   # plan text: marked in English
if lang == "en":  # English zone names are curated; roles are plan text, reasons and sources Chinese only
    zones = zones.assign(role_zh=zones["role_zh"].map(lambda m: marked(m, lang)),
                         reason=zones["reason"].map(lambda m: marked(m, lang, CHINESE_ONLY)),
                         source_ref=[citations.cite_prose(r, s, lang) for r, s in zip(zones["source_ref"], zones["source"])])
    zones = zones[["name_en", "zone_name", *zones.columns.drop(["name_en", "zone_name"])]]
st.dataframe(zones.drop(columns="source").rename(columns={
    "zone_name": _("功能区（原文）") if lang == "en" else _("功能区"), "name_en": _("英文名称"),
    "district_adcode": _("所属区县"), "outside_wenzhou": _("温州市外"), "role_zh": _("定位（专栏7）"),
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
