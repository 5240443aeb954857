"""Stand-in for app.py, used only to develop the benchmark before the real page
existed.  Run it with `python -m bench.run --app bench/_standin_app.py`.

Roughly the shape of the real main page: a district choropleth (Altair, from
geo/wenzhou_districts.geojson) with the district from the `district` query
parameter highlighted, plus a small per-district table.
"""

import json
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

GEOJSON = Path(__file__).resolve().parent.parent / "geo" / "wenzhou_districts.geojson"


@st.cache_data
def load_districts() -> dict:
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


geo = load_districts()
names = {f["properties"]["adcode"]: f["properties"]["name"] for f in geo["features"]}
codes = list(names)

selected = st.query_params.get("district")
if selected not in names:
    selected = codes[0]

st.title("温州市科技计划")
st.selectbox(
    "区县", codes, index=codes.index(selected), format_func=names.__getitem__
)

data = alt.Data(values=geo["features"])
chart = (
    alt.Chart(data)
    .mark_geoshape(stroke="white")
    .encode(
        color=alt.condition(
            f"datum.properties.adcode == '{selected}'",
            alt.value("#d62728"),
            alt.value("#c7d4e8"),
        ),
        tooltip=[alt.Tooltip("properties.name:N", title="区县")],
    )
    .project("mercator")
    .properties(height=420)
)
st.altair_chart(chart, width="stretch")

table = pd.DataFrame(
    {"adcode": codes, "name": [names[c] for c in codes]}
).assign(selected=lambda d: d["adcode"] == selected)
st.dataframe(table, hide_index=True)
