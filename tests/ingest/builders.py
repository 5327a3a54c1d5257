"""Builders for the ingest tests: real xlsx files, zips and CSV bytes."""

import io
import zipfile

from openpyxl import Workbook

from portal.ingest import read_table, read_table_streaming

LIMITS = {"max_bytes": 5 << 20, "max_rows": 1000}
READERS = {"calamine": read_table, "openpyxl": read_table_streaming}


def xlsx_bytes(rows, *, sheet="Data", before=None, formats=None):
    """An xlsx written by openpyxl: rows from A1, hidden sheets `before` it, number formats."""
    book = Workbook()
    first = book.active
    for name in before or ():
        book.create_sheet(name).sheet_state = "hidden"
    data = book.create_sheet(sheet)
    book.remove(first)
    book.active = len(before or ())
    for row in rows:
        data.append(row)
    for (row, col), code in (formats or {}).items():
        data.cell(row=row, column=col).number_format = code
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def zip_bytes(entries, compression=zipfile.ZIP_DEFLATED):
    """A zip archive holding {name: bytes}."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buf.getvalue()


def read_all(data, reader=read_table, filename="upload", **limits):
    """(table, rows as a list) read with the given reader; limits default to LIMITS."""
    table = reader(io.BytesIO(data), filename, **{**LIMITS, **limits})
    return table, list(table.rows)
