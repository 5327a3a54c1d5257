"""The stored downloads: GridFS files written a chunk at a time, streamed, and kept as a
size-capped cache (last use, eviction, orphaned chunks).

Each stored file carries `metadata.used`, the last time it was served (written at most once
an hour per file). After a build, while the files add up to more than the cap, the least
recently used go, never the one just built. Chunks without a file document (a build killed
mid-way) older than ORPHAN_AGE are deleted, at most once per ORPHAN_EVERY per process.
"""

import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from bson import ObjectId
from gridfs.errors import CorruptGridFile

from portal.db.connection import get_db
from portal.db.models import utcnow

BUCKET = "exports"
# GridFS chunk of a stored file, and so the block a download streams: larger chunks mean
# fewer documents to store and fetch and fewer, larger writes to the socket
FILE_CHUNK = 1024 * 1024
UPLOAD_QUEUE = 4  # chunks handed to the helper thread and not yet stored, at most
STREAM_BATCH = 4  # stored chunks fetched per round trip while a file is streamed
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


def find(key):
    """The stored file of a key (the first closed, should two builds ever have run)."""
    return _files().find_one({"metadata.key": key}, sort=[("uploadDate", 1), ("_id", 1)])


def ensure_indexes():
    """The indexes of stored files: lookups, and the ones GridFS readers rely on (idempotent)."""
    _files().create_index("metadata.key")
    _files().create_index("metadata.dataset")
    _files().create_index([("filename", 1), ("uploadDate", 1)])
    _chunks().create_index([("files_id", 1), ("n", 1)], unique=True)


class Upload:
    """A GridFS file written a chunk at a time, each chunk stored by a helper thread.

    pymongo's upload stream holds up to 48 MB of chunks before it inserts any. Here a chunk is
    filled while up to UPLOAD_QUEUE earlier ones are stored, so memory stays at a few chunks
    and the database works while the caller does. The file document goes in last, on close(),
    with the SHA-256 the caller computed, so until then the file does not exist for readers.
    """

    def __init__(self, filename, metadata, file_id=None):
        self.id = file_id or ObjectId()
        self._file = {"_id": self.id, "filename": filename, "metadata": metadata}
        self._buffer = bytearray()
        self._n = self._length = 0
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="export-writer")
        self._pending = deque()  # chunks handed to the helper thread, oldest first

    def write(self, data):
        self._buffer += data
        while len(self._buffer) >= FILE_CHUNK:
            self._store(bytes(memoryview(self._buffer)[:FILE_CHUNK]))
            del self._buffer[:FILE_CHUNK]

    def _store(self, data):
        while len(self._pending) >= UPLOAD_QUEUE:
            self._pending.popleft().result()
        doc = {"files_id": self.id, "n": self._n, "data": data}
        self._n += 1
        self._length += len(data)
        self._pending.append(self._pool.submit(_chunks().insert_one, doc))

    def close(self, sha256):
        """Store the last chunk, then the file document that makes the file visible."""
        if self._buffer:
            self._store(bytes(self._buffer))
        while self._pending:
            self._pending.popleft().result()
        self._pool.shutdown()
        self._file.update(
            chunkSize=FILE_CHUNK, length=self._length, uploadDate=utcnow(), sha256=sha256
        )
        _files().insert_one(self._file)
        return self._file

    def abort(self):
        """Remove the chunks stored so far."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        _chunks().delete_many({"files_id": self.id})


def stream(file_id):
    """The chunks of a stored file in order, STREAM_BATCH per round trip.

    Not a GridFS download stream: iterating one yields lines, and its cursor fetches as many
    chunks as fit in a 16 MB reply, all held in the worker's memory at once.
    """
    cursor = _chunks().find({"files_id": file_id}, sort=[("n", 1)], batch_size=STREAM_BATCH)
    with cursor:
        for n, doc in enumerate(cursor):
            if doc["n"] != n:
                raise CorruptGridFile(f"stored file {file_id}: chunk {n} is missing")
            yield doc["data"]


def delete(file_id, bucket=BUCKET):
    # the file document first: without it the chunks are unreachable, as after an abort
    _files(bucket).delete_one({"_id": file_id})
    _chunks(bucket).delete_many({"files_id": file_id})


def drop_dataset(dataset_id, bucket=BUCKET):
    """Remove every stored file of a dataset."""
    for doc in _files(bucket).find({"metadata.dataset": str(dataset_id)}, {"_id": 1}):
        delete(doc["_id"], bucket)
