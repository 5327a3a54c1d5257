"""The Excel upload template of a structure: header, hidden column map, validations, rows."""

import datetime as dt
import io
from collections.abc import Mapping

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from portal.core.columns import template_columns
from portal.core.fields import FIELD_TYPES
from portal.core.langs import LANG_KEYS

DATA_SHEET = "Data"
MAP_SHEET = "_columns"
LISTS_SHEET = "_lists"
# read back by portal/ingest/xlsx.py: both sides must agree on the mark and version
MAP_MARK = "ochiq_columns"
MAP_VERSION = 1
FREE_ROWS = 1000  # rows below the data that still get the validations
DATE_FORMAT = "dd.mm.yyyy"
FIRST_EXCEL_DATE = dt.date(1900, 3, 1)  # before it Excel's calendar is off (the 1900 leap bug)

WIDTHS = {"text": 24, "string": 24, "directory": 18, "date": 12, "number": 12}
WIDTHS |= {"location": 22, "polygon": 40}
MIN_WIDTH, MAX_WIDTH = 8, 60

# Warnings rather than stops: portal.core accepts more than Excel can check ('1 234,5',
# '12.03.2001' typed as text, a directory name in any language), so nothing valid is blocked.
VALIDATIONS = {
    "number": {
        "validate": "decimal",
        "criteria": "between",
        "minimum": -1e300,
        "maximum": 1e300,
        "input_title": "Son / Number",
        "input_message": "Masalan / e.g. 1234.5",
        "error_message": "Son kiriting / Enter a number",
    },
    "date": {
        "validate": "date",
        "criteria": "between",
        "minimum": dt.date(1900, 1, 1),
        "maximum": dt.date(9999, 12, 31),
        "input_title": "Sana / Date",
        "input_message": "dd.mm.yyyy, masalan / e.g. 12.03.2001",
        "error_message": "Sana: dd.mm.yyyy / Date: dd.mm.yyyy",
    },
    "location": {
        "validate": "any",
        "input_title": "Joylashuv / Location",
        "input_message": "Kenglik uzunlik / latitude longitude: 41.31108 69.27974",
    },
    "polygon": {
        "validate": "any",
        "input_title": "Hudud / Polygon",
        "input_message": (
            "Nuqtalar [kenglik, uzunlik], kamida ikkita / points [lat, lon], two or more: "
            "[41.30, 69.26], [41.32, 69.26], ..."
        ),
    },
}
DIRECTORY_VALIDATION = {
    "validate": "list",
    "input_title": "Ro'yxatdan / From the list",
    "input_message": "Nomi yoki kodi / a name or a code",
    "error_message": "Ro'yxatda yo'q / Not in the list",
    "error_type": "warning",
}


def build_template(fields, directories, rows=None, title=None, out=None):
    """The template as .xlsx bytes, or written to the binary file object `out`."""
    rows = list(rows or ())
    columns = template_columns(fields)
    by_name = {_get(f, "name"): f for f in fields}
    target = out if out is not None else io.BytesIO()
    book = xlsxwriter.Workbook(target, {"in_memory": True})
    if title:
        book.set_properties({"title": title})
    formats = {
        "header": book.add_format({"bold": True, "bg_color": "#DDEBF7", "bottom": 1}),
        "date": book.add_format({"num_format": DATE_FORMAT}),
    }
    data = book.add_worksheet(DATA_SHEET)
    column_map = book.add_worksheet(MAP_SHEET)
    lists = book.add_worksheet(LISTS_SHEET)
    data.activate()
    column_map.very_hidden()
    lists.hide()  # only hidden: an author may show it to look codes up

    sources = _write_lists(lists, columns, by_name, directories or {})
    last_row = len(rows) + FREE_ROWS
    for index, column in enumerate(columns):
        field = by_name[column.field]
        kind = _get(field, "type")
        width = _width(column.header, kind, rows, column)
        data.set_column(index, index, width, formats["date"] if kind == "date" else None)
        data.write_string(0, index, column.header, formats["header"])
        rule = _validation(kind, sources.get(_get(field, "directory")))
        if rule:
            data.data_validation(1, index, last_row, index, rule)
    data.freeze_panes(1, 0)

    _write_map(column_map, columns)
    _write_rows(data, columns, by_name, rows, formats["date"])
    book.close()
    return target.getvalue() if out is None else None


def _get(obj, key, default=None):
    if isinstance(obj, Mapping):
        return obj.get(key, default)
    return getattr(obj, key, default)


def _validation(kind, source):
    if kind == "directory":
        return {**DIRECTORY_VALIDATION, "source": source} if source else None
    rule = VALIDATIONS.get(kind)
    return {**rule, "error_type": "warning"} if rule else None


