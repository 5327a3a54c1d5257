"""The text forms of values (values.md) as DuckDB SQL over a version's columnar file.

Exporters that build a file with DuckDB instead of row by row in Python use these expressions:
they give, cell for cell, the text the Python forms in _common give (a double's text in DuckDB
is Python's repr of it). Columns are named by position (portal.db.columnar_file): `c<i>` holds
a field's values, `x<i>` the rare value its type cannot carry; such a value has no SQL form, so
an exporter falls back to its row path when `exotic()` finds one.
"""

import os
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor

import duckdb

from portal.core import duck_memory

from ._common import CHUNK, FORMULA_START, columns

EXACT = "9007199254740992.0"  # 2**53: below it an integral double is read back as an int
# one thread per query keeps the file's order; the parts of a file are written two at a time
CONFIG = {"threads": 1, "memory_limit": 64, "preserve_insertion_order": True}
PER_COLUMN = 2.5  # MB per value column read: 120 of them needed 234 MB for a part of 20,000 rows
PART_ROWS = 100_000  # rows of a version written as one part (five row groups of its file)
PART_CELLS = 2_500_000  # and no more values than this in a part (wide files: 20,000 rows)
_FORMULA_CODES = ", ".join(str(ord(c)) for c in FORMULA_START)


def settings(table):
    """DuckDB's configuration for work over `table`'s file: more memory for more columns."""
    columns = duck_memory.columns_read(table.schema)
    memory = duck_memory.limit(CONFIG["memory_limit"], columns, PER_COLUMN)
    return {**CONFIG, "memory_limit": memory}


def connect(table):
    return _open(settings(table))


def _open(config):
    """A DuckDB database of `config` that reads a Parquet file's pages as it needs them: its
    prefetching of a row group's columns held 4 MB more for a csv part, and was no faster."""
    con = duckdb.connect(config=config)
    con.execute("SET disable_parquet_prefetching = true")
    return con


def number(col, below=EXACT):
    """A number as its stored value prints: an int when integral below 2**53 (`below`), else
    repr."""
    return (
        f"CASE WHEN {col} = trunc({col}) AND abs({col}) < {below} "
        f"THEN CAST(CAST({col} AS BIGINT) AS VARCHAR) ELSE CAST({col} AS VARCHAR) END"
    )


def number_union(col):
    """A number as a value that reaches Python as the stored int or float."""
    return (
        f"CAST(CASE WHEN {col} = trunc({col}) AND abs({col}) < {EXACT} "
        f"THEN union_value(i := CAST({col} AS BIGINT)) ELSE union_value(f := {col}) END "
        "AS UNION(i BIGINT, f DOUBLE))"
    )


def _inner(col):
    """A list's text without its outer brackets: DuckDB prints DOUBLE[] as '[a, b]'."""
    return f"substr(CAST({col} AS VARCHAR), 2, length(CAST({col} AS VARCHAR)) - 2)"


def location_text(col):
    """_common.location_text: 'lat lon', each without a trailing '.0'."""
    text = f"replace({_inner(col)}, ', ', ' ')"
    return (
        f"CASE WHEN contains({text}, '.0 ') OR suffix({text}, '.0') "
        f"THEN regexp_replace({text}, '\\.0( |$)', '\\1', 'g') ELSE {text} END"
    )


def polygon_text(col):
    """_common.polygon_text: '[lat, lon], [lat, lon]', each without a trailing '.0'."""
    text = _inner(col)
    return (
        f"CASE WHEN contains({text}, '.0,') OR contains({text}, '.0]') "
        f"THEN regexp_replace({text}, '\\.0([],])', '\\1', 'g') ELSE {text} END"
    )


def neutralize(expr, blank_is_null=False):
    """_common.neutralize: a quote in front of text a spreadsheet would read as a formula;
    with `blank_is_null`, '' is NULL (a first test: nullif around it held more memory)."""
    blank = f"WHEN {expr} = '' THEN NULL " if blank_is_null else ""
    return f"CASE {blank}WHEN ord({expr}) IN ({_FORMULA_CODES}) THEN '''' || {expr} ELSE {expr} END"


