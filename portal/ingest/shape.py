"""Raw sheet rows -> header and numbered data rows: cell clean-up, trimming, size limits."""

import datetime as dt

from portal.core.errors import BadRequest, TooLarge

_MIDNIGHT = dt.time()
_EXACT = 2**53  # larger floats are not exact integers, so they stay floats


def clean(value):
    """One raw cell -> None, str, int, float, bool, date or datetime."""
    kind = value.__class__
    if kind is str:
        return value or None
    if kind is float:
        # xlsx stores every number as a double; 15230.0 and 15230 must read the same
        return int(value) if value.is_integer() and -_EXACT < value < _EXACT else value
    if kind is dt.datetime:
        return value.date() if value.time() == _MIDNIGHT and value.tzinfo is None else value
    if kind in (dt.time, dt.timedelta):
        return str(value)
    return value


def _header_text(value):
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _last_filled(cells):
    """Index after the last non-empty cell (0 for an empty row)."""
    n = len(cells)
    while n and cells[n - 1] is None:
        n -= 1
    return n


def too_many_rows(row_number, max_rows):
    """The TooLarge error for data found in `row_number`."""
    return TooLarge(
        f"the file has more than {max_rows:,} data rows (row {row_number:,} is not empty); "
        "split it or remove rows below the data"
    )


def _too_many_cols(row_number, width, max_cols):
    return TooLarge(
        f"row {row_number:,} has values in {width:,} columns; at most {max_cols:,} are allowed"
    )


def split(raw_rows, *, max_rows, max_cols, first_row=1, cleaned=False):
    """(header, lazy (row number, cells) pairs) from raw rows starting at row `first_row`."""
    # The header is the first non-empty row. Blank rows inside the data come out as all None so
    # that row numbers stay true; trailing ones are dropped. Cells are padded to the header
    # width, and a row is longer only when it has values past the last named column, so that
    # the validator can report them rather than lose them.
    raw_rows = iter(raw_rows)
    header = None
    row_number = first_row - 1
    for raw in raw_rows:
        row_number += 1
        cells = raw if cleaned else [clean(v) for v in raw]
        width = _last_filled(cells)
        if width:
            if width > max_cols:
                raise _too_many_cols(row_number, width, max_cols)
            header = [_header_text(v) for v in cells[:width]]
            break
    if header is None:
        raise BadRequest("the file has no data: the first row must hold the column headers")
    while header and not header[-1]:
        header.pop()
    return header, _data_rows(raw_rows, row_number, len(header), max_rows, max_cols, cleaned)


def _data_rows(raw_rows, header_row, width, max_rows, max_cols, cleaned):
    row_number = header_row
    last_allowed = header_row + max_rows
    pending = 0  # blank rows held back until a filled row shows they are not trailing
    for raw in raw_rows:
        row_number += 1
        cells = raw if cleaned else [clean(v) for v in raw]
        filled = _last_filled(cells)
        if not filled:
            pending += 1
            continue
        if row_number > last_allowed:
            raise too_many_rows(row_number, max_rows)
        if filled > max_cols:
            raise _too_many_cols(row_number, filled, max_cols)
        for blank in range(row_number - pending, row_number):
            yield blank, [None] * width
        pending = 0
        if filled < width:
            cells = cells[:filled] + [None] * (width - filled)
        elif filled < len(cells):
            del cells[filled:]
        yield row_number, cells
