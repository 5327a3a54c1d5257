"""An in-process copy of what search needs from every dataset, brought up to date per search.

The embedded server returns about ten documents a millisecond and uses an index only for a
plain equality, `$in` or range on one field (a regex, an `$or`, a sort, `skip`, a count or an
aggregation reads the whole collection), so a search that asked it for candidates, totals or
facets took one to two seconds on a 13,000-dataset catalog. Each process therefore keeps one
small record per dataset (terms, facet values, popularity, visibility: search_records) with an
inverted index of the terms, loaded once, and before each search catches up with two indexed
reads:

- the `search_state` document: a new `generation` (terms rebuilt, database replaced) reloads all;
- the datasets whose `updated_at` is at or after the mark: every passport, review, structure and
  version write sets it. The mark trails the clock by SKEW, for writes that took their time
  before landing and for clocks of other app servers.

What changes without `updated_at` (view and download counters, edits made directly in the
database) is picked up when the dataset is shown (`reconcile` compares the page's documents,
which are read anyway, with their records) and by a full reload in the background every
RELOAD_SECONDS.
"""

import gc
import threading
import time
from contextlib import contextmanager
from datetime import timedelta

from bson import ObjectId

from portal.db.connection import get_db
from portal.db.models import Dataset, utcnow
from portal.db.search_records import Snapshot

SKEW = timedelta(seconds=10)
RELOAD_SECONDS = 600
BATCH = 1000
STATE = "search_state"
PROJECTION = {
    "code": 1, "organization": 1, "sector": 1, "keywords": 1, "update_frequency": 1,
    "downloads": 1, "views": 1, "rating_sum": 1, "rating_count": 1, "updated_at": 1,
    "data_updated_at": 1, "active": 1, "current_version": 1, "status": 1, "terms": 1,
    "fields.type": 1, "fields.visible": 1,  # a location or polygon field: GeoJSON offered
}  # fmt: skip
LIST_VIEW = {
    **{k: 1 for k in PROJECTION if k != "terms"},
    "title": 1, "description": 1, "versions": {"$slice": -1},
}  # fmt: skip


def load(db, generation, orders):
    """Every dataset's record, read in one pass."""
    started = utcnow()
    snap = Snapshot(orders, db, generation)
    snap.loading = True
    # small batches: records made while a whole 16 MB batch of decoded documents lives are
    # scattered among them, and the memory freed around them stays with the process (+45 MB)
    for doc in _datasets(db).find({}, PROJECTION, batch_size=BATCH):
        snap.apply(doc)
    snap.loading = False
    snap.sorted_terms = sorted(snap.postings)
    snap.mark = started - SKEW
    return snap


def catch_up(snap):
    """Apply the datasets written since the mark (one indexed range read)."""
    started = utcnow()
    changed = False
    for doc in _datasets(snap.db).find({"updated_at": {"$gte": snap.mark}}, PROJECTION):
        changed = snap.apply(doc) or changed
    snap.mark = max(snap.mark, started - SKEW)
    return changed


def _datasets(db):
    return db[Dataset._get_collection_name()]


def fetch(db, ids):
    """Fresh list-view documents by id, `{id: document}`: the passport's list fields and, of
    the version records, only the latest (a dataset updated daily keeps thousands)."""
    if not ids:
        return {}
    found = _datasets(db).find({"_id": {"$in": list(ids)}}, LIST_VIEW)
    return {d["_id"]: d for d in found}


def generation(db):
    """The current generation of the search records (made on first use)."""
    doc = db[STATE].find_one({"_id": "catalog"})
    if doc is None:
        db[STATE].update_one(
            {"_id": "catalog"}, {"$setOnInsert": {"generation": ObjectId()}}, upsert=True
        )
        doc = db[STATE].find_one({"_id": "catalog"})
    return doc["generation"]


def rebuilt():
    """Tell every process to reload its records (after terms were recomputed)."""
    get_db()[STATE].update_one(
        {"_id": "catalog"}, {"$set": {"generation": ObjectId()}}, upsert=True
    )


# ---------------------------------------------------------------- the process's snapshot

_lock = threading.RLock()
_current = None
_reloading = threading.Event()


@contextmanager
def fresh(orders):
    """The process's snapshot of the connected database, up to date, held for one search."""
    global _current
    with _lock:
        db = get_db()
        gen = generation(db)
        snap = _current
        if snap is None or snap.db is not db or snap.generation != gen or snap.orders != orders:
            snap = _current = load(db, gen, orders)
        else:
            catch_up(snap)
            if time.monotonic() - snap.loaded_at > RELOAD_SECONDS:
                reload_in_background(snap)
        yield snap


def reload_in_background(snap):
    """Load a new snapshot in a thread and swap it in; the old one serves meanwhile."""
    if _reloading.is_set():
        return None
    _reloading.set()

    def run():
        global _current
        try:
            new = load(snap.db, snap.generation, snap.orders)
            with _lock:
                if _current is snap:
                    _current = new
            # Keep the collector's full passes off the new records, as after the worker's
            # start (gunicorn.conf.py); the old ones go by reference counting.
            gc.freeze()
        finally:
            _reloading.clear()

    thread = threading.Thread(target=run, name="search-reload", daemon=True)
    thread.start()
    return thread


def forget():
    """Drop the process's snapshot (the next search loads one)."""
    global _current
    with _lock:
        _current = None
