"""The scorecard page's session state: this session's uploaded actual values, and the filters (``?status=``,
``?flagged=``, declared here).

An upload is read as bytes, validated row by row by lib/domain/observation_rows.py (the same rules as
the steward's command line) and kept in this session only; nothing is written anywhere and the
shared read-only database is never touched.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import DeletedFile

from lib.domain import evidence, observation_rows, progress, scorecard
from lib.domain.escaping import plain
from lib.domain.i18n import N_, translator
from lib.web import queries, view_state

UPLOAD_KEY = "observation_upload"
STATE_KEY = "uploaded_observations"
STATUS_KEY = "scorecard_status"
FLAGGED_KEY = "scorecard_flagged"
ALL = ""


def _status(value: str) -> str | None:
    return value if value in progress.STATUSES else None


STATUS = view_state.register(view_state.UrlParam("status", _status, max_length=32, label=N_("完成状态")))
FLAGGED = view_state.register(view_state.UrlParam("flagged", view_state.switched_on, max_length=8,
                                                  label=N_("只看“五倍增五提升”指标")))


@st.cache_resource(show_spinner=False)
def indicator_specs() -> dict[str, observation_rows.IndicatorSpec]:
    """What an uploaded row is checked against (name, unit, target, kind of target), once per process."""
    return {r.code: observation_rows.IndicatorSpec(r.name_zh, r.unit, float(r.target_2025), r.target_kind)
            for r in queries.indicators().itertuples()}


def check_upload(data: bytes) -> observation_rows.Checked:
    return observation_rows.check_rows(data, indicator_specs(), strict=False)


@st.cache_resource(show_spinner=False, max_entries=4)
def curated_card(lang: str) -> pd.DataFrame:
    """The scorecard of the curated values: the same for every visitor (the page without an upload, the
    meeting brief, the presenter), built once per language and process. Shared by all sessions: read it,
    never change it in place."""
    return scorecard.scorecard(queries.indicators(), scorecard.combine(queries.observations(), None), lang)


def card(lang: str) -> pd.DataFrame:
    """This session's scorecard: the curated one, or recomputed with the session's upload."""
    uploaded = uploaded_rows()
    if not uploaded:
        return curated_card(lang)
    return scorecard.scorecard(queries.indicators(), scorecard.combine(queries.observations(), uploaded), lang)


def status_markdown(row, lang: str) -> str:
    """One indicator's status as inert markdown: mark (shape and colour of the evidence), status, basis."""
    mark = f":{evidence.MARK_COLORS.get(row['grade_code'], 'gray')}[{row['mark']}]" if row["mark"] != \
        evidence.NO_VALUE_MARK else row["mark"]
    basis = f" · {plain(row['basis'])}" if row["basis"] else ""
    return f"{mark} **{plain(row['status_label'])}**{basis}"


def grade_badge(grade_code: str | None, lang: str) -> str:
    if not grade_code:
        return ""
    _ = translator(lang)
    color = evidence.MARK_COLORS[grade_code]
    return f":{color}-badge[{evidence.MARKS[grade_code]} {plain(_(evidence.GRADE_LABELS[grade_code]))}]"


def card_markdown(row, lang: str) -> str:
    """One indicator's card, every line built from escaped text (a visitor's upload may be in it)."""
    _ = translator(lang)
    sep = "：" if lang == "zh" else ": "
    lines = [f"**{plain(row['name'])}**" + (" \\#" if row["five_doubling"] else ""),
             status_markdown(row, lang)]
    if row["latest_value"] is not None and not pd.isna(row["latest_value"]):
        value = _("{value} {unit}（{year}）").format(value=row["latest_value"], unit=row["unit"],
                                                    year=int(row["latest_year"])).replace(" %", "%")
        label = _("计分依据") if evidence.may_score(row["grade_code"]) else _("最新线索（不计分）")
        origin = _("，本次上传") if row["origin"] == scorecard.UPLOADED else ""
        lines.append(f"{plain(label)}{sep}{plain(value)} {grade_badge(row['grade_code'], lang)}{plain(origin)}")
    if row["value_flags"]:
        lines.append(f":material/warning: {plain(row['value_flags'])}")
    verdict, leads, base, target = _("2025 年结论"), _("未核实线索（不计分）"), _("2020 年基数"), _("2025 年目标")
    lines.append(f"{plain(verdict)}{sep}{plain(row['verdict_2025'])}")
    if row["leads"] and evidence.may_score(row["grade_code"] or ""):
        lines.append(f"{plain(leads)}{sep}:gray[{plain(row['leads'])}]")
    unit = row["unit"] if row["unit"] == "%" else f" {row['unit']}"
    lines.append(f":gray[{plain(base)} {plain(row['base_text'])} → {plain(target)} "
                 f"{plain(row['target_text'])}{plain(unit)} · {plain(row['target_kind_label'])}]")
    return "  \n".join(lines)


def on_upload() -> None:
    upload = st.session_state.get(UPLOAD_KEY)
    if upload is None:
        st.session_state.pop(STATE_KEY, None)
        return
    # Read one byte more than allowed: enough to know the file is too big, never the whole of it.
    data = upload.read(observation_rows.MAX_UPLOAD_BYTES + 1)
    checked = check_upload(data)
    st.session_state[STATE_KEY] = {"name": upload.name, "checked": checked}


def clear_upload() -> None:
    st.session_state.pop(STATE_KEY, None)
    st.session_state.pop(UPLOAD_KEY, None)


def upload_state() -> dict | None:
    return st.session_state.get(STATE_KEY)


def upload_lost() -> bool:
    """The browser still shows an uploaded file that this server process does not hold: its session moved
    to another process (a failover or restart behind the load balancer), which has only the file's id."""
    return upload_state() is None and isinstance(st.session_state.get(UPLOAD_KEY), DeletedFile)


def uploaded_rows() -> list[dict]:
    state = upload_state()
    return state["checked"].accepted if state else []


def status_filter() -> str | None:
    return view_state.mirror(STATUS.name, STATUS_KEY)


def on_status_change() -> None:
    view_state.widget_changed(STATUS.name, STATUS_KEY)


def flagged_only() -> bool:
    flagged = view_state.get(FLAGGED.name) == "1"
    st.session_state[FLAGGED_KEY] = flagged
    return flagged


def on_flagged_change() -> None:
    view_state.set_param(FLAGGED.name, "1" if st.session_state.get(FLAGGED_KEY) else None)
