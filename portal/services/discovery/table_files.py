"""The columnar files of each published version: made once, shared by every host.

A published version never changes, so its rows are kept once more as Parquet (see
portal.db.columnar_file) that the table API and every export read instead of the row
collection: a list of immutable segment files (services.discovery.table_segments), one for a
replace, the previous version's and one of the new rows for an append. A new version's files
are made from the rows as they are published (they pass through a spool on their way to the
database), else on first read from the row collection. Building runs under a lease: one worker
of all hosts builds a file, the others wait for it.
"""

import functools
import logging
import weakref
from concurrent.futures import ThreadPoolExecutor

from portal.db import columnar, columnar_file, columnar_rows
from portal.services.discovery import table_segments

log = logging.getLogger("portal.table")
_settings = {"after_publish": "thread"}  # "thread", "sync" (tests) or "off"
_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="table-files")
key = table_segments.key


def configure(after_publish="thread", most_segments=None):
    _settings["after_publish"] = after_publish
    table_segments.configure(most_segments)


def _fields_of(record):
    fields = record["fields"] if isinstance(record, dict) else record.fields
    return [dict(f) for f in fields]


def schema_of(fields):
    """The (name, type) pairs a file holds: every field of the version, hidden ones too."""
    return tuple(sorted((f["name"], f["type"]) for f in fields))


class TableFile:
    """A version's local Parquet files (its segments, in order of place) and the (name, type)
    pairs of their columns. `paths` is what DuckDB's read_parquet takes: a list of files."""

    def __init__(self, paths, schema):
        self.paths = [paths] if isinstance(paths, str) else list(paths)
        self.schema = schema
        self.index = {name: i for i, (name, _) in enumerate(schema)}
        self.types = dict(schema)

    @functools.cached_property
    def searched(self):
        """Indexes of the text fields whose search column (`s<i>`) every segment holds:
        files written before search columns existed have none until they are merged."""
        names = [columnar_file.columns_of(path) for path in self.paths]
        return frozenset(
            i for i, (_, kind) in enumerate(self.schema)
            if kind == "text" and all(f"s{i}" in found for found in names)
        )  # fmt: skip

    def rows(self, wanted=None):
        """The version's rows as stored row dicts, in order (only the fields `wanted`)."""
        for path in self.paths:
            yield from columnar_rows.iter_rows(path, self.schema, wanted)


def open_version(dataset, record):
    """The TableFile of a published version (its record), built first if there is none."""
    number = record["number"] if isinstance(record, dict) else record.number
    rows = record["rows"] if isinstance(record, dict) else record.rows
    schema = schema_of(_fields_of(record))
    segments = table_segments.of_version(dataset.id, number, schema, rows)
    return TableFile(table_segments.local_paths(dataset.id, schema, segments), schema)


class Tee:
    """Spools the rows of a version being published, to make its file without reading back.

    `rows(it)` passes the rows on unchanged; `published(record)` turns the spool into the
    version's file (in the background unless configured otherwise) and returns the record.
    A spool whose publish failed is removed when the Tee is collected.
    """

    def __init__(self, dataset, mode):
        self.dataset_id, self.mode = dataset.id, mode
        self.schema = schema_of(f.to_dict() for f in dataset.fields)
        self.spool = None
        if _settings["after_publish"] == "off":
            return
        try:
            self.spool = columnar_file.Spool(self.schema, columnar.folder())
        except (OSError, KeyError):
            self.spool = None
        else:
            self._cleanup = weakref.finalize(self, self.spool.discard)

    def rows(self, rows):
        if self.spool is None:
            yield from rows
            return
        add = self.spool.add
        for row in rows:
            add(row)
            yield row

    def published(self, record, fields):
        """After the publish of `record` showing `fields`: make the file from the spool."""
        spool, self.spool = self.spool, None
        if spool is None:
            return record
        self._cleanup.detach()
        if schema_of(fields) != self.schema:
            spool.discard()
            return record
        offset = record["rows"] - spool.count if self.mode == "append" else 0
        last = (record.get("tail") or {}).get("p", record["rows"])
        positions = (last - spool.count + 1, last)  # of the new rows in the row collection
        job = _Convert(self.dataset_id, record["number"], self.schema, spool, offset, positions)
        if _settings["after_publish"] == "sync":
            job()
        else:
            _pool.submit(job)
        return record


class _Convert:
    def __init__(self, dataset_id, number, schema, spool, offset, positions):
        self.dataset_id, self.number, self.schema = dataset_id, number, schema
        self.spool, self.offset, self.positions = spool, offset, positions

    def __call__(self):
        try:
            if self.offset:
                table_segments.append(
                    self.dataset_id, self.number, self.schema, self.spool, self.offset,
                    self.positions,
                )  # fmt: skip
                return
            file_key = key(self.dataset_id, self.number, self.schema)
            meta = {"dataset": str(self.dataset_id), "version": self.number}

            def build(target):
                columnar_file.write(self.spool, target)

            columnar.path_for(file_key, build, meta)
        except Exception:
            log.exception("table file of a new version not made")
        finally:
            self.spool.discard()


def drop(dataset_id):
    columnar.drop(dataset_id)
