"""Leases: one holder of a named task at a time, across workers and hosts.

A lease is one document `{_id: name, holder, until}` in `leases`. Taking it is one atomic
insert, or one conditional update of a lease whose time ran out (its holder died or stalled);
the holder renews it while it works and deletes it when done. Nothing but the holder's own
token releases or renews it, so a holder that lost its lease cannot end its successor's.
"""

import secrets
import threading
import time
from datetime import timedelta

from pymongo.errors import DuplicateKeyError

from portal.db.connection import get_db
from portal.db.models import utcnow

COLLECTION = "leases"


def _col():
    return get_db()[COLLECTION]


def acquire(name, seconds):
    """A token when the lease `name` is now ours for `seconds`, else None."""
    token = secrets.token_hex(8)
    now = utcnow()
    until = now + timedelta(seconds=seconds)
    try:
        _col().insert_one({"_id": name, "holder": token, "until": until})
        return token
    except DuplicateKeyError:
        taken = _col().find_one_and_update(
            {"_id": name, "until": {"$lt": now}},
            {"$set": {"holder": token, "until": until}},
        )
        return token if taken is not None else None


def renew(name, token, seconds):
    """Extend our lease; False when it is no longer ours."""
    until = utcnow() + timedelta(seconds=seconds)
    result = _col().update_one({"_id": name, "holder": token}, {"$set": {"until": until}})
    return result.matched_count == 1


def release(name, token):
    """Give the lease up (only when it is still ours)."""
    _col().delete_one({"_id": name, "holder": token})


def held(name):
    """Whether someone holds a lease `name` that has not run out."""
    return _col().count_documents({"_id": name, "until": {"$gte": utcnow()}}) > 0


def wait_for(check, name, timeout, interval=0.1):
    """Poll `check()` until it gives a value, the lease is free, or `timeout` seconds pass.

    Returns the value of `check()` (None when there is none yet)."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found is not None or not held(name) or time.monotonic() >= deadline:
            return found
        time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
        interval = min(interval * 1.5, 1.0)


class Renewer:
    """Renews a lease every `seconds / 3` from a timer thread while a build runs."""

    def __init__(self, name, token, seconds):
        self.name, self.token, self.seconds = name, token, seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lease-renewer", daemon=True)

    def _run(self):
        while not self._stop.wait(self.seconds / 3):
            if not renew(self.name, self.token, self.seconds):
                return

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        """Stop renewing and release the lease (from any thread)."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()
        release(self.name, self.token)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