def parts(con, table):
    """Ranges (lo, hi] of positions that cut the version into parts of about PART_ROWS rows:
    each part is read in order by one thread and written to a file of its own."""
    last = con.execute("SELECT max(_p) FROM read_parquet(?)", [table.paths]).fetchone()[0] or 0
    columns = duck_memory.columns_read(table.schema)
    size = max(1, min(PART_ROWS, PART_CELLS // max(columns, 1)))
    cuts = [*range(0, last, size), last]
    return list(zip(cuts, cuts[1:], strict=False)) or [(0, 0)]


def files_of(ranges, copy, suffix, config):
    """The bytes of the parts `copy(con, lo, hi, target)` writes, in order. Two parts are
    written at a time, each by its own DuckDB database (`config`): the even ones in this
    thread, the odd ones in a helper thread, while the last ones written are read out."""
    cons = {}

    def work(lo, hi):
        con = cons.get(threading.get_ident())
        if con is None:
            con = cons[threading.get_ident()] = _open(config)
        fd, target = tempfile.mkstemp(prefix="export-", suffix=suffix)
        os.close(fd)
        try:
            copy(con, lo, hi, target)
        except BaseException:
            os.unlink(target)
            raise
        return target

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="export-part")
    helper = None
    try:
        for k, (lo, hi) in enumerate(ranges):
            if k % 2 == 0:
                helper = pool.submit(work, *ranges[k + 1]) if k + 1 < len(ranges) else None
                target = work(lo, hi)
            else:
                target, helper = helper.result(), None
            try:
                with open(target, "rb") as f:
                    while data := f.read(16 * CHUNK):
                        yield data
            finally:
                os.unlink(target)
    finally:
        if helper is not None:
            helper.cancel()
        pool.shutdown(wait=True)
        done = helper is not None and not helper.cancelled() and helper.exception() is None
        if done and os.path.exists(helper.result()):
            os.unlink(helper.result())  # written for a reader that stopped before it
        for con in cons.values():
            con.close()


def usable(table, fields):
    """Whether every field shown is in the file with the same type (else: the row path)."""
    return all(table.types.get(f["name"], f["type"]) == f["type"] for f in fields)


def exotic(con, table, fields):
    """Whether a field shown holds a value its column type cannot carry (an `x<i>` value)."""
    xs = [f"x{table.index[f['name']]} IS NOT NULL" for f in fields if f["name"] in table.index]
    if not xs:
        return False
    sql = f"SELECT 1 FROM read_parquet(?) WHERE {' OR '.join(xs)} LIMIT 1"  # noqa: S608 - columns by index
    return con.execute(sql, [table.paths]).fetchone() is not None


def csv_cells(table, fields, lang):
    """(column names, SQL of each CSV cell as text or NULL) in the columns' order.

    A cell that could be '' is NULL instead (the CSV writer quotes ''; Python's writes None
    and '' alike as nothing); numbers, dates and locations are never ''."""
    names, cells = [], []
    for name, field, key in columns(fields, lang):
        names.append(name)
        i = table.index.get(field["name"])
        kind = field["type"]
        col = f"c{i}"
        if i is None:
            cell = "NULL"
        elif key is not None:  # a missing text and a missing language are both nothing
            cell = neutralize(f"{col}.{key}", blank_is_null=True)
        elif kind == "number":
            cell = number(col)
        elif kind == "date":
            cell = f"CAST({col} AS VARCHAR)"
        elif kind in ("string", "directory"):
            cell = neutralize(col, blank_is_null=True)
        elif kind == "location":
            text = location_text(col)  # NULL for no value; only '-' can start it
            cell = f"CASE WHEN ord({text}) = 45 THEN '''' || {text} ELSE {text} END"
        elif kind == "polygon":
            cell = f"nullif({polygon_text(col)}, '')"
        else:
            cell = f"nullif(CAST({col} AS VARCHAR), '')"
        cells.append(cell)
    return names, cells


def json_values(table, fields, lang):
    """SQL of each field's JSON value (json_file.value_converter), in the fields' order."""
    out = []
    for field in fields:
        i = table.index.get(field["name"])
        kind = field["type"]
        col = f"c{i}"
        if i is None:
            out.append("NULL")
        elif kind == "number":
            out.append(number_union(col))
        elif kind == "text" and lang:
            out.append(f"CASE WHEN {col} IS NOT NULL THEN coalesce({col}.{lang}, '') END")
        elif kind == "date":
            out.append(f"CAST({col} AS VARCHAR)")
        elif kind == "location":
            out.append(location_text(col))
        elif kind == "polygon":
            out.append(polygon_text(col))
        else:
            out.append(col)
    return out
