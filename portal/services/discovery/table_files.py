"""The columnar file of each published version: made once, shared by every host.

A published version never changes, so its rows are kept once more as a Parquet file (see
portal.db.columnar_file) that the table API and every export read instead of the row
collection. The file is made from the rows as they are published (they pass through a spool on
their way to the database), else on first read from the row collection. Building runs under a
lease: one worker of all hosts builds a file, the others wait for it.
"""

import hashlib
import logging
import os
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor

import orjson

from portal.db import columnar, columnar_file
from portal.db import rows as row_store

log = logging.getLogger("portal.table")
_settings = {"after_publish": "thread"}  # "thread", "sync" (tests) or "off"
_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="table-files")
_local = threading.local()


def configure(after_publish="thread"):
    _settings["after_publish"] = after_publish


def _fields_of(record):
    fields = record["fields"] if isinstance(record, dict) else record.fields
    return [dict(f) for f in fields]


def schema_of(fields):
    """The (name, type) pairs a file holds: every field of the version, hidden ones too."""
    return tuple(sorted((f["name"], f["type"]) for f in fields))


def key(dataset_id, number, schema):
    digest = hashlib.sha256(orjson.dumps(schema)).hexdigest()[:16]
    return f"{dataset_id}:{number}:{digest}"


class TableFile:
    """A version's local Parquet file and the (name, type) pairs of its columns."""

    def __init__(self, path, schema):
        self.path, self.schema = path, schema
        self.index = {name: i for i, (name, _) in enumerate(schema)}
        self.types = dict(schema)

    def rows(self, wanted=None):
        """The version's rows as stored row dicts, in order (only the fields `wanted`)."""
        return columnar_file.iter_rows(self.path, self.schema, wanted)


def open_version(dataset, record):
    """The TableFile of a published version (its record), built first if there is none."""
    number = record["number"] if isinstance(record, dict) else record.number
    schema = schema_of(_fields_of(record))
    file_key = key(dataset.id, number, schema)

    def build(target):
        log.info("table file built from the database", extra={"fields": {"key": file_key}})
        spool = columnar_file.Spool(schema, columnar.folder())
        try:
            for row in row_store.iter_rows(dataset.id, number):
                spool.add(row)
            columnar_file.write(spool, target)
        finally:
            spool.discard()

    meta = {"dataset": str(dataset.id), "version": number}
    return TableFile(columnar.path_for(file_key, build, meta), schema)


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
        job = _Convert(self.dataset_id, record["number"], self.schema, spool, offset)
        if _settings["after_publish"] == "sync":
            job()
        else:
            _pool.submit(job)
        return record


class _Convert:
    def __init__(self, dataset_id, number, schema, spool, offset):
        self.dataset_id, self.number, self.schema = dataset_id, number, schema
        self.spool, self.offset = spool, offset

    def __call__(self):
        try:
            before = None
            if self.offset:
                before = _existing(key(self.dataset_id, self.number - 1, self.schema))
                if before is None:
                    return  # the previous file is not there: made on first read instead
            file_key = key(self.dataset_id, self.number, self.schema)
            meta = {"dataset": str(self.dataset_id), "version": self.number}

            def build(target):
                columnar_file.write(self.spool, target, before, self.offset)

            columnar.path_for(file_key, build, meta)
        except Exception:
            log.exception("table file of a new version not made")
        finally:
            self.spool.discard()


def _existing(file_key):
    """The local path of a file already made (fetched from GridFS if needed), else None."""
    path = columnar.local_path(file_key)
    if os.path.exists(path):
        return path
    if columnar.stored(file_key) is None:
        return None
    return columnar.path_for(file_key, None, {})


def drop(dataset_id):
    columnar.drop(dataset_id)
