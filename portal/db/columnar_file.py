"""The columnar file of a version: Parquet written and read with DuckDB.

Columns are named by position, never by field name: `_p` is the row's place in the version
(1..n), `c<i>` holds field i's values in a type DuckDB filters, sorts and sums, and `x<i>`
holds, as JSON, the rare value that type cannot carry exactly (an integer beyond 2**53, a value
that does not fit the field's type), so that rows read back are the stored rows, bit for bit.
Field i is the i-th of the (name, type) pairs the file was made for; SQL over the file names
columns by that index, so no field name ever reaches SQL text. A text field also has `s<i>`:
its four languages lowercased and joined, which `contains` reads (files written before it
existed lack it, and are read without it).

Rows are spooled as NDJSON (orjson) and turned into Parquet by DuckDB's own JSON reader, so the
build holds a few rows in Python at a time whatever the version's size.
"""

import datetime
import functools
import os
import tempfile
import threading

import duckdb
import orjson

from portal.core import duck_memory
from portal.core.langs import LANG_KEYS

TEXT_TYPE = "STRUCT(" + ", ".join(f"{k} VARCHAR" for k in LANG_KEYS) + ")"
SQL_TYPES = {
    "number": "DOUBLE",
    "date": "DATE",
    "string": "VARCHAR",
    "directory": "VARCHAR",
    "text": TEXT_TYPE,
    "location": "DOUBLE[]",
    "polygon": "DOUBLE[][]",
}
EXACT = 2**53
ROW_GROUP = 20_000  # rows DuckDB decodes at a time when it reads: memory, and page pruning
_LANGS = frozenset(LANG_KEYS)


def _is_num(v):
    return type(v) in (int, float) and -EXACT < v < EXACT


def _fits_number(v):
    return type(v) is float or (type(v) is int and -EXACT < v < EXACT)


def _fits_date(v):
    if type(v) is not str or len(v) != 10:
        return False
    try:
        datetime.date.fromisoformat(v)
    except ValueError:
        return False
    return True


def _fits_text(v):
    return (
        type(v) is dict and list(v) == list(LANG_KEYS) and all(type(s) is str for s in v.values())
    )


def _fits_location(v):
    return type(v) is list and len(v) == 2 and all(type(x) is float for x in v)


def _fits_polygon(v):
    return type(v) is list and all(_fits_location(p) for p in v)


def _fits_str(v):
    return type(v) is str


FITS = {
    "number": _fits_number,
    "date": _fits_date,
    "string": _fits_str,
    "directory": _fits_str,
    "text": _fits_text,
    "location": _fits_location,
    "polygon": _fits_polygon,
}


def columns_sql(schema):
    """DuckDB's `columns` argument for reading the spool (types from a fixed table only)."""
    parts = ["'_p': 'BIGINT'"]
    for i, (_, kind) in enumerate(schema):
        parts.append(f"'c{i}': '{SQL_TYPES[kind]}'")
        parts.append(f"'x{i}': 'VARCHAR'")
    return "{" + ", ".join(parts) + "}"


class Spool:
    """Rows of a version written to an NDJSON file as they pass, numbered from `start + 1`."""

    def __init__(self, schema, folder, start=0):
        self.schema = list(schema)
        self.count = start
        fd, self.path = tempfile.mkstemp(prefix="spool-", suffix=".ndjson", dir=folder)
        self._file = os.fdopen(fd, "wb", buffering=1024 * 1024)
        self._plan = [(name, f"c{i}", f"x{i}", FITS[kind]) for i, (name, kind) in enumerate(schema)]

    def add(self, row):
        self.count += 1
        out = {"_p": self.count}
        get = row.get
        for name, c, x, fits in self._plan:
            v = get(name)
            if v is None:
                continue
            if fits(v):
                out[c] = v
            else:
                out[x] = orjson.dumps(v).decode()
        self._file.write(orjson.dumps(out))
        self._file.write(b"\n")

    def close(self):
        if not self._file.closed:
            self._file.close()

    def discard(self):
        self.close()
        if os.path.exists(self.path):
            os.unlink(self.path)


CONFIG = {"threads": 2, "memory_limit": "512MB", "preserve_insertion_order": True}
# a file's build streams its rows: more memory makes it no faster (100,000 rows of 20 columns:
# 1.5 s and +254 MB of the worker at 512 MB, 1.1 s and +106 MB at 128 MB, 1.2 s and +87 MB at
# 96 MB; at 64 MB the JSON reader's buffers do not fit)
BUILD_MEMORY = 96  # MB, and 2 MB per value column beyond 48 (160 fields of 2,500 rows: 192 MB)
BUILD_PER_COLUMN = 2
_shared = {"pid": None, "db": None}
_shared_lock = threading.Lock()


