"""The write lock of a dataset: a lease renewed on a timer, and a fence for its writer.

The holder's lease is renewed by a thread every few seconds, whatever the writer is doing
(scanning, diffing, waiting on the database). Before and after each batch the writer checks
the fence: once the lock is not its own (taken over, or its lease ran out while the process
was stopped) it stops with a 409, and removes only the rows it wrote itself, found by its id.
"""

import logging
import secrets
import threading
import time
from datetime import timedelta

from portal.core.errors import Conflict
from portal.db import rows as row_store
from portal.db.publishing import lease as lease_store

log = logging.getLogger("portal.versions")
LEASE = timedelta(seconds=30)


class LockLost(Conflict):
    """The writer's lock was taken over: nothing of its version is published."""


class Lock:
    """The write lock of one dataset, held by this process."""

    def __init__(self, dataset, lock_id, doc, lease, first):
        self.dataset = dataset
        self.dataset_id = dataset.id
        self.id = lock_id
        self.lease = lease
        self.current = doc.get("current_version", 0)
        self.status = doc.get("status")
        last = (doc.get("versions") or [None])[-1]
        self.last = last if last and last.get("number") == self.current else None
        self.noted = first  # the lowest position noted on the dataset for a cleanup
        self.first = None  # the lowest position this writer may touch, once it starts
        self.lost = False
        self.released = False  # by the publishing update itself
        self._deadline = time.monotonic() + lease.total_seconds() * 2 / 3
        self._stop = threading.Event()
        self._beat = None

    # ------------------------------------------------------------------ fence

    def check(self):
        """Raise LockLost when the lock is not (or may no longer be) this writer's."""
        if self.lost or time.monotonic() > self._deadline:
            self.lost = True
            raise LockLost(
                f"the write to dataset {self.dataset.code} took too long and another writer "
                "took over; nothing of it was published: try again"
            )

    def _renew(self):
        started = time.monotonic()
        try:
            mine = lease_store.renew(self.dataset_id, self.id, self.lease)
        except Exception:  # the database did not answer: the deadline decides
            log.warning("write lock not renewed", exc_info=True)
            return
        if not mine:
            self.lost = True
            self._stop.set()
            return
        self._deadline = started + self.lease.total_seconds() * 2 / 3

    def _run(self):
        interval = max(self.lease.total_seconds() / 6, 0.05)
        while not self._stop.wait(interval):
            self._renew()

    def start_beating(self):
        self._beat = threading.Thread(target=self._run, name="write-lease", daemon=True)
        self._beat.start()

    def stop_beating(self):
        self._stop.set()
        if self._beat is not None:
            self._beat.join()

    # ------------------------------------------------------------------ rows

    def begin(self, first):
        """Note where this writer starts writing, before its first row."""
        self.check()
        self.first = first
        if first < self.noted:
            if not lease_store.mark_unclean(self.dataset_id, self.id, first):
                self.lost = True
                self.check()
            self.noted = first

    def discard(self, number):
        """Remove this writer's rows of version `number`, unless that version was published
        after all (the answer of the publishing update may have been lost)."""
        if self.first is None:
            return
        from portal.services.publishing import versions

        if versions.published_by(self.dataset_id, number) == self.id:
            return
        row_store.discard_own(self.dataset_id, number, self.id, self.first)
        lease_store.mark_clean(self.dataset_id, [self.id])


NO_ROWS = 2**31 - 1  # `first` of a writer that writes no rows


def acquire(dataset, lease=None, first=NO_ROWS):
    """Take the dataset's write lock (409 when another writer holds it); cleans what writers
    that crashed or were taken over left behind. `first`: the lowest position the writer
    expects to write (it may correct that before writing, see `Lock.begin`)."""
    lease = lease or LEASE
    lock_id = secrets.token_hex(8)
    doc = lease_store.acquire(dataset.id, lock_id, lease, first)
    if doc is None:
        raise Conflict(f"another change to dataset {dataset.code} is being written; try again")
    lock = Lock(dataset, lock_id, doc, lease, first)
    lock.start_beating()
    try:
        _clean_after_others(lock, doc)
    except BaseException:
        lock.stop_beating()
        raise
    return lock


def _clean_after_others(lock, doc):
    unclean = list(doc.get("unclean") or ())
    old = doc.get("lock") or {}
    if old.get("id") and not any(u.get("id") == old["id"] for u in unclean):
        unclean.append({"id": old["id"], "from": 1})  # a writer of an earlier build
    if not unclean:
        return
    first = min(u.get("from") or 1 for u in unclean)
    row_store.discard_unpublished(lock.dataset_id, lock.current, first)
    lease_store.mark_clean(lock.dataset_id, [u["id"] for u in unclean])
    log.info(
        "cleaned after an unfinished write",
        extra={"fields": {"dataset": lock.dataset.code, "writers": len(unclean)}},
    )


def release(lock, *, clean=True):
    """Stop renewing; give the lock back when it is still ours and nothing is left dirty."""
    lock.stop_beating()
    if clean and not lock.lost and not lock.released:
        lease_store.release(lock.dataset_id, lock.id)
