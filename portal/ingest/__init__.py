"""Uploaded file -> header and raw rows (xlsx or csv); values are validated by portal.core."""

from collections.abc import Iterator
from dataclasses import dataclass

from .csv_reader import csv_rows
from .detect import check_zip, detect, read_upload
from .shape import split
from .slots import reader_slot
from .xlsx import calamine_rows, column_map, openpyxl_rows, shifted

__all__ = ["Table", "read_table", "read_table_streaming"]


@dataclass
class Table:
    """A read upload: header texts, the template's column map if any, numbered raw rows."""

    header: list[str]
    column_map: list[tuple[str, str | None]] | None
    rows: Iterator[tuple[int, list]]
    format: str


def read_table(stream, filename=None, *, max_bytes, max_rows, max_cols=500, readers=None):
    """Read an xlsx (calamine, in a memory-capped child process) or csv upload (docs/ingest.md).

    readers: at most this many calamine children on the host at once (portal.ingest.slots).
    """
    # rows are lazy: iterating them can still raise TooLarge or BadRequest (a broken CSV quote)
    return _read(stream, filename, max_bytes, max_rows, max_cols, streaming=False, readers=readers)


def read_table_streaming(stream, filename=None, *, max_bytes, max_rows, max_cols=500):
    """Same as read_table, but xlsx rows stream through openpyxl in this process."""
    return _read(stream, filename, max_bytes, max_rows, max_cols, streaming=True)


def _read(stream, filename, max_bytes, max_rows, max_cols, streaming, readers=None):
    data = read_upload(stream, max_bytes)
    kind = detect(data, filename)
    limits = {"max_rows": max_rows, "max_cols": max_cols}
    if kind == "csv":
        header, rows = split(csv_rows(data), cleaned=True, **limits)
        return Table(header, None, rows, "csv")
    unpacked = check_zip(data, max_bytes)
    if streaming:
        raw, column_rows = openpyxl_rows(data)
    else:
        with reader_slot(readers):
            raw, start_col, column_rows = calamine_rows(data, unpacked=unpacked, max_rows=max_rows)
        raw = shifted(raw, start_col)
    header, rows = split(raw, **limits)
    return Table(header, column_map(header, column_rows), rows, "xlsx")
