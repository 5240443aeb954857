"""Presenter mode (``?present=1``): the meeting-room view of any page, one idea per screen.

No sidebar or app chrome, large type, four screens for the current district (or the whole city):
the map, its key figures and positioning, its projects, the city's indicators with their status.
Next and previous are buttons with the arrow keys as shortcuts; the screen number (``?slide=``), the
district and the language live in the URL like every other view (``present`` and ``slide`` are declared
here), so a copied link opens the same screen. The content is the meeting brief's (lib/web/briefs.content),
so what is said in the room and what is handed out agree.
"""
from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

from lib.charts import map_chart
from lib.domain.escaping import plain
from lib.domain.i18n import N_, marked
from lib.web import briefs, chart_specs, district_filter, view_state
from lib.web.lang import _, current_lang

CSS = Path(__file__).resolve().parent / "presenter.css"
SLIDES = (N_("地图"), N_("关键数字"), N_("重点项目"), N_("全市指标"))


def _slide(value: str) -> str | None:
    return value if value in [str(n) for n in range(1, len(SLIDES) + 1)] else None


PRESENT = view_state.register(view_state.UrlParam("present", view_state.switched_on, max_length=8,
                                                  label=N_("演示模式")))
SLIDE = view_state.register(view_state.UrlParam("slide", _slide, default="1", max_length=4, label=N_("演示页码")))


def presenting() -> bool:
    return view_state.get(PRESENT.name) == "1"


def slide_number() -> int:
    return int(view_state.get(SLIDE.name) or 1)


def _go(step: int) -> None:
    number = min(max(slide_number() + step, 1), len(SLIDES))
    view_state.set_param(SLIDE.name, None if number == 1 else str(number))


def _leave() -> None:
    view_state.set_param(PRESENT.name, None)
    view_state.set_param(SLIDE.name, None)


def enter() -> None:
    view_state.set_param(PRESENT.name, "1")
    view_state.set_param(SLIDE.name, None)


@st.cache_data(show_spinner=False, max_entries=64)
def _content(district: str | None, lang: str) -> dict:
    return briefs.content(district, lang)


def _map(district: str | None) -> None:
    key = district_filter.map_key(district)
    st.vega_lite_chart(chart_specs.map_spec(map_chart.DEFAULT_METRIC, district, current_lang(), large=True),
                       key=f"present_{key}", on_select=functools.partial(district_filter.on_map_click,
                                                                          f"present_{key}"),
                       selection_mode=map_chart.CLICK_PARAM, width="stretch")


def _figures(content: dict) -> None:
    for column, figure in zip(st.columns(len(content["figures"]), gap="medium"), content["figures"]):
        with column.container(border=True):
            st.metric(figure["label"], f"{figure['value']} {figure['unit']}".strip())
            st.caption(figure["note"])
    positioning = content["positioning"]
    lang = current_lang()
    if content["role"]:  # the plan's own words (专栏7): marked as the original in English
        st.markdown(_("**规划定位**：{role}").format(role=plain(marked(content["role"], lang))))
    if positioning["text"]:
        st.markdown(plain(marked(positioning["text"], lang)))
    st.caption(" · ".join(filter(None, (positioning["source"], positioning["original_note"]))))


def _projects(content: dict) -> None:
    projects = content["projects"]
    if not projects["rows"]:
        st.info(projects["empty"])
        return
    st.caption(projects["unit_note"])
    for row in projects["rows"]:
        left, right = st.columns([5, 2])
        left.markdown(f"**{plain(row['name'])}**  \n{plain(row['detail'])}")
        right.metric(projects["columns"][1], row["planned"])
        right.caption(f"{projects['columns'][2]} {row['total']}")
    if projects["count"] > len(projects["rows"]):
        st.caption(projects["omitted_template"].format(n=projects["count"], shown=len(projects["rows"])))


def indicator_rows(content: dict) -> list[dict]:
    """The 16 city indicators as the slide's table rows: name and unit, 2020 base → 2025 target, and the
    latest value and status cell as the brief has them (lib/web/briefs.indicator_rows)."""
    indicators = content["indicators"]
    name, base, target, latest = indicators["columns"]
    return [{name: _("{name}（{unit}）").format(name=r["name"], unit=r["unit"]) if r["unit"] else r["name"],
             f"{base} → {target}": f"{r['base']} → {r['target']}",
             latest: " · ".join(filter(None, (r["latest"], r["status"])))} for r in indicators["rows"]]


def _indicators(content: dict, district: str | None) -> None:
    """Two tables of eight side by side, so all 16 fit a 1400 × 900 or 1920 × 1080 screen in either language
    (one table of 16 showed 13 in Chinese and 7 in English). The indicators are the city's whatever the
    district filter says."""
    rows = indicator_rows(content)
    half = (len(rows) + 1) // 2
    with st.container(key="present_indicators"):
        for column, part in zip(st.columns(2, gap="medium"), (rows[:half], rows[half:])):
            column.table(part)   # an HTML table takes the presenter's large type; the data grid would not
    note = _("全市口径，规划没有分解到区县。") if district else ""
    st.caption(" · ".join(filter(None, (content["indicators"]["source"], content["indicators"]["note"], note))))


def render(district: str | None) -> None:
    """Draw the current screen and stop the page script (the page's own content is not drawn)."""
    st.html(CSS)
    lang = current_lang()
    content = _content(district, lang)
    number = slide_number()
    head, nav = st.columns([1, 1], vertical_alignment="center")
    # The indicators are the city's: that screen is titled for the city, whatever the district filter says.
    place = _("温州市") if number == len(SLIDES) else content["title"]
    head.title(f"{place} · {_(SLIDES[number - 1])}")
    with nav, st.container(horizontal=True, horizontal_alignment="right", gap="small"):
        st.button(_("上一页"), icon=":material/arrow_back:", shortcut="Left", on_click=_go, args=(-1,),
                  disabled=number == 1, key="present_prev")
        st.markdown(f"**{number} / {len(SLIDES)}**")
        st.button(_("下一页"), icon=":material/arrow_forward:", shortcut="Right", on_click=_go, args=(1,),
                  disabled=number == len(SLIDES), key="present_next", type="primary")
        st.button(_("退出演示"), icon=":material/close:", on_click=_leave, key="present_exit")
    if number == 1:
        _map(district)
        st.caption(content["map_caption"] + " · " + _("点击区县切换，再点一次回到全市。"))
    elif number == 2:
        _figures(content)
    elif number == 3:
        _projects(content)
    else:
        _indicators(content, district)
    st.caption(content["footer"]["source"] + " " + content["footer"]["built"])
    st.stop()
