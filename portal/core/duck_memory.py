"""How much memory a DuckDB database gets for work over a version's columnar file.

DuckDB's need grows with the columns a query reads and the length of their values (each
column's reader holds its pages and vectors of 2,048 values): a fixed limit that fits a
dataset of 20 fields fails one of 160 with "Out of Memory". A limit is the larger of its
base, which narrow datasets keep, and a share per column read; work that still runs out (long
values) is done again with more memory (`retrying`), never over CAP_MB.
"""

import contextlib
import contextvars

import duckdb

from portal.core.langs import LANG_KEYS

CAP_MB = 2048
GROWTH = 4  # each attempt after an Out of Memory error has this many times the memory
_scale = contextvars.ContextVar("duck_memory_scale", default=1)


def columns_read(schema):
    """The value columns a file of these (name, type) fields holds: a text's languages are
    four."""
    return sum(len(LANG_KEYS) if kind == "text" else 1 for _, kind in schema)


def limit(base_mb, columns=0, per_column_mb=0):
    """DuckDB's memory_limit for a query reading `columns` value columns (in this context:
    more after an Out of Memory error)."""
    mb = max(base_mb, round(per_column_mb * columns)) * _scale.get()
    return f"{min(mb, CAP_MB)}MB"


@contextlib.contextmanager
def more():
    """Within it, every limit is GROWTH times larger."""
    token = _scale.set(_scale.get() * GROWTH)
    try:
        yield
    finally:
        _scale.reset(token)


def retrying(work, *args, attempts=3):
    """`work(*args)`, done again with GROWTH times the memory while DuckDB runs out, at most
    `attempts` times in all."""
    try:
        return work(*args)
    except duckdb.OutOfMemoryException:
        if attempts <= 1:
            raise
    with more():
        return retrying(work, *args, attempts=attempts - 1)
