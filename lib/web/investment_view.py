"""The investment page's view: which of its tabs is open (``?chart=``, declared here; the first, by district,
when none is named)."""
from __future__ import annotations

from lib.domain import investment
from lib.domain.i18n import N_
from lib.web import view_state


def _canonical(value: str) -> str | None:
    return value if value in investment.VIEWS else None


PARAM = view_state.register(view_state.UrlParam("chart", _canonical, default="area", max_length=16,
                                                label=N_("图表")))


def open_view() -> str:
    return view_state.get(PARAM.name)


def open_tab(key: str | None) -> None:
    view_state.set_param(PARAM.name, key)
