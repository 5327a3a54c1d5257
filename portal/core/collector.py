"""Pausing Python's cyclic garbage collector around bulk work.

A version being written makes millions of short-lived objects (cells, rows, documents),
and every few thousand allocations the collector walks all the young ones still alive:
about a fifth of an upload's CPU. Rows hold no reference cycles, so reference counting
frees them as they go; the collector is paused while a version is written and runs again
afterwards. Pauses nest, and the collector is left as it was found.
"""

import gc
import threading
from contextlib import contextmanager

_lock = threading.Lock()
_state = {"depth": 0, "was_enabled": True}


@contextmanager
def paused():
    """No automatic collection inside the block (in any thread of the process)."""
    with _lock:
        if _state["depth"] == 0:
            _state["was_enabled"] = gc.isenabled()
            gc.disable()
        _state["depth"] += 1
    try:
        yield
    finally:
        with _lock:
            _state["depth"] -= 1
            if _state["depth"] == 0 and _state["was_enabled"]:
                gc.enable()
