"""A version's columnar file read back as the stored row dicts, in order, a batch at a time
(portal.db.columnar_file says what the columns hold)."""

import duckdb
import orjson

from portal.core import duck_memory
from portal.db.columnar_file import EXACT

FETCH = 500  # rows a streaming read hands over at a time (2,000: +10 MB for 200,000 rows)


def _number(c, x):
    if x is not None:
        return orjson.loads(x)
    if c is None:
        return None
    return int(c) if c.is_integer() and -EXACT < c < EXACT else c


def _plain(c, x):
    return orjson.loads(x) if x is not None else c


def select_values(schema, wanted=None):
    """SQL picking the columns of the fields `wanted` (names; all by default), for rows()."""
    picked = [
        (i, name, kind) for i, (name, kind) in enumerate(schema) if wanted is None or name in wanted
    ]
    parts = []
    for i, _, kind in picked:
        col = f"CAST(c{i} AS VARCHAR)" if kind == "date" else f"c{i}"
        parts.extend((col, f"x{i}"))
    return picked, ", ".join(parts) or "NULL"


def converter(picked):
    """values (c, x pairs as select_values() lists them) -> the stored row dict."""
    convert = [(name, _number if kind == "number" else _plain) for _, name, kind in picked]

    def row(values):
        return {name: fn(values[2 * j], values[2 * j + 1]) for j, (name, fn) in enumerate(convert)}

    return row


# a reader that hands rows to Python one batch at a time: one thread and little memory, so
# that DuckDB does not decode row groups far ahead of a slow consumer (an xml export of
# 200,000 rows grew the process by 77 MB through the shared database, 39 MB like this)
STREAM = {"threads": 1, "memory_limit": 32, "preserve_insertion_order": True}
STREAM_PER_COLUMN = 1.6  # MB: 120 value columns of 20,000 rows needed 191 MB


def iter_rows(path, schema, wanted=None):
    """Rows of the file as the stored row dicts, in order; only the fields `wanted`."""
    picked, select = select_values(schema, wanted)
    row = converter(picked)
    columns = duck_memory.columns_read(schema)
    memory = duck_memory.limit(STREAM["memory_limit"], columns, STREAM_PER_COLUMN)
    with duckdb.connect(config={**STREAM, "memory_limit": memory}) as con:
        # the file is in order and DuckDB keeps it (preserve_insertion_order): no sort needed
        cur = con.execute(f"SELECT {select} FROM read_parquet(?)", [path])  # noqa: S608 - columns from the structure, values bound
        while batch := cur.fetchmany(FETCH):
            yield from map(row, batch)
