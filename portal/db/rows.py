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
CLOSE_BATCH = 20_000  # positions to close gathered before they are written
CHAIN = 2  # checksum scheme of the versions this build writes (see `chain`)
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


def iter_rows(dataset_id, number, *, batch=BATCH, after=0, upto=None):
    """Yield the rows of a version in order (those at positions `after < p <= upto` only,
    when given), a window of positions at a time.

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
        end = last + batch if upto is None else min(last + batch, upto)
        if end <= last:
            return []
        query = {"p": {"$gt": last, "$lte": end}, **version}
        docs = list(col.find(query, batch_size=batch))
        if not docs:
            # VersionWriter numbers a version's rows 1..n; should a position be missing,
            # carry on from the next one there is
            bound = {"$gt": last} if upto is None else {"$gt": last, "$lte": upto}
            nxt = col.find_one({"p": bound, **version}, {"p": 1}, sort=[("p", 1)])
            return [] if nxt is None else window(nxt["p"] - 1)
        docs.sort(key=lambda doc: doc["p"])
        return docs

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rows-reader") as pool:
        pending = pool.submit(window, after)
        while docs := pending.result():
            pending = pool.submit(window, docs[-1]["p"])
            for doc in docs:
                yield doc["d"]


def hashes(dataset_id, number, *, guard=None, batch=20000):
    """(position, hash) of a version's rows in order; `guard` is held while a window is read.

    Bounded windows of positions, as in `iter_rows`, so the cost is one pass over the version.
    """
    col = collection(dataset_id)
    guard = guard or nullcontext()
    version = version_filter(number)
    last = 0
    while True:
        query = {"p": {"$gt": last, "$lte": last + batch}, **version}
        with guard:
            docs = list(col.find(query, {"_id": 0, "p": 1, "h": 1}))
        if not docs:
            with guard:
                after = col.find_one({"p": {"$gt": last}, **version}, {"p": 1}, sort=[("p", 1)])
            if after is None:
                return
            last = after["p"] - 1
            continue
        docs.sort(key=lambda doc: doc["p"])
        yield from docs
        last = docs[-1]["p"]


def chain(state, h):
    """The checksum chain extended by one row hash (hex in, hex out); "" starts a chain.

    A version's checksum is the chain over its row hashes in position order, so appending k
    rows extends the previous version's checksum in O(k), and the same rows give the same
    checksum however they arrived (appended, replaced or uploaded).
    """
    return hashlib.blake2b(bytes.fromhex(state + h), digest_size=16).hexdigest()


def checksum_of(dataset_id, number, scheme=CHAIN):
    """Recompute a version's checksum from its stored rows (`scheme` as its record says)."""
    if scheme == CHAIN:
        state = ""
        for doc in hashes(dataset_id, number):
            state = chain(state, doc["h"])
        return state
    digest = hashlib.sha256()  # the first builds: sha256 over the concatenated row hashes
    for doc in hashes(dataset_id, number):
        digest.update(doc["h"].encode())
    return digest.hexdigest()


class _Unfenced:
    """The fence of a writer nobody else can take over from (tests and tools)."""

    id = None

    def check(self):
        return None


