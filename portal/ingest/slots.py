"""At most N spreadsheet reader children at once on a host, across every process.

Each child may use gigabytes (its memory cap grows with the workbook), so web workers and job
workers share READER_CHILDREN slots: lock files in the temp folder, held with flock while a
child runs. The kernel drops a dead process's lock, so a crash never leaks a slot.
"""

import fcntl
import os
import tempfile
import time
from contextlib import contextmanager

from portal.core.errors import PortalError

FOLDER = os.path.join(tempfile.gettempdir(), "ochiq-readers")
POLL = 0.1


class Busy(PortalError):
    """Every reader slot stayed taken for the whole wait."""

    status = 503
    default_message = "every spreadsheet reader is busy; try again in a minute"


def _try(path):
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


@contextmanager
def reader_slot(count, wait=60.0, folder=FOLDER):
    """Hold one of `count` slots while the block runs (count None or 0: no limit)."""
    if not count:
        yield
        return
    os.makedirs(folder, mode=0o700, exist_ok=True)
    deadline = time.monotonic() + wait
    while True:
        for number in range(count):
            fd = _try(os.path.join(folder, f"slot-{number}.lock"))
            if fd is None:
                continue
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
            return
        if time.monotonic() >= deadline:
            raise Busy()
        time.sleep(POLL)
