"""Data page: what the database holds, where each table comes from, and the quality flags."""
from __future__ import annotations

import streamlit as st

from lib import district_filter, layout, open_catalog, queries
from lib.i18n import N_, _

layout.page_setup(N_("数据与来源"))
st.title("数据与来源")
meta = queries.build_meta()
st.caption(f"规划原文：{meta.get('plan_file')}（SHA-256 {meta.get('plan_sha256', '')[:12]}…）。"
           "每行数据都带有出处（章节或附件与行号）。")
st.subheader("各表行数")
st.dataframe(queries.table_counts().rename(columns={"table_name": "表", "rows": "行数"}), hide_index=True)
st.subheader("数据质量提示")
st.caption("构建时自动检查：年均增速复算、正文与指标表不一致、新建项目早于规划期、项目期限超出规划期、建设地点的归并。")
flags = queries.quality_flags()
st.dataframe(flags.rename(columns={"flag_id": "编号", "check_code": "检查", "severity": "级别",
                                   "entity_table": "表", "entity_key": "对象", "message_zh": "说明",
                                   "source_ref": "出处"}), hide_index=True, width="stretch")
st.subheader("功能区与区县的对应")
st.dataframe(queries.zones().rename(columns={"zone_name": "功能区", "district_adcode": "所属区县代码",
                                             "outside_wenzhou": "温州市外", "reason": "理由",
                                             "source_ref": "依据"}), hide_index=True, width="stretch")

st.subheader("下载全部数据")
package = open_catalog.datapackage()
st.caption("构建时生成的静态文件：每张表的 CSV（UTF-8）与 Parquet，整个 DuckDB 数据库，以及描述各表字段、单位与出处的 "
           "Frictionless 数据包说明（datapackage.json）。")
st.dataframe(open_catalog.tables().rename(columns={"table": "表", "rows": "行数", "columns": "列数"}),
             hide_index=True, width="stretch",
             column_config={"csv": st.column_config.LinkColumn("CSV", display_text="CSV"),
                            "parquet": st.column_config.LinkColumn("Parquet", display_text="Parquet")})
with st.container(horizontal=True, gap="small"):
    st.link_button("DuckDB 数据库", open_catalog.url(package["database"]["path"]), icon=":material/database:")
    st.link_button("datapackage.json", open_catalog.url("datapackage.json"), icon=":material/description:")
