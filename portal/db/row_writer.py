"""The writer of a new version's rows (see portal.db.rows for the row documents): stores only
the rows that changed, invisible until the dataset's pointer moves, and closes the ones it
replaces."""

import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from portal.db import rows as row_docs
from portal.db.models import LIVE
from portal.db.rows import CHAIN, chain, collection, hashes, row_hash

CLOSE_BATCH = 20_000  # positions to close gathered before they are written
BATCH_CELLS = 40_000  # and values per batch written: wide rows make shorter batches
# Batches handed to the helper thread and not yet stored, at most. One keeps the database
# busy while the next batch is made, and the rows stored never lag more than a batch behind.
QUEUED = 1


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
        if len(self._insert) >= row_docs.BATCH or self._cells >= BATCH_CELLS:
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
