"""CSV (RFC 4180, UTF-8 with BOM) with spreadsheet formula injection neutralized.

A version's file (meta["table"]) is written by DuckDB's COPY, every cell's text made in SQL
(exporters._sql), so no row passes through Python; rows given without a file, a file holding a
value its column type cannot carry, or a single column (Python's csv quotes a lone empty cell)
take the row path, which gives the same bytes.
"""

import csv
import io

from . import _sql
from ._common import CHUNK, FORMULA_START, columns, text_form

BOM = "\ufeff"


def _cell(field, lang_key):
    """value -> cell; None where the stored value is the cell (csv writes None as empty)."""
    kind = field["type"]
    if kind in ("number", "date"):
        return None
    if lang_key is not None:

        def text_cell(v):
            if v is None:
                return None
            s = v.get(lang_key) or ""
            return "'" + s if s.startswith(FORMULA_START) else s

        return text_cell
    if kind in ("string", "directory"):

        def string_cell(v):
            return "'" + v if v and v.startswith(FORMULA_START) else v

        return string_cell
    form = text_form(field, None)
    if kind != "location":
        return form  # date and polygon text starts with a digit or '[': never formula-like

    def location_cell(v):
        s = form(v)
        return "'" + s if s and s[0] == "-" else s

    return location_cell


def row_converter(fields, lang):
    """(column names, row dict -> list of cells) for a structure."""
    cols = columns(fields, lang)
    plan = [(field["name"], _cell(field, key)) for _, field, key in cols]

    def convert(row):
        get = row.get
        return [get(n) if f is None else f(get(n)) for n, f in plan]

    return [c[0] for c in cols], convert


def header(names):
    buf = io.StringIO()
    buf.write(BOM)
    csv.writer(buf, lineterminator="\r\n").writerow(names)
    return buf.getvalue().encode()


# Python's csv.writer quotes a cell holding a comma, a quote, CR or LF and writes None and ""
# alike as nothing; DuckDB's writer does the same for these options once "" is NULL
COPY_OPTIONS = (
    "FORMAT csv, HEADER false, DELIMITER ',', QUOTE '\"', ESCAPE '\"', NEW_LINE '\r\n', COMMENT ''"
)


def render(meta, fields, rows, lang):
    """Yield the CSV bytes of the rows (of the version's file when meta has it)."""
    table = meta.get("table")
    if table is None or len(columns(fields, lang)) < 2 or not _sql.usable(table, fields):
        return render_rows(fields, rows, lang)
    return _render_file(table, fields, rows, lang)


def _render_file(table, fields, rows, lang):
    names, cells = _sql.csv_cells(table, fields, lang)
    select = ", ".join(cells)
    sql = (
        f"COPY (SELECT {select} FROM read_parquet(?) WHERE _p > ? AND _p <= ?) "  # noqa: S608 - columns by index
        f"TO ? ({COPY_OPTIONS})"
    )
    with _sql.connect(table) as con:
        parts = None if _sql.exotic(con, table, fields) else _sql.parts(con, table)
    if parts is None:
        yield from render_rows(fields, rows, lang)
        return
    yield header(names)

    def copy(con, lo, hi, target):
        con.execute(sql, [table.paths, lo, hi, target])

    yield from _sql.files_of(parts, copy, ".csv", _sql.settings(table))


def render_rows(fields, rows, lang):
    """The CSV bytes of rows given as stored row dicts, written row by row."""
    names, convert = row_converter(fields, lang)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    buf.write(BOM)
    writer.writerow(names)
    batch = []
    for row in rows:
        batch.append(convert(row))
        if len(batch) == 256:
            writer.writerows(batch)
            batch.clear()
            if buf.tell() >= CHUNK:
                yield buf.getvalue().encode()
                buf.seek(0)
                buf.truncate()
    writer.writerows(batch)
    yield buf.getvalue().encode()
