"""Minimal baseline page for the benchmark (bench/run.py).

It does the least a district page can do: a title and a selectbox of the 12
Wenzhou districts whose selection comes from the `district` query parameter
(an adcode), read through st.query_params the way the real app does.
Whatever the real app costs beyond this page is the cost of its own content.

Self-contained on purpose (no lib/, no geo/ imports), so the baseline does not
move when the app's code changes.
"""

import streamlit as st

# adcode -> name, in the order the benchmark cycles through them.
DISTRICTS = {
    "330302": "鹿城区",
    "330303": "龙湾区",
    "330304": "瓯海区",
    "330305": "洞头区",
    "330324": "永嘉县",
    "330326": "平阳县",
    "330327": "苍南县",
    "330328": "文成县",
    "330329": "泰顺县",
    "330381": "瑞安市",
    "330382": "乐清市",
    "330383": "龙港市",
}

st.title("温州市科技计划 · hello")

# Same access pattern as lib/district_filter.py: the URL is the source of truth,
# a repeated or unknown value means "whole city", and a keyed select box in the
# sidebar mirrors it (its state is set before the widget is created).
values = st.query_params.get_all("district")
selected = values[0] if len(values) == 1 and values[0] in DISTRICTS else None
st.session_state["district_select"] = selected
st.sidebar.selectbox(
    "区县筛选",
    options=[None, *DISTRICTS],
    key="district_select",
    format_func=lambda code: "全市（不筛选）" if code is None else f"{DISTRICTS[code]}（{code}）",
)
