"""Minimal baseline page for the benchmark (bench/run.py).

It does the least a district page can do: a title and a selectbox of the 12
Wenzhou districts whose selection comes from the `district` query parameter
(an adcode), read through st.query_params like the real app.  Whatever the real
app costs beyond this page is the cost of its own content.

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

codes = list(DISTRICTS)
selected = st.query_params.get("district")
st.selectbox(
    "区县",
    codes,
    index=codes.index(selected) if selected in DISTRICTS else 0,
    format_func=DISTRICTS.__getitem__,
)
