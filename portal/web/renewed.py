"""Reads a page keeps per process and renews behind the visitors' backs.

A `Renewed` holds the answer of a slow read (the statistics overview: eleven service reads,
about forty round trips to the database) together with a cheap `stamp` of what it was read
from (the build of the stored tables). A request whose stamp differs from the kept one reads
again at once (the first request after the tables were rebuilt, or the very first); a kept
answer older than `seconds` (the live counters, the search records) is served as it is while
one thread of the process reads it anew, so no visitor waits for that read.
"""

import logging
import threading
import time

from flask import current_app

log = logging.getLogger("portal.web")


class Renewed:
    def __init__(self, read, seconds):
        self._read = read  # () -> a new value; called with an app context
        self.seconds = seconds
        self._kept = None  # (stamp, when it was read, value)
        self._lock = threading.Lock()
        self._thread = None
        self._epoch = 0  # a forget() since a read began: its answer is dropped

    def get(self, stamp):
        """The kept value for `stamp`, read now if none is kept for it."""
        kept = self._kept
        if kept is None or kept[0] != stamp:
            return self._store(stamp, self._epoch)
        if time.monotonic() - kept[1] >= self.seconds:
            self._renew(stamp)
        return kept[2]

    def _store(self, stamp, epoch):
        started = time.monotonic()
        value = self._read()
        with self._lock:
            if epoch == self._epoch:
                self._kept = (stamp, started, value)
        return value

    def _renew(self, stamp):
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            app = current_app._get_current_object()
            epoch = self._epoch

            def run():
                try:
                    with app.app_context():
                        self._store(stamp, epoch)
                except Exception:  # the kept value serves on; the next request tries again
                    log.exception("renewing a kept page failed")

            self._thread = threading.Thread(target=run, name="page-renewal", daemon=True)
            self._thread.start()

    def wait(self):
        """Let a renewal under way finish (tests)."""
        thread = self._thread
        if thread is not None:
            thread.join()

    def forget(self):
        """Drop the kept value; a renewal under way keeps its answer to itself."""
        with self._lock:
            self._epoch += 1
            self._kept = None
        self.wait()