class VersionWriter:
    """Writes version `number` on top of version `number - 1` without publishing it.

    Batches are stored by a helper thread, one at a time, while the caller's thread validates
    and hashes the next rows: the database works on one core while Python works on another.
    Every row inserted carries the writer's lock id (`w`), every row closed the same id (`x`),
    and the lock (`fence.check()`) is checked before and after every batch: a writer whose lock
    was taken over stops at its next step and removes only its own rows.
    `base` is what the previous version's record keeps for the next append: its last position
    and checksum chain (`{"p", "chain", "rows"}`); without it an append reads the hashes once.
    """

    def __init__(
        self, dataset_id, number, *, mode="replace", on_progress=None, fence=None, base=None
    ):
        self.col = collection(dataset_id)
        self.dataset_id = dataset_id
        self.number = number
        self.previous = number - 1
        self.mode = mode
        self.on_progress = on_progress
        self.fence = fence or _Unfenced()
        self.base = base
        self.added = self.removed = self.count = 0
        self.position = 0
        self._chain = ""
        self._insert = []
        self._cells = 0
        self._close = []  # positions of the previous version's rows to close, ascending
        self._pool = None
        self._pending = deque()  # (future, count) of each batch handed over, oldest first
        # held around every read and write of the collection, by either thread: a database
        # client stub for tests (mongomock) is not safe for concurrent use of one collection
        self._guard = threading.Lock()

    def first_position(self):
        """The lowest position this write may touch (what a cleanup has to look at)."""
        if self.mode == "append" and self.base is not None:
            return self.base["p"] + 1
        return 1

    def write(self, rows):
        """Write the rows (an iterable of row dicts) of the new version; returns stats."""
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rows-writer")
        try:
            if self.mode == "append":
                self._start_append()
                self._append(rows)
            else:
                old = (
                    hashes(self.dataset_id, self.previous, guard=self._guard)
                    if self.previous > 0
                    else iter(())
                )
                self._replace(rows, old)
            self._flush()
            self._wait()
            self.fence.check()
        finally:
            self._stop()
        return {
            "rows": self.count,
            "added": self.added,
            "removed": self.removed,
            "checksum": self._chain,
            "scheme": CHAIN,
            "tail": {"p": self.position, "chain": self._chain},
        }

    def _start_append(self):
        if self.base is not None:
            self.position = self.base["p"]
            self._chain = self.base["chain"]
            self.count = self.base["rows"]
            return
        # a version made by an earlier build keeps no chain: read its hashes once
        if self.previous > 0:
            for doc in hashes(self.dataset_id, self.previous, guard=self._guard):
                self.position = doc["p"]
                self.count += 1
                self._chain = chain(self._chain, doc["h"])

    def _append(self, rows):
        for row in rows:
            self.position += 1
            self._add(self.position, row, row_hash(row))

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
                self._chain = chain(self._chain, h)
                current = next(old, None)
                continue
            if current is not None and current["p"] == position:
                self._drop(current)
                current = next(old, None)
            self._add(position, row, h)
        while current is not None:
            self._drop(current)
            current = next(old, None)
        self.position = position

    def _add(self, position, row, h):
        self._insert.append(
            {"p": position, "h": h, "f": self.number, "t": LIVE, "w": self.fence.id, "d": row}
        )
        self._cells += len(row)
        self.added += 1
        self.count += 1
        self._chain = chain(self._chain, h)
        if len(self._insert) >= BATCH or self._cells >= BATCH_CELLS:
            self._flush()

    def _drop(self, doc):
        self._close.append(doc["p"])
        self.removed += 1
        if len(self._close) >= CLOSE_BATCH:
            self._flush()

    def _flush(self):
        """Hand the gathered rows to the helper thread (first waiting while it has enough)."""
        while len(self._pending) >= QUEUED:
            self._wait_oldest()
        self.fence.check()
        inserts, closes = self._insert, self._close
        self._insert, self._close, self._cells = [], [], 0
        future = self._pool.submit(self._store, inserts, closes)
        self._pending.append((future, self.count))

    def _store(self, inserts, closes):
        self.fence.check()
        with self._guard:
            if inserts:
                self.col.insert_many(inserts, ordered=False)
            if closes:
                self._close_positions(closes)
        self.fence.check()

    def _close_positions(self, positions):
        """Close the previous version's rows at these positions: a range per run, one $in
        for the lone ones (one update per row costs a round trip and an index walk each)."""
        # rows of the previous version (f <= previous), still open for this number (a stale
        # writer's close of the same row, t == number, is taken over so its undo cannot
        # reopen it)
        keep = {"f": {"$lte": self.previous}, "t": {"$gte": self.number}}
        change = {"$set": {"t": self.number, "x": self.fence.id}}
        singles = []
        for first, last in _runs(positions):
            if last - first < 8:
                singles.extend(range(first, last + 1))
            else:
                self.col.update_many({"p": {"$gte": first, "$lte": last}, **keep}, change)
        if singles:
            self.col.update_many({"p": {"$in": singles}, **keep}, change)

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


def _runs(positions):
    """(first, last) of each run of consecutive positions (given ascending)."""
    first = last = None
    for p in positions:
        if last is not None and p == last + 1:
            last = p
            continue
        if first is not None:
            yield first, last
        first = last = p
    if first is not None:
        yield first, last


def discard_unpublished(dataset_id, current, first=1):
    """Undo what unfinished writes (of anyone) left beyond version `current` from position
    `first` on: run by the next holder of the lock after a crash or a takeover."""
    col = collection(dataset_id)
    after = {"$gte": first}
    col.delete_many({"p": after, "f": {"$gt": current}})
    col.update_many(
        {"p": after, "t": {"$gt": current, "$lt": LIVE}}, {"$set": {"t": LIVE}, "$unset": {"x": ""}}
    )


def discard_own(dataset_id, number, lock_id, first=1):
    """Remove the rows one writer inserted and reopen the rows it closed, nobody else's."""
    col = collection(dataset_id)
    after = {"$gte": first}
    col.delete_many({"p": after, "f": number, "w": lock_id})
    col.update_many(
        {"p": after, "t": number, "x": lock_id}, {"$set": {"t": LIVE}, "$unset": {"x": ""}}
    )


def storage_count(dataset_id):
    """How many row documents the dataset stores (all versions)."""
    return collection(dataset_id).estimated_document_count()


def drop(dataset_id):
    """Remove every row of a dataset."""
    collection(dataset_id).drop()
