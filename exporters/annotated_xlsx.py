"""An uploaded table with its bad cells marked: each one filled red and carrying its message.

    data = annotated(raw_bytes, "upload.xlsx", errors)   # errors: [{row, column, value, message}]

An xlsx upload is copied cell for cell (its sheet, header and values kept); a csv upload becomes
a one-sheet workbook of its cells. A cell is found by its spreadsheet row and its column's
header text; an error naming no cell (a header problem) is marked on the header row.
"""

import csv
import io

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

BAD = PatternFill(fill_type="solid", start_color="FFF4B6B6", end_color="FFF4B6B6")
HEADER_SEARCH = 10  # the header is within the first rows (templates put it on row 1)
AUTHOR = "Ochiq"
MAX_COMMENT = 1000


def _sheet_of(data, filename):
    name = (filename or "").lower()
    if name.endswith(".csv") or not data.startswith(b"PK"):
        book = Workbook()
        sheet = book.active
        sheet.title = "Data"
        text = data.decode("utf-8-sig", errors="replace")
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else None
        for row in csv.reader(io.StringIO(text), dialect or csv.excel):
            sheet.append(row)
        return book, sheet
    book = load_workbook(io.BytesIO(data))
    sheet = next((ws for ws in book.worksheets if ws.sheet_state == "visible"), book.active)
    return book, sheet


def _columns(sheet, names):
    """{header text: column index} from the first row holding most of the named columns."""
    best, found = 1, {}
    for r in range(1, min(sheet.max_row, HEADER_SEARCH) + 1):
        texts = {}
        for cell in sheet[r]:
            if cell.value is not None:
                texts.setdefault(str(cell.value).strip(), cell.column)
        hits = {n: texts[n] for n in names if n in texts}
        if len(hits) > len(found):
            best, found = r, hits
    return best, found


def _note(cell, message):
    old = cell.comment.text + "\n" if cell.comment else ""
    cell.comment = Comment((old + message)[:MAX_COMMENT], AUTHOR)
    cell.fill = BAD


def annotated(data, filename, errors):
    """The workbook (xlsx bytes) with every error's cell filled and commented."""
    book, sheet = _sheet_of(data, filename)
    names = {str(e["column"]).strip() for e in errors if e.get("column")}
    header_row, columns = _columns(sheet, names)
    for error in errors:
        message = str(error.get("message") or "")
        column = columns.get(str(error.get("column") or "").strip())
        row = error.get("row")
        if isinstance(row, int) and row >= 1 and column:
            _note(sheet.cell(row=row, column=column), message)
        elif column:
            _note(sheet.cell(row=header_row, column=column), message)
        else:
            target = sheet.cell(
                row=row if isinstance(row, int) and row >= 1 else header_row, column=1
            )
            _note(target, message)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
