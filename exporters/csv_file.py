"""CSV (RFC 4180, UTF-8 with BOM) with spreadsheet formula injection neutralized."""

import csv
import io

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


def render(meta, fields, rows, lang):
    """Yield the CSV bytes of the rows."""
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
