"""The projects table as shown and as downloaded (pure; no Streamlit): Chinese headers, amounts in 万元.

The page and the tests build both frames here from the same query result,
so what the tests check is what the download buttons serve.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.i18n import translator


def _columns(lang: str) -> dict[str, str]:
    _ = translator(lang)
    return {"project_no": _("序号"), "name_zh": _("项目名称"), "project_type": _("类型"), "period_text": _("项目期限"),
            "area_name": _("所属区县"), "location_text": _("建设地点（原文）"), "sector": _("行业（本项目归类）"),
            "total_investment_wan": _("总投资（万元）"), "planned_investment_wan": _("“十四五”计划投资（万元）"),
            "builder": _("建设单位"), "source_ref": _("出处")}


def shown(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rows of ``queries.project_table`` with the columns the page shows."""
    columns = _columns(lang)
    return frame.rename(columns=columns)[list(columns.values())]


def export(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The same rows and columns, plus 建设内容和规模 (too long for the table on screen)."""
    _ = translator(lang)
    out = shown(frame, lang)
    out.insert(out.columns.get_loc(_("建设单位")), _("建设内容和规模"), frame["content"].to_numpy())
    return out


@dataclass(frozen=True)
class RowPick:
    rows: tuple[int, ...]     # the table's selected row positions, as last seen
    project: int | None       # the project they name; None when the selection was cleared


def selection_change(state, seen, numbers: tuple[int, ...]) -> RowPick | None:
    """What a click in the table changed, or None when nothing did.

    ``state`` is the table widget's selection state (``{"selection": {"rows": [...]}}``, positions in
    the frame as sent, whatever the user's sort), ``seen`` the rows last acted on, ``numbers`` the project
    number of each row. A selection is acted on once, so ``?project=`` set otherwise (a link, a chart
    click, the close button) is not overridden by a row that stays selected.
    """
    try:
        rows = tuple(int(r) for r in state["selection"]["rows"])
    except (KeyError, TypeError, ValueError):
        return None
    if rows == tuple(seen or ()):
        return None
    if rows and 0 <= rows[0] < len(numbers):
        return RowPick(rows, numbers[rows[0]])
    return RowPick(rows, None)
