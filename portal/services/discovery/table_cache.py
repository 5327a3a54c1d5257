"""Answers of table queries kept by the process.

A version's columnar files never change once made, so one query over one list of files always
has the same answer: the page of rows a dataset's Table tab shows, or the rows its chart sums,
are read once and kept. A file's path names one segment of one dataset with one set of columns
(services.discovery.table_segments), so the key is the version's list of paths, with each
file's size and inode besides (its modification time is not: every read touches it), and
everything the answer depends on besides the files: the filters, the sort, the groups, the
fields shown, the language and the page. Small answers only, and a bounded number of them.
"""

import os
import threading
from collections import OrderedDict

_limits = {"entries": 256}
MAX_CELLS = 2_000  # rows x fields of an answer that is kept (a chart's 1000 rows of 2 fields)
_kept = OrderedDict()
_lock = threading.Lock()


def configure(entries=256):
    """Keep at most `entries` answers (0: keep none, every query reads the files)."""
    _limits["entries"] = max(int(entries), 0)
    forget()


def key_of(paths, *parts):
    """The key of an answer over the files `paths` (a list, or one path); None when a file
    cannot be looked at."""
    paths = [paths] if isinstance(paths, str) else paths
    files = []
    try:
        for path in paths:
            st = os.stat(path)
            files.append((path, st.st_size, st.st_ino))
    except OSError:
        return None
    return (tuple(files), *parts)


def get(key):
    """A copy of the kept answer (its row dicts shared: read them, do not change them)."""
    if key is None:
        return None
    with _lock:
        answer = _kept.get(key)
        if answer is None:
            return None
        _kept.move_to_end(key)
    return {**answer, "items": list(answer["items"])}


def put(key, answer, columns):
    """Keep `answer` if it is small; returns it."""
    if key is None or len(answer["items"]) * max(columns, 1) > MAX_CELLS:
        return answer
    if not _limits["entries"]:
        return answer
    with _lock:
        _kept[key] = {**answer, "items": list(answer["items"])}
        _kept.move_to_end(key)
        while len(_kept) > _limits["entries"]:
            _kept.popitem(last=False)
    return answer


def forget():
    """Drop every kept answer (a test that builds its files anew)."""
    with _lock:
        _kept.clear()
