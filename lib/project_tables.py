"""The projects table as shown and as downloaded (pure; no Streamlit): Chinese headers, amounts in 万元.

The page and the tests build both frames here from the same query result,
so what the tests check is what the download buttons serve.
"""
from __future__ import annotations

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
