"""Versions: one writer at a time, rows written invisibly, published by one atomic swap."""

import logging
import secrets
from contextlib import contextmanager
from datetime import timedelta

from portal.core.errors import Conflict, NotFound
from portal.db import rows as row_store
from portal.db.models import Dataset, utcnow
from portal.services.discovery import table_files

log = logging.getLogger("portal.versions")
LOCK_STALE = timedelta(seconds=30)  # a write refreshes its lock far more often than this


def _col():
    return Dataset._get_collection()


@contextmanager
def writing(dataset):
    """Hold the dataset's write lock; a second writer gets 409. Cleans what a crash left."""
    lock_id = secrets.token_hex(8)
    now = utcnow()
    doc = _col().find_one_and_update(
        {
            "_id": dataset.id,
            "$or": [{"lock.id": {"$exists": False}}, {"lock.at": {"$lt": now - LOCK_STALE}}],
        },
        {"$set": {"lock": {"id": lock_id, "at": now}}},
        projection={"current_version": 1},
    )
    if doc is None:
        raise Conflict(f"another change to dataset {dataset.code} is being written; try again")
    current = doc.get("current_version", 0)
    try:
        # Whatever an earlier crashed write left beyond the published version goes first.
        row_store.discard_unpublished(dataset.id, current)
        yield Lock(dataset.id, lock_id, current)
    finally:
        _col().update_one({"_id": dataset.id, "lock.id": lock_id}, {"$unset": {"lock": ""}})


class Lock:
    """The write lock of one dataset; `beat()` keeps it from looking stale."""

    def __init__(self, dataset_id, lock_id, current):
        self.dataset_id, self.id, self.current = dataset_id, lock_id, current
        self._last = utcnow()

    def beat(self, *_):
        now = utcnow()
        if now - self._last > timedelta(seconds=2):
            _col().update_one(
                {"_id": self.dataset_id, "lock.id": self.id}, {"$set": {"lock.at": now}}
            )
            self._last = now


def publish(dataset, rows, *, source, by, mode="replace", fields=None, on_progress=None):
    """Write `rows` as version n+1 and publish it atomically; returns the version record."""
    tee = table_files.Tee(dataset, mode)  # the new version's columnar file, made on the way
    with writing(dataset) as lock:
        number = lock.current + 1
        if lock.current == 0:
            row_store.ensure_indexes(dataset.id)

        def progress(count):
            lock.beat()
            if on_progress:
                on_progress(count)

        writer = row_store.VersionWriter(dataset.id, number, mode=mode, on_progress=progress)
        try:
            stats = writer.write(tee.rows(rows))
        except BaseException:
            row_store.discard_unpublished(dataset.id, lock.current)
            raise
        record = _swap(dataset, lock, number, stats, source, by, fields)
    return tee.published(record)


def publish_structure(dataset, *, by, fields):
    """A structure change that changes the data: version n+1 sharing every row of version n."""
    with writing(dataset) as lock:
        number = lock.current + 1
        stats = row_store.VersionWriter(dataset.id, number, mode="append").write(())
        return _swap(dataset, lock, number, stats, "structure", by, fields)


def _swap(dataset, lock, number, stats, source, by, fields):
    fields = fields if fields is not None else [f.to_dict() for f in dataset.fields]
    now = utcnow()
    record = {
        "number": number,
        "created_at": now,
        "by": by,
        "source": source,
        "rows": stats["rows"],
        "added": stats["added"],
        "removed": stats["removed"],
        "fields": fields,
        "checksum": stats["checksum"],
    }
    status = "published" if lock.current == 0 else "updated"
    result = _col().update_one(
        {"_id": dataset.id, "current_version": lock.current, "lock.id": lock.id},
        {
            "$set": {
                "current_version": number,
                "status": status,
                "data_updated_at": now,
                "updated_at": now,
            },
            "$push": {"versions": record},
            "$unset": {"rejection": ""},
        },
    )
    if result.modified_count != 1:
        row_store.discard_unpublished(dataset.id, lock.current)
        raise Conflict(f"dataset {dataset.code} changed while this version was written")
    log.info(
        "version published",
        extra={
            "fields": {
                "dataset": dataset.code,
                "version": number,
                "rows": stats["rows"],
                "source": source,
            }
        },
    )
    dataset.reload()
    return record


def get(dataset, number):
    """One version record, or NotFound."""
    for version in dataset.versions:
        if version.number == number:
            return version
    raise NotFound(f"dataset {dataset.code} has no version {number}")


def version_dict(version):
    """The public view of a version record."""
    return {
        "number": version.number,
        "created_at": version.created_at,
        "source": version.source,
        "rows": version.rows,
        "added": version.added,
        "removed": version.removed,
        "checksum": version.checksum,
        "fields": [f for f in version.fields],
    }
