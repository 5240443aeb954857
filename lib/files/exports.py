"""Rows taken away: CSV (UTF-8 with BOM, for Excel and WPS) and Excel .xlsx, with formulas neutralised.

Pure functions on DataFrames, no Streamlit. The file formats come from kept
libraries (pandas' CSV writer, openpyxl through ``DataFrame.to_excel``), never
hand-written. A text cell that a spreadsheet would run as a formula is neutralised
(lib/domain/escaping.neutralise_cell); numeric columns are left alone, so negative
numbers stay numbers.
"""
from __future__ import annotations

import io
from collections.abc import Sequence

import pandas as pd

from lib.domain.escaping import neutralise_cell

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell neutralised (column headers too)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_cell)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel and WPS open the Chinese text correctly."""
    return neutralise(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "data", notes: Sequence[str] = (),
                  notes_sheet: str = "notes") -> bytes:
    """The rows on the first sheet; ``notes`` (what the figures assume, where they come from), one per
    line, on a second sheet, so an assumption travels with the file."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise(frame).to_excel(writer, index=False, sheet_name=sheet_name[:31])
        if notes:
            neutralise(pd.DataFrame({notes_sheet: list(notes)})).to_excel(writer, index=False,
                                                                           sheet_name=notes_sheet[:31])
    return buffer.getvalue()
