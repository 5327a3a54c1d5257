"""The Excel upload template of a structure: header, hidden column map, validations, rows."""

import datetime as dt
import io
import math
from collections.abc import Mapping
from itertools import chain, islice

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from portal.core.columns import template_columns
from portal.core.errors import Conflict
from portal.core.fields import FIELD_TYPES
from portal.core.langs import LANG_KEYS

DATA_SHEET = "Data"
MAP_SHEET = "_columns"
LISTS_SHEET = "_lists"
# read back by portal/ingest/xlsx.py: both sides must agree on the mark and version
MAP_MARK = "ochiq_columns"
MAP_VERSION = 1
FREE_ROWS = 1000  # rows below the data that still get the validations
MAX_DATA_ROWS = 1_048_575  # an Excel sheet's rows below the header: more would be dropped
WIDTH_SAMPLE = 200  # rows looked at to size the columns
BLOCK_WIDTH = 6  # _lists columns per directory: choices, code, four names
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
    # directories: {code: [items]} or [{"code", "items"}]; rows: canonical row dicts from any
    # iterable, written as they come so that a whole dataset never sits in memory
    columns = template_columns(fields)
    by_name = {_get(f, "name"): f for f in fields}
    kinds = [_get(by_name[c.field], "type") for c in columns]
    rows = iter(rows or ())
    sample = list(islice(rows, WIDTH_SAMPLE))
    target = out if out is not None else io.BytesIO()
    # constant_memory holds one row at a time, so every sheet is written row by row
    book = xlsxwriter.Workbook(target, {"constant_memory": True})
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

    for index, (column, kind) in enumerate(zip(columns, kinds, strict=True)):
        width = _width(column.header, kind, sample, column)
        data.set_column(index, index, width, formats["date"] if kind == "date" else None)
        data.write_string(0, index, column.header, formats["header"])
    data.freeze_panes(1, 0)
    count = _write_rows(data, columns, kinds, chain(sample, rows), formats["date"])

    sources = _write_lists(lists, columns, by_name, _by_code(directories or ()))
    for index, (column, kind) in enumerate(zip(columns, kinds, strict=True)):
        rule = _validation(kind, sources.get(_get(by_name[column.field], "directory")))
        if rule:
            data.data_validation(1, index, count + FREE_ROWS, index, rule)
    _write_map(column_map, columns)
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
    sources, blocks, seen = {}, [], set()
    for column in columns:
        code = _get(by_name[column.field], "directory")
        if not code or code in seen or code not in directories:
            continue
        seen.add(code)
        items = directories[code]
        names = [_names(item) for item in items]
        codes = [str(_get(item, "code")) for item in items]
        choices = [n.get(LANG_KEYS[0]) or c for n, c in zip(names, codes, strict=True)]
        choices = list(dict.fromkeys(c for c in choices + codes if c))
        block = [[code, *choices], ["code", *codes]]
        block += [[lang, *(n.get(lang) for n in names)] for lang in LANG_KEYS]
        if choices:
            letters = xl_col_to_name(len(blocks) * BLOCK_WIDTH)
            sources[code] = f"='{LISTS_SHEET}'!${letters}$2:${letters}${len(choices) + 1}"
        blocks.append(block)
    height = max((len(col) for block in blocks for col in block), default=0)
    for row in range(height):
        for number, block in enumerate(blocks):
            for offset, col in enumerate(block):
                if row < len(col) and col[row]:
                    sheet.write_string(row, number * BLOCK_WIDTH + offset, str(col[row]))
    return sources


def _names(item):
    name = _get(item, "name") or {}
    return name if isinstance(name, Mapping) else {LANG_KEYS[0]: str(name)}


def _by_code(directories):
    """{code: items} from {code: items} or from [{"code", "items"}] (also objects)."""
    if isinstance(directories, Mapping):
        return {code: _items(entry) for code, entry in directories.items()}
    return {_get(entry, "code"): _items(entry) for entry in directories}


def _items(entry):
    if isinstance(entry, Mapping):
        return list(entry.get("items") or ())
    if isinstance(entry, list | tuple):
        return list(entry)
    return list(getattr(entry, "items", None) or ())


def _width(header, kind, rows, column):
    longest = max(len(header) + 2, WIDTHS.get(kind, 16))
    for row in rows:
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


def _write_rows(sheet, columns, kinds, rows, date_format):
    """Write the rows below the header; their count."""
    writers = [_writer(sheet, k, c, date_format) for c, k in zip(columns, kinds, strict=True)]
    plan = list(enumerate(zip([c.field for c in columns], writers, strict=True)))
    count = 0
    for row in rows:
        count += 1
        if count > MAX_DATA_ROWS:
            # xlsxwriter ignores rows past the sheet's end: a template without them, uploaded
            # back in replace mode, would delete them
            raise Conflict(
                f"the dataset has more than {MAX_DATA_ROWS:,} rows, more than an Excel sheet "
                "holds: download data.csv instead, edit it and upload it as csv"
            )
        for col_index, (name, write) in plan:
            value = _get(row, name)
            if value is not None and value != "":
                write(count, col_index, value)
    return count


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
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
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
