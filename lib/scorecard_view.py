"""The scorecard page's session state: this session's uploaded actual values and the filters.

An upload is read as bytes, validated row by row by lib/observation_rows.py (the same rules as
the steward's command line) and kept in this session only; nothing is written anywhere and the
shared read-only database is never touched.
"""
from __future__ import annotations

import streamlit as st
from streamlit.runtime.uploaded_file_manager import DeletedFile

from lib import observation_rows, queries, view_state

UPLOAD_KEY = "observation_upload"
STATE_KEY = "uploaded_observations"
STATUS_KEY = "scorecard_status"
FLAGGED_KEY = "scorecard_flagged"
ALL = ""


def indicator_units() -> dict[str, tuple[str, str]]:
    frame = queries.indicators()
    return dict(zip(frame["code"], zip(frame["name_zh"], frame["unit"])))


def check_upload(data: bytes) -> observation_rows.Checked:
    return observation_rows.check_rows(data, indicator_units(), strict=False)


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
    status = view_state.get("status")
    st.session_state[STATUS_KEY] = status or ALL
    return status


def on_status_change() -> None:
    view_state.set_param("status", st.session_state.get(STATUS_KEY) or None)


def flagged_only() -> bool:
    flagged = view_state.get("flagged") == "1"
    st.session_state[FLAGGED_KEY] = flagged
    return flagged


def on_flagged_change() -> None:
    view_state.set_param("flagged", "1" if st.session_state.get(FLAGGED_KEY) else None)
