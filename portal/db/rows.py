"""Versioned row storage: one collection per dataset, rows shared between versions.

A row document is `{p: position, h: content hash, f: first version, t: first version without it,
d: {field: value}}`. Version n is every row with `f <= n < t`, ordered by `p`. A new version
inserts only the rows that changed (invisible until the dataset's `current_version` moves) and
closes the rows it replaces by setting `t`; both are harmless to readers of older versions, so
the single-document pointer swap on the dataset publishes it atomically. What a crash leaves
behind (`f` or `t` beyond the current version) is undone by `discard_unpublished`.
"""

import hashlib
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext

import orjson
from pymongo import ASCENDING

from portal.db.connection import get_db
from portal.db.models import LIVE

BATCH = 2000
BATCH_CELLS = 40_000  # and values per batch written: wide rows make shorter batches
# Batches handed to the helper thread and not yet stored, at most. One keeps the database
# busy while the next batch is made, and the rows stored never lag more than a batch behind.
QUEUED = 1


def collection(dataset_id):
    """The row collection of a dataset."""
    return get_db()[f"rows_{dataset_id}"]


def ensure_indexes(dataset_id):
    """Indexes of a row collection: version reads page by position."""
    col = collection(dataset_id)
    col.create_index([("p", ASCENDING), ("f", ASCENDING), ("t", ASCENDING)])


def row_hash(row):
    """A stable hash of a row's content."""
    return hashlib.blake2b(
        orjson.dumps(row, option=orjson.OPT_SORT_KEYS), digest_size=16
    ).hexdigest()


def version_filter(number):
    """The query selecting the rows of version `number`."""
    return {"f": {"$lte": number}, "t": {"$gt": number}}


def iter_rows(dataset_id, number, *, batch=BATCH):
    """Yield the rows of a version in order, a window of positions at a time.

    Each query asks for a bounded window of positions (`last < p <= last + batch`) rather than
    `p > last` with a limit: a server that finds every match before applying the limit (the
    embedded one does) would otherwise read all later rows for each page. A helper thread reads
    the next window while the caller works on this one. No projection and no sort in the query:
    the embedded server deep-copies every document it projects, and a window is sorted here.
    """
    col = collection(dataset_id)
    version = version_filter(number)

    def window(last):
        """The documents after position `last`, in order; [] at the end."""
        query = {"p": {"$gt": last, "$lte": last + batch}, **version}
        docs = list(col.find(query, batch_size=batch))
        if not docs:
            # VersionWriter numbers a version's rows 1..n; should a position be missing,
            # carry on from the next one there is
            after = col.find_one({"p": {"$gt": last}, **version}, {"p": 1}, sort=[("p", 1)])
            return [] if after is None else window(after["p"] - 1)
        docs.sort(key=lambda doc: doc["p"])
        return docs

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rows-reader") as pool:
        pending = pool.submit(window, 0)
        while docs := pending.result():
            pending = pool.submit(window, docs[-1]["p"])
            for doc in docs:
                yield doc["d"]


def page(dataset_id, number, *, query=None, sort=None, skip=0, limit=20):
    """One page of a version's rows with optional filters on row values; (rows, total)."""
    col = collection(dataset_id)
    flt = {**version_filter(number), **(query or {})}
    total = col.count_documents(flt)
    cursor = col.find(flt, {"_id": 0, "d": 1})
    cursor = cursor.sort(sort or [("p", 1)])
    docs = cursor.skip(skip).limit(limit)
    return [d["d"] for d in docs], total


def page_records(dataset_id, number, *, query=None, skip=0, limit=20):
    """One page of a version's row documents in order, with their ids and first versions:
    ([{"_id", "f", "d"}], total)."""
    col = collection(dataset_id)
    flt = {**version_filter(number), **(query or {})}
    total = col.count_documents(flt)
    docs = col.find(flt, {"_id": 1, "f": 1, "d": 1}).sort([("p", 1)]).skip(skip).limit(limit)
    return list(docs), total


def hashes(dataset_id, number, *, guard=None):
    """(position, hash) of a version's rows in order; `guard` is held while a page is read."""
    col = collection(dataset_id)
    guard = guard or nullcontext()
    last = 0
    while True:
        query = {"p": {"$gt": last}, **version_filter(number)}
        with guard:
            docs = list(col.find(query, {"_id": 1, "p": 1, "h": 1}).sort("p", 1).limit(20000))
        yield from docs
        if len(docs) < 20000:
            return
        last = docs[-1]["p"]


