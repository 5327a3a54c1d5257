"""Versioned row storage: one collection per dataset, rows shared between versions.

A row document is `{p: position, h: content hash, f: first version, t: first version without it,
d: {field: value}}`. Version n is every row with `f <= n < t`, ordered by `p`. A new version
inserts only the rows that changed (invisible until the dataset's `current_version` moves) and
closes the rows it replaces by setting `t`; both are harmless to readers of older versions, so
the single-document pointer swap on the dataset publishes it atomically. What a crash leaves
behind (`f` or `t` beyond the current version) is undone by `discard_unpublished`.
"""

import hashlib
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext

import orjson
from pymongo import ASCENDING

from portal.db.connection import get_db
from portal.db.models import LIVE

BATCH = 2000
CHAIN = 2  # checksum scheme of the versions this build writes (see `chain`)


def collection(dataset_id):
    """The row collection of a dataset."""
    return get_db()[f"rows_{dataset_id}"]


ROW_INDEX = (("p", ASCENDING), ("f", ASCENDING), ("t", ASCENDING))


def ensure_indexes(dataset_id):
    """Indexes of a row collection: version reads page by position. Made before the first
    rows go in: built over a million rows at once, the embedded server would answer nothing
    else for most of a minute (a writer's lease would run out meanwhile)."""
    collection(dataset_id).create_index(list(ROW_INDEX))


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
