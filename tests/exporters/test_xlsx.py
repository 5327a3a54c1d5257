"""XLSX exports open in openpyxl with typed cells and no formulas."""

import io
from datetime import datetime

import openpyxl

import exporters

from .sample import FIELDS, META, ROWS, render


def load(data):
    return openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]


def table(ws):
    return [[c for c in row] for row in ws.iter_rows()]


def test_xlsx_header_and_values():
    ws = load(render("xlsx"))
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    assert header[:4] == ["Hudud (uz)", "Hudud (oz)", "Hudud (ru)", "Hudud (en)"]
    assert header[4:] == ["Manzil", "Viloyat", "Sana", "2010Y", "Joy", "Zona"]
    assert all(c.font.b for c in next(ws.iter_rows(max_row=1)))
    assert ws.max_row == 1 + len(ROWS)
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert values[0][1] == "Тошкент"
    assert values[0][7] == -7 and values[1][7] == 1234.5 and values[3][7] == 0
    assert values[0][6] == datetime(2001, 3, 12)
    assert values[0][8] == "41.31108 69.27974"
    assert values[1][5] is None and values[1][2] is None  # empty cell, empty language
    assert values[2][0] is None and values[2][7] is None
    assert values[2][6] == "1899-12-31"  # before Excel's calendar: kept as text
    assert values[3][6] == datetime(2024, 2, 29)


def test_xlsx_dates_are_formatted_and_numbers_numeric():
    ws = load(render("xlsx"))
    date_cell = ws.cell(row=2, column=7)
    assert date_cell.is_date and date_cell.number_format == "dd.mm.yyyy"
    assert ws.cell(row=2, column=8).data_type == "n"


def test_xlsx_formula_like_strings_are_not_formulas():
    ws = load(render("xlsx"))
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    manzil = [ws.cell(row=r, column=5).value for r in range(2, 6)]
    assert manzil[0] == "'" + ROWS[0]["Manzil"]
    assert manzil[2] == "'+998 71 203-80-29"
    assert ws.cell(row=4, column=7).value == "1899-12-31"
    assert ws.cell(row=5, column=1).value == "'-minus"


def test_xlsx_one_language_uses_its_captions():
    ws = load(render("xlsx", lang="ru"))
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    assert header == ["Регион", "Адрес", "Область", "Дата", "2010Y", "Место", "Зона"]
    assert ws.cell(row=2, column=1).value == "Ташкент"


def test_xlsx_streams_in_chunks():
    rows = [dict(ROWS[0], **{"2010Y": i}) for i in range(20000)]
    chunks = list(exporters.render("xlsx", META, FIELDS, iter(rows)))
    assert len(chunks) > 1 and all(len(c) <= 64 * 1024 for c in chunks)
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(chunks)), read_only=True).worksheets[0]
    assert sum(1 for _ in ws.iter_rows(min_row=2)) == 20000


def test_xlsx_rows_past_the_sheet_limit_go_on_a_new_sheet(monkeypatch):
    from exporters import xlsx_file

    monkeypatch.setattr(xlsx_file, "MAX_ROWS", 3)  # header + 2 rows per sheet
    book = openpyxl.load_workbook(io.BytesIO(render("xlsx", lang="en")))
    assert book.sheetnames == ["2-001-11072", "2-001-11072 2"]
    second = book.worksheets[1]
    assert second.cell(row=1, column=1).value == "Region"
    assert second.cell(row=2, column=1).value is None
    assert second.cell(row=3, column=1).value.startswith("ctl")