def _write_map(sheet, columns):
    sheet.write_string(0, 0, MAP_MARK)
    sheet.write_number(0, 1, MAP_VERSION)
    for index, column in enumerate(columns, 1):
        sheet.write_number(index, 0, index)
        sheet.write_string(index, 1, column.header)
        sheet.write_string(index, 2, column.field)
        if column.lang:
            sheet.write_string(index, 3, column.lang)


def _write_lists(sheet, columns, by_name, directories):
    """One block per directory used; its 'choices' column (names, then codes) feeds the list."""
    sources = {}
    block = 0
    for column in columns:
        code = _get(by_name[column.field], "directory")
        if not code or code in sources or code not in directories:
            continue
        items = _items(directories[code])
        first = block * 6
        choices = []
        for item in items:
            name = _get(item, "name") or {}
            text = name.get(LANG_KEYS[0]) if isinstance(name, Mapping) else str(name)
            choices.append(text or str(_get(item, "code")))
        choices += [str(_get(item, "code")) for item in items]
        choices = list(dict.fromkeys(c for c in choices if c))
        sheet.write_string(0, first, code)
        for row, choice in enumerate(choices, 1):
            sheet.write_string(row, first, choice)
        sheet.write_string(0, first + 1, "code")
        for offset, lang in enumerate(LANG_KEYS, 2):
            sheet.write_string(0, first + offset, lang)
        for row, item in enumerate(items, 1):
            sheet.write_string(row, first + 1, str(_get(item, "code")))
            name = _get(item, "name") or {}
            for offset, lang in enumerate(LANG_KEYS, 2):
                if isinstance(name, Mapping) and name.get(lang):
                    sheet.write_string(row, first + offset, name[lang])
        if choices:
            letters = xl_col_to_name(first)
            sources[code] = f"='{LISTS_SHEET}'!${letters}$2:${letters}${len(choices) + 1}"
        block += 1
    return sources


def _items(directory):
    """A directory's items, given as a list or as a mapping with an 'items' list."""
    if isinstance(directory, Mapping) and "items" in directory:
        directory = directory["items"]
    return list(directory)


def _width(header, kind, rows, column):
    longest = max(len(header) + 2, WIDTHS.get(kind, 16))
    for row in rows[:200]:
        text = _cell_text(_get(row, column.field), kind, column.lang)
        longest = max(longest, len(text) + 1)
    return max(MIN_WIDTH, min(MAX_WIDTH, longest))


def _cell_text(value, kind, lang):
    if value is None:
        return ""
    if lang is not None:
        return (value.get(lang) or "") if isinstance(value, Mapping) else str(value)
    if isinstance(value, str):
        return value
    if kind in FIELD_TYPES and kind != "directory":
        return FIELD_TYPES[kind].format(value)
    return str(value)


def _write_rows(sheet, columns, by_name, rows, date_format):
    writers = [_writer(sheet, _get(by_name[c.field], "type"), c, date_format) for c in columns]
    for row_index, row in enumerate(rows, 1):
        for col_index, (column, write) in enumerate(zip(columns, writers, strict=True)):
            value = _get(row, column.field)
            if value is not None and value != "":
                write(row_index, col_index, value)


def _writer(sheet, kind, column, date_format):
    """(row, col, value) -> writes one cell of a column; strings never become formulas."""

    def text(r, c, value):
        if isinstance(value, Mapping):
            value = value.get(column.lang)
        elif column.lang not in (None, LANG_KEYS[0]):
            return  # a plain string is the Uzbek Latin text alone
        if value:
            sheet.write_string(r, c, str(value))

    def number(r, c, value):
        if isinstance(value, int | float) and not isinstance(value, bool):
            sheet.write_number(r, c, value)
        else:
            sheet.write_string(r, c, str(value))

    def date(r, c, value):
        day = value if isinstance(value, dt.date) else None
        if day is None:
            parsed, problem = FIELD_TYPES["date"].parse(value)
            day = None if problem or parsed is None else dt.date.fromisoformat(parsed)
        if isinstance(day, dt.datetime):
            day = day.date()
        if day is None or day < FIRST_EXCEL_DATE:
            sheet.write_string(r, c, value if isinstance(value, str) else str(value))
        else:
            sheet.write_datetime(r, c, dt.datetime(day.year, day.month, day.day), date_format)

    def formatted(r, c, value):
        if not isinstance(value, str):
            value = _cell_text(value, kind, None)
        sheet.write_string(r, c, value)

    if column.lang is not None or kind == "text":
        return text
    return {"number": number, "date": date}.get(kind, formatted)
