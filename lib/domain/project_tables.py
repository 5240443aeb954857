"""The projects table as shown and as downloaded (pure; no Streamlit): headers in the view's language,
amounts in the plan's 万元 (CNY million in English, two decimals: still exact).

The page and the tests build both frames here from the same query result,
so what the tests check is what the download buttons serve.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.domain.citations import cite
from lib.domain.i18n import DEFAULT_LANG, translator
from lib.domain.units import wan_divisor, wan_unit


def _columns(lang: str) -> dict[str, str]:
    """Query column → header. In English the names come from the curated English columns; the location
    and the builder have no English and are the original text (their headers say so)."""
    _ = translator(lang)
    en = lang != DEFAULT_LANG
    unit = wan_unit(lang)
    return {"project_no": _("序号"), "name_en" if en else "name_zh": _("项目名称"),
            "project_type_en" if en else "project_type": _("类型"), "period_text": _("项目期限"),
            "area_name_en" if en else "area_name": _("所属区县"), "location_text": _("建设地点（原文）"),
            "sector_en" if en else "sector": _("行业（本项目归类）"),
            "total_investment_wan": _("总投资（{unit}）").format(unit=unit),
            "planned_investment_wan": _("“十四五”计划投资（{unit}）").format(unit=unit),
            "builder": _("建设单位（原文）") if en else _("建设单位"), "source_ref": _("出处")}


def amount_headers(lang: str) -> tuple[str, str]:
    """The two money columns' headers (for the page's column formats)."""
    columns = _columns(lang)
    return columns["total_investment_wan"], columns["planned_investment_wan"]


def shown(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rows of ``queries.project_table`` with the columns the page shows."""
    columns = _columns(lang)
    out = frame.assign(total_investment_wan=frame["total_investment_wan"] / wan_divisor(lang),
                       planned_investment_wan=frame["planned_investment_wan"] / wan_divisor(lang),
                       source_ref=frame["source"].map(lambda s: cite(s, lang)))
    if lang != DEFAULT_LANG:  # a period as years, not the plan's 2021年—2025年
        out["period_text"] = [f"{a}–{b}" for a, b in zip(frame["start_year"], frame["end_year"])]
    else:
        out = out.astype({"total_investment_wan": "int64", "planned_investment_wan": "int64"})
    return out.rename(columns=columns)[list(columns.values())]


def export(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The same rows and columns, plus 建设内容和规模 (too long for the table on screen; plan text)."""
    _ = translator(lang)
    out = shown(frame, lang)
    builder = _columns(lang)["builder"]
    content = _("建设内容和规模（原文）") if lang != DEFAULT_LANG else _("建设内容和规模")
    out.insert(out.columns.get_loc(builder), content, frame["content"].to_numpy())
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
