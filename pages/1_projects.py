"""Projects page: 附件2 重大项目, filtered by the district filter."""
from __future__ import annotations

import streamlit as st

from lib import district_filter, layout, queries
from lib.i18n import N_, _

district = layout.page_setup(N_("重大项目"))
names = district_filter.district_names()
st.title("重大项目（附件2）" + (f" · {names[district]}" if district else ""))
frame = queries.projects(district)
st.caption("投资单位为万元，与附件2 原表一致。“行业”一列是本项目按规划五大战略性新兴产业所作的归类，不是规划原文。")
st.dataframe(
    frame.rename(columns={"project_no": "序号", "name_zh": "项目名称", "project_type": "类型", "start_year": "起始年",
                          "end_year": "结束年", "location_text": "建设地点（原文）", "district_name_zh": "所属区县",
                          "sector": "行业（本项目归类）", "total_investment_wan": "总投资（万元）",
                          "planned_investment_wan": "“十四五”计划投资（万元）", "builder": "建设单位",
                          "source_ref": "出处"})
    [["序号", "项目名称", "类型", "起始年", "结束年", "建设地点（原文）", "所属区县", "行业（本项目归类）",
      "总投资（万元）", "“十四五”计划投资（万元）", "建设单位", "出处"]],
    hide_index=True, width="stretch",
    column_config={"起始年": st.column_config.NumberColumn(format="%d"),
                   "结束年": st.column_config.NumberColumn(format="%d")})
if frame.empty:
    st.info("该区县在附件2 中没有列出项目。")
