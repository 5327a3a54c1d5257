"""The stored downloads as a size-capped cache: last use, eviction, orphaned chunks.

Each stored file carries `metadata.used`, the last time it was served (written at most once
an hour per file). After a build, while the files add up to more than the cap, the least
recently used go, never the one just built. Chunks without a file document (a build killed
mid-way) older than ORPHAN_AGE are deleted, at most once per ORPHAN_EVERY per process.
"""

import threading
import time
from datetime import timedelta

from bson import ObjectId

from portal.db.connection import get_db
from portal.db.models import utcnow

BUCKET = "exports"
TOUCH_EVERY = timedelta(hours=1)
ORPHAN_AGE = timedelta(hours=3)  # a build still running is younger than this
ORPHAN_EVERY = 3600.0
_last_sweep = {"at": None}
_sweeping = threading.Lock()


def _files(bucket=BUCKET):
    return get_db()[f"{bucket}.files"]


def _chunks(bucket=BUCKET):
    return get_db()[f"{bucket}.chunks"]


def touch(doc):
    """Note that a stored file is being served (at most one write an hour per file)."""
    now = utcnow()
    used = (doc.get("metadata") or {}).get("used")
    if used is None or now - used > TOUCH_EVERY:
        _files().update_one({"_id": doc["_id"]}, {"$set": {"metadata.used": now}})


def total_size(bucket=BUCKET):
    return sum(d.get("length", 0) for d in _files(bucket).find({}, {"length": 1}))


def evict(cap, keep=None, bucket=BUCKET):
    """Delete the least recently used files until the store holds at most `cap` bytes."""
    docs = list(_files(bucket).find({}, {"length": 1, "metadata.used": 1, "uploadDate": 1}))
    total = sum(d.get("length", 0) for d in docs)
    if total <= cap:
        return 0
    docs.sort(key=lambda d: (d.get("metadata") or {}).get("used") or d.get("uploadDate"))
    evicted = 0
    for doc in docs:
        if total <= cap:
            break
        if doc["_id"] == keep:
            continue
        _files(bucket).delete_one({"_id": doc["_id"]})
        _chunks(bucket).delete_many({"files_id": doc["_id"]})
        total -= doc.get("length", 0)
        evicted += 1
    return evicted


def collect_orphans(bucket=BUCKET, older_than=ORPHAN_AGE):
    """Delete chunks whose file document is missing and whose build began long enough ago."""
    cutoff = ObjectId.from_datetime(utcnow() - older_than)
    known = {d["_id"] for d in _files(bucket).find({}, {"_id": 1})}
    orphans = {
        fid for fid in _chunks(bucket).distinct("files_id") if fid not in known and fid < cutoff
    }
    for fid in orphans:
        _chunks(bucket).delete_many({"files_id": fid})
    return len(orphans)


def after_build(new_id, cap):
    """Keep the store under its cap, and now and then sweep orphaned chunks."""
    evict(cap, keep=new_id)
    now = time.monotonic()
    last = _last_sweep["at"]
    if (last is None or now - last > ORPHAN_EVERY) and _sweeping.acquire(blocking=False):
        try:
            _last_sweep["at"] = now
            collect_orphans()
            collect_orphans("columnar")
        finally:
            _sweeping.release()
