"""xlsx upload -> raw rows: calamine in a memory-capped child process, or openpyxl streaming."""

import io
import logging
import os
import pickle
import signal
import subprocess
import sys
import tempfile
from itertools import islice
from pathlib import Path

from portal.core.errors import BadRequest, TooLarge

from . import _calamine_child as child
from .shape import too_many_rows

MAP_SHEET = child.MAP_SHEET
MAP_MARK = "ochiq_columns"
MAP_VERSION = 1
CHILD_SCRIPT = Path(child.__file__)
# Address space the child may use: the interpreter and libraries, then room for calamine's
# cells (a 100k x 20 sheet, 74 MB unpacked, peaked at 200 MB) with a margin.
CHILD_MEMORY_BASE = 256 << 20
CHILD_MEMORY_PER_BYTE = 3
CHILD_TIMEOUT = 300
UNREADABLE = (
    "the workbook cannot be read: it is damaged or not an Excel workbook (.xlsx); open it in "
    "Excel or LibreOffice and save it again as .xlsx, or upload it as csv"
)
log = logging.getLogger("portal.ingest")


def calamine_rows(data, *, unpacked, max_rows, timeout=CHILD_TIMEOUT):
    """(raw rows iterator, first column offset, map sheet rows or None) read by calamine."""
    limit = CHILD_MEMORY_BASE + CHILD_MEMORY_PER_BYTE * unpacked
    out = tempfile.TemporaryFile()  # noqa: SIM115 (the rows iterator closes it)
    try:
        done = subprocess.run(
            [sys.executable, "-I", str(CHILD_SCRIPT), str(limit), str(max_rows)],
            input=data,
            stdout=out,
            stderr=subprocess.PIPE,
            timeout=timeout,
            # The child opens hostile files: it gets no secret key, database or OneID secret.
            env={"PATH": os.defpath, "LC_ALL": "C.UTF-8", "RUST_BACKTRACE": "0"},
            check=False,
        )
    except subprocess.TimeoutExpired:
        out.close()
        raise TooLarge(f"the workbook took longer than {timeout} s to read") from None
    except BaseException:
        out.close()
        raise
    if done.returncode:
        out.close()
        _raise_for(done.returncode, done.stderr, max_rows, limit)
    out.seek(0)
    plan = pickle.load(out)  # noqa: S301 (written by our own child, never by the upload)
    if plan["sheet"] is None:
        out.close()
        raise BadRequest("the workbook has no visible worksheet")
    return _batches(out), plan["start_col"], plan["columns"]


def _raise_for(code, stderr, max_rows, limit):
    message = stderr.decode("utf-8", "replace").strip()
    if code == child.EXIT_TOO_MANY_ROWS:
        raise too_many_rows(int(message), max_rows)
    # calamine aborts the process when an allocation fails, Python code raises MemoryError,
    # and an out-of-memory killer sends SIGKILL
    if code in (child.EXIT_MEMORY, -signal.SIGKILL) or "memory allocation" in message:
        raise TooLarge(
            f"the workbook needs more than {limit >> 20:,} MB of memory to read; "
            "delete stray cells far below or right of the data, or split the file"
        )
    # The reader's own words stay in the log: they name library internals and may echo cells.
    log.warning("xlsx reader failed", extra={"fields": {"exit": code, "detail": message[-2000:]}})
    raise BadRequest(UNREADABLE)


def _batches(out):
    with out:
        while True:
            try:
                batch = pickle.load(out)  # noqa: S301 (written by our own child)
            except EOFError:
                return
            yield from batch


def shifted(rows, start_col):
    """Rows padded on the left so that cell 0 is column A."""
    if not start_col:
        return rows
    pad = [""] * start_col
    return (pad + row for row in rows)


def openpyxl_rows(data):
    """(raw rows iterator, map sheet rows or None) read by openpyxl in read-only mode."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged parts
        raise _unreadable(exc) from None
    column_rows = None
    if MAP_SHEET in book.sheetnames:
        map_sheet = book[MAP_SHEET]
        column_rows = [
            list(r) for r in islice(map_sheet.iter_rows(values_only=True), child.MAP_ROWS)
        ]
    sheet = next((ws for ws in book.worksheets if ws.sheet_state == "visible"), None)
    if sheet is None:
        book.close()
        raise BadRequest("the workbook has no visible worksheet")
    # the stored dimension can be wrong or absurd; without it rows are as long as their data
    sheet.reset_dimensions()
    return _closing(book, sheet.iter_rows(values_only=True)), column_rows


def _closing(book, rows):
    try:
        yield from rows
    except Exception as exc:  # read-only sheets are parsed while iterating
        raise _unreadable(exc) from None
    finally:
        book.close()


def _unreadable(exc):
    detail = {"error": type(exc).__name__, "detail": str(exc)[:2000]}
    log.warning("xlsx unreadable", extra={"fields": detail})
    return BadRequest(UNREADABLE)


def column_map(header, column_rows):
    """[(field name, lang key or None)] per header position from the map sheet, or None."""
    # Aligned by column number, not by header text: portal.core checks each entry against its
    # header cell, trusting a retyped caption and dropping the map when columns were moved.
    if not column_rows or not column_rows[0] or column_rows[0][0] != MAP_MARK:
        return None
    version = column_rows[0][1] if len(column_rows[0]) > 1 else None
    if not isinstance(version, int | float) or int(version) != MAP_VERSION:
        return None
    by_index = {}
    for row in column_rows[1:]:
        index, _, name, lang = (list(row) + [None] * 4)[:4]
        if isinstance(index, int | float) and isinstance(name, str) and name:
            by_index[int(index)] = (name, lang if isinstance(lang, str) and lang else None)
    if not by_index:
        return None
    return [by_index.get(position, ("", None)) for position in range(1, len(header) + 1)]
