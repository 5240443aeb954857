"""Exports: CSV with a BOM that Excel reads as UTF-8, real .xlsx, formulas neutralised."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd

from lib.files import exports


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"名称": ["=1+1", "+SUM(A1)", "-2", "@cmd", "普通文本", "\t=x"],
                         "万元": [1, -2, 3, 4, 5, 6]})


def test_csv_has_bom_and_neutralised_text():
    data = exports.to_csv_bytes(_frame())
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == ["名称", "万元"]
    assert back["名称"].tolist() == ["'=1+1", "'+SUM(A1)", "'-2", "'@cmd", "普通文本", "'\t=x"]
    assert back["万元"].tolist() == [1, -2, 3, 4, 5, 6]  # numbers stay numbers, negatives included


def test_xlsx_opens_with_chinese_headers_and_no_formulas():
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx_bytes(_frame(), "项目")))
    sheet = book["项目"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("名称", "万元")
    assert [r[0] for r in rows[1:]] == ["'=1+1", "'+SUM(A1)", "'-2", "'@cmd", "普通文本", "'\t=x"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sum(r[1] for r in rows[1:]) == 17


def test_neutralise_leaves_the_input_unchanged():
    frame = _frame()
    exports.neutralise(frame)
    assert frame["名称"].iloc[0] == "=1+1"


def test_xlsx_notes_sheet_travels_with_the_rows():
    notes = ("派生：各年平均分摊", "=来源")
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx_bytes(_frame(), "项目", notes=notes, notes_sheet="说明")))
    assert book.sheetnames == ["项目", "说明"]
    assert list(book["说明"].iter_rows(values_only=True)) == [("说明",), ("派生：各年平均分摊",), ("'=来源",)]
    assert openpyxl.load_workbook(io.BytesIO(exports.to_xlsx_bytes(_frame()))).sheetnames == ["data"]