class VersionWriter:
    """Writes version `number` on top of version `number - 1` without publishing it.

    Batches are stored by a helper thread, one at a time, while the caller's thread validates
    and hashes the next rows: the database works on one core while Python works on another.
    """

    def __init__(self, dataset_id, number, *, mode="replace", on_progress=None):
        self.col = collection(dataset_id)
        self.dataset_id = dataset_id
        self.number = number
        self.previous = number - 1
        self.mode = mode
        self.on_progress = on_progress
        self.added = self.removed = self.count = 0
        self._digest = hashlib.sha256()
        self._insert = []
        self._cells = 0
        self._close = []
        self._pool = None
        self._pending = deque()  # (future, count) of each batch handed over, oldest first
        # held around every read and write of the collection, by either thread: a database
        # client stub for tests (mongomock) is not safe for concurrent use of one collection
        self._guard = threading.Lock()

    def write(self, rows):
        """Write the rows (an iterable of row dicts) of the new version; returns stats."""
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rows-writer")
        try:
            old = (
                hashes(self.dataset_id, self.previous, guard=self._guard)
                if self.previous > 0
                else iter(())
            )
            if self.mode == "append":
                position = 0
                for doc in old:
                    position = doc["p"]
                    self.count += 1
                    self._digest.update(doc["h"].encode())
                self._append(rows, position)
            else:
                self._replace(rows, old)
            self._flush()
            self._wait()
        finally:
            self._stop()
        return {
            "rows": self.count,
            "added": self.added,
            "removed": self.removed,
            "checksum": self._digest.hexdigest(),
        }

    def _append(self, rows, position):
        for row in rows:
            position += 1
            self._add(position, row, row_hash(row))

    def _replace(self, rows, old):
        old = iter(old)
        current = next(old, None)
        position = 0
        for row in rows:
            position += 1
            h = row_hash(row)
            while current is not None and current["p"] < position:
                self._drop(current)
                current = next(old, None)
            if current is not None and current["p"] == position and current["h"] == h:
                # Unchanged at the same place: shared with the previous version, not copied.
                self.count += 1
                self._digest.update(h.encode())
                current = next(old, None)
                continue
            if current is not None and current["p"] == position:
                self._drop(current)
                current = next(old, None)
            self._add(position, row, h)
        while current is not None:
            self._drop(current)
            current = next(old, None)

    def _add(self, position, row, h):
        self._insert.append({"p": position, "h": h, "f": self.number, "t": LIVE, "d": row})
        self._cells += len(row)
        self.added += 1
        self.count += 1
        self._digest.update(h.encode())
        if len(self._insert) >= BATCH or self._cells >= BATCH_CELLS:
            self._flush()

    def _drop(self, doc):
        self._close.append(doc["_id"])
        self.removed += 1
        if len(self._close) >= BATCH:
            self._flush()

    def _flush(self):
        """Hand the gathered rows to the helper thread (first waiting while it has enough)."""
        while len(self._pending) >= QUEUED:
            self._wait_oldest()
        inserts, closes = self._insert, self._close
        self._insert, self._close, self._cells = [], [], 0
        future = self._pool.submit(self._store, inserts, closes)
        self._pending.append((future, self.count))

    def _store(self, inserts, closes):
        with self._guard:
            if inserts:
                self.col.insert_many(inserts, ordered=False)
            if closes:
                self.col.update_many({"_id": {"$in": closes}}, {"$set": {"t": self.number}})

    def _wait_oldest(self):
        """Wait for the oldest batch handed over (raising its error), then report progress."""
        future, count = self._pending.popleft()
        future.result()
        if self.on_progress:
            self.on_progress(count)

    def _wait(self):
        while self._pending:
            self._wait_oldest()

    def _stop(self):
        """Let the batch being stored finish, so that nothing is written after write() ends."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        # an error is already on its way up when batches are left; theirs would only hide it
        self._pending.clear()


def discard_unpublished(dataset_id, current):
    """Undo what an unfinished write left beyond version `current`."""
    col = collection(dataset_id)
    col.delete_many({"f": {"$gt": current}})
    col.update_many({"t": {"$gt": current, "$lt": LIVE}}, {"$set": {"t": LIVE}})


def storage_count(dataset_id):
    """How many row documents the dataset stores (all versions)."""
    return collection(dataset_id).estimated_document_count()


def drop(dataset_id):
    """Remove every row of a dataset."""
    collection(dataset_id).drop()
