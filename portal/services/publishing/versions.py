"""Versions: one writer at a time, rows written invisibly, published by one atomic swap.

The dataset document keeps a window of its latest version records (`WINDOW`); every record is
also kept in the version history, and the fields a version shows in a snapshot stored once per
structure. What a writer needs for the next append (last position, checksum chain) is on the
latest record, so a push costs what it carries whatever the dataset holds.

After a version is published every function in `on_published` is called with
`(dataset, record)` (errors are logged, never raised): the place for work that follows a new
version, such as building its files.
"""

import logging
from contextlib import contextmanager

from portal.core import collector
from portal.core.errors import Conflict, NotFound
from portal.db import row_writer
from portal.db import rows as row_store
from portal.db.models import Dataset, utcnow
from portal.db.publishing import history
from portal.services.discovery import table_files
from portal.services.publishing import writelock

log = logging.getLogger("portal.versions")
WINDOW = 10  # version records kept on the dataset document, newest last
on_published = []  # callables (dataset, record) run after each publish


def _col():
    return Dataset._get_collection()


@contextmanager
def writing(dataset, first=writelock.NO_ROWS):
    """Hold the dataset's write lock; a second writer gets 409. Cleans what a crash left.
    `first`: the lowest row position the writer expects to write (none by default)."""
    lock = writelock.acquire(dataset, first=first)
    clean = True
    try:
        _repair_history(lock)
        yield lock
    except BaseException:
        clean = not lock.lost
        raise
    finally:
        writelock.release(lock, clean=clean)


def _repair_history(lock):
    """Store the latest record in the history if a crash came between publish and that."""
    if lock.last and not history.has_record(lock.dataset_id, lock.current):
        history.save_record(lock.dataset_id, lock.last)


def _base(lock):
    """What the current version's record keeps for the next append, or None."""
    last = lock.last
    if not last or last.get("scheme") != row_store.CHAIN or not last.get("tail"):
        return None
    return {"p": last["tail"]["p"], "chain": last["tail"]["chain"], "rows": last["rows"]}


def _expected_first(dataset, mode):
    """Where an append will start, as the dataset read by the caller says (1 for a replace)."""
    last = dataset.versions[-1] if mode == "append" and dataset.versions else None
    if last is None or last.number != dataset.current_version or not last.tail:
        return 1
    return last.tail.get("p", 0) + 1


def publish(dataset, rows, *, source, by, mode="replace", fields=None, on_progress=None):
    """Write `rows` as version n+1 and publish it atomically; returns the version record."""
    fields = fields if fields is not None else [f.to_dict() for f in dataset.fields]
    tee = table_files.Tee(dataset, mode)  # the new version's columnar file, made on the way
    with writing(dataset, first=_expected_first(dataset, mode)) as lock:
        number = lock.current + 1
        if lock.current == 0:
            row_store.ensure_indexes(dataset.id)

        writer = row_writer.VersionWriter(
            dataset.id,
            number,
            mode=mode,
            on_progress=on_progress,
            fence=lock,
            base=_base(lock) if lock.current else {"p": 0, "chain": "", "rows": 0},
        )
        lock.begin(writer.first_position())
        try:
            with collector.paused():  # rows make no cycles: reference counting frees them
                stats = writer.write(tee.rows(rows))
            record = _swap(lock, number, stats, source, by, fields)
        except BaseException:
            lock.discard(number)
            raise
    return tee.published(record, fields)


def publish_structure(dataset, *, by, fields, change=None):
    """A structure change that changes the data: version n+1 sharing every row of version n,
    published in one update with `change` (a targeted update of the dataset's fields)."""
    with writing(dataset) as lock:
        return structure_version(lock, by=by, fields=fields, change=change)


def structure_version(lock, *, by, fields, change=None):
    """Publish a structure version under a lock already held (see `publish_structure`)."""
    number = lock.current + 1
    writer = row_writer.VersionWriter(
        lock.dataset_id, number, mode="append", fence=lock, base=_base(lock)
    )
    stats = writer.write(())
    return _swap(lock, number, stats, "structure", by, fields, change)


def change_fields(lock, change, where=None):
    """A targeted update of the fields under the lock (no new version): one update."""
    lock.check()
    update = {**change, "$set": {**change.get("$set", {}), "updated_at": utcnow()}}
    flt = {"_id": lock.dataset_id, "lock.id": lock.id, **(where or {})}
    result = _col().update_one(flt, update)
    if result.matched_count != 1:
        raise Conflict(f"dataset {lock.dataset.code} changed meanwhile; try again")
    lock.dataset.reload()