def _database():
    """The process's in-memory DuckDB database, opened on first use (again after a fork)."""
    with _shared_lock:
        if _shared["pid"] != os.getpid():
            _shared["db"] = duckdb.connect(config=dict(CONFIG))
            _shared["pid"] = os.getpid()
        return _shared["db"]


def connect(spill=None, columns=0):
    """A DuckDB connection for one piece of work (in memory, two threads, bounded memory);
    `spill` is a folder for what does not fit: a file's build, with less memory (more for
    more value `columns`).

    Without `spill` it is a new connection (a cursor) to the process's one database: opening a
    database costs ~25 ms of CPU, a connection to an open one well under 1 ms. Closing it
    leaves the database open; each connection can be interrupted on its own (Deadline)."""
    if spill:
        return duckdb.connect(
            config={
                **CONFIG,
                "memory_limit": duck_memory.limit(BUILD_MEMORY, columns, BUILD_PER_COLUMN),
                "temp_directory": spill,
            }
        )
    db = _database()
    with _shared_lock:
        return db.cursor()


def base_columns(schema):
    """The columns every file of `schema` holds: the place, then each field's pair."""
    return ", ".join(["_p", *(f"c{i}, x{i}" for i in range(len(schema)))])


SEARCH_SEPARATOR = "\x1f"  # between a text's languages in its search column


def search_columns(schema):
    """SQL of the search columns: for each text field, its four languages lowercased and
    joined by SEARCH_SEPARATOR (`s<i>`), so that `contains` reads one prepared string."""
    parts = []
    for i, (_, kind) in enumerate(schema):
        if kind == "text":
            langs = ", ".join(f"c{i}.{k}" for k in LANG_KEYS)
            parts.append(f"lower(concat_ws(chr({ord(SEARCH_SEPARATOR)}), {langs})) AS s{i}")
    return "".join(f", {part}" for part in parts)


def write(spool, target, offset=0):
    """Turn a closed spool into the Parquet file `target`, its places shifted by `offset`."""
    spool.close()
    read = (
        f"SELECT {base_columns(spool.schema)}{search_columns(spool.schema)} FROM ("  # noqa: S608 - columns from the structure, values bound
        "SELECT * REPLACE (_p + CAST(? AS BIGINT) AS _p) "
        f"FROM read_ndjson(?, columns={columns_sql(spool.schema)}))"
    )
    # a spool alone is in order already, and DuckDB keeps it (preserve_insertion_order)
    _copy(read, [offset, spool.path, target], spool.schema, target)


def merge(paths, target, schema):
    """One Parquet file `target` of the files `paths` (of `schema`, each in order and holding
    the places after the previous one's): DuckDB reads a list of files in its order. The
    search columns are made again, so files written before they existed gain them."""
    select = f"SELECT {base_columns(schema)}{search_columns(schema)} FROM read_parquet(?)"  # noqa: S608 - columns from the structure, values bound
    _copy(select, [list(paths), target], schema, target)


def _copy(select, params, schema, target):
    """COPY `select` to the Parquet file `target`, again with more memory should DuckDB run
    out (a new attempt writes the whole file anew)."""
    columns = duck_memory.columns_read(schema)

    def copy():
        with connect(spill=os.path.dirname(target), columns=columns) as con:
            con.execute(
                f"COPY ({select}) TO ? (FORMAT parquet, COMPRESSION zstd, "
                f"ROW_GROUP_SIZE {ROW_GROUP})",
                params,
            )

    duck_memory.retrying(copy)


@functools.lru_cache(maxsize=4096)
def columns_of(path):
    """The column names of one Parquet file (files never change once written)."""
    with connect() as con:
        found = con.execute("SELECT name FROM parquet_schema(?)", [path]).fetchall()
    return frozenset(name for (name,) in found)


def count(path):
    """The rows of a file, or of a list of files."""
    with connect() as con:
        return con.execute("SELECT count(*) FROM read_parquet(?)", [path]).fetchone()[0]


class Deadline:
    """Interrupts a DuckDB connection from a timer thread after `seconds`."""

    def __init__(self, con, seconds):
        self.expired = False
        self._con = con
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def _fire(self):
        self.expired = True
        self._con.interrupt()

    def __enter__(self):
        self._timer.start()
        return self

    def __exit__(self, *exc):
        self._timer.cancel()
