"""Pages of a version's row documents, as data.egov.uz's row reads give them (by offset).

A version's rows are numbered 1..n by the writer (`row_writer.VersionWriter`), so a page without
filters is a window of positions: `skip < p <= skip + limit`, and its total is the version's
row count. That costs what the page holds at any depth. Should a version's positions have gaps
(a store made otherwise), the page falls back to sorting and skipping, which reads every row
before the page. Whether a version is dense is asked once per process: a version never changes.
"""

import threading
from collections import OrderedDict

from portal.db.rows import collection, version_filter

KEPT = 4096  # versions whose density is remembered
_dense = OrderedDict()
_lock = threading.Lock()


def forget():
    """Drop what is remembered (tests)."""
    with _lock:
        _dense.clear()


def is_dense(dataset_id, number, rows):
    """True when version `number`'s `rows` rows sit at positions 1..rows exactly."""
    key = (str(dataset_id), number)
    with _lock:
        if key in _dense:
            _dense.move_to_end(key)
            return _dense[key]
    if rows == 0:
        dense = True
    else:
        col = collection(dataset_id)
        last = col.find_one(
            {"p": {"$gte": rows}, **version_filter(number)}, {"_id": 0, "p": 1}, sort=[("p", 1)]
        )
        first = col.find_one({"p": {"$lt": 1}, **version_filter(number)}, {"_id": 0, "p": 1})
        # positions are unique within a version: n rows at positions >= 1 whose highest is n
        # are exactly 1..n
        dense = first is None and last is not None and last["p"] == rows
        if dense:
            beyond = col.find_one(
                {"p": {"$gt": rows}, **version_filter(number)}, {"_id": 0, "p": 1}
            )
            dense = beyond is None
    with _lock:
        _dense[key] = dense
        while len(_dense) > KEPT:
            _dense.popitem(last=False)
    return dense


def _window(dataset_id, number, skip, limit, projection):
    """The documents at positions skip < p <= skip + limit of the version, in order."""
    query = {"p": {"$gt": skip, "$lte": skip + limit}, **version_filter(number)}
    docs = list(collection(dataset_id).find(query, projection))
    docs.sort(key=lambda doc: doc["p"])
    return docs


def page_records(dataset_id, number, *, rows=None, query=None, skip=0, limit=20):
    """One page of a version's row documents in order, with their ids and first versions:
    ([{"_id", "f", "d"}], total). `rows` is the version's row count (from its record) when
    known: without filters, a dense version is then read by a window of positions."""
    if not query and rows is not None and is_dense(dataset_id, number, rows):
        docs = _window(dataset_id, number, skip, limit, {"_id": 1, "p": 1, "f": 1, "d": 1})
        return [{"_id": d["_id"], "f": d["f"], "d": d["d"]} for d in docs], rows
    col = collection(dataset_id)
    flt = {**version_filter(number), **(query or {})}
    total = col.count_documents(flt)
    docs = col.find(flt, {"_id": 1, "f": 1, "d": 1}).sort([("p", 1)]).skip(skip).limit(limit)
    return list(docs), total


def records_at(dataset_id, number, positions):
    """The row documents of version `number` at `positions` (ascending), with their ids and
    first versions: [{"_id", "f", "d"}] in that order."""
    if not positions:
        return []
    query = {"p": {"$in": list(positions)}, **version_filter(number)}
    found = collection(dataset_id).find(query, {"_id": 1, "p": 1, "f": 1, "d": 1})
    by_position = {d["p"]: d for d in found}
    return [
        {"_id": d["_id"], "f": d["f"], "d": d["d"]}
        for d in (by_position.get(p) for p in positions)
        if d is not None
    ]


def page(dataset_id, number, *, rows=None, skip=0, limit=20):
    """One page of a version's rows (the row values alone), in order; (rows, total)."""
    docs, total = page_records(dataset_id, number, rows=rows, skip=skip, limit=limit)
    return [d["d"] for d in docs], total