def _swap(lock, number, stats, source, by, fields, change=None):
    dataset = lock.dataset
    known = (lock.last or {}).get("structure")
    now = utcnow()
    record = {
        "number": number,
        "created_at": now,
        "by": by,
        "source": source,
        "rows": stats["rows"],
        "added": stats["added"],
        "removed": stats["removed"],
        "checksum": stats["checksum"],
        "scheme": stats["scheme"],
        "tail": stats["tail"],
        "structure": history.store_snapshot(dataset.id, fields, known=known),
        "writer": lock.id,
    }
    change = change or {}
    for _ in range(3):
        lock.check()
        sets = {"current_version": number, "data_updated_at": now, "updated_at": now}
        if lock.status != "rejected":  # a rejection stays until an operator clears it
            sets["status"] = "published" if lock.current == 0 else "updated"
        update = {
            **change,
            "$set": {**change.get("$set", {}), **sets},
            "$push": {
                **change.get("$push", {}),
                "versions": {"$each": [record], "$slice": -WINDOW},
            },
            "$pull": {**change.get("$pull", {}), "unclean": {"id": lock.id}},
            "$unset": {**change.get("$unset", {}), "lock": ""},  # published: the lock is free
        }
        flt = {
            "_id": dataset.id,
            "current_version": lock.current,
            "lock.id": lock.id,
            "status": lock.status,
        }
        if _col().update_one(flt, update).modified_count == 1:
            lock.released = True
            lock.stop_beating()
            break
        doc = _col().find_one({"_id": dataset.id}, {"status": 1, "current_version": 1, "lock": 1})
        still_ours = doc and (doc.get("lock") or {}).get("id") == lock.id
        if not still_ours or doc.get("current_version") != lock.current:
            lock.lost = not still_ours
            raise Conflict(f"dataset {dataset.code} changed while this version was written")
        lock.status = doc.get("status")  # an operator's review came in between: again
    else:
        raise Conflict(f"dataset {dataset.code} changed while this version was written")
    history.save_record(dataset.id, record)
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
    if lock.status == "rejected":
        from portal.services.publishing import review

        review.notify_new_version(dataset, number)
    for hook in list(on_published):
        try:
            hook(dataset, record)
        except Exception:
            log.exception("after-publish step failed", extra={"fields": {"dataset": dataset.code}})
    return record


def published_by(dataset_id, number):
    """The lock id whose write became version `number`, re-read from the database."""
    doc = _col().find_one({"_id": dataset_id}, {"current_version": 1, "versions": {"$slice": -1}})
    if not doc or doc.get("current_version", 0) < number:
        return None
    last = (doc.get("versions") or [None])[-1] or {}
    if last.get("number") == number:
        return last.get("writer")
    return (history.record(dataset_id, number) or {}).get("writer")


# ---------------------------------------------------------------------- reading


class Record:
    """One version record, from the dataset's window or from the history."""

    def __init__(self, dataset_id, doc):
        self._dataset_id = dataset_id
        self._doc = doc

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._doc.get(name)

    @property
    def fields(self):
        """The fields the version showed (a snapshot, or the copy an earlier build kept)."""
        key = self._doc.get("structure")
        if key:
            found = history.snapshot(self._dataset_id, key)
            if found is not None:
                return found
        return list(self._doc.get("fields") or ())


def _window(dataset):
    return {v.number: v.to_mongo().to_dict() for v in dataset.versions}


def get(dataset, number):
    """One version record, or NotFound."""
    if 0 < number <= dataset.current_version:
        doc = _window(dataset).get(number) or history.record(dataset.id, number)
        if doc is not None:
            return Record(dataset.id, doc)
    raise NotFound(f"dataset {dataset.code} has no version {number}")


def latest(dataset):
    """The current version's record, or None."""
    return get(dataset, dataset.current_version) if dataset.current_version else None


def history_page(dataset, page=1, page_size=20):
    """The version records, newest first: one bounded range of numbers per page."""
    total = dataset.current_version
    highest = total - (page - 1) * page_size
    lowest = max(highest - page_size, 0)
    docs = {}
    if highest > 0:
        docs = {d["number"]: d for d in history.newest_first(dataset.id, highest, lowest)}
        for number, doc in _window(dataset).items():
            if lowest < number <= highest:
                docs.setdefault(number, doc)
    items = [Record(dataset.id, docs[n]) for n in sorted(docs, reverse=True)]
    return {
        "items": [version_dict(v) for v in items],
        "total": total,
        "page": page,
        "page_size": page_size,
    }


def verify(dataset, number):
    """True when the stored rows of a version give the checksum its record keeps."""
    record = get(dataset, number)
    scheme = record.scheme or 1
    return row_store.checksum_of(dataset.id, number, scheme) == record.checksum


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
        "fields": list(version.fields),
    }
