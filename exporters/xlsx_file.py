"""XLSX via xlsxwriter in constant-memory mode, written to a temp file and streamed."""

import re
import tempfile
from datetime import date

import xlsxwriter

from portal.core.langs import LANG_SHORT

from ._common import CHUNK, FORMULA_START, caption, columns, text_form

MAX_ROWS = 1_048_576  # Excel's sheet limit, header included: longer data goes on to a new sheet
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()
# Excel counts a 29 February 1900 that never was; serial numbers agree with dates after it.
_FIRST_SAFE_DATE = date(1900, 3, 1).toordinal()
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\']")


def _writer(field, lang_key, formats):
    """(sheet, row, col, value) writer for one column; None values are never passed in."""
    kind = field["type"]
    if kind == "number":

        def number(ws, r, c, v):
            ws.write_number(r, c, v)

        return number
    if kind == "date":
        fmt = formats["date"]

        def a_date(ws, r, c, v):
            day = date.fromisoformat(v).toordinal()
            if day >= _FIRST_SAFE_DATE:
                ws.write_number(r, c, day - _EXCEL_EPOCH, fmt)
            else:
                ws.write_string(r, c, v)

        return a_date
    form = text_form(field, lang_key)

    def string(ws, r, c, v):
        s = form(v)
        if s:
            # write_string never makes a formula; the quote also protects later CSV saves
            ws.write_string(r, c, "'" + s if s.startswith(FORMULA_START) else s)

    return string


def _header(fields, lang):
    """Header captions: the chosen language, or Uzbek Latin plus a mark on text columns."""
    out = []
    for _, field, key in columns(fields, lang):
        text = caption(field, lang)
        if lang is None and key is not None:
            text = f"{text} ({LANG_SHORT[key]})"
        out.append(text)
    return out


def _write_workbook(target, meta, fields, rows, lang):
    wb = xlsxwriter.Workbook(target, {"constant_memory": True})
    formats = {"date": wb.add_format({"num_format": "dd.mm.yyyy"})}
    bold = wb.add_format({"bold": True})
    header = _header(fields, lang)
    plan = [(f["name"], _writer(f, key, formats)) for _, f, key in columns(fields, lang)]
    code = _BAD_SHEET_CHARS.sub("_", str(meta.get("code") or "data"))[:28]

    def new_sheet(n):
        ws = wb.add_worksheet(code if n == 1 else f"{code} {n}"[:31])
        for c, text in enumerate(header):
            ws.set_column(c, c, min(max(len(text) + 2, 10), 50))
            ws.write_string(0, c, text, bold)
        ws.freeze_panes(1, 0)
        return ws

    sheets = 1
    ws = new_sheet(sheets)
    r = 0
    for row in rows:
        r += 1
        if r == MAX_ROWS:
            sheets += 1
            ws = new_sheet(sheets)
            r = 1
        get = row.get
        for c, (name, write) in enumerate(plan):
            v = get(name)
            if v is not None:
                write(ws, r, c, v)
    wb.close()


def render(meta, fields, rows, lang):
    """Yield the XLSX bytes of the rows (the workbook is built in a temp file first)."""
    with tempfile.TemporaryFile() as tmp:
        _write_workbook(tmp, meta, fields, rows, lang)
        tmp.seek(0)
        while chunk := tmp.read(CHUNK):
            yield chunk
